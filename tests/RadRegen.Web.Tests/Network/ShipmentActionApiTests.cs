using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>
/// ADR 0031 through the real server (center W0001): decline an incoming request, cancel an own
/// request, and QA's acceptance of a receipt into this center's bank; errors name the field, roles hold.
/// </summary>
public class ShipmentActionApiTests
{
    private const string Other = "W0002";

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static string Here => RadRegen.Hosting.Configuration.CenterSettings.DemoFacilityCode;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task ApplyAsync(TestServer server, string key, ShipmentStatePayload payload)
    {
        var handler = server.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.Shipment);
        await using var uow = await server.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), ShipmentService.SchemaVersion, Other, EventKinds.Shipment, key, 1,
            DateTimeOffset.UtcNow, JsonSerializer.Serialize(payload, ShipmentJson.Options)), CancellationToken.None);
        await uow.CommitAsync();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Requests_are_declined_and_cancelled_and_a_receipt_is_accepted_into_this_centers_bank(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var seeded = await TherapySeed.ReleasedVialsAsync(server.Services, 1, "ACC");
        var boxId = seeded[0].BoxId!.Value;
        var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var doctor = await server.WithTokenAsync(Role.Physician);
        var qa = await server.WithTokenAsync(Role.QaOfficer);
        var coordinator = await server.WithTokenAsync(Role.Coordinator);
        var admin = await server.WithTokenAsync(Role.Admin);
        await OkJson(await qa.PutAsJsonAsync(U("/api/v1/network/shipments/settings"),
            new { requalificationIntervalDays = 90, loggingIntervalMinutes = 10, reason = "SOP-SHIP-001" }));
        var now = DateTimeOffset.UtcNow;

        // Decline an incoming request: the owning center's coordinator or QA, with a reason.
        var incoming = "W0002-20261129-DECLINE1";
        await ApplyAsync(server, $"shipment/{incoming}/receiver", new ShipmentStatePayload(incoming, ShipmentSide.Receiver, Here, Other,
            new ShipmentRequest("stockpile", [new RequestLine("S9102", 1, [])], now, "docb"), null, ReceiverSide.Initial));
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{incoming}/decline"), new { reason = "no" }), HttpStatusCode.Forbidden);
        await Problem(await admin.PostAsJsonAsync(U($"/api/v1/network/shipments/{incoming}/decline"), new { reason = "no" }), HttpStatusCode.Forbidden);
        await Problem(await coordinator.PostAsJsonAsync(U($"/api/v1/network/shipments/{incoming}/decline"), new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        var declined = await OkJson(await coordinator.PostAsJsonAsync(U($"/api/v1/network/shipments/{incoming}/decline"), new { reason = "needed here" }));
        Assert.Equal("declined", declined.GetProperty("sender").GetProperty("state").GetString());

        // Cancel an own request before dispatch: the requester's roles.
        var own = await OkJson(await doctor.PostAsJsonAsync(U("/api/v1/network/shipments"),
            new { senderCenter = Other, reason = "ARS patients", lines = new[] { new { productCode = "S9102", count = 1 } } }), HttpStatusCode.Created);
        var ownId = own.GetProperty("id").GetString()!;
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{ownId}/cancel"), new { reason = "x" }), HttpStatusCode.Forbidden);
        var cancelled = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/network/shipments/{ownId}/cancel"), new { reason = "patient transferred" }));
        Assert.Equal("cancelled", cancelled.GetProperty("receiver").GetProperty("state").GetString());
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/network/shipments/{ownId}/cancel"), new { reason = "again" }), HttpStatusCode.UnprocessableEntity);

        // A receipt from W0002 with the lot's lineage, received ok, accepted by QA into a box here.
        var request = await OkJson(await doctor.PostAsJsonAsync(U("/api/v1/network/shipments"),
            new { senderCenter = Other, reason = "ARS patients", lines = new[] { new { productCode = "S9102", count = 1 } } }), HttpStatusCode.Created);
        var id = request.GetProperty("id").GetString()!;
        var shipment = JsonSerializer.Deserialize<Shipment>(request.GetRawText(), ShipmentJson.Options)!;
        var shipped = new ShippedVial("W000226000077", "S9102", "00", "LW000226000077", "B-L1", now.AddDays(300));
        var lineage = new LotLineage("LW000226000077", "W000226000077", Other, "S9102", IntendedUse.Clinical, now.AddDays(-30), now.AddDays(300),
            "B-L1", "episomal plasmid", "clone 2", 11, IntendedUse.Clinical, "B-L1-WCB", 17, "B-L1-MCB", 14, TherapySeed.LineHaplotype, null, true,
            new ConsentScopes(true, true, true),
            new EligibilityDetermination(true, [.. BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative"))], "eligible: all negative",
                DonorEligibility.Rule, "released", now.AddDays(-20), "qa-officer", Other));
        var sender = SenderSide.Initial with
        {
            State = ShipmentState.Dispatched, Items = [shipped], Shipper = new ShipperSnapshot("DS-B9", "VS-10", now.AddDays(-3), 240, now.AddHours(-3)),
            PlannedTransitHours = 24, TemperatureLimitCelsius = -150, LimitSource = "ISCT", PackedAt = now.AddHours(-2.5), PackedBy = "techa",
            DispatchedAt = now.AddHours(-2), Courier = "Cryo Courier",
            HandOffs = [new CustodyHandOff("W0002 techa", "courier Cryo Courier", now.AddHours(-2), Other, "techa", 7, null)], Lots = [lineage],
        };
        await ApplyAsync(server, $"shipment/{id}/sender", new ShipmentStatePayload(id, ShipmentSide.Sender, Other, Here, shipment.Request, sender, null));
        var points = Enumerable.Range(0, 14).Select(i => new { at = now.AddHours(-2).AddMinutes(10 * i), celsius = -186.0 }).ToArray();
        await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/logger/imports"), new { points }));
        var scan = new[] { new { din = shipped.Din, productCode = shipped.ProductCode, division = shipped.Division } };
        await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/receive"),
            new { received = scan, courier = "Cryo Courier", password = server.PasswordOf(Role.CpcTechnician) }));

        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/accept"), new { boxId, password = server.PasswordOf(Role.CpcTechnician) }),
            HttpStatusCode.Forbidden);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/accept"), new { password = server.PasswordOf(Role.QaOfficer) }),
            HttpStatusCode.BadRequest, "boxId");
        var accepted = await OkJson(await qa.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/accept"),
            new { boxId, password = server.PasswordOf(Role.QaOfficer), note = "receipt inspection RI-7" }));
        Assert.Equal("accepted", accepted.GetProperty("receiver").GetProperty("state").GetString());
        var bank = server.Services.GetRequiredService<BankService>();
        var vial = await bank.FindVialAsync(Actor.LocalOperator("test"), shipped.Din, shipped.ProductCode, shipped.Division);
        Assert.Equal(VialStatus.Released, vial.Status);
        Assert.Equal(boxId, vial.BoxId);

        // The vial's page says where it came from.
        var (browser, _) = await server.SignInAsync(RadRegen.Hosting.Demo.DemoSeeder.DemoUserName(Role.CpcTechnician), server.PasswordOf(Role.CpcTechnician));
        var page = await browser.GetStringAsync(U($"/bank/vials/{vial.Id}"));
        Assert.Contains($"received from center {Other}, shipment {id}", page, StringComparison.Ordinal);
        var lotPage = await browser.GetStringAsync(U($"/bank/lots/{vial.LotId}"));
        Assert.Contains($"from center {Other}", lotPage, StringComparison.Ordinal);

        // A return needs a refused, quarantined or rejected receipt; its decision, a return.
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/return"), new
        {
            courier = "Cryo Courier", chargedAt = now, plannedTransitHours = 24, reason = "x", password = server.PasswordOf(Role.CpcTechnician),
        }), HttpStatusCode.UnprocessableEntity);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/return-decision"),
            new { decision = "keep", reason = "x", password = server.PasswordOf(Role.QaOfficer) }), HttpStatusCode.BadRequest, "decision");
    }
}
