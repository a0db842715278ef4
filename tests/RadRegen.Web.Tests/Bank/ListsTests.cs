using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Web.Tests.Bank;

/// <summary>Lists that grow: search, sort and page in the API and on the pages (ADR 0040), on the demo bank.</summary>
public class ListsTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    [Fact]
    public async Task The_donor_list_api_pages_with_headers_and_links()
    {
        var server = await TwelveDonorsAsync();
        using var client = await server.WithTokenAsync(Role.Auditor);
        var response = await client.GetAsync(new Uri("/api/v1/bank/donors?pageSize=5&page=2&sort=-code", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var donors = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(5, donors.GetArrayLength());
        var total = long.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 12);
        Assert.Equal("-code", response.Headers.GetValues("X-Sort").Single());
        var link = response.Headers.GetValues("Link").Single();
        Assert.Contains("page=3", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", link, StringComparison.Ordinal);

        var codes = donors.EnumerateArray().Select(d => d.GetProperty("code").GetString()!).ToList();
        Assert.Equal(codes.OrderByDescending(c => c, StringComparer.Ordinal), codes);
    }

    [Fact]
    public async Task The_vial_and_journal_lists_keep_their_page_object_and_send_the_same_paging_headers()
    {
        var server = await TwelveDonorsAsync(); // journal entries enough for three pages of three
        using var client = await server.WithTokenAsync(Role.Auditor);
        foreach (var (url, sort, page) in new[]
                 {
                     ("/api/v1/bank/vials?pageSize=3", "expires", 1),
                     ("/api/v1/audit/entries?pageSize=3&page=2&sort=time", "time", 2),
                     ("/api/v1/audit/entries?pageSize=3&page=3", "-sequence", 3),
                 })
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var total = body.GetProperty("total").GetInt64();
            Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
            Assert.Equal($"{page}", response.Headers.GetValues("X-Page").Single());
            Assert.Equal("3", response.Headers.GetValues("X-Page-Size").Single());
            Assert.Equal(sort, response.Headers.GetValues("X-Sort").Single());
            var link = response.Headers.GetValues("Link").Single();
            Assert.Contains("rel=\"first\"", link, StringComparison.Ordinal);
            Assert.Contains("rel=\"last\"", link, StringComparison.Ordinal);
            Assert.Equal(page > 1, link.Contains("rel=\"prev\"", StringComparison.Ordinal));
            Assert.Equal(total > page * 3, link.Contains($"page={page + 1}>; rel=\"next\"", StringComparison.Ordinal));
            if (url.Contains("sort=", StringComparison.Ordinal))
            {
                Assert.Contains($"sort={sort}", link, StringComparison.Ordinal); // the links keep the query
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/bank/donors?sort=name", "sort")]
    [InlineData("/api/v1/bank/donors?page=0", "page")]
    [InlineData("/api/v1/bank/lots?pageSize=501", "pageSize")]
    [InlineData("/api/v1/bank/lines?sort=-passage;drop", "sort")]
    public async Task A_bad_list_parameter_is_a_problem_naming_it(string url, string field)
    {
        var server = await servers.ForAsync("sqlite");
        using var client = await server.WithTokenAsync(Role.Auditor);
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_donor_page_shows_one_page_with_a_search_and_sortable_headers()
    {
        var server = await TwelveDonorsAsync();
        using var client = await server.WithTokenAsync(Role.Auditor);
        var page = await client.GetStringAsync(new Uri("/bank/donors?pageSize=10", UriKind.Relative));
        Assert.Contains("data-testid=\"pager\"", page, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"ascending\"", page, StringComparison.Ordinal);
        Assert.Equal(10, CountRows(page, "donors"));

        var bad = await client.GetStringAsync(new Uri("/bank/donors?page=abc", UriKind.Relative));
        Assert.Contains("page: &#x27;abc&#x27; is not a whole number", bad, StringComparison.Ordinal);

        var lots = await client.GetStringAsync(new Uri("/bank/lots?status=released&sort=expires", UriKind.Relative));
        Assert.Contains("data-testid=\"lots\"", lots, StringComparison.Ordinal);
        Assert.DoesNotContain(">quarantine</span>", lots, StringComparison.Ordinal);

        var lines = await client.GetAsync(new Uri("/bank/lines?q=zzzz-no-such", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, lines.StatusCode);
        Assert.Contains("No line matches.", await lines.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The class's server with at least twelve donors (registered once through the API).</summary>
    private async Task<TestServer> TwelveDonorsAsync()
    {
        var server = await servers.ForAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var existing = await tech.GetAsync(new Uri("/api/v1/bank/donors?q=D-LT&pageSize=1", UriKind.Relative));
        if (existing.Headers.GetValues("X-Total-Count").Single() == "0")
        {
            for (var i = 1; i <= 12; i++)
            {
                var created = await tech.PostAsJsonAsync(new Uri("/api/v1/bank/donors", UriKind.Relative), new { code = $"D-LT{i:00}", banking = true });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
        }

        return server;
    }

    private static int CountRows(string html, string table)
    {
        var start = html.IndexOf($"data-testid=\"{table}\"", StringComparison.Ordinal);
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        return body.Split("<tr>").Length - 1;
    }
}
