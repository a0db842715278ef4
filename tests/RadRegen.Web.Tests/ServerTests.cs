using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Web.Tests;

/// <summary>
/// The real server on a free loopback port, once per engine. The cases that read, or sign in and make
/// tokens of their own without throttling, disabling or counting, share one server per engine; the
/// others start their own.
/// </summary>
public class ServerTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Health_is_the_only_thing_open_without_credentials(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var client = server.Anonymous();
        var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        foreach (var api in new[] { "/api/v1/me", "/api/v1/audit/entries", "/api/v1/users", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(api, UriKind.Relative))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(new Uri("/api/v1/audit/verify", UriKind.Relative), null)).StatusCode);
        foreach (var page in new[] { "/", "/audit", "/bank", "/hla" })
        {
            var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_bearer_token_authenticates_and_roles_are_enforced_with_problem_details(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var me = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal("demo-auditor", me.GetProperty("userName").GetString());
        Assert.Equal("auditor", me.GetProperty("roles")[0].GetString());
        Assert.Equal("Demo auditor", me.GetProperty("displayName").GetString());

        var verify = await auditor.PostAsync(new Uri("/api/v1/audit/verify", UriKind.Relative), null);
        var result = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("isIntact").GetBoolean());
        Assert.True(result.GetProperty("verified").GetInt64() >= 7);

        var openapi = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/audit/entries", out _));
        Assert.Equal("RadRegen API", openapi.GetProperty("info").GetProperty("title").GetString());

        using var technician = await server.WithTokenAsync(Role.CpcTechnician);
        var refused = await technician.GetAsync(new Uri("/api/v1/audit/entries", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("auditor", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_query_input_is_a_400_naming_the_field(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var response = await auditor.GetAsync(new Uri("/api/v1/audit/entries?pageSize=501", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("must be between 1 and 500", problem.GetProperty("errors").GetProperty("pageSize")[0].GetString());

        var dates = await auditor.GetAsync(new Uri("/api/v1/audit/entries?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, dates.StatusCode);
        var malformed = await auditor.GetAsync(new Uri("/api/v1/audit/entries?page=abc", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Expired_revoked_and_unknown_tokens_get_401(string engine)
    {
        var server = await servers.ForAsync(engine);
        var admin = Actor.LocalOperator("test");
        var issued = await server.Access.CreateTokenAsync(admin, "demo-physician", "t", 1);
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        await server.Access.RevokeTokenAsync(admin, issued.Token.Id, "test");
        var revoked = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("invalid_token", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        client.DefaultRequestHeaders.Authorization = new("Bearer", "rr_unknown");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_person_signs_in_with_the_form_sees_the_dashboard_and_is_journaled(string engine)
    {
        var server = await servers.ForAsync(engine);
        var (client, response) = await server.SignInAsync("demo-qa-officer", server.PasswordOf(Role.QaOfficer));
        using var _ = client;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var dashboard = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Welcome, Demo qa officer", dashboard, StringComparison.Ordinal);
        Assert.Contains("Your roles: qa-officer", dashboard, StringComparison.Ordinal);

        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var journal = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit/entries?recordType=user&user=demo-qa-officer", UriKind.Relative));
        Assert.Contains(journal.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "login");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_wrong_password_shows_a_message_and_five_throttle_that_name_from_this_address(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            var (c, r) = await server.SignInAsync("demo-physician", "wrong password!");
            c.Dispose();
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            last = r;
            if (i == 0)
            {
                Assert.Contains("user name or password is wrong", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Contains("Too many failed sign-ins", await last!.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (client, right) = await server.SignInAsync("demo-physician", server.PasswordOf(Role.Physician));
        client.Dispose();
        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // still the login page: this address is throttled for this name
        Assert.Contains("Too many failed sign-ins", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_page_of_a_role_the_person_lacks_is_refused_and_a_disabled_account_loses_its_session(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var (client, _) = await server.SignInAsync("demo-cpc-technician", server.PasswordOf(Role.CpcTechnician));
        using var __ = client;
        var audit = await client.GetAsync(new Uri("/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, audit.StatusCode);
        Assert.StartsWith("/access-denied", audit.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/bank", UriKind.Relative))).StatusCode);

        await server.Access.DisableUserAsync(Actor.LocalOperator("test"), "demo-cpc-technician", "test");
        var after = await client.GetAsync(new Uri("/bank", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_audit_page_filters_exports_csv_and_verifies(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var (client, _) = await server.SignInAsync("demo-auditor", server.PasswordOf(Role.Auditor));
        using var __ = client;
        var page = await client.GetStringAsync(new Uri("/audit?recordType=user&recordId=1", UriKind.Relative));
        Assert.Contains("1 entries match", page, StringComparison.Ordinal);

        // The user filter: the form sends the field the page reads (it sent UserName, the page read user).
        Assert.Contains("name=\"user\"", page, StringComparison.Ordinal);
        const string none = "data-testid=\"journal-total\">0 entries match";
        Assert.Contains(none, await client.GetStringAsync(new Uri("/audit?user=nobody-such", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain(none, await client.GetStringAsync(new Uri("/audit?user=demo-auditor", UriKind.Relative)), StringComparison.Ordinal);
        var csv = await client.GetStringAsync(new Uri("/audit?handler=Export&recordType=user", UriKind.Relative));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,time,user,record_type", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Length >= 8);
    }

    [Fact]
    public async Task The_login_page_is_rate_limited_per_client()
    {
        await using var server = await TestServer.StartAsync("sqlite", o => o with { Settings = o.Settings with { Web = o.Settings.Web with { LoginAttemptsPerMinute = 3 } } });
        using var client = server.Anonymous();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.GetAsync(new Uri("/login", UriKind.Relative))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }
}
