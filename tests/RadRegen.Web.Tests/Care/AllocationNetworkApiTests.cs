using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Network;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Demo;
using RadRegen.Network.Events;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Care;

/// <summary>
/// The allocation API with other centers' stock (issue 13 item 2, ADR 0030): remote units shown with
/// their center and transport hours as proposals, left out on request, and turned into shipment
/// requests by the coordinator alone.
/// </summary>
public partial class AllocationNetworkApiTests
{
    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();

    private const string Remote = "W0002";

    private const string Typing = "HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:01";

    private const string Line = "HLA-A*24:02+HLA-A*24:02^HLA-B*52:01+HLA-B*52:01^HLA-DRB1*15:02+HLA-DRB1*15:02";

    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-2);

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Another center's stock as the network consumer would apply it.</summary>
    private static async Task RemoteStockAsync(IServiceProvider services, int vials)
    {
        var expiry = DateTimeOffset.UtcNow.AddDays(100);
        var payload = new StockPayload("lot-7", "S9105", "iPSC platelets", false, Line, null, vials, expiry, expiry, [new StockSite("Main", vials, expiry, expiry)], true, DateTimeOffset.UtcNow);
        var handler = services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.InventoryStock);
        await using var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), StockPublisher.SchemaVersion, Remote, EventKinds.InventoryStock, "stock/lot-7", 1,
            DateTimeOffset.UtcNow, payload.ToJson()), CancellationToken.None);
        await uow.CommitAsync();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Remote_units_are_proposals_with_center_and_hours_and_the_coordinator_requests_them(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, o => o with
        {
            Settings = o.Settings with { SharedInventory = new SharedInventorySettings(true, new Dictionary<string, double> { [Remote] = 6 }) },
        });
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        using var physician = await server.WithTokenAsync(Role.Physician);
        await RemoteStockAsync(server.Services, 5);

        var incident = await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-NET1", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = Start, place = "Goiânia", radionuclides = new[] { "Cs-137" },
        }), HttpStatusCode.Created);
        var url = $"/api/v1/care/incidents/{incident.GetProperty("id").GetInt64()}";
        var csv = new StringBuilder("patient,age,sex,weightKg,burns,hla,observedAt,lymphocytes,granulocytes,platelets\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-1,40,female,60,no,\"{Typing}\",{Iso(Start.AddHours(4))},1.6,5,200\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-1,,,,,,{Iso(Start.AddHours(28))},0.9,2,8\r\n");
        await OkJson(await coordinator.PostAsync(U(url + "/imports"), new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")));

        var run = await OkJson(await coordinator.PostAsJsonAsync(U(url + "/allocations"), new { }));
        Assert.Equal((0, 5, 5), (run.GetProperty("vialsInStock").GetInt32(), run.GetProperty("remoteVials").GetInt32(), run.GetProperty("vialsAllocated").GetInt32()));
        var outcome = run.GetProperty("outcomes").EnumerateArray().Single();
        Assert.Equal(24, outcome.GetProperty("windowHours").GetDouble());
        var allotment = outcome.GetProperty("allotments").EnumerateArray().Single();
        Assert.True(allotment.GetProperty("remote").GetBoolean());
        Assert.Equal((Remote, "lot-7", 6.0), (allotment.GetProperty("center").GetString(), allotment.GetProperty("stockRef").GetString(), allotment.GetProperty("transportHours").GetDouble()));
        Assert.Contains(outcome.GetProperty("explanation").EnumerateArray(), e => e.GetString()!.Contains("W0002 must accept a shipment request", StringComparison.Ordinal));
        Assert.NotEmpty(run.GetProperty("remoteNotes").EnumerateArray());

        var local = await OkJson(await coordinator.PostAsJsonAsync(U(url + "/allocations"), new { remote = false }));
        Assert.Equal((0, 0), (local.GetProperty("remoteVials").GetInt32(), local.GetProperty("vialsAllocated").GetInt32()));

        await Problem(await physician.PostAsJsonAsync(U(url + "/allocations/shipment-requests"), new { }), HttpStatusCode.Forbidden);
        await Problem(await coordinator.PostAsJsonAsync(U(url + "/allocations/shipment-requests"), new { centers = new[] { "W0009" } }), HttpStatusCode.BadRequest, "centers");
        var requested = await OkJson(await coordinator.PostAsJsonAsync(U(url + "/allocations/shipment-requests"), new { }));
        var sent = requested.GetProperty("requested").EnumerateArray().Single();
        Assert.Equal((Remote, 5), (sent.GetProperty("center").GetString(), sent.GetProperty("lines")[0].GetProperty("count").GetInt32()));
        var shipment = await OkJson(await coordinator.GetAsync(U("/api/v1/network/shipments/" + sent.GetProperty("shipmentId").GetString())));
        Assert.Equal("requested", shipment.GetProperty("state").GetString());
        Assert.Single((await OkJson(await coordinator.PostAsJsonAsync(U(url + "/allocations/shipment-requests"), new { }))).GetProperty("skipped").EnumerateArray());

        // The page marks the remote unit with its owner and hours and offers the request form.
        var (browser, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), server.PasswordOf(Role.Coordinator));
        using (browser)
        {
            var pageUrl = $"/care/incidents/{incident.GetProperty("id").GetInt64()}/allocation";
            async Task<string> PostAsync(string handler)
            {
                var page = await browser.GetStringAsync(U(pageUrl));
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value, ["TransportLimits"] = "", ["MaxHvg"] = "2",
                });
                var response = await browser.PostAsync(U(pageUrl + handler), form);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            }

            var html = await PostAsync("");
            Assert.Contains("other center · proposal", html, StringComparison.Ordinal);
            Assert.Contains("W0002's stock", html, StringComparison.Ordinal);
            Assert.Contains("~6 h transport", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"request-shipments\"", html, StringComparison.Ordinal);
            var requestedHtml = await PostAsync("?handler=Shipments");
            Assert.Contains("Shipment requests sent", requestedHtml, StringComparison.Ordinal);
            Assert.Contains("Not asked again: W0002", requestedHtml, StringComparison.Ordinal);
        }
    }
}
