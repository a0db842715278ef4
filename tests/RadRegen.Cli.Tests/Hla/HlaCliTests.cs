using System.Text.Json;
using RadRegen.Cli;

namespace RadRegen.Cli.Tests.Hla;

public class HlaCliTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Hla", name);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await RadRegenCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<JsonElement> Json(params string[] args)
    {
        var (code, output, error) = await Run([.. args, "--json"]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public async Task Coverage_json_reproduces_the_CAU_figures()
    {
        var json = await Json("hla", "coverage", "--frequencies", Data("HEGL_CAU.csv"), "--top", "100");
        Assert.Equal(2674, json.GetProperty("haplotypes").GetInt32());
        Assert.Equal(0.7812, Math.Round(json.GetProperty("cis").GetDouble(), 4));
        Assert.True(json.GetProperty("trans").GetDouble() > json.GetProperty("cis").GetDouble());
        var rows = json.GetProperty("rows");
        Assert.Equal(100, rows.GetArrayLength());
        var row20 = rows[19];
        Assert.Equal(20, row20.GetProperty("rank").GetInt32());
        Assert.Equal("A*01:01~B*07:02~DRB1*15:01", row20.GetProperty("haplotype").GetString());
        Assert.Equal(26610, Math.Round(row20.GetProperty("screen").GetDouble() / 10) * 10);
        foreach (var name in new[] { "frequency", "cumulativeCis", "cumulativeTrans" })
        {
            Assert.InRange(row20.GetProperty(name).GetDouble(), 0, 1);
        }
    }

    [Fact]
    public async Task Coverage_text_is_a_table_and_first_field_merges_more()
    {
        var (code, output, _) = await Run("hla", "coverage", "--frequencies", Data("HEGL_CAU.csv"), "--top", "3", "--resolution", "1field");
        Assert.Equal(0, code);
        Assert.Contains("Haplotype", output, StringComparison.Ordinal);
        Assert.Contains("A*01~B*08~DRB1*03", output, StringComparison.Ordinal);
        Assert.Contains("(A~B~DRB1, 1field)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_of_a_lines_file_accepts_haplotypes_and_GL_genotypes()
    {
        var json = await Json("hla", "coverage", "--frequencies", Data("HEGL_CAU.csv"), "--lines", Data("lines.csv"));
        var rows = json.GetProperty("rows");
        Assert.Equal(4, rows.GetArrayLength());
        Assert.Equal("L-A1B8DR3", rows[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("screen").ValueKind);   // A*02:09 line absent from CAU
    }

    [Fact]
    public async Task Coverage_reports_what_the_reduction_merged()
    {
        var json = await Json("hla", "coverage", "--frequencies", Data("HEGL_CAU.csv"), "--top", "1", "--merged");
        Assert.Equal(3394, json.GetProperty("inputHaplotypes").GetInt32());
        var merged = json.GetProperty("mergedHaplotypes");
        Assert.Equal(json.GetProperty("merged").GetInt32(), merged.GetArrayLength());
        var top = merged[0];
        Assert.Equal("A*01:01~B*08:01~DRB1*03:01", top.GetProperty("haplotype").GetString());
        Assert.True(top.GetProperty("sources").GetArrayLength() > 1);
        Assert.All(top.GetProperty("sources").EnumerateArray(), h => Assert.Contains("B*08:01", h.GetString(), StringComparison.Ordinal));

        var (_, text, _) = await Run("hla", "coverage", "--frequencies", Data("HEGL_CAU.csv"), "--top", "1", "--merged");
        Assert.Contains("Merged by the reduction:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_mismatch_is_a_warning_not_a_result_change()
    {
        var json = await Json("hla", "coverage", "--frequencies", Data("HEGL_AFA.csv"), "--top", "1");
        Assert.Equal(2, json.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Plan_shows_both_strategies()
    {
        var json = await Json("hla", "plan", "--frequencies", Data("HEGL_CAU.csv"), "--count", "10");
        var byFrequency = json.GetProperty("byFrequency");
        var greedy = json.GetProperty("greedy");
        Assert.Equal(10, byFrequency.GetProperty("rows").GetArrayLength());
        Assert.Equal(10, greedy.GetProperty("rows").GetArrayLength());
        Assert.True(greedy.GetProperty("trans").GetDouble() >= byFrequency.GetProperty("trans").GetDouble() - 0.01);

        var (code, text, _) = await Run("hla", "plan", "--frequencies", Data("HEGL_CAU.csv"), "--count", "3");
        Assert.Equal(0, code);
        Assert.Contains("By frequency", text, StringComparison.Ordinal);
        Assert.Contains("Greedy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_with_candidates_picks_only_them()
    {
        var json = await Json("hla", "plan", "--frequencies", Data("HEGL_CAU.csv"), "--count", "2", "--candidates", Data("candidates.csv"));
        Assert.Equal(3, json.GetProperty("candidates").GetInt32());
        var ids = json.GetProperty("greedy").GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.All(ids, id => Assert.StartsWith("C", id, StringComparison.Ordinal));
        Assert.Equal("C2", json.GetProperty("byFrequency").GetProperty("rows")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Match_against_donors_ranks_and_explains()
    {
        var json = await Json("hla", "match", "--patient", "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "--donors", Data("donors.csv"));
        Assert.Equal("2field", json.GetProperty("level").GetString());
        Assert.Equal(["A", "B", "DRB1"], json.GetProperty("loci").EnumerateArray().Select(e => e.GetString()));
        var results = json.GetProperty("results");
        Assert.Equal(["D1", "D2", "D3"], results.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.True(results[0].GetProperty("hvgCompatible").GetBoolean());
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("matchProbability").ValueKind);
        Assert.Equal(1, results[1].GetProperty("hvgMismatches").GetInt32());
        Assert.Contains("A*03:01", results[1].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, results[2].GetProperty("hvgMismatches").GetInt32());
        Assert.Contains("+", json.GetProperty("patient").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_a_first_field_patient_with_frequencies_gives_probabilities()
    {
        var json = await Json("hla", "match", "--patient", "A*01+A*02^B*08+B*07^DRB1*03+DRB1*15", "--lines", Data("lines.csv"), "--frequencies", Data("HEGL_CAU.csv"));
        var results = json.GetProperty("results");
        var first = results[0];
        Assert.Equal("L-A1B8DR3", first.GetProperty("id").GetString());
        Assert.False(first.GetProperty("hvgCompatible").GetBoolean());   // not certain at two fields
        Assert.InRange(first.GetProperty("matchProbability").GetDouble(), 0.5, 1);
        Assert.False(json.GetProperty("unrepresented").GetBoolean());
        Assert.InRange(json.GetProperty("bankProbability").GetDouble(), first.GetProperty("matchProbability").GetDouble(), 1);
    }

    [Fact]
    public async Task Match_keeps_at_most_the_requested_number_of_diplotypes()
    {
        var json = await Json("hla", "match", "--patient", "A*01+A*02^B*08+B*07^DRB1*03+DRB1*15", "--lines", Data("lines.csv"),
            "--frequencies", Data("HEGL_CAU.csv"), "--max-diplotypes", "1", "--top", "1");
        Assert.Equal(1, json.GetProperty("diplotypes").GetInt32());
        Assert.True(json.GetProperty("diplotypesConsidered").GetInt32() > 1);
        Assert.Equal(1, json.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Match_unrepresented_patient_has_null_probability()
    {
        var json = await Json("hla", "match", "--patient", "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*99:99", "--lines", Data("lines.csv"), "--frequencies", Data("HEGL_CAU.csv"));
        Assert.True(json.GetProperty("unrepresented").GetBoolean());
        Assert.All(json.GetProperty("results").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("matchProbability").ValueKind));
    }

    [Fact]
    public async Task Match_at_P_group_level_uses_and_records_the_reference_files()
    {
        var json = await Json("hla", "match", "--patient", "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "--lines", Data("lines.csv"),
            "--level", "pgroup", "--imgt-dir", Path.Combine(AppContext.BaseDirectory, "Data", "Hla", "imgt"));
        Assert.Equal("IPD-IMGT/HLA 9.99.0-synthetic", json.GetProperty("referenceVersion").GetString());
        var a209 = json.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "L-A209");
        Assert.True(a209.GetProperty("hvgCompatible").GetBoolean());   // A*02:09 and A*02:01 share the P group in the fixture

        var (code, _, error) = await Run("hla", "match", "--patient", "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "--lines", Data("lines.csv"), "--level", "pgroup");
        Assert.Equal(1, code);
        Assert.Contains("hla_nom_p", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Match_refuses_a_MAC_code_without_the_MAC_file_saying_what_to_enter()
    {
        // issue 12 item 5: the same entry rule as the server (TypingAcceptance), exit 1.
        var (code, _, error) = await Run("hla", "match", "--patient", "A*24:MDP+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "--lines", Data("lines.csv"));
        Assert.Equal(1, code);
        Assert.Contains("--patient: MAC code A*24:MDP cannot be resolved: the operator has not loaded an NMDP MAC file; enter the alleles as a GL String", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_prints_the_normalised_GL_string()
    {
        var json = await Json("hla", "parse", "HLA-A*01:01+HLA-A*02:01^HLA-B*08:01+HLA-B*07:02");
        Assert.Equal("A*01:01+A*02:01^B*08:01+B*07:02", json.GetProperty("glstring").GetString());
        var (code, output, _) = await Run("hla", "parse", "A*01:01+A*02:01");
        Assert.Equal(0, code);
        Assert.StartsWith("A*01:01+A*02:01", output, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["hla", "parse", "A*01:01+A*0201"], "GLSTRING: token 'A*0201' at position 8" },
        { ["hla", "parse", "A*01:01"], "GLSTRING: token 'A*01:01' at position 0: a genotype needs both chromosomes" },
        { ["hla", "coverage", "--frequencies", "bad-negative.csv", "--top", "1"], "bad-negative.csv, row 3, field 'Freq': frequency -0.5 is negative" },
        { ["hla", "coverage", "--frequencies", "bad-number.csv", "--top", "1"], "bad-number.csv, row 2, field 'Freq': 'abc' is not a number" },
        { ["hla", "coverage", "--frequencies", "bad-sum.csv", "--top", "1"], "bad-sum.csv, field 'Freq': the frequencies sum to 0.6" },
        { ["hla", "coverage", "--frequencies", "empty.csv", "--top", "1"], "empty.csv, row 1: empty file" },
        { ["hla", "coverage", "--frequencies", "HEGL_CAU.csv", "--top", "1", "--loci", "A,B,XYZ"], "--loci: token 'XYZ' at position 4: unknown locus" },
        { ["hla", "match", "--patient", "A*01:01+A*02:01", "--donors", "donors.csv", "--level", "3field"], "--level: token '3field'" },
        { ["hla", "coverage", "--frequencies", "HEGL_CAU.csv", "--top", "1", "--resolution", "4field"], "--resolution: token '4field'" },
        { ["hla", "coverage", "--frequencies", "HEGL_CAU.csv", "--lines", "bad-heterozygous.csv"], "bad-heterozygous.csv, row 3, field 'typing'" },
        { ["hla", "coverage", "--frequencies", "HEGL_CAU.csv", "--lines", "bad-name.csv"], "bad-name.csv, row 3, field 'typing', token 'B*0801' at position 8" },
        { ["hla", "match", "--patient", "A*01:01+A*02:01", "--lines", "donors.csv"], "donors.csv, row 2, field 'typing'" },
        { ["hla", "match", "--patient", "A*01:01+Q*02:01", "--donors", "donors.csv"], "--patient: token 'Q*02:01' at position 8" },
        { ["hla", "match", "--patient", "A*01:01+A*02:01", "--donors", "missing.csv"], "missing.csv" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_exits_1_with_a_message_naming_where_and_prints_no_result(string[] args, string expected)
    {
        var resolved = args.Select(a => a.EndsWith(".csv", StringComparison.Ordinal) ? Data(a) : a).ToArray();
        var (code, output, error) = await Run(resolved);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hla", "coverage", "--top", "3")]
    [InlineData("hla", "coverage", "--frequencies", "x.csv")]
    [InlineData("hla", "coverage", "--frequencies", "x.csv", "--top", "3", "--lines", "y.csv")]
    [InlineData("hla", "match", "--patient", "A*01:01+A*01:01")]
    [InlineData("hla", "plan", "--frequencies", "x.csv", "--count", "0")]
    [InlineData("hla", "match", "--patient", "A*01:01+A*01:01", "--donors", "x.csv", "--max-diplotypes", "0")]
    [InlineData("hla", "match", "--patient", "A*01:01+A*01:01", "--donors", "x.csv", "--top", "0")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var (code, output, _) = await Run(args);
        Assert.Equal(2, code);
        Assert.Empty(output);
    }
}
