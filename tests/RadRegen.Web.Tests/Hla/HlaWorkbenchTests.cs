using System.Net;
using System.Net.Http.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Hla;

/// <summary>
/// The HLA workbench (issue 17 item 3) through its API and pages: parse and explain, match with
/// HvG/GvH and probabilities, frequency sets registered by the center (a Japanese one) with
/// coverage and recruitment, and the bad-input rules (a typing that does not parse names the part;
/// an unknown set is a 404).
/// </summary>
public class HlaWorkbenchTests
{
    /// <summary>
    /// A small A~B~DRB1 table in the shape a center supplies (haplotype,frequency). Content INVENTED
    /// for the test: the haplotype names are ones common in Japan, the frequencies are made up and
    /// sum to 1; they are no population's numbers.
    /// </summary>
    public const string JapaneseLikeSet =
        "haplotype,frequency\n"
        + "A*24:02~B*52:01~DRB1*15:02,0.30\n"
        + "A*33:03~B*44:03~DRB1*13:02,0.20\n"
        + "A*24:02~B*07:02~DRB1*01:01,0.15\n"
        + "A*24:02~B*54:01~DRB1*04:05,0.15\n"
        + "A*02:07~B*46:01~DRB1*08:03,0.10\n"
        + "A*01:01~B*08:01~DRB1*03:01,0.10\n";

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task The_workbench_parses_matches_and_plans_over_a_registered_Japanese_set_and_refuses_bad_input_clearly()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await TherapySeed.ReleasedVialsAsync(server.Services, 1);   // one released homozygous line A*01:01~B*08:01~DRB1*03:01
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var admin = await server.WithTokenAsync(Role.Admin);

        // parse and explain
        var x = await OkJson(await physician.GetAsync(U("/api/v1/hla/typings/explain?gl=" + Uri.EscapeDataString("HLA-A*01:01+A*02:01/A*02:02^B*08:01+B*07:02^DRB1*03:01+DRB1*03:01"))));
        Assert.Equal("A*01:01+A*02:01/A*02:02^B*08:01+B*07:02^DRB1*03:01+DRB1*03:01", x.GetProperty("glString").GetString());
        var loci = x.GetProperty("loci").EnumerateArray().ToList();
        Assert.Equal(["A", "B", "DRB1"], loci.Select(l => l.GetProperty("locus").GetString()));
        Assert.True(loci[0].GetProperty("ambiguous").GetBoolean());
        Assert.True(loci[2].GetProperty("homozygous").GetBoolean());

