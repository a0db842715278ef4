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
            var missing = await browser.GetAsync(U("/hla/coverage?set=NOPE"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no frequency set", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
