using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Network;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Events;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>The shared inventory through the real server (issue 13 item 2): the search API, the therapy request's offers from other centers, the page, the roles.</summary>
public class NetworkInventoryApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_network_inventory_lists_every_centers_stock_with_its_center_and_the_therapy_request_its_offers(string engine)
    {
        await using var server = await TestServer.StartAsync(engine, o => o with
        {
            Settings = o.Settings with { SharedInventory = SharedInventorySettings.Default with { TransportHours = new Dictionary<string, double> { ["W0002"] = 3 } } },
        });
        await TherapySeed.ReleasedVialsAsync(server.Services, 3);
        var clock = server.Services.GetRequiredService<IClock>();
        var now = clock.UtcNow;

        // Another center's stock, as the network consumer hands it over.
        var remote = new StockPayload("lot-7", "S9102", "MSC-like", false, TherapySeed.LineHaplotype, null, 5, now.AddDays(90), now.AddDays(120),
            [new StockSite("Main CPC", 5, now.AddDays(90), now.AddDays(120))], true, now);
        await using (var uow = await server.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write))
        {
            var handler = server.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.InventoryStock);
            await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), 1, "W0002", EventKinds.InventoryStock, "stock/lot-7", 42, now, remote.ToJson()),
                CancellationToken.None);
            await uow.CommitAsync();
        }

        var doctor = await server.WithTokenAsync(Role.Physician);
        var all = await OkJson(await doctor.GetAsync(U("/api/v1/network/inventory")));
        Assert.Equal(2, all.GetProperty("total").GetInt64());
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["W0001", "W0002"], items.Select(i => i.GetProperty("center").GetString()));
        Assert.Equal([3, 5], items.Select(i => i.GetProperty("available").GetInt32()));
        Assert.Equal(3, items[1].GetProperty("transportHours").GetDouble());
        Assert.Equal("at W0002, ~3 h transport", items[1].GetProperty("where").GetString());

        var compatible = await OkJson(await doctor.GetAsync(U($"/api/v1/network/inventory?product=S9102&compatibleWith={Uri.EscapeDataString(TherapySeed.MatchingPatient)}&pageSize=1")));
        Assert.Equal(2, compatible.GetProperty("total").GetInt64());
        var best = Assert.Single(compatible.GetProperty("items").EnumerateArray());
        Assert.Equal(("W0001", 1.0), (best.GetProperty("center").GetString(), best.GetProperty("compatibility").GetDouble()));

        await Problem(await doctor.GetAsync(U("/api/v1/network/inventory?compatibleWith=A*99:99:99:99:99")), HttpStatusCode.BadRequest, "compatibleWith");
        await Problem(await doctor.GetAsync(U("/api/v1/network/inventory?page=0")), HttpStatusCode.BadRequest, "page");
        await Problem(await (await server.WithTokenAsync(Role.Admin)).GetAsync(U("/api/v1/network/inventory")), HttpStatusCode.Forbidden);
        await Problem(await (await server.WithTokenAsync(Role.Trainer)).GetAsync(U("/api/v1/network/inventory")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await (await server.WithTokenAsync(Role.Auditor)).GetAsync(U("/api/v1/network/inventory"))).StatusCode);

        // A physician's therapy request sees the other center's stock as an option to ask for.
        var care = server.Services.GetRequiredService<CareService>();
        var admin = Actor.LocalOperator("api-test", Role.Coordinator); // issue 12 item 9: a coordinator opens incidents and registers patients
        var incident = await care.CreateIncidentAsync(admin, new NewIncident("INC-NET1", "API", IncidentKind.ReactorAccident, now.AddHours(-12), "Site", ["Cs-137"]));
        var patient = await care.RegisterPatientAsync(admin, incident.Id, new NewPatient("P-NET-0001", 50, Sex.Female, 80, now.AddHours(-12), HlaTyping: TherapySeed.MatchingPatient));
        var request = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/therapy-requests"),
            new { productCode = "S9102", dose = 2, urgency = "emergency", treatingCenter = "Hospital A" }), HttpStatusCode.Created);
        var id = request.GetProperty("id").GetInt64();
        var offers = await OkJson(await doctor.GetAsync(U($"/api/v1/care/therapy-requests/{id}/network-offers")));
        var offer = Assert.Single(offers.GetProperty("offers").EnumerateArray());
        Assert.Equal(("W0002", "lot-7", "at W0002, ~3 h transport"), (offer.GetProperty("center").GetString(), offer.GetProperty("stockRef").GetString(),
            offer.GetProperty("where").GetString()));

        // The page, and the patient's page with the other center's offer beside the local matches.
        var (browser, _) = await server.SignInAsync("demo-physician", server.PasswordOf(Role.Physician));
        using (browser)
        {
            var page = await browser.GetStringAsync(U("/network/inventory?product=S9102"));
            Assert.Contains("Network inventory", page, StringComparison.Ordinal);
            Assert.Contains("W0002", page, StringComparison.Ordinal);
            Assert.Contains("~3 h", page, StringComparison.Ordinal);
            var bad = await browser.GetStringAsync(U("/network/inventory?compatibleWith=A*99:99:99:99:99"));
            Assert.Contains("invalid-feedback", bad, StringComparison.Ordinal);
            var patientPage = await browser.GetStringAsync(U($"/care/patients/{patient.Id}"));
            Assert.Contains("data-testid=\"network-offers\"", patientPage, StringComparison.Ordinal);
            Assert.Contains("at W0002, ~3 h transport", patientPage, StringComparison.Ordinal);
        }
    }
}
