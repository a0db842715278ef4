using System.Text.Json;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Dose;

public class DoseCliTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Dose", name);

    internal static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var exit = await RadRegenCli.RunAsync(args, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    private static void Near(double expected, double actual, double tol) =>
        Assert.True(Math.Abs(expected - actual) <= tol, $"expected {expected}, got {actual}");

    private static async Task<string> FitCurve(TempDirectory dir)
    {
        var curve = Path.Combine(dir.Path, "f1.json");
        var (exit, _, err) = await Run("dose", "fit", "--counts", Data("count-data-barquinero-1995.csv"), "--out", curve);
        Assert.True(exit == 0, err);
        return curve;
    }

    [Fact]
    public async Task Fit_json_has_the_documented_fields_and_reference_values()
    {
        using var dir = new TempDirectory();
        var curve = Path.Combine(dir.Path, "c.json");
        var (exit, output, _) = await Run("dose", "fit", "--counts", Data("count-data-barquinero-1995.csv"), "--model", "lq", "--assay", "dicentric", "--out", curve, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("dicentric", r.GetProperty("assay").GetString());
        Assert.Equal("lq", r.GetProperty("model").GetString());
        Assert.Equal("poisson", r.GetProperty("method").GetString());
        Near(0.06303253404360, r.GetProperty("coefficients").GetProperty("beta").GetDouble(), 0.06303253404360 * 1e-6);
        Near(0.004007385618601, r.GetProperty("standardErrors").GetProperty("beta").GetDouble(), 0.004007385618601 * 1e-6);
        Assert.Equal(3, r.GetProperty("covariance").GetArrayLength());
        Near(-35.71195719, r.GetProperty("logLik").GetDouble(), 35.71195719 * 1e-6);
        Assert.Equal(8, r.GetProperty("df").GetInt32());
        foreach (var f in new[] { "dispersion", "deviance", "pearsonChi2", "aic", "bic" })
        {
            Assert.Equal(JsonValueKind.Number, r.GetProperty(f).ValueKind);
        }

        Assert.True(File.Exists(curve));
        var rows = r.GetProperty("rows");
        Assert.Equal(11, rows.GetArrayLength());
        Near(2.609803154, rows[2].GetProperty("u").GetDouble(), 1e-9);
        Near(1.14071821, rows[7].GetProperty("dispersionIndex").GetDouble(), 1e-8);
        Assert.Equal(333, rows[7].GetProperty("cells").GetInt32());
    }

    [Fact]
    public async Task Estimate_batch_merkle_reproduces_the_reference_doses_one_object_per_case()
    {
        using var dir = new TempDirectory();
        var curve = await FitCurve(dir);
        var (exit, output, _) = await Run("dose", "estimate", "--curve", curve, "--counts", Data("cases-data-partial.csv"), "--method", "merkle83", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        var d = rows[0].GetProperty("dose");
        Assert.Equal("example1", rows[0].GetProperty("id").GetString());
        Assert.Equal("merkle83", rows[0].GetProperty("method").GetString());
        Near(1.541412, d.GetProperty("lower").GetDouble(), 5e-4);
        Near(1.931245, d.GetProperty("estimate").GetDouble(), 5e-4);
        Near(2.420765, d.GetProperty("upper").GetDouble(), 5e-4);
        Near(3.952363, rows[1].GetProperty("dose").GetProperty("upper").GetDouble(), 5e-4);
        Assert.Equal(JsonValueKind.Array, rows[0].GetProperty("warnings").ValueKind);
    }

    [Fact]
    public async Task Estimate_dolphin_gives_the_irradiated_fraction()
    {
        using var dir = new TempDirectory();
        var curve = await FitCurve(dir);
        var (exit, output, _) = await Run("dose", "estimate", "--curve", curve, "--distribution", "302,28,22,8,1,0", "--method", "dolphin", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var f = doc.RootElement[0].GetProperty("fraction");
        Near(0.590179, f.GetProperty("estimate").GetDouble(), 5e-6);
        Near(4.137905, doc.RootElement[0].GetProperty("dose").GetProperty("estimate").GetDouble(), 5e-4);
    }

    [Fact]
    public async Task Estimate_delta_from_cells_and_aberrations_prints_a_table()
    {
        using var dir = new TempDirectory();
        var curve = await FitCurve(dir);
        var (exit, output, _) = await Run("dose", "estimate", "--curve", curve, "--cells", "361", "--aberrations", "100", "--method", "delta");
        Assert.Equal(0, exit);
        Assert.Contains("dose Gy", output, StringComparison.Ordinal);
        Assert.Contains("1.931", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_written_curve_is_accepted_and_one_without_covariance_is_refused()
    {
        using var dir = new TempDirectory();
        var good = Path.Combine(dir.Path, "iaea.json");
        await File.WriteAllTextAsync(good, """
            { "assay": "dicentric", "model": "lq", "coefficients": { "C": 0.00128, "alpha": 0.021, "beta": 0.0631 },
              "covariance": [[2.2e-7, -9.9e-7, 4.4e-7], [-9.9e-7, 2.66e-5, -1.51e-5], [4.4e-7, -1.51e-5, 1.61e-5]] }
            """);
        var (exit, output, _) = await Run("dose", "estimate", "--curve", good, "--cells", "500", "--aberrations", "25", "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(output))
        {
            Near(0.73, doc.RootElement[0].GetProperty("dose").GetProperty("estimate").GetDouble(), 0.01);
        }

        var bad = Path.Combine(dir.Path, "nocov.json");
        await File.WriteAllTextAsync(bad, """{ "assay": "dicentric", "model": "lq", "coefficients": { "C": 0.00128, "alpha": 0.021, "beta": 0.0631 } }""");
        var (exit2, out2, err2) = await Run("dose", "estimate", "--curve", bad, "--cells", "500", "--aberrations", "25");
        Assert.Equal(1, exit2);
        Assert.Empty(out2);
        Assert.Contains("covariance", err2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_json_rows()
    {
        using var dir = new TempDirectory();
        var curve = await FitCurve(dir);
        var (exit, output, _) = await Run("dose", "limits", "--curve", curve, "--control-cells", "1000", "--control-aberrations", "4", "--cells", "100,500", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(2, rows[0].GetProperty("decisionThreshold").GetInt32());
        Near(5.322320, rows[0].GetProperty("detectionLimit").GetDouble(), 5e-7);
        Assert.Equal(7, rows[1].GetProperty("decisionThreshold").GetInt32());
        Near(11.770914, rows[1].GetProperty("detectionLimit").GetDouble(), 5e-7);
        Assert.Equal(JsonValueKind.Number, rows[1].GetProperty("minimumResolvableDose").ValueKind);
        Assert.Equal(JsonValueKind.Number, rows[1].GetProperty("doseAtDetectionLimit").ValueKind);
    }

    [Fact]
    public async Task Criticality_json_has_gamma_neutron_total()
    {
        using var dir = new TempDirectory();
        var gamma = await FitCurve(dir);
        var neutron = Path.Combine(dir.Path, "n.json");
        await File.WriteAllTextAsync(neutron, """{ "assay": "dicentric", "model": "linear", "coefficients": { "C": 0.001, "alpha": 0.8 }, "covariance": [[1e-7, 0], [0, 4e-3]] }""");
        var (exit, output, err) = await Run("dose", "criticality", "--gamma", gamma, "--neutron", neutron, "--ratio", "3", "--cells", "1000", "--aberrations", "300", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var g = doc.RootElement.GetProperty("gamma").GetProperty("estimate").GetDouble();
        var n = doc.RootElement.GetProperty("neutron").GetProperty("estimate").GetDouble();
        Near(g / 3, n, 1e-12);
        Near(g + n, doc.RootElement.GetProperty("total").GetProperty("estimate").GetDouble(), 1e-12);
    }

    // Changed with issue 11 (F6): the counts lie within Goans' 8-h window (a count at 24 h is now left out).
    [Fact]
    public async Task Clinical_json_kinetics_k_per_day_and_dose_in_gray()
    {
        var (exit, output, _) = await Run("dose", "clinical", "--lymphocytes", "0h:2.0,8h:1.0", "--vomiting-onset", "45min", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var k = doc.RootElement.GetProperty("kinetics");
        Near(3 * Math.Log(2), k.GetProperty("k").GetDouble(), 1e-12);
        Near(13.6 / (1 + (1 / (3 * Math.Log(2)))), k.GetProperty("dose").GetDouble(), 1e-12);
        Assert.Equal(4, doc.RootElement.GetProperty("vomiting").GetProperty("lowerGy").GetDouble());
    }

    [Fact]
    public async Task Clinical_kinetics_leave_out_counts_after_8_h_and_say_so()
    {
        var (exit, output, err) = await Run("dose", "clinical", "--lymphocytes", "0h:2.0,8h:1.0,24h:0.9");
        Assert.True(exit == 0, err);
        Assert.Contains("K = 2.079/d", output, StringComparison.Ordinal);
        Assert.Contains("1 count(s) after the first 8 h (at 24 h) are not used", output, StringComparison.Ordinal);

        var (exit2, output2, err2) = await Run("dose", "clinical", "--lymphocytes", "0h:2.0,24h:1.0", "--json");
        Assert.True(exit2 == 0, err2);
        using var doc = JsonDocument.Parse(output2);
        var k = doc.RootElement.GetProperty("kinetics");
        Assert.Equal(JsonValueKind.Null, k.GetProperty("k").ValueKind);
        Assert.Equal(JsonValueKind.Null, k.GetProperty("dose").ValueKind);
        Assert.Contains(k.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("1 of 2 count(s) lie in that window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clinical_no_vomiting_counts_only_from_10_h()
    {
        var (exit, output, err) = await Run("dose", "clinical", "--vomiting-onset", "none");
        Assert.True(exit == 0, err);
        Assert.Contains("not counted", output, StringComparison.Ordinal);
        var (_, early, _) = await Run("dose", "clinical", "--vomiting-onset", "none@4h");
        Assert.Contains("too early to count", early, StringComparison.Ordinal);
        var (_, late, _) = await Run("dose", "clinical", "--vomiting-onset", "none@12h", "--json");
        using var doc = JsonDocument.Parse(late);
        Assert.Equal(1, doc.RootElement.GetProperty("vomiting").GetProperty("upperGy").GetDouble());
        var (bad, _, badErr) = await Run("dose", "clinical", "--vomiting-onset", "2h@12h");
        Assert.Equal(1, bad);
        Assert.Contains("--vomiting-onset", badErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 4.0, "Mettler & Voelz 2002")]
    [InlineData("MettlerVoelz2002", 4.0, "Mettler & Voelz 2002")]
    [InlineData("Iaea2024", 2.0, "IAEA EPR-Medical 2024, Table 6")]
    public async Task Clinical_lowest_lymphocytes_use_the_center_s_table_and_name_it(string? table, double lower, string source)
    {
        string[] args = ["dose", "clinical", "--lowest-lymphocytes", "0.45", "--json"];
        if (table is not null)
        {
            args = [.. args, "--setting", "Care:Assessment:LowestLymphocyteTable=" + table];
        }

        var (exit, output, err) = await Run(args);
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var low = doc.RootElement.GetProperty("lowestLymphocytes");
        Assert.Equal(lower, low.GetProperty("lowerGy").GetDouble());
        Assert.Contains(source, low.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("D,C0,C1\n0,100,-1\n1,50,50\n2,20,80\n", "row 2, column C1")]
    [InlineData("D,C0,C1\n0,100,x\n1,50,50\n2,20,80\n", "row 2, column C1")]
    [InlineData("D,C0,C1\n0,100,1\n2,50,50\n1,20,80\n", "row 4, column D")]
    public async Task Bad_count_tables_exit_1_naming_row_and_field_with_no_output(string csv, string where)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.csv");
        await File.WriteAllTextAsync(path, csv);
        var (exit, output, err) = await Run("dose", "fit", "--counts", path, "--json");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("bad.csv", err, StringComparison.Ordinal);
        Assert.Contains(where, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lymphocyte_times_out_of_order_exit_1()
    {
        var (exit, output, err) = await Run("dose", "clinical", "--lymphocytes", "12h:2.0,6h:1.5", "--json");
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("sample 2: time", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        var (exit, _, _) = await Run("dose", "fit");
        Assert.Equal(2, exit);
        var (exit2, _, _) = await Run("dose", "estimate", "--curve", "x.json", "--method", "guess", "--cells", "1", "--aberrations", "0");
        Assert.Equal(2, exit2);
    }
}

public class ArsCliTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Dose", name);

    [Fact]
    public async Task Grade_one_person_gives_the_series_triage_and_considerations()
    {
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", Data("signs-person.json"), "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal("N2 H3 C1 G0, day 1", r.GetProperty("grades")[0].GetProperty("code").GetString());
        Assert.Equal(4, r.GetProperty("grades")[1].GetProperty("rc").GetInt32());
        Assert.Equal(4, r.GetProperty("maxResponseCategory").GetInt32());
        Assert.Equal("red", r.GetProperty("triage").GetString());
        var treatments = r.GetProperty("considerations").EnumerateArray().Select(c => c.GetProperty("treatment").GetString()!).ToList();
        Assert.Contains(treatments, t => t.Contains("cytokines", StringComparison.Ordinal));
        Assert.Contains(treatments, t => t.Contains("stem-cell", StringComparison.Ordinal));
        Assert.Contains(r.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("clinician decides", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lymphocyte_H4_on_day_1_is_a_possible_H4_and_RC4_from_vomiting_is_no_candidate()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "early.csv");
        await File.WriteAllTextAsync(path, "id,day,vomitingPerDay,lymphocytes,nausea\nL,1,,0.3,\nV,0.2,12,,\nS,1,,0.3,\nS,5.5,,,2\n");
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", path, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("considerations").EnumerateArray().Select(c => c.GetString()!).ToList());
        Assert.Equal(["possible H4: HLA typing, re-grade days 5–6"], rows["L"]);
        Assert.Empty(rows["V"]);
        Assert.Equal(["possible H4: HLA typing, re-grade days 5–6"], rows["S"]);

        var (exitText, text, _) = await DoseCliTests.Run("ars", "grade", "--signs", path);
        Assert.Equal(0, exitText);
        Assert.Contains("N2 H— C0 G0, day 5.5", text, StringComparison.Ordinal); // a day without counts has no H grade
    }

    [Fact]
    public async Task Grade_batch_csv_prints_one_row_per_person()
    {
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", Data("signs-batch.csv"));
        Assert.True(exit == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + 3, lines.Length);
        Assert.StartsWith("A ", lines[2], StringComparison.Ordinal);
        Assert.Contains("green", lines[2], StringComparison.Ordinal); // no vomiting until 12 h (none@12h)
        Assert.Contains("N3 H4 C2 G0, day 2", lines[4], StringComparison.Ordinal);

        var (exitJson, json, _) = await DoseCliTests.Run("ars", "grade", "--signs", Data("signs-batch.csv"), "--json");
        Assert.Equal(0, exitJson);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(3, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_sign_outside_its_scale_exits_1_naming_row_and_column()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.csv");
        await File.WriteAllTextAsync(path, "id,day,nausea\nA,1,2\nB,1,7\n");
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", path);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("bad.csv row 3", err, StringComparison.Ordinal);
        Assert.Contains("nausea", err, StringComparison.Ordinal);
        Assert.Contains("outside its scale", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Days_out_of_order_exit_1()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "order.csv");
        await File.WriteAllTextAsync(path, "id,day,nausea\nA,3,2\nA,1,1\n");
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", path);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("row 3, column day", err, StringComparison.Ordinal);
    }
}

public class DoseCliExtraTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Dose", name);

    [Fact]
    public async Task Low_counts_are_reported_as_not_above_background_with_a_likelihood_ratio()
    {
        using var dir = new TempDirectory();
        var curve = Path.Combine(dir.Path, "f1.json");
        Assert.Equal(0, (await DoseCliTests.Run("dose", "fit", "--counts", Data("count-data-barquinero-1995.csv"), "--out", curve)).Exit);
        var (exit, output, _) = await DoseCliTests.Run("dose", "estimate", "--curve", curve, "--cells", "1000", "--aberrations", "2", "--badge-dose", "0.5", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var low = doc.RootElement[0].GetProperty("lowDose");
        Assert.False(low.GetProperty("aboveBackground").GetBoolean());
        Assert.True(low.GetProperty("incidenceRateRatio").GetDouble() > 1);
        Assert.True(doc.RootElement[0].GetProperty("dose").GetProperty("estimate").GetDouble() < 0.1);
    }

    [Fact]
    public async Task Painted_chromosomes_give_the_genome_factor_and_need_the_sex()
    {
        using var dir = new TempDirectory();
        var curve = Path.Combine(dir.Path, "fish.json");
        await File.WriteAllTextAsync(curve, """{ "assay": "translocation", "model": "lq", "coefficients": { "C": 0.0035, "alpha": 0.0146, "beta": 0.0312 }, "covariance": [[1e-7, 0, 0], [0, 1e-5, 0], [0, 0, 1e-5]] }""");
        var (exit, output, err) = await DoseCliTests.Run("dose", "estimate", "--curve", curve, "--cells", "1000", "--aberrations", "40", "--method", "delta", "--painted", "1,2,4;3,5,6", "--sex", "male");
        Assert.True(exit == 0, err);
        Assert.Contains("Genome factor Fp/FG = 0.58", output, StringComparison.Ordinal);
        var (exit2, _, err2) = await DoseCliTests.Run("dose", "estimate", "--curve", curve, "--cells", "1000", "--aberrations", "40", "--painted", "1,2,4");
        Assert.Equal(1, exit2);
        Assert.Contains("--sex", err2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fractions_lower_the_quadratic_term()
    {
        using var dir = new TempDirectory();
        var curve = Path.Combine(dir.Path, "f1.json");
        await DoseCliTests.Run("dose", "fit", "--counts", Data("count-data-barquinero-1995.csv"), "--out", curve);
        var (_, acute, _) = await DoseCliTests.Run("dose", "estimate", "--curve", curve, "--cells", "500", "--aberrations", "100", "--method", "delta", "--json");
        var (_, split, _) = await DoseCliTests.Run("dose", "estimate", "--curve", curve, "--cells", "500", "--aberrations", "100", "--method", "delta", "--fractions", "4", "--json");
        using var a = JsonDocument.Parse(acute);
        using var b = JsonDocument.Parse(split);
        Assert.True(b.RootElement[0].GetProperty("dose").GetProperty("estimate").GetDouble() > a.RootElement[0].GetProperty("dose").GetProperty("estimate").GetDouble());
    }
}

public class ArsCytogeneticsTests
{
    [Fact]
    public async Task A_cytogenetic_result_outranks_vomiting_and_drives_triage()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "Dose", "signs-with-cytogenetics.json");
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", path, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var r = doc.RootElement;
        Assert.Equal(1, r.GetProperty("evidence")[0].GetProperty("rank").GetInt32());
        Assert.Equal(3.30, r.GetProperty("basisDose").GetProperty("estimate").GetDouble());
        Assert.Equal("red", r.GetProperty("triage").GetString());
        // Vomiting after 3 h says 1–2 Gy: the disagreement is pointed out, not hidden.
        Assert.Contains(r.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("disagree", StringComparison.Ordinal));
    }
}

public class ArsBatchErrorTests
{
    [Fact]
    public async Task A_bad_row_after_the_first_block_still_gives_no_output()
    {
        using var dir = new RadRegen.Testing.TempDirectory();
        var path = Path.Combine(dir.Path, "many.csv");
        var sb = new System.Text.StringBuilder("id,day,nausea,lymphocytes\n");
        for (var i = 0; i < 9000; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"P{i},1,{i % 5},1.2\n");
        }

        sb.Append("Z,1,9,1.2\n");
        await File.WriteAllTextAsync(path, sb.ToString());
        var (exit, output, err) = await DoseCliTests.Run("ars", "grade", "--signs", path);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("many.csv row 9002", err, StringComparison.Ordinal);
        Assert.Contains("nausea", err, StringComparison.Ordinal);
    }
}