        // a MAC code: explained, with the file it needs named as not loaded
        var mac = await OkJson(await physician.GetAsync(U("/api/v1/hla/typings/explain?gl=" + Uri.EscapeDataString("A*24:MDP+A*02:01"))));
        var macName = mac.GetProperty("loci")[0].GetProperty("names")[0];
        Assert.Equal("NMDP MAC", macName.GetProperty("kind").GetString());
        Assert.Contains("alpha.v3.txt", macName.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Contains("not loaded", macName.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var files = await OkJson(await physician.GetAsync(U("/api/v1/hla/reference-files")));
        Assert.All(files.EnumerateArray(), f => Assert.False(f.GetProperty("loaded").GetBoolean()));

        // a typing that does not parse: 400 naming the field and the part that failed
        var bad = await Problem(await physician.GetAsync(U("/api/v1/hla/typings/explain?gl=" + Uri.EscapeDataString("A*01:01+A*0201"))), HttpStatusCode.BadRequest, "typing");
        Assert.Contains("A*0201", bad.GetRawText(), StringComparison.Ordinal);

        // match: the homozygous line is HvG-compatible with a patient carrying its haplotype, with GvH 1 per locus
        var m = await OkJson(await physician.GetAsync(U("/api/v1/hla/match?frequencySet=CAU&typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient))));
        var line = m.GetProperty("lines")[0];
        Assert.True(line.GetProperty("hvgCompatible").GetBoolean());
        Assert.True(line.GetProperty("homozygous").GetBoolean());
        Assert.Equal(0, line.GetProperty("hvgMismatches").GetInt32());
        Assert.Equal(3, line.GetProperty("gvhMismatches").GetInt32());
        Assert.Equal(1.0, line.GetProperty("matchProbability").GetDouble(), 9);
        Assert.Equal("CAU", m.GetProperty("frequencySet").GetString());
        var mismatched = await OkJson(await physician.GetAsync(U("/api/v1/hla/match?typing=" + Uri.EscapeDataString("A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"))));
        var l2 = mismatched.GetProperty("lines")[0];
        Assert.False(l2.GetProperty("hvgCompatible").GetBoolean());
        Assert.Equal(3, l2.GetProperty("hvgMismatches").GetInt32());
        Assert.Contains("A*01:01", l2.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        await Problem(await physician.GetAsync(U("/api/v1/hla/match?typing=" + Uri.EscapeDataString("A*01:01+A*01:01^B*08:01"))), HttpStatusCode.BadRequest, "typing");
        await Problem(await physician.GetAsync(U("/api/v1/hla/match?frequencySet=NOPE&typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient))), HttpStatusCode.NotFound);
        await Problem(await physician.GetAsync(U("/api/v1/hla/match?level=pgroup&typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient))), HttpStatusCode.BadRequest, "level");

        // frequency sets: register a Japanese set; refusals name the field; only QA or coordinator may register
        var request = new { key = "JPN-TEST", name = "Japanese haplotypes (test)", population = "Japanese", source = "invented for the test", content = JapaneseLikeSet };
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(U("/api/v1/hla/frequency-sets"))).StatusCode);
        var badSum = await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request with { content = JapaneseLikeSet.Replace("0.10\n", "0.30\n", StringComparison.Ordinal) }),
            HttpStatusCode.BadRequest, "content");
        Assert.Contains("sum", badSum.GetRawText(), StringComparison.OrdinalIgnoreCase);
        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request with { key = "CAU" }), HttpStatusCode.BadRequest, "key");
        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request with { key = "no spaces" }), HttpStatusCode.BadRequest, "key");
        var created = await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request), HttpStatusCode.Created);
        Assert.Equal(6, created.GetProperty("haplotypes").GetInt32());
        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/hla/frequency-sets"), request with { key = "jpn-test" }), HttpStatusCode.BadRequest, "key");
        var sets = await OkJson(await physician.GetAsync(U("/api/v1/hla/frequency-sets")));
        Assert.Contains(sets.EnumerateArray(), s => s.GetProperty("key").GetString() == "JPN-TEST" && s.GetProperty("registeredBy").GetString() is not null);

        // coverage and recruitment over the Japanese set: the bank's line is 10% of haplotypes
        var cov = await OkJson(await physician.GetAsync(U("/api/v1/hla/frequency-sets/jpn-test/coverage")));
        Assert.Equal(1, cov.GetProperty("lines").GetArrayLength());
        Assert.Equal(1 - (0.9 * 0.9), cov.GetProperty("cis").GetDouble(), 9);
        Assert.Equal("A*24:02~B*52:01~DRB1*15:02", cov.GetProperty("recruitNext")[0].GetProperty("haplotype").GetString());
        Assert.Equal(1 / (0.3 * 0.3), cov.GetProperty("recruitNext")[0].GetProperty("donorsToScreen").GetDouble(), 6);
        await Problem(await physician.GetAsync(U("/api/v1/hla/frequency-sets/NOPE/coverage")), HttpStatusCode.NotFound);
        await Problem(await physician.GetAsync(U("/api/v1/hla/frequency-sets/NOPE")), HttpStatusCode.NotFound);

        // the match probability against the Japanese set: a patient the set cannot explain is unrepresented (null, never 0)
        var unrepresented = await OkJson(await physician.GetAsync(U("/api/v1/hla/match?frequencySet=JPN-TEST&typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient))));
        Assert.True(unrepresented.GetProperty("unrepresented").GetBoolean());
        Assert.Equal(JsonValueKindNull, unrepresented.GetProperty("linesProbability").ValueKind);

        // pages
        var (browser, _) = await server.SignInAsync("demo-physician", server.PasswordOf(Role.Physician));
        using (browser)
        {
            var explain = await browser.GetStringAsync(U("/hla?gl=" + Uri.EscapeDataString("A*01:01+A*0201")));
            Assert.Contains("data-testid=\"gl-error\"", explain, StringComparison.Ordinal);
            Assert.Contains("A*0201", explain, StringComparison.Ordinal);
            var ok = await browser.GetStringAsync(U("/hla?gl=" + Uri.EscapeDataString("A*24:MDP+A*02:01")));
            Assert.Contains("data-testid=\"name-problem\"", ok, StringComparison.Ordinal);
            var match = await browser.GetStringAsync(U("/hla/match?set=CAU&typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient)));
            Assert.Contains("data-testid=\"lines-table\"", match, StringComparison.Ordinal);
            var coverage = await browser.GetStringAsync(U("/hla/coverage?set=JPN-TEST"));
            Assert.Contains("A*24:02~B*52:01~DRB1*15:02", coverage, StringComparison.Ordinal);
            Assert.Contains("data-chart=", coverage, StringComparison.Ordinal);
            using var japanese = new HttpRequestMessage(HttpMethod.Get, U("/hla/match?typing=" + Uri.EscapeDataString(TherapySeed.MatchingPatient)));
            japanese.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9");
            var ja = await (await browser.SendAsync(japanese)).Content.ReadAsStringAsync();
            Assert.Contains("患者の適合検索", ja, StringComparison.Ordinal);   // Resources/Pages/Hla/Match.ja.resx
            Assert.Contains("HvG適合", ja, StringComparison.Ordinal);          // Resources/Pages/Hla/_Grafts.ja.resx
            var missing = await browser.GetAsync(U("/hla/coverage?set=NOPE"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no frequency set", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_the_operators_files_configured_a_MAC_code_and_a_serological_antigen_are_expanded_and_matched()
    {
        // Synthetic files in the WMDA and NMDP formats (content invented, as in tests/RadRegen.Hla.Tests/Data).
        var dir = Directory.CreateTempSubdirectory("radregen-hla-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "rel_dna_ser.txt"),
                "# file: rel_dna_ser.txt\n# date: 2026-01-01\n# version: IPD-IMGT/HLA 9.99.0-synthetic\n"
                + "A*;01:01:01:01;1;;;\nA*;02:01:01:01;2;;;\nA*;24:02:01:01;24;;;\nA*;23:01:01;23;;;\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "rel_ser_ser.txt"),
                "# file: rel_ser_ser.txt\n# date: 2026-01-01\n# version: IPD-IMGT/HLA 9.99.0-synthetic\nA;9;23/24;\n");
            var mac = Path.Combine(dir.FullName, "alpha.v3.txt");
            await File.WriteAllTextAsync(mac, "LAST UPDATED: 01/01/26\n*\tCODE\tSUBTYPE\n\n\tAB\t01/02\n");
            var files = RadRegen.Hosting.Hla.HlaReferenceFiles.Load(dir.FullName, mac);
            await using var server = await TestServer.StartAsync("sqlite", o => o with
            {
                ConfigureServices = s =>
                {
                    o.ConfigureServices?.Invoke(s);
                    Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, files);
                },
            });
            await TherapySeed.ReleasedVialsAsync(server.Services, 1);
            using var physician = await server.WithTokenAsync(Role.Physician);

            var state = await OkJson(await physician.GetAsync(U("/api/v1/hla/reference-files")));
            Assert.Contains(state.EnumerateArray(), f => f.GetProperty("file").GetString() == "alpha.v3.txt" && f.GetProperty("loaded").GetBoolean());
            Assert.Contains(state.EnumerateArray(), f => f.GetProperty("file").GetString() == "rel_dna_ser.txt" && f.GetProperty("detail").GetString() == "IPD-IMGT/HLA 9.99.0-synthetic");
            Assert.Contains(state.EnumerateArray(), f => f.GetProperty("file").GetString() == "hla_nom_p.txt" && !f.GetProperty("loaded").GetBoolean());

            var x = await OkJson(await physician.GetAsync(U("/api/v1/hla/typings/explain?gl=" + Uri.EscapeDataString("A*01:AB+A9^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01"))));
            var names = x.GetProperty("loci")[0].GetProperty("names").EnumerateArray().ToList();
            var macName = names.Single(n => n.GetProperty("name").GetString() == "A*01:AB");
            Assert.Equal(["A*01:01", "A*01:02"], macName.GetProperty("expansion").EnumerateArray().Select(e => e.GetString()));
            var antigen = names.Single(n => n.GetProperty("name").GetString() == "A9");
            Assert.Equal("serological antigen", antigen.GetProperty("kind").GetString());
            Assert.Contains("A*24:02:01:01", antigen.GetProperty("expansion").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains("A*23:01:01", antigen.GetProperty("expansion").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, x.GetProperty("matchable").ValueKind);
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, x.GetProperty("acceptedForPatients").ValueKind); // care and bank load no files

            // The MAC patient matches the A*01:01 line only possibly: A*01:AB may be A*01:02.
            var m = await OkJson(await physician.GetAsync(U("/api/v1/hla/match?typing=" + Uri.EscapeDataString("A*01:AB+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01"))));
            var line = m.GetProperty("lines")[0];
            Assert.Equal(0, line.GetProperty("hvgMismatchesBestCase").GetInt32());
            Assert.Equal(1, line.GetProperty("hvgMismatches").GetInt32());
            Assert.True(line.GetProperty("possiblyHvgCompatible").GetBoolean());
            Assert.Contains("9.99.0-synthetic", m.GetProperty("referenceVersion").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
