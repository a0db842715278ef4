using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Web.Tests.Bank;

/// <summary>Sortable columns of the vial inventory and the audit journal, through the API and the pages (ADR 0040).</summary>
public class InventoryAndJournalSortTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    [Fact]
    public async Task The_vial_search_sorts_keeps_its_page_object_and_exports_in_the_same_order()
    {
        var server = await TwoLotsAsync();
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var response = await auditor.GetAsync(new Uri("/api/v1/bank/vials?sort=-lot&pageSize=4", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        // The response is the page object it always was.
        Assert.Equal(["items", "total", "page", "pageSize"], page.EnumerateObject().Select(p => p.Name));
        Assert.True(page.GetProperty("total").GetInt64() >= 6);
        var lots = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("lotNumber").GetString()!).ToList();
        Assert.Equal(4, lots.Count);
        Assert.Equal(lots.OrderByDescending(l => l, StringComparer.Ordinal), lots);
        Assert.NotEqual(lots[0], lots[^1]);

        var all = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/bank/vials?sort=-identity&pageSize=500", UriKind.Relative));
        var identities = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("vial").GetProperty("identity").GetString()!).ToList();
        Assert.Equal(identities.OrderByDescending(i => i, StringComparer.Ordinal), identities);

        // The CSV export follows the same sort.
        var csv = await auditor.GetStringAsync(new Uri("/api/v1/bank/vials.csv?sort=-identity", UriKind.Relative));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')[0].Trim('"')).ToList();
        Assert.Equal(identities, rows);
    }

    [Theory]
    [InlineData("/api/v1/bank/vials?sort=expires_at")]
    [InlineData("/api/v1/bank/vials?sort=lot;drop%20table%20bank_vials")]
    [InlineData("/api/v1/bank/vials.csv?sort=din")]
    [InlineData("/api/v1/audit/entries?sort=payload")]
    [InlineData("/api/v1/audit/entries?sort=--time")]
    public async Task A_sort_outside_the_whitelist_is_a_problem_naming_sort(string url)
    {
        var server = await servers.ForAsync("sqlite");
        using var client = await server.WithTokenAsync(Role.Auditor);
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("sort", out _), problem.ToString());
    }

    [Fact]
    public async Task The_journal_api_sorts_by_user_and_time()
    {
        var server = await TwoLotsAsync();
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var byUser = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit/entries?sort=user&pageSize=500", UriKind.Relative));
        var users = byUser.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("user").GetString()!).ToList();
        Assert.True(users.Distinct().Count() > 1);
        Assert.Equal(users.Order(StringComparer.Ordinal), users);

        var oldest = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit/entries?sort=time&pageSize=3", UriKind.Relative));
        Assert.Equal([1L, 2, 3], oldest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        var newest = await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/audit/entries?pageSize=2", UriKind.Relative));
        var sequences = newest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.True(sequences[0] > sequences[1]);
    }

    [Fact]
    public async Task The_inventory_and_audit_pages_have_sortable_headers_and_a_pager()
    {
        var server = await TwoLotsAsync();
        var (browser, _) = await server.SignInAsync("demo-auditor", server.PasswordOf(Role.Auditor));
        using (browser)
        {
            var inventory = await browser.GetStringAsync(new Uri("/bank/inventory?sort=-lot&pageSize=2", UriKind.Relative));
            Assert.Contains("data-testid=\"sort-lot\"", inventory, StringComparison.Ordinal);
            Assert.Contains("aria-sort=\"descending\"", inventory, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"pager\"", inventory, StringComparison.Ordinal);
            Assert.Contains("sort=-lot", inventory, StringComparison.Ordinal);
            var bad = await browser.GetStringAsync(new Uri("/bank/inventory?sort=nope", UriKind.Relative));
            Assert.Contains("data-testid=\"list-error\">sort:", bad, StringComparison.Ordinal);

            var audit = await browser.GetStringAsync(new Uri("/audit?sort=user", UriKind.Relative));
            Assert.Contains("data-testid=\"sort-recordType\"", audit, StringComparison.Ordinal);
            Assert.Contains("aria-sort=\"ascending\"", audit, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"pager\"", audit, StringComparison.Ordinal);
            var badAudit = await browser.GetStringAsync(new Uri("/audit?sort=payload", UriKind.Relative));
            Assert.Contains("data-testid=\"list-error\">sort:", badAudit, StringComparison.Ordinal);
        }
    }

    /// <summary>The class's server with two lots of three vials each (laid down once through the bank service).</summary>
    private async Task<TestServer> TwoLotsAsync()
    {
        var server = await servers.ForAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var existing = await tech.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/bank/vials?pageSize=1", UriKind.Relative));
        if (existing.GetProperty("total").GetInt64() == 0)
        {
            var me = await tech.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));
            var actor = (await server.Access.FindActiveActorAsync(me.GetProperty("id").GetInt64()))!;
            var bank = server.Services.GetRequiredService<BankService>();
            var laid = await BankWorld.LayDownAsync(bank, actor, "D-SORT01");
            await bank.CreateLotAsync(actor, new CreateLotRequest("S9102", laid.Wcb.Id, 3));
            await bank.CreateLotAsync(actor, new CreateLotRequest("S9102", laid.Wcb.Id, 3));
        }

        return server;
    }
}
