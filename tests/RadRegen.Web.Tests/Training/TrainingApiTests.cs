using System.Net;
using System.Net.Http.Json;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Training;

/// <summary>Courses, certificates and rosters through the real server (issue 15 items 1 and 7): API, problem details naming the field, roles.</summary>
public sealed class TrainingApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    private static Uri U(string path) => new(path, UriKind.Relative);

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("sqlite");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unmet_prerequisite_is_a_400_naming_it_a_low_score_issues_nothing_and_an_expired_certificate_warns_on_the_roster()
    {
        using var trainer = await _server.WithTokenAsync(Role.Trainer);
        using var coordinator = await _server.WithTokenAsync(Role.Coordinator);
        using var physician = await _server.WithTokenAsync(Role.Physician);
        using var tech = await _server.WithTokenAsync(Role.CpcTechnician);
        var doctor = DemoSeeder.DemoUserName(Role.Physician);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        await OkJson(await trainer.PostAsJsonAsync(U("/api/v1/training/courses"), new
        {
            code = "T-BASIC", title = "Basics", description = "", eLearningHours = 4, contactDays = 0, contactHours = 0, prerequisites = Array.Empty<string>(), validityMonths = 12, passMark = 70,
        }), HttpStatusCode.Created);
        var clinical = await OkJson(await trainer.PostAsJsonAsync(U("/api/v1/training/courses"), new
        {
            code = "T-CLIN", title = "Clinical", description = "", eLearningHours = 8, contactDays = 2, contactHours = 14, prerequisites = new[] { "T-BASIC" }, validityMonths = 24, passMark = 75,
        }), HttpStatusCode.Created);
        Assert.Equal("blended", clinical.GetProperty("delivery").GetString());
        await Problem(await trainer.PostAsJsonAsync(U("/api/v1/training/courses"), new { code = "x", title = "", validityMonths = 0, passMark = 50 }), HttpStatusCode.BadRequest, "validityMonths");
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/training/courses"), new { code = "T-X", title = "x", eLearningHours = 1, validityMonths = 1, passMark = 50 }), HttpStatusCode.Forbidden);

        var clinSession = await OkJson(await trainer.PostAsJsonAsync(U("/api/v1/training/sessions"), new
        {
            courseCode = "T-CLIN", startsOn = today.AddDays(7), endsOn = today.AddDays(8), place = "Skills lab",
        }), HttpStatusCode.Created);
        var refused = await Problem(await trainer.PostAsJsonAsync(U($"/api/v1/training/sessions/{clinSession.GetProperty("id").GetInt64()}/enrolments"), new { staff = doctor }),
            HttpStatusCode.BadRequest, "prerequisites");
        Assert.Contains("T-BASIC: no certificate", refused.GetRawText(), StringComparison.Ordinal);

        async Task<System.Text.Json.JsonElement> AssessAsync(double score)
        {
            var session = await OkJson(await trainer.PostAsJsonAsync(U("/api/v1/training/sessions"), new { courseCode = "T-BASIC", startsOn = today, endsOn = today, place = "online" }),
                HttpStatusCode.Created);
            var enrolment = await OkJson(await trainer.PostAsJsonAsync(U($"/api/v1/training/sessions/{session.GetProperty("id").GetInt64()}/enrolments"), new { staff = doctor }),
                HttpStatusCode.Created);
            return await OkJson(await trainer.PostAsJsonAsync(U($"/api/v1/training/enrolments/{enrolment.GetProperty("id").GetInt64()}/assessment"), new { score }));
        }

        var failed = await AssessAsync(69);
        Assert.False(failed.GetProperty("passed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("certificate").ValueKind);
        Assert.Equal(0, (await OkJson(await trainer.GetAsync(U($"/api/v1/training/certificates?staff={doctor}")))).GetArrayLength());
        var passed = await AssessAsync(88);
        var expires = DateOnly.Parse(passed.GetProperty("certificate").GetProperty("expiresOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(today.AddMonths(12), expires);

        // Staff see their own certificates only; the matrix is the coordinator's.
        Assert.Equal(0, (await OkJson(await tech.GetAsync(U("/api/v1/training/certificates")))).GetArrayLength());
        await Problem(await tech.GetAsync(U($"/api/v1/training/certificates?staff={doctor}")), HttpStatusCode.Forbidden);
        await Problem(await tech.GetAsync(U("/api/v1/training/current")), HttpStatusCode.Forbidden);
        var matrix = await OkJson(await coordinator.GetAsync(U("/api/v1/training/current")));
        var row = matrix.GetProperty("staff").EnumerateArray().Single(s => s.GetProperty("staff").GetString() == doctor);
        Assert.Equal("current", row.GetProperty("courses").EnumerateArray().Single(c => c.GetProperty("course").GetString() == "T-BASIC").GetProperty("currency").GetString());

        // A roster: the physician on a real incident; this center requires T-BASIC of physicians.
        await OkJson(await coordinator.PutAsJsonAsync(U("/api/v1/training/roster-requirements"), new
        {
            roles = new[] { new { rosterRole = "physician", courses = new[] { "T-BASIC" } } }, reason = "test",
        }));
        var incident = await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-T1", title = "t", kind = "criticality", startedAt = DateTimeOffset.UtcNow, place = "here", radionuclides = Array.Empty<string>(),
        }), HttpStatusCode.Created);
        var id = incident.GetProperty("id").GetInt64();
        await OkJson(await coordinator.PostAsJsonAsync(U($"/api/v1/training/rosters/incident/{id}/members"), new { staff = doctor, rosterRole = "physician" }), HttpStatusCode.Created);
        await Problem(await coordinator.PostAsJsonAsync(U($"/api/v1/training/rosters/incident/{id}/members"), new { staff = "", rosterRole = "Physician!" }), HttpStatusCode.BadRequest, "rosterRole");
        var now = await OkJson(await coordinator.GetAsync(U($"/api/v1/training/rosters?incident={id}")));
        Assert.Equal(0, now.GetProperty("warningCount").GetInt32());
        var later = await OkJson(await coordinator.GetAsync(U($"/api/v1/training/rosters?incident={id}&asOf={expires.AddDays(1):yyyy-MM-dd}")));
        var warning = later.GetProperty("members")[0].GetProperty("warnings")[0];
        Assert.Equal("expired", warning.GetProperty("currency").GetString());
        Assert.Contains("T-BASIC certificate expired on", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        await Problem(await coordinator.GetAsync(U("/api/v1/training/rosters")), HttpStatusCode.BadRequest, "incident");

        // The roster page and the incident page's link to it.
        var (browser, _) = await _server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), _server.PasswordOf(Role.Coordinator));
        using (browser)
        {
            var page = WebUtility.HtmlDecode(await browser.GetStringAsync(U($"/training/rosters?incident={id}&asOf={expires.AddDays(1):yyyy-MM-dd}")));
            Assert.Contains("T-BASIC certificate expired on", page, StringComparison.Ordinal);
            Assert.Contains($"/training/rosters?incident={id}", await browser.GetStringAsync(U($"/care/incidents/{id}")), StringComparison.Ordinal);
            Assert.Contains("T-CLIN", await browser.GetStringAsync(U("/training/courses")), StringComparison.Ordinal);
            Assert.Contains("/training/exercises", await browser.GetStringAsync(U("/training")), StringComparison.Ordinal);
            Assert.Contains("no network of centers", WebUtility.HtmlDecode(await browser.GetStringAsync(U("/training/capacity-drills"))), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_capacity_drill_cannot_start_without_a_network()
    {
        using var trainer = await _server.WithTokenAsync(Role.Trainer);
        var problem = await Problem(await trainer.PostAsJsonAsync(U("/api/v1/training/capacity-drills"), new { reference = "x", quota = 10 }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no network of centers is configured", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var admin = await _server.WithTokenAsync(Role.Admin);
        await Problem(await admin.PostAsJsonAsync(U("/api/v1/training/capacity-drills"), new { reference = "x", quota = 10 }), HttpStatusCode.Forbidden);
    }
}
