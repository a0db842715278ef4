using System.Net;
using System.Net.Http.Json;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>One server for the hub's API tests (issue 14): started once.</summary>
public sealed class HubApiServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public HttpClient Coordinator { get; private set; } = null!;

    public HttpClient Physician { get; private set; } = null!;

    public HttpClient Auditor { get; private set; } = null!;

    public string Password => Server.PasswordOf(Role.Coordinator);

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync("sqlite");
        Coordinator = await Server.WithTokenAsync(Role.Coordinator);
        Physician = await Server.WithTokenAsync(Role.Physician);
        Auditor = await Server.WithTokenAsync(Role.Auditor);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The hub through the real server: registry, request → offer → accept → commit → deliver → close, IRIX, problem details, the page.</summary>
public sealed partial class HubApiTests(HubApiServer fixture) : IClassFixture<HubApiServer>
{
    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();

    private const string Here = CenterSettings.DemoFacilityCode;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static readonly DateOnly From = new(2026, 1, 1);

    [Fact]
    public async Task A_request_is_offered_accepted_committed_delivered_and_closed_through_the_api_with_edxl_rm_states()
    {
        var c = fixture.Coordinator;
        var pw = fixture.Password;
        await OkJson(await c.PostAsJsonAsync(U("/api/v1/hub/members"), new
        {
            code = "XS-CA", name = "Competent authority of State X", kind = "state-contact-point", country = "XS", organisation = "ca.xs.example",
            capabilities = Array.Empty<object>(),
        }), HttpStatusCode.Created);
        var self = await OkJson(await c.PostAsJsonAsync(U("/api/v1/hub/members"), new
        {
            code = Here, name = "This center", kind = "collaborating-center", country = "JP", center = Here,
            capabilities = new object[]
            {
                new { area = "medical-support", kind = "bmt-beds", quantity = 6, terms = "at cost", validFrom = From },
                new { area = "dose-assessment", kind = "biodosimetry", quantity = 120, validFrom = From, validUntil = new DateOnly(2030, 12, 31) },
            },
        }), HttpStatusCode.Created);
        Assert.Equal("beds", self.GetProperty("capabilities")[0].GetProperty("unit").GetString());
        await Problem(await c.PostAsJsonAsync(U("/api/v1/hub/members"), new
        {
            code = "YS-CA", name = "Y", kind = "state-contact-point", capabilities = new object[] { new { area = "astrology", kind = "experts", quantity = 1, validFrom = From } },
        }), HttpStatusCode.BadRequest, "capabilities[0].area");
        await Problem(await fixture.Physician.PostAsJsonAsync(U("/api/v1/hub/members"), new { code = "ZZ-CA" }), HttpStatusCode.Forbidden);

        var hits = await OkJson(await fixture.Auditor.GetAsync(U("/api/v1/hub/capabilities?area=dose-assessment")));
        Assert.Equal((Here, "biodosimetry", 120), (hits[0].GetProperty("member").GetString(), hits[0].GetProperty("capability").GetProperty("kind").GetString(),
            hits[0].GetProperty("capability").GetProperty("quantity").GetInt32()));

        var request = new
        {
            requester = "XS-CA", subject = "BMT beds", scope = "Specialised treatment of 4 patients", urgency = "immediate", confidentiality = "members",
            answerWithinHours = 6, lines = new object[] { new { area = "medical-support", kind = "bmt-beds", quantity = 4 } },
            patients = new object[] { new { triage = "red", responseCategory = 3, count = 4 } }, password = pw,
        };
        await Problem(await c.PostAsJsonAsync(U("/api/v1/hub/requests"), request with { password = "wrong" }), HttpStatusCode.Forbidden);
        await Problem(await c.PostAsJsonAsync(U("/api/v1/hub/requests"), request with { answerWithinHours = 0 }), HttpStatusCode.BadRequest, "answerWithinHours");
        var created = await OkJson(await c.PostAsJsonAsync(U("/api/v1/hub/requests"), request), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.Equal(("requested", "RequestResource", false), (created.GetProperty("state").GetString(), created.GetProperty("edxlRm").GetString(), created.GetProperty("overdue").GetBoolean()));

        var matches = await OkJson(await c.GetAsync(U($"/api/v1/hub/requests/{id}/matches")));
        Assert.Equal(Here, matches[0].GetProperty("member").GetString());
        Assert.Contains("has reported no BMT capacity", matches[0].GetProperty("lines")[0].GetProperty("reasons")[1].GetString(), StringComparison.Ordinal);

        var offer = await OkJson(await c.PostAsJsonAsync(U($"/api/v1/hub/requests/{id}/offers"), new
        {
            offerer = Here, scope = "4 BMT beds", lines = new object[] { new { area = "medical-support", kind = "bmt-beds", quantity = 4 } },
            terms = "costs reimbursed", costAmount = 80000, costCurrency = "EUR", password = pw,
        }), HttpStatusCode.Created);
        var oid = offer.GetProperty("id").GetString();
        var early = await Problem(await c.PostAsJsonAsync(U($"/api/v1/hub/offers/{oid}/deliver"), new { password = pw }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("state: offer", early.GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var (step, state, edxl) in new[] { ("accept", "accepted", "RequisitionResource"), ("commit", "committed", "CommitResource"), ("deliver", "delivered", "ReportResourceDeploymentStatus") })
        {
            var o = await OkJson(await c.PostAsJsonAsync(U($"/api/v1/hub/offers/{oid}/{step}"), new { password = pw }));
            Assert.Equal((state, edxl), (o.GetProperty("state").GetString(), o.GetProperty("edxlRm").GetString()));
        }

        var closed = await OkJson(await c.PostAsJsonAsync(U($"/api/v1/hub/requests/{id}/close"), new { password = pw }));
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        await Problem(await c.PostAsJsonAsync(U($"/api/v1/hub/requests/{id}/offers"), new
        {
            offerer = Here, scope = "more", lines = new object[] { new { area = "medical-support" } }, password = pw,
        }), HttpStatusCode.UnprocessableEntity);

        // IRIX: a members-only request goes to a member; the export reads back at the import endpoint as a conflict (already here).
        await Problem(await c.GetAsync(U($"/api/v1/hub/requests/{id}/irix")), HttpStatusCode.UnprocessableEntity);
        var export = await c.GetAsync(U($"/api/v1/hub/requests/{id}/irix?for=XS-CA"));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/xml", export.Content.Headers.ContentType?.MediaType);
        var xml = await export.Content.ReadAsStringAsync();
        Assert.Contains("<irix:Report", xml, StringComparison.Ordinal);
        Assert.Contains("State: closed", xml, StringComparison.Ordinal);
        await Problem(await c.PostAsJsonAsync(U("/api/v1/hub/irix"), new { xml = "<oops", password = pw }), HttpStatusCode.BadRequest, "irix");

        var listed = await OkJson(await fixture.Auditor.GetAsync(U("/api/v1/hub/requests?state=closed")));
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == id);

        // The page: open requests with timers, offers, the registry.
        var (browser, _) = await fixture.Server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), pw);
        using (browser)
        {
            var open = WebUtility.HtmlDecode(await browser.GetStringAsync(U("/hub")));
            Assert.Contains("International hub", open, StringComparison.Ordinal);
            Assert.Contains("Competent authority of State X", open, StringComparison.Ordinal);
            Assert.DoesNotContain($"request-{id}", open, StringComparison.Ordinal); // closed: not among the open requests
            var all = WebUtility.HtmlDecode(await browser.GetStringAsync(U("/hub?all=true")));
            Assert.Contains($"request-{id}", all, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"state\">closed<", all, StringComparison.Ordinal);
            var bad = WebUtility.HtmlDecode(await browser.GetStringAsync(U("/hub?area=astrology")));
            Assert.Contains("not a coded capability area", bad, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_page_signs_an_offer_step_and_shows_a_wrong_password_beside_the_offer_writing_nothing()
    {
        var c = fixture.Coordinator;
        var pw = fixture.Password;
        await c.PostAsJsonAsync(U("/api/v1/hub/members"), new { code = "WS-CA", name = "State W", kind = "state-contact-point", capabilities = Array.Empty<object>() });
        await c.PostAsJsonAsync(U("/api/v1/hub/members"), new { code = "LI-ONE", name = "Liaison One", kind = "liaison-institution", capabilities = Array.Empty<object>() });
        var created = await OkJson(await c.PostAsJsonAsync(U("/api/v1/hub/requests"), new
        {
            requester = "WS-CA", subject = "Biodosimetry for 50 people", scope = "Dicentric assay", urgency = "urgent", confidentiality = "restricted",
            answerWithinHours = 24, lines = new object[] { new { area = "dose-assessment", kind = "biodosimetry", quantity = 50 } }, password = pw,
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var offer = await OkJson(await c.PostAsJsonAsync(U($"/api/v1/hub/requests/{id}/offers"), new
        {
            offerer = "LI-ONE", scope = "50 samples in a week", lines = new object[] { new { area = "dose-assessment", kind = "biodosimetry", quantity = 50 } }, password = pw,
        }), HttpStatusCode.Created);
        var oid = offer.GetProperty("id").GetString()!;

        var (browser, _) = await fixture.Server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), pw);
        using (browser)
        {
            async Task<HttpResponseMessage> StepAsync(string password)
            {
                var page = await browser.GetStringAsync(U("/hub"));
                Assert.Contains($"offer-{oid}", page, StringComparison.Ordinal);
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
                    ["Password"] = password,
                });
                return await browser.PostAsync(U($"/hub?handler=Step&id={oid}&step=accept"), form);
            }

            var refused = await StepAsync("not my password");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("password does not match", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.Equal("offered", (await OkJson(await c.GetAsync(U($"/api/v1/hub/offers/{oid}")))).GetProperty("state").GetString());

            Assert.Equal(HttpStatusCode.Redirect, (await StepAsync(pw)).StatusCode);
            Assert.Equal("accepted", (await OkJson(await c.GetAsync(U($"/api/v1/hub/offers/{oid}")))).GetProperty("state").GetString());
        }
    }

    [Fact]
    public async Task The_request_form_shows_a_bad_field_beside_its_row_writes_nothing_then_creates_the_request()
    {
        var c = fixture.Coordinator;
        var pw = fixture.Password;
        await OkJson(await c.PostAsJsonAsync(U("/api/v1/hub/members"), new { code = "FS-CA", name = "State F", kind = "state-contact-point", capabilities = Array.Empty<object>() }),
            HttpStatusCode.Created);
        const string Subject = "Burn beds for 3 workers (form)";
        var (browser, _) = await fixture.Server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), pw);
        using (browser)
        {
            async Task<HttpResponseMessage> SubmitAsync(string area, string hours)
            {
                var page = await browser.GetStringAsync(U("/hub/enter"));
                Assert.Contains("Request assistance", page, StringComparison.Ordinal);
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
                    ["NewRequest.Requester"] = "FS-CA", ["NewRequest.Subject"] = Subject, ["NewRequest.Scope"] = "Treatment of 3 workers with burns",
                    // Row 0 left empty (a browser posts it empty): the line is the form's row 1, the domain's lines[0].
                    ["NewRequest.Lines[0].Area"] = "", ["NewRequest.Lines[0].Kind"] = "", ["NewRequest.Lines[0].Quantity"] = "",
                    ["NewRequest.Lines[1].Area"] = area, ["NewRequest.Lines[1].Kind"] = "burn-beds", ["NewRequest.Lines[1].Quantity"] = "3",
                    ["NewRequest.Patients[0].Triage"] = "red", ["NewRequest.Patients[0].ResponseCategory"] = "3", ["NewRequest.Patients[0].Count"] = "3",
                    ["NewRequest.Urgency"] = "urgent", ["NewRequest.Confidentiality"] = "restricted", ["NewRequest.AnswerWithinHours"] = hours,
                    ["NewRequest.Password"] = pw,
                });
                return await browser.PostAsync(U("/hub/enter?handler=Request"), form);
            }

            var refused = await SubmitAsync("astrology", "0");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
            var row1 = html[html.IndexOf("id=\"r-l1-area\"", StringComparison.Ordinal)..html.IndexOf("id=\"r-l1-kind\"", StringComparison.Ordinal)];
            Assert.Contains("not a coded capability area", row1, StringComparison.Ordinal); // beside the row it came from
            var hoursField = html[html.IndexOf("id=\"r-hours\"", StringComparison.Ordinal)..];
            Assert.Contains("invalid-feedback", hoursField[..hoursField.IndexOf("<label", StringComparison.Ordinal)], StringComparison.Ordinal);
            Assert.Contains($"value=\"{Subject}\"", html, StringComparison.Ordinal); // what was typed is kept
            var before = await OkJson(await c.GetAsync(U("/api/v1/hub/requests")));
            Assert.DoesNotContain(before.EnumerateArray(), r => r.GetProperty("subject").GetString() == Subject);

            var created = await SubmitAsync("medical-support", "24");
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var after = await OkJson(await c.GetAsync(U("/api/v1/hub/requests")));
            var request = after.EnumerateArray().Single(r => r.GetProperty("subject").GetString() == Subject);
            Assert.Equal(("restricted", 24), (request.GetProperty("confidentiality").GetString(), request.GetProperty("answerWithinHours").GetInt32()));
            Assert.Equal("burn-beds", request.GetProperty("lines")[0].GetProperty("kind").GetString());
        }
    }
}
