using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>
/// Issue 12 item 7: every error on an API route is JSON problem details; a body or query the API
/// cannot read names the field and says what was expected (they were a bare 400); a NUL character
/// is refused naming the field (PostgreSQL answered 503). The refused requests store nothing, so
/// their cases share one server.
/// </summary>
public class ProblemDetailsTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Case, request (method, path, JSON body or null for none), the field the problem must name and words its message must hold.</summary>
    public static TheoryData<string, string, string, string?, string, string> BadRequests => new()
    {
        { "malformed JSON", "POST", "/api/v1/care/incidents", "{\"code\": ", "code", "is not valid JSON (line 1, byte 10)" },
        { "trailing garbage", "POST", "/api/v1/care/incidents", "{\"code\": \"A\"} x", "body", "is not valid JSON" },
        { "text for a number", "POST", "/api/v1/bank/lots", "{\"productCode\":\"S9102\",\"wcbId\":1,\"vials\":\"two\"}", "vials", "expected a whole number" },
        { "fraction for a whole number", "POST", "/api/v1/bank/lots", "{\"productCode\":\"S9102\",\"wcbId\":1.5,\"vials\":2}", "wcbId", "expected a whole number" },
        { "true for a number", "POST", "/api/v1/care/incidents/1/patients", "{\"code\":\"P1\",\"weightKg\":true}", "weightKg", "expected a number" },
        { "bad date", "POST", "/api/v1/care/incidents", "{\"code\":\"I1\",\"startedAt\":\"yesterday\"}", "startedAt", "expected a date and time" },
        { "date without a time", "POST", "/api/v1/bank/lots", "{\"productCode\":\"S9102\",\"wcbId\":1,\"vials\":2,\"manufacturedAt\":\"31/12/2026\"}", "manufacturedAt", "ISO 8601" },
        { "number for a text", "POST", "/api/v1/care/incidents", "{\"code\":42}", "code", "expected a text" },
        { "object for a list", "POST", "/api/v1/care/incidents", "{\"code\":\"I1\",\"radionuclides\":{\"a\":1}}", "radionuclides", "expected a list" },
        { "number in a list of texts", "POST", "/api/v1/care/incidents", "{\"code\":\"I1\",\"radionuclides\":[\"Cs-137\",7]}", "radionuclides[1]", "expected a text" },
        { "text for a boolean", "POST", "/api/v1/bank/donors", "{\"banking\":\"yes\"}", "banking", "true or false" },
        { "null body", "POST", "/api/v1/care/incidents", "null", "body", "a JSON body is required" },
        { "empty body", "POST", "/api/v1/care/incidents", "", "body", "a JSON body is required" },
        { "NUL in a JSON text", "POST", "/api/v1/care/incidents", "{\"code\":\"I1\",\"title\":\"a\\u0000b\"}", "title", "NUL" },
        { "NUL in a dictionary value", "POST", "/api/v1/bank/donors", "{\"banking\":true,\"screening\":{\"HBV\":\"neg\\u0000\"}}", "screening.HBV", "NUL" },
        { "NUL in a dictionary key", "POST", "/api/v1/bank/donors", "{\"banking\":true,\"screening\":{\"H\\u0000BV\":\"negative\"}}", "screening.HBV", "NUL" },
        { "text for a whole-number query", "GET", "/api/v1/audit/entries?page=abc", null, "page", "expected a whole number, got \"abc\"" },
        { "bad date in a query", "GET", "/api/v1/audit/entries?from=last-week", null, "from", "expected a date and time" },
        { "missing required query", "GET", "/api/v1/audit/signatures?recordType=lot", null, "recordId", "is required" },
        { "unknown status in a query", "GET", "/api/v1/bank/deviations?status=bogus", null, "status", "one of open, closed" },
        { "NUL in a query", "GET", "/api/v1/bank/lots?status=re%00leased", null, "status", "NUL" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_request_the_api_cannot_read_is_a_400_naming_the_field(string name, string method, string path, string? body,
        string field, string words)
    {
        var server = await servers.ForAsync("sqlite");
        using var admin = await server.WithTokenAsync(Role.Admin);
        using var request = new HttpRequestMessage(new HttpMethod(method), U(path));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        var problem = await Problem(await admin.SendAsync(request), HttpStatusCode.BadRequest, field);
        var messages = problem.GetProperty("errors").EnumerateObject().Where(e => e.Name.EndsWith(field, StringComparison.Ordinal))
            .SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()).ToList();
        Assert.True(messages.Any(m => m!.Contains(words, StringComparison.Ordinal)), $"{name}: {problem}");
    }

    [Fact]
    public async Task A_bad_enum_names_its_allowed_values_and_a_wrong_content_type_is_a_415_problem()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var admin = await server.WithTokenAsync(Role.Admin);
        var problem = await Problem(await admin.PostAsync(U("/api/v1/bank/cell-banks"), Json("{\"code\":\"X\",\"kind\":\"xcb\",\"lineId\":1}")),
            HttpStatusCode.BadRequest, "kind");
        Assert.Contains("one of mcb, wcb", problem.ToString(), StringComparison.Ordinal);

        using var text = new StringContent("{}", Encoding.UTF8, "text/plain");
        var unsupported = await Problem(await admin.PostAsync(U("/api/v1/care/incidents"), text), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("send the body as application/json", unsupported.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_routes_are_problem_details_and_pages_keep_their_html()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var admin = await server.WithTokenAsync(Role.Admin);
        await Problem(await admin.GetAsync(U("/api/v1/no-such-thing")), HttpStatusCode.NotFound);
        await Problem(await admin.GetAsync(U("/api/v1/bank/lots/999999")), HttpStatusCode.NotFound);

        var (browser, _) = await server.SignInAsync("demo-admin", server.PasswordOf(Role.Admin));
        using var _b = browser;
        using var html = new HttpRequestMessage(HttpMethod.Get, U("/audit?user=ad%00min"));
        html.Headers.Accept.ParseAdd("text/html"); // as a browser asks
        var page = await browser.SendAsync(html);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.NotEqual("application/problem+json", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_nul_character_in_a_csv_upload_is_refused_with_its_row_and_column()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var csv = string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns) + "\nD-N\0UL" + new string(',', RadRegen.Bank.Import.InventoryImport.Columns.Count - 1) + "\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var problem = await Problem(await tech.PostAsync(U("/api/v1/bank/imports"), content), HttpStatusCode.BadRequest, "row 2, column 1 (donor_code)");
        Assert.Contains("NUL", problem.ToString(), StringComparison.Ordinal);
    }
}
