using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>
/// <c>/api/v1/network/shipments</c> through the real server (center W0001): the sending side after an
/// incoming request, the receiving side after the other center's dispatch (both other-center events
/// applied by the registered handler), errors as problem details naming the field, and roles.
/// </summary>
public class ShipmentApiTests
{
    private const string Other = "W0002";

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task ApplyAsync(TestServer server, string source, string key, ShipmentStatePayload payload)
    {
        var handler = server.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.Shipment);
        await using var uow = await server.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), ShipmentService.SchemaVersion, source, EventKinds.Shipment, key, 1,
            DateTimeOffset.UtcNow, JsonSerializer.Serialize(payload, ShipmentJson.Options)), CancellationToken.None);
        await uow.CommitAsync();
    }

    private static async Task ConfigureAsync(TestServer server)
    {
        var qa = await server.WithTokenAsync(Role.QaOfficer);
        await OkJson(await qa.PutAsJsonAsync(U("/api/v1/network/shipments/settings"),
            new { requalificationIntervalDays = 90, loggingIntervalMinutes = 10, reason = "SOP-SHIP-001" }));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_sending_center_packs_an_incoming_request_into_a_qualified_shipper_and_hands_it_to_the_courier(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var vials = await TherapySeed.ReleasedVialsAsync(server.Services, 2, "SHIP");
        var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var doctor = await server.WithTokenAsync(Role.Physician);
        var qa = await server.WithTokenAsync(Role.QaOfficer);
        var admin = await server.WithTokenAsync(Role.Admin);

        // Settings: QA's, validated; nobody else's.
        Assert.Equal(JsonValueKind.Null, (await OkJson(await tech.GetAsync(U("/api/v1/network/shipments/settings")))).GetProperty("settings").ValueKind);
        await Problem(await tech.PutAsJsonAsync(U("/api/v1/network/shipments/settings"), new { requalificationIntervalDays = 90, loggingIntervalMinutes = 10, reason = "x" }),
            HttpStatusCode.Forbidden);
        await Problem(await admin.PutAsJsonAsync(U("/api/v1/network/shipments/settings"), new { requalificationIntervalDays = 90, loggingIntervalMinutes = 10, reason = "x" }),
            HttpStatusCode.Forbidden);
        await Problem(await qa.PutAsJsonAsync(U("/api/v1/network/shipments/settings"), new { requalificationIntervalDays = 0, loggingIntervalMinutes = 10, reason = "x" }),
            HttpStatusCode.BadRequest, "requalificationIntervalDays");
        await ConfigureAsync(server);

        // The shipper: registered with its last qualification, charged; its remaining hold is computed.
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Created, (await tech.PostAsJsonAsync(U("/api/v1/network/shipments/shippers"), new
        {
            serial = "DS-API", model = "VS-10", qualifiedAt = now.AddDays(-5), qualifiedHoldHours = 240, qualificationReference = "QR-API-1",
        })).StatusCode);
        await Problem(await tech.PostAsJsonAsync(U("/api/v1/network/shipments/shippers"), new
        {
            serial = "DS-BAD", model = "VS-10", qualifiedAt = now.AddDays(-5), qualifiedHoldHours = -1, qualificationReference = "QR",
        }), HttpStatusCode.BadRequest, "qualifiedHoldHours");
        await OkJson(await tech.PostAsJsonAsync(U("/api/v1/network/shipments/shippers/DS-API/charge"), new { }));
        var shipper = (await OkJson(await tech.GetAsync(U("/api/v1/network/shipments/shippers"))))[0];
        Assert.InRange(shipper.GetProperty("remainingHoldHours").GetDouble(), 239.9, 240.0);

        // An incoming request from W0002 (its receiver side, as the engine's consumer would apply it).
        var id = "W0002-20261129-APITEST1";
        await ApplyAsync(server, Other, $"shipment/{id}/receiver", new ShipmentStatePayload(id, ShipmentSide.Receiver, DemoCenter, Other,
            new ShipmentRequest("radiation accident, ARS patients", [new RequestLine("S9102", 2, [])], now, "docb"), null, ReceiverSide.Initial));
        var list = await OkJson(await tech.GetAsync(U("/api/v1/network/shipments")));
        var row = list.EnumerateArray().Single(s => s.GetProperty("shipment").GetProperty("id").GetString() == id);
        Assert.Equal("sender", row.GetProperty("side").GetString());
        Assert.Equal("requested", row.GetProperty("state").GetString());

        var picked = vials.Select(v => new { din = v.Din, productCode = v.ProductCode, division = v.Division }).ToArray();
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/pack"), new { shipperSerial = "DS-API", plannedTransitHours = 0, vials = picked }),
            HttpStatusCode.BadRequest, "plannedTransitHours");
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/pack"), new { shipperSerial = "DS-API", plannedTransitHours = 300, vials = picked }),
            HttpStatusCode.UnprocessableEntity);
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/pack"), new { shipperSerial = "DS-API", plannedTransitHours = 48, vials = picked }),
            HttpStatusCode.Forbidden);
        var packed = await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/pack"), new { shipperSerial = "DS-API", plannedTransitHours = 48, vials = picked }));
        Assert.Equal("packed", packed.GetProperty("sender").GetProperty("state").GetString());
        Assert.Equal(2, packed.GetProperty("sender").GetProperty("items").GetArrayLength());

        var wrong = await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/dispatch"), new { courier = "Cryo Courier", password = "not my password" });
        Assert.False(wrong.IsSuccessStatusCode);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/dispatch"), new { courier = " ", password = server.PasswordOf(Role.CpcTechnician) }),
            HttpStatusCode.BadRequest, "courier");
        var dispatched = await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/dispatch"),
            new { courier = "Cryo Courier (J. Doe)", trackingNumber = "TRK-9", password = server.PasswordOf(Role.CpcTechnician) }));
        Assert.Equal("dispatched", dispatched.GetProperty("sender").GetProperty("state").GetString());

        var one = await tech.GetAsync(U($"/api/v1/network/shipments/{id}"));
        Assert.NotNull(one.Headers.ETag);
        var view = await OkJson(one);
        Assert.Equal("dispatched", view.GetProperty("state").GetString());
        Assert.EndsWith(" h", view.GetProperty("remainingHoldText").GetString(), StringComparison.Ordinal);

        // The page: in and out, state, remaining hold.
        var (browser, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.CpcTechnician), server.PasswordOf(Role.CpcTechnician));
        var page = await browser.GetStringAsync(U("/network/shipments"));
        Assert.Contains(id, page, StringComparison.Ordinal);
        Assert.Contains("dispatched", page, StringComparison.Ordinal);
        Assert.Contains("DS-API", page, StringComparison.Ordinal);
        await Problem(await admin.GetAsync(U("/api/v1/network/shipments")), HttpStatusCode.Forbidden);
    }

    private static string DemoCenter => RadRegen.Hosting.Configuration.CenterSettings.DemoFacilityCode;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_receiving_center_requests_reads_the_logger_and_receives_what_the_other_center_dispatched(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await ConfigureAsync(server);
        var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var doctor = await server.WithTokenAsync(Role.Physician);
        var qa = await server.WithTokenAsync(Role.QaOfficer);

        await Problem(await tech.PostAsJsonAsync(U("/api/v1/network/shipments"), new { senderCenter = Other, reason = "x", lines = new[] { new { productCode = "S9102", count = 1 } } }),
            HttpStatusCode.Forbidden);
        await Problem(await doctor.PostAsJsonAsync(U("/api/v1/network/shipments"), new { senderCenter = "nowhere", reason = "x", lines = new[] { new { productCode = "S9102", count = 1 } } }),
            HttpStatusCode.BadRequest, "senderCenter");
        var created = await doctor.PostAsJsonAsync(U("/api/v1/network/shipments"),
            new { senderCenter = Other, reason = "ARS patients, local stock exhausted", lines = new[] { new { productCode = "S9102", count = 1 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await OkJson(created);
        var id = request.GetProperty("id").GetString()!;

        // The other center packed and handed over 5 h ago (its sender side, as its event carries it).
        var now = DateTimeOffset.UtcNow;
        var shipped = new ShippedVial("W000226000001", "S9102", "00", "B-LOT-1", "B-L1", now.AddDays(300));
        var shipper = new ShipperSnapshot("DS-B1", "VS-10", now.AddDays(-3), 240, now.AddHours(-6));
        var sender = SenderSide.Initial with
        {
            State = ShipmentState.Dispatched, Items = [shipped], Shipper = shipper, PlannedTransitHours = 24, TemperatureLimitCelsius = -150,
            LimitSource = "ISCT", PackedAt = now.AddHours(-5.5), PackedBy = "techa", DispatchedAt = now.AddHours(-5), Courier = "Cryo Courier",
            HandOffs = [new CustodyHandOff("W0002 techa", "courier Cryo Courier", now.AddHours(-5), Other, "techa", 7, null)],
        };
        var shipment = JsonSerializer.Deserialize<Shipment>(request.GetRawText(), ShipmentJson.Options)!;
        await ApplyAsync(server, Other, $"shipment/{id}/sender",
            new ShipmentStatePayload(id, ShipmentSide.Sender, Other, DemoCenter, shipment.Request, sender, null));
        var incoming = await OkJson(await tech.GetAsync(U($"/api/v1/network/shipments/{id}")));
        Assert.Equal("dispatched", incoming.GetProperty("state").GetString());
        Assert.InRange(incoming.GetProperty("remainingHoldHours").GetDouble(), 233.9, 234.0);

        // The logger: CSV through the one reader; a bad JSON point is named.
        var csv = new StringBuilder("time,celsius\n");
        for (var t = now.AddHours(-5); t <= now; t = t.AddMinutes(10))
        {
            csv.Append(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(",-186.5\n");
        }

        using (var body = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))
        {
            var imported = await OkJson(await tech.PostAsync(U($"/api/v1/network/shipments/{id}/logger/imports"), body));
            Assert.Equal(31, imported.GetProperty("points").GetInt32());
        }

        using (var bad = new StringContent("time,celsius\nyesterday,-180\n", Encoding.UTF8, "text/csv"))
        {
            await Problem(await tech.PostAsync(U($"/api/v1/network/shipments/{id}/logger/imports"), bad), HttpStatusCode.BadRequest, "time");
        }

        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/logger/imports"), new { points = new[] { new { at = now, celsius = 500 } } }),
            HttpStatusCode.BadRequest, "points[0].celsius");
        Assert.Equal(31, (await OkJson(await tech.GetAsync(U($"/api/v1/network/shipments/{id}/logger")))).GetArrayLength());

        var scan = new[] { new { din = shipped.Din, productCode = shipped.ProductCode, division = shipped.Division } };
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/receive"),
            new { received = scan, courier = "Cryo Courier", password = server.PasswordOf(Role.Physician) }), HttpStatusCode.Forbidden);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/receive"),
            new { received = Array.Empty<object>(), courier = "Cryo Courier", password = server.PasswordOf(Role.CpcTechnician) }), HttpStatusCode.UnprocessableEntity);
        var received = await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/receive"),
            new { received = scan, courier = "Cryo Courier", password = server.PasswordOf(Role.CpcTechnician) }));
        Assert.Equal("received", received.GetProperty("receiver").GetProperty("state").GetString());
        Assert.Equal("ok", received.GetProperty("receiver").GetProperty("temperatureStatus").GetString());

        var stock = await OkJson(await qa.GetAsync(U("/api/v1/network/shipments/received-stock")));
        var vial = Assert.Single(stock.EnumerateArray());
        Assert.Equal("available", vial.GetProperty("status").GetString());
        Assert.Equal("B-L1", vial.GetProperty("vial").GetProperty("lineCode").GetString());
        Assert.Equal(2, vial.GetProperty("custody").GetArrayLength());
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/quarantine-decision"),
            new { decision = "release", reason = "x", password = server.PasswordOf(Role.QaOfficer) }), HttpStatusCode.UnprocessableEntity);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/network/shipments/{id}/quarantine-decision"),
            new { decision = "maybe", reason = "x", password = server.PasswordOf(Role.QaOfficer) }), HttpStatusCode.BadRequest, "decision");
    }
}
