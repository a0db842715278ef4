using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Care;

/// <summary>Issue 11 items 1–2 through the API and the patient page (ADR 0014).</summary>
public class AssessmentRulesApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    // Eight days ago, so that day-5 and day-6 observations are in the past.
    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-8);

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_day_without_counts_has_no_H_grade_keeps_the_candidate_and_the_page_shows_a_dash(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var physician = await server.WithTokenAsync(Role.Physician);
        var incident = await OkJson(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-H", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = Start, place = "Plant", radionuclides = new[] { "Co-60" },
        }), HttpStatusCode.Created);
        var patient = await OkJson(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}/patients"), new
        {
            code = "P-H", ageYears = 40, sex = "male", weightKg = 80, exposureStart = Start, exposureHours = 0, route = "external",
        }), HttpStatusCode.Created);
        var id = patient.GetProperty("id").GetInt64();
        var url = $"/api/v1/care/patients/{id}/observations";

        // Lymphocytes < 0.5 on day 1: a possible H4, not a candidate.
        var day1 = await OkJson(await physician.PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = Start.AddHours(30), values = new { lymphocytes = 0.3 } }), HttpStatusCode.Created);
        Assert.False(day1.GetProperty("assessment").GetProperty("regenerativeCandidate").GetBoolean());
        Assert.True(day1.GetProperty("assessment").GetProperty("possibleH4").GetBoolean());

        // Granulocytes < 0.5 on day 5 confirm H4; a symptoms-only day 6 keeps the flag.
        await OkJson(await physician.PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = Start.AddHours(124), values = new { granulocytes = 0.2, platelets = 30.0 } }), HttpStatusCode.Created);
        var day6 = await OkJson(await physician.PostAsJsonAsync(U(url), new
        {
            kind = "symptoms", observedAt = Start.AddHours(150), values = new { signs = new Dictionary<string, double> { ["nausea"] = 1 } },
        }), HttpStatusCode.Created);
        var assessment = day6.GetProperty("assessment");
        Assert.True(assessment.GetProperty("regenerativeCandidate").GetBoolean());
        Assert.False(assessment.GetProperty("multiOrganInjury").GetBoolean());
        var days = assessment.GetProperty("metrepol").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, days[^1].GetProperty("h").ValueKind);
        Assert.Equal("N1 H— C0 G0, day 6", days[^1].GetProperty("code").GetString());

        // Initial granulocytosis is recorded with a blood count; a symptom sign there is refused by field.
        await Problem(await physician.PostAsJsonAsync(U(url), new
        {
            kind = "blood-count", observedAt = Start.AddHours(151), values = new { granulocytes = 3.0, signs = new Dictionary<string, double> { ["nausea"] = 2 } },
        }), HttpStatusCode.BadRequest, "signs.nausea");

        var (browser, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        var html = WebUtility.HtmlDecode(await browser.GetStringAsync(U($"/care/patients/{id}")));
        Assert.Contains("<td>6</td><td>1</td><td>—</td>", html, StringComparison.Ordinal);
        Assert.Contains("regenerative or stem-cell therapy candidate", html, StringComparison.Ordinal);
        Assert.Contains("initial-granulocytosis", html, StringComparison.Ordinal);
    }
}
