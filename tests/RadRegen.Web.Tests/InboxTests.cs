using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Web.Tests;

/// <summary>The inbox through the API and the page (ADR 0040).</summary>
public class InboxTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    [Fact]
    public async Task A_lot_made_by_a_technician_waits_for_QC_in_the_technicians_inbox_and_page()
    {
        var server = await servers.ForAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var me = await tech.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));
        var actor = (await server.Access.FindActiveActorAsync(me.GetProperty("id").GetInt64()))!;
        var bank = server.Services.GetRequiredService<BankService>();
        var laid = await BankWorld.LayDownAsync(bank, actor, "D-INBOX01");
        var lot = (await bank.CreateLotAsync(actor, new CreateLotRequest("S9102", laid.Wcb.Id, 2))).Id;

        var items = await tech.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/inbox", UriKind.Relative));
        var item = items.EnumerateArray().Single(i => i.GetProperty("link").GetString() == $"/bank/lots/{lot}");
        Assert.Equal("record the missing QC results", item.GetProperty("nextStep").GetString());
        Assert.Contains("cpc-technician", item.GetProperty("by").EnumerateArray().Select(r => r.GetString()));

        var page = await tech.GetStringAsync(new Uri("/inbox", UriKind.Relative));
        Assert.Contains($"href=\"/bank/lots/{lot}\"", page, StringComparison.Ordinal);
        var lotPage = await tech.GetStringAsync(new Uri($"/bank/lots/{lot}", UriKind.Relative));
        Assert.Contains("data-testid=\"next-step\"", lotPage, StringComparison.Ordinal);
        Assert.Contains("record the missing QC results", lotPage, StringComparison.Ordinal);

        using var auditor = await server.WithTokenAsync(Role.Auditor);
        Assert.Equal(0, (await auditor.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/inbox", UriKind.Relative))).GetArrayLength());
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/v1/inbox", UriKind.Relative))).StatusCode);
    }
}
