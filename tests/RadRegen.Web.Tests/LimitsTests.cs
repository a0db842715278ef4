using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Web.Infrastructure;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>
/// Issue 12 item 8: a 10 MB incident title was stored (and journaled), 200,000 radionuclides were
/// accepted, <c>page=100000000</c> returned the newest entries. Every text field has a length, every
/// list a count, every body a size per route, every paged query a page rule (Core.Limits). The
/// cases of a field over its limit store nothing, so they share one server; the cases that store an
/// incident of their own (each under its own code) share another.
/// </summary>
public class LimitsTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The shared server of the cases that store an incident of their own.</summary>
    private const string Stores = "stores";

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static string Text(int length) => new('x', length);

    private static object Incident(string? title = null, string? place = null, IReadOnlyList<string>? radionuclides = null, string code = "INC-L") => new
    {
        code, title = title ?? "Irradiator accident", kind = "lost-or-orphan-source", startedAt = Start, place = place ?? "Goiânia",
        radionuclides = radionuclides ?? ["Cs-137"],
    };

    /// <summary>Case, path, body (under the 1 MB body limit), the field the 400 must name and words of its message.</summary>
    public static TheoryData<string, string, object, string, string> TooLong => new()
    {
        { "title over 500", "/api/v1/care/incidents", Incident(title: Text(501)), "title", "at most 500" },
        { "title of 900 kB", "/api/v1/care/incidents", Incident(title: Text(900_000)), "title", "at most 10,000" },
        { "place over 200", "/api/v1/care/incidents", Incident(place: Text(201)), "place", "at most 200" },
        { "200,000 radionuclides", "/api/v1/care/incidents", Incident(radionuclides: [.. Enumerable.Repeat("C", 200_000)]), "radionuclides", "at most 100" },
        { "a radionuclide over 200", "/api/v1/care/incidents", Incident(radionuclides: ["Cs-137", Text(201)]), "radionuclides[1]", "at most 200" },
        { "donor screening key over 200", "/api/v1/bank/donors", new Dictionary<string, object> { ["banking"] = true, ["screening"] = new Dictionary<string, string> { [Text(100_000)] = "negative" } }, "…", "at most 200" },
        { "200 screening results", "/api/v1/bank/donors", new { banking = true, screening = Enumerable.Range(0, 200).ToDictionary(i => "M" + i, _ => "negative") }, "screening", "at most 100" },
        { "donor GL String over 10,000", "/api/v1/bank/donors", new { banking = true, hlaGl = Text(10_001) }, "hlaGl", "at most 10,000" },
    };

    [Theory]
    [MemberData(nameof(TooLong))]
    public async Task A_field_over_its_limit_is_a_400_naming_the_field_and_nothing_is_stored(string name, string path, object body, string field, string words)
    {
        var server = await servers.ForAsync("sqlite");
        // Changed with issue 12 item 9: the administrator no longer opens incidents or registers donors; each route's own role does.
        using var client = await server.WithTokenAsync(path.Contains("/bank/", StringComparison.Ordinal) ? Role.CpcTechnician : Role.Coordinator);
        using var content = JsonContent.Create(body);
        var response = await client.PostAsync(U(path), content);
        var problem = await Problem(response, HttpStatusCode.BadRequest, field);
        Assert.True(problem.ToString().Contains(words, StringComparison.Ordinal), $"{name}: {problem}");
        if (path.EndsWith("/incidents", StringComparison.Ordinal))
        {
            Assert.Empty((await OkJson(await client.GetAsync(U(path)))).EnumerateArray());
        }
    }

    /// <summary>
    /// The bank's and care's remaining fields (issue 12 item 8): one case per limit family and area, each a 400 naming
    /// the field and its limit, through the API as a person with the role that may do it. Limits are checked before
    /// the record is looked up, so the ids need not exist. One server for all cases.
    /// </summary>
    [Fact]
    public async Task Bank_and_care_fields_over_their_limits_are_a_400_naming_the_field()
    {
        var server = await servers.ForAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var physician = await server.WithTokenAsync(Role.Physician);
        var (shortName, freeText) = (Text(201), Text(4_001));
        var cases = new (HttpClient Client, string Path, object Body, string Field, string Words)[]
        {
            (tech, "/api/v1/bank/lines", new { code = "RR-L9", donorId = 1, method = shortName, cloneName = "c1", passage = 1 }, "method", "at most 200"),
            (tech, "/api/v1/bank/lots", new { productCode = "S9102", wcbId = 1, vials = 1, lotNumber = Text(41) }, "lotNumber", "at most 40"),
            (tech, "/api/v1/bank/lots/999999/qc-results", new { testCode = "viability", value = "92", unit = shortName }, "unit", "at most 200"),
            (qa, "/api/v1/bank/deviations/999999/close", new { reason = freeText }, "reason", "at most 4,000"),
            (tech, "/api/v1/bank/locations", new { kind = "site", name = shortName }, "name", "at most 200"),
            (qa, "/api/v1/bank/excursions/999999/resolve", new { outcome = "discarded", assessment = freeText, password = "x" }, "assessment", "at most 4,000"),
            (tech, "/api/v1/bank/vials/999999/reserve", new { reservedFor = shortName }, "reservedFor", "at most 200"),
            (tech, "/api/v1/bank/vials/999999/ship", new { reason = freeText }, "reason", "at most 4,000"),
            (tech, "/api/v1/bank/donors", new { banking = true, screening = new Dictionary<string, string> { ["HBV"] = shortName } }, "screening result", "at most 200"),
            (physician, "/api/v1/care/therapy-requests/999999/cancel", new { reason = freeText }, "reason", "at most 4,000"),
            (physician, "/api/v1/care/therapy-requests/999999/receipt", new { note = freeText }, "note", "at most 4,000"),
            (physician, "/api/v1/care/therapy-requests/999999/follow-ups", new { observedAt = Start, outcome = "stable", note = freeText }, "note", "at most 4,000"),
            (tech, "/api/v1/care/lab/curves", new { assay = "dicentric", name = shortName, model = "lq", c = 0.001, alpha = 0.02, beta = 0.06, source = "s" }, "name", "at most 200"),
            (tech, "/api/v1/care/lab/curves/fit", new { assay = "dicentric", name = "fit", rows = Enumerable.Range(0, 101).Select(i => new { doseGy = i * 0.05, cells = 1000, aberrations = i }) }, "rows", "at most 100"),
            (physician, "/api/v1/care/priority-policy", new { changes = new { }, reason = freeText, password = "x" }, "reason", "at most 4,000"),
        };
        foreach (var (client, path, body, field, words) in cases)
        {
            var response = path.EndsWith("/priority-policy", StringComparison.Ordinal)
                ? await client.PutAsJsonAsync(U(path), body) : await client.PostAsJsonAsync(U(path), body);
            var problem = await Problem(response, HttpStatusCode.BadRequest, field);
            Assert.True(problem.ToString().Contains(words, StringComparison.Ordinal), $"{path}: {problem}");
        }
    }

    [Fact]
    public async Task A_body_over_its_routes_limit_is_a_413_and_an_import_route_takes_a_larger_one()
    {
        var server = await servers.ForAsync("sqlite", Stores);
        // Changed with issue 12 item 9: a coordinator opens incidents, not the administrator.
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);

        // Just under 1 MB with a too-long field: the field is named (400); just over 1 MB: the body is refused (413).
        using var under = JsonContent.Create(Incident(title: Text((int)RequestBodyLimits.JsonBytes - 1_000)));
        await Problem(await coordinator.PostAsync(U("/api/v1/care/incidents"), under), HttpStatusCode.BadRequest, "title");
        using var over = new StringContent(JsonSerializer.Serialize(Incident(title: Text((int)RequestBodyLimits.JsonBytes + 10))), Encoding.UTF8, "application/json");
        var tooLarge = await Problem(await coordinator.PostAsync(U("/api/v1/care/incidents"), over), HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains("at most 1 MB", tooLarge.ToString(), StringComparison.Ordinal);

        // A chunked body (no Content-Length) is cut by Kestrel at the same limit.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Incident(title: Text(2_000_000))))));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, U("/api/v1/care/incidents")) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var cut = await Problem(await coordinator.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains("at most 1 MB", cut.ToString(), StringComparison.Ordinal);

        // A CSV import of 2 MB is read (and refused for its content, not its size).
        var incident = await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents"), Incident(code: "INC-L1")), HttpStatusCode.Created);
        using var csv = new StringContent("patient,note\n" + string.Concat(Enumerable.Repeat("P-1," + Text(100) + "\n", 20_000)), Encoding.UTF8, "text/csv");
        var import = await coordinator.PostAsync(U($"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}/imports"), csv);
        await Problem(import, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Paging_cannot_overflow_a_page_past_the_end_is_empty_and_a_page_size_out_of_range_is_a_400()
    {
        var server = await servers.ForAsync("sqlite", Stores);
        using var admin = await server.WithTokenAsync(Role.Admin);
        using var coordinator = await server.WithTokenAsync(Role.Coordinator); // issue 12 item 9: the administrator opens no incident
        await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents"), Incident(code: "INC-L2")), HttpStatusCode.Created);

        var first = await OkJson(await admin.GetAsync(U("/api/v1/audit/entries?page=1&pageSize=10")));
        Assert.NotEmpty(first.GetProperty("entries").EnumerateArray());
        foreach (var page in new[] { "100000000", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            var far = await OkJson(await admin.GetAsync(U($"/api/v1/audit/entries?page={page}&pageSize=500")));
            Assert.Empty(far.GetProperty("entries").EnumerateArray());
            Assert.Equal(first.GetProperty("total").GetInt64(), far.GetProperty("total").GetInt64());

            var vials = await OkJson(await admin.GetAsync(U($"/api/v1/bank/vials?page={page}&pageSize=500")));
            Assert.Empty(vials.GetProperty("items").EnumerateArray());
        }

        foreach (var (query, field) in new[] { ("pageSize=0", "pageSize"), ("pageSize=100000", "pageSize"), ("page=0", "page"), ("page=-5", "page") })
        {
            await Problem(await admin.GetAsync(U("/api/v1/audit/entries?" + query)), HttpStatusCode.BadRequest, field);
            await Problem(await admin.GetAsync(U("/api/v1/bank/vials?" + query)), HttpStatusCode.BadRequest, field);
        }
    }

    [Fact]
    public async Task Observations_are_paged_and_their_texts_limited()
    {
        var server = await servers.ForAsync("sqlite", Stores);
        using var physician = await server.WithTokenAsync(Role.Physician);
        var incident = await OkJson(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), Incident(code: "INC-L3")), HttpStatusCode.Created);
        var patient = await OkJson(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}/patients"), new
        {
            code = "P-1", ageYears = 40, sex = "female", weightKg = 64.5, exposureStart = Start.AddHours(1), exposureHours = 0.5, route = "external",
        }), HttpStatusCode.Created);
        var url = $"/api/v1/care/patients/{patient.GetProperty("id").GetInt64()}/observations";
        object Symptoms(int note) => new
        {
            kind = "symptoms", observedAt = Start.AddHours(4),
            values = new { vomitingOnsetAt = Start.AddHours(1.5), signs = new Dictionary<string, double> { ["nausea"] = 2 }, note = Text(note) },
        };
        await Problem(await physician.PostAsJsonAsync(U(url), Symptoms(4_001)), HttpStatusCode.BadRequest, "note");
        await OkJson(await physician.PostAsJsonAsync(U(url), Symptoms(4_000)), HttpStatusCode.Created);

        var page = await physician.GetAsync(U(url + "?page=100000000&pageSize=500"));
        Assert.Empty((await OkJson(page)).EnumerateArray());
        Assert.Equal("1", page.Headers.GetValues("X-Total-Count").Single());
        await Problem(await physician.GetAsync(U(url + "?pageSize=501")), HttpStatusCode.BadRequest, "pageSize");
        var record = await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patient.GetProperty("id").GetInt64()}")));
        Assert.Equal(1, record.GetProperty("observationCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("observationsNext").ValueKind);
    }

    [Fact]
    public void Every_limit_has_a_reason_and_the_docs_list_it()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "security.md"));
        foreach (var (kind, reason) in Limits.Texts.Select(t => (t.Kind, t.Reason)).Concat(Limits.Counts.Select(c => (c.Kind, c.Reason))))
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), kind);
            Assert.Contains(kind, docs, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("RadRegen.slnx not found above the test binaries");
    }
}
