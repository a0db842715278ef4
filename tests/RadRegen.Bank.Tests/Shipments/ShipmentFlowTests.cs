using System.Text.Json;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Shipments;

/// <summary>
/// Shipments between two centers with two databases (issue 13 item 3, ADR 0024): the events one
/// center's outbox holds, applied by the other's handler, carry the shipment from request to
/// receipt; the bank's vial states, signatures, quarantine and roles hold on both sides.
/// </summary>
[Trait("Kind", "Integration")]
public class ShipmentFlowTests(SharedTwoCenters shared) : IClassFixture<SharedTwoCenters>
{
    private const string A = TwoCenters.CodeA;
    private const string B = TwoCenters.CodeB;

    public static TheoryData<string> Engines => TestDatabases.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_shipment_goes_from_request_to_receipt_and_both_centers_see_each_others_side(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(2);
        await w.ShipperAsync("DS-FLOW");

        // B requests; A learns of it only through B's event.
        var request = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "radiation accident: two ARS patients need MSC-like cells",
            [new RequestLine(vials[0].ProductCode, 2, [])]);
        await Assert.ThrowsAsync<NotFoundException>(() => w.ShipmentsA.GetAsync(w.A.Tech, request.Id));
        Assert.Equal(1, await w.RelayAsync(B, A));
        var incoming = await w.ShipmentsA.GetAsync(w.A.Tech, request.Id);
        Assert.Equal(ShipmentSide.Sender, incoming.Side);
        Assert.Equal(ShipmentState.Requested, incoming.State);
        Assert.Equal(B, incoming.Counterpart);

        // A packs: the bank reserves each vial for the shipment; the shipper's remaining hold is recorded.
        var packed = await w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-FLOW", 48, vials);
        Assert.Equal(ShipmentState.Packed, packed.State);
        Assert.Equal(-150, packed.Sender.TemperatureLimitCelsius);
        Assert.Contains("ISCT", packed.Sender.LimitSource, StringComparison.Ordinal);
        var item = packed.Sender.Items[0];
        Assert.Equal(w.A.Line.Code, item.LineCode);
        Assert.StartsWith(A, item.Din, StringComparison.Ordinal);
        var vialA = await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division);
        Assert.Equal(VialStatus.Reserved, vialA.Status);
        Assert.Contains(request.Id, vialA.ReservedFor, StringComparison.Ordinal);
        Assert.Equal(request.Id, (await w.ShipmentsA.ListShippersAsync(w.A.Tech)).Single(s => s.Shipper.Serial == "DS-FLOW").Shipper.PackedIn);

        // The receiver sees the packed shipment before it leaves.
        await w.RelayAsync(A, B);
        Assert.Equal(ShipmentState.Packed, (await w.ShipmentsB.GetAsync(w.TechB, request.Id)).State);

        // Hand-off sender → courier, signed; a wrong password signs nothing and changes nothing.
        await Assert.ThrowsAnyAsync<Exception>(() => w.ShipmentsA.DispatchAsync(w.A.Tech, request.Id, "Cryo Courier Ltd (J. Doe)", "TRK-1", "wrong", null));
        Assert.Equal(VialStatus.Reserved, (await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division)).Status);
        var dispatchedAt = w.Clock.UtcNow;
        var dispatched = await w.ShipmentsA.DispatchAsync(w.A.Tech, request.Id, "Cryo Courier Ltd (J. Doe)", "TRK-1", BankWorld.Password, "dry ice not used");
        Assert.Equal(ShipmentState.Dispatched, dispatched.State);
        Assert.Equal(VialStatus.Shipped, (await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division)).Status);
        var first = Assert.Single(dispatched.Sender.HandOffs);
        Assert.Equal("courier Cryo Courier Ltd (J. Doe)", first.To);
        Assert.True(first.SignatureId > 0);
        await w.RelayAsync(A, B);

        // 30 hours later the courier hands over at B; the logger was read first.
        w.Clock.Advance(TimeSpan.FromHours(30));
        var view = await w.ShipmentsB.GetAsync(w.TechB, request.Id);
        Assert.Equal(ShipmentState.Dispatched, view.State);
        Assert.Equal(240 - 30, view.RemainingHoldHours!.Value, 3);
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, request.Id, TwoCenters.Series(dispatchedAt, w.Clock.UtcNow, 10), "test");
        var received = await w.ShipmentsB.ReceiveAsync(w.TechB, request.Id, vials, "Cryo Courier Ltd (J. Doe)", null, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Received, received.State);
        Assert.Equal(TemperatureStatus.Ok, received.Receiver.TemperatureStatus);
        Assert.Equal(2, received.Custody.Count);
        Assert.Equal(["courier Cryo Courier Ltd (J. Doe)", "W0002 techb"], received.Custody.Select(h => h.To));

        // Ownership: B holds the vials with their lineage and chain of custody.
        var stock = (await w.ShipmentsB.ReceivedStockAsync(w.TechB)).Where(r => r.ShipmentId == request.Id).ToList();
        Assert.Equal(2, stock.Count);
        Assert.All(stock, r => Assert.Equal("available", r.Status));
        Assert.All(stock, r => Assert.Equal(w.A.Line.Code, r.Vial.LineCode));
        Assert.All(stock, r => Assert.Equal(2, r.Custody.Count));

        // The sender sees the receipt.
        await w.RelayAsync(B, A);
        var seen = await w.ShipmentsA.GetAsync(w.A.Tech, request.Id);
        Assert.Equal(ShipmentState.Received, seen.State);
        Assert.Equal(TemperatureStatus.Ok, seen.TemperatureStatus);

        // Each center wrote only its own side's key; no donor identity in any payload. The HLA typing
        // travels with the packed lots' lineage (ADR 0031: the receiver's bank matches on it), as the
        // shared inventory already publishes it (ADR 0023).
        var outA = (await w.OutboxAsync(A)).Where(r => r.Event.EntityKey.Contains(request.Id, StringComparison.Ordinal)).ToList();
        var outB = (await w.OutboxAsync(B)).Where(r => r.Event.EntityKey.Contains(request.Id, StringComparison.Ordinal)).ToList();
        Assert.All(outA, r => Assert.Equal($"shipment/{request.Id}/sender", r.Event.EntityKey));
        Assert.All(outB, r => Assert.Equal($"shipment/{request.Id}/receiver", r.Event.EntityKey));
        Assert.Equal(2, outA.Count);
        Assert.Equal(2, outB.Count);
        Assert.All(outA.Concat(outB), r =>
        {
            Assert.Equal(EventKinds.Shipment, r.Event.Kind);
            Assert.DoesNotContain(w.A.Donor.Code, r.Event.PayloadJson, StringComparison.Ordinal);
        });
        Assert.Contains("A*24:02", outA[^1].Event.PayloadJson, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_excursion_quarantines_the_receipt_until_QA_releases_it_with_a_signature(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(1);
        await w.ShipperAsync("DS-EXC");
        var start = w.Clock.UtcNow;
        var id = await w.DispatchedAsync(vials, "DS-EXC");
        w.Clock.Advance(TimeSpan.FromHours(20));
        var series = TwoCenters.Series(start, w.Clock.UtcNow, 10);
        series[30] = series[30] with { Celsius = -110 };
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id, series, "test");
        var received = await w.ShipmentsB.ReceiveAsync(w.TechB, id, vials, "Cryo Courier Ltd", null, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Quarantined, received.State);
        Assert.Equal(TemperatureStatus.Excursion, received.Receiver.TemperatureStatus);
        Assert.Contains("-110", received.Receiver.TemperatureDetail, StringComparison.Ordinal);
        Assert.Equal("quarantine", (await w.ShipmentsB.ReceivedStockAsync(w.TechB)).Single(r => r.ShipmentId == id).Status);

        // Only QA decides, with a signature.
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsB.DecideQuarantineAsync(w.TechB, id, true, "looked fine", BankWorld.Password));
        var released = await w.ShipmentsB.DecideQuarantineAsync(w.QaB, id, true, "peak −110 °C for under 10 min; stability data DS-17 covers it", BankWorld.Password);
        Assert.Equal(ShipmentState.Released, released.State);
        Assert.Equal("available", (await w.ShipmentsB.ReceivedStockAsync(w.TechB)).Single(r => r.ShipmentId == id).Status);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.DecideQuarantineAsync(w.QaB, id, false, "again", BankWorld.Password));
        await w.RelayAsync(B, A);
        Assert.Equal(ShipmentState.Released, (await w.ShipmentsA.GetAsync(w.A.Tech, id)).State);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Missing_logger_data_quarantines_and_QA_may_reject(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(1);
        await w.ShipperAsync("DS-GAP");
        var start = w.Clock.UtcNow;
        var id = await w.DispatchedAsync(vials, "DS-GAP");
        w.Clock.Advance(TimeSpan.FromHours(10));
        var series = TwoCenters.Series(start, w.Clock.UtcNow, 10).Where(p => p.At < start.AddHours(3) || p.At > start.AddHours(4)).ToList();
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id, series, "test");
        var received = await w.ShipmentsB.ReceiveAsync(w.TechB, id, vials, "Cryo Courier Ltd", null, BankWorld.Password, null);
        Assert.Equal(TemperatureStatus.Missing, received.Receiver.TemperatureStatus);
        Assert.Equal(ShipmentState.Quarantined, received.State);
        var rejected = await w.ShipmentsB.DecideQuarantineAsync(w.QaB, id, false, "70 min unrecorded; cannot show the product stayed below −150 °C", BankWorld.Password);
        Assert.Equal(ShipmentState.Rejected, rejected.State);
        Assert.DoesNotContain(await w.ShipmentsB.ReceivedStockAsync(w.TechB), r => r.ShipmentId == id);

        // No logger at all: missing.
        var more = await w.ReleasedVialsAsync(1);
        await w.ShipperAsync("DS-NOLOG");
        var id2 = await w.DispatchedAsync(more, "DS-NOLOG");
        w.Clock.Advance(TimeSpan.FromHours(5));
        var r2 = await w.ShipmentsB.ReceiveAsync(w.TechB, id2, more, "Cryo Courier Ltd", null, BankWorld.Password, null);
        Assert.Equal(TemperatureStatus.Missing, r2.Receiver.TemperatureStatus);
        Assert.Equal(ShipmentState.Quarantined, r2.State);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_received_set_that_differs_from_the_shipped_set_is_named_and_refused_or_quarantined(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(2);
        await w.ShipperAsync("DS-SET1");
        var start = w.Clock.UtcNow;
        var id = await w.DispatchedAsync(vials, "DS-SET1");
        w.Clock.Advance(TimeSpan.FromHours(4));
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id, TwoCenters.Series(start, w.Clock.UtcNow, 10), "test");
        var stranger = vials[0] with { Division = "Z9" };
        var before = await w.ShipmentsB.GetAsync(w.TechB, id);

        // Without a choice: 422 naming the differences, nothing written.
        var differs = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.ShipmentsB.ReceiveAsync(w.TechB, id, [vials[0], stranger], "Cryo Courier Ltd", null, BankWorld.Password, null));
        Assert.Contains($"missing: {vials[1]}", differs.Message, StringComparison.Ordinal);
        Assert.Contains($"not shipped: {stranger}", differs.Message, StringComparison.Ordinal);
        Assert.Equal(before.Shipment.Version, (await w.ShipmentsB.GetAsync(w.TechB, id)).Shipment.Version);

        var refused = await w.ShipmentsB.ReceiveAsync(w.TechB, id, [vials[0], stranger], "Cryo Courier Ltd", DifferenceHandling.Refuse, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Refused, refused.State);
        Assert.Equal([vials[1]], refused.Receiver.Missing);
        Assert.Equal([stranger], refused.Receiver.Unexpected);
        Assert.DoesNotContain(await w.ShipmentsB.ReceivedStockAsync(w.TechB), r => r.ShipmentId == id);

        // Quarantine instead: only what arrived (and was shipped) is held, in quarantine.
        var more = await w.ReleasedVialsAsync(2);
        await w.ShipperAsync("DS-SET2");
        start = w.Clock.UtcNow;
        var id2 = await w.DispatchedAsync(more, "DS-SET2");
        w.Clock.Advance(TimeSpan.FromHours(4));
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id2, TwoCenters.Series(start, w.Clock.UtcNow, 10), "test");
        var held = await w.ShipmentsB.ReceiveAsync(w.TechB, id2, [more[0]], "Cryo Courier Ltd", DifferenceHandling.Quarantine, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Quarantined, held.State);
        Assert.Equal(TemperatureStatus.Ok, held.Receiver.TemperatureStatus);
        var stock = (await w.ShipmentsB.ReceivedStockAsync(w.TechB)).Where(r => r.ShipmentId == id2).ToList();
        Assert.Equal(more[0], Assert.Single(stock).Vial.Identity);
        Assert.Equal("quarantine", stock[0].Status);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Packing_is_refused_for_vials_not_released_here_not_requested_or_in_a_shipper_that_does_not_qualify(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(3);
        var request = await w.ShipmentsB.RequestAsync(w.CoordinatorB, A, "stockpile top-up", [new RequestLine(vials[0].ProductCode, 2, [vials[2]])]);
        await w.RelayAsync(B, A);
        await w.ShipperAsync("DS-OLD", qualifiedDaysAgo: 120);
        await w.ShipperAsync("DS-SHORT", holdHours: 24);
        await w.ShipperAsync("DS-DRY", charge: false);
        await w.ShipperAsync("DS-GOOD");
        var journal = await w.A.JournalCountAsync();

        var old = await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-OLD", 48, [vials[0], vials[2]]));
        Assert.Contains("requalification interval of 90 days", old.Message, StringComparison.Ordinal);
        var shortHold = await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-SHORT", 48, [vials[0], vials[2]]));
        Assert.Contains("less than the planned transit", shortHold.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-DRY", 48, [vials[0], vials[2]]));
        var tooMany = await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-GOOD", 48, vials));
        Assert.Contains("3 vials", tooMany.Message, StringComparison.Ordinal);
        var unnamed = await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-GOOD", 48, [vials[0], vials[1]]));
        Assert.Contains("names vials not picked", unnamed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-GOOD", 48, []));
        var foreign = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-GOOD", 48, [vials[2], vials[0] with { Din = "W000126999999" }]));
        Assert.Contains("not in this center's bank", foreign.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsA.PackAsync(w.A.Physician, request.Id, "DS-GOOD", 48, [vials[0], vials[2]]));
        Assert.Equal(journal, await w.A.JournalCountAsync()); // every refusal wrote nothing

        // A vial in quarantine (its lot not released) is not packed.
        var quarantined = (await w.A.VialsAsync(await w.A.LotAsync(1))).Single();
        var request2 = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "urgent", [new RequestLine(quarantined.ProductCode, 1, [])]);
        await w.RelayAsync(B, A);
        var q = await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request2.Id, "DS-GOOD", 48,
            [new VialIdentity(quarantined.Din, quarantined.ProductCode, quarantined.Division)]));
        Assert.Contains("quarantine", q.Message, StringComparison.Ordinal);

        // B does not pack A's side.
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.PackAsync(w.TechB, request.Id, "DS-GOOD", 48, [vials[0], vials[2]]));
        Assert.All(vials, v => Assert.Equal(VialStatus.Released, w.A.Bank.FindVialAsync(w.A.Tech, v.Din, v.ProductCode, v.Division).Result.Status));

        // The good shipper packs; it cannot be packed twice.
        await w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-GOOD", 48, [vials[0], vials[2]]);
        var twice = await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.PackAsync(w.A.Tech, request2.Id, "DS-GOOD", 48,
            [new VialIdentity(quarantined.Din, quarantined.ProductCode, quarantined.Division)]));
        Assert.Contains("already packed", twice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Requests_and_receipts_need_their_roles_and_the_receipt_needs_the_senders_dispatch(string engine)
    {
        var w = await shared.ForAsync(engine);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsB.RequestAsync(w.TechB, A, "why", [new RequestLine("S9102", 1, [])]));
        var self = await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsB.RequestAsync(w.DoctorB, B, "why", [new RequestLine("S9102", 1, [])]));
        Assert.Equal("senderCenter", self.Errors[0].Field);
        var noLines = await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsB.RequestAsync(w.DoctorB, A, "why", []));
        Assert.Equal("lines", noLines.Errors[0].Field);

        var vials = await w.ReleasedVialsAsync(1);
        var request = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "why", [new RequestLine(vials[0].ProductCode, 1, [])]);
        var early = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.ShipmentsB.ReceiveAsync(w.TechB, request.Id, vials, "Cryo Courier Ltd", null, BankWorld.Password, null));
        Assert.Contains("has not told this center", early.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            w.ShipmentsB.ReceiveAsync(w.DoctorB, request.Id, vials, "Cryo Courier Ltd", null, BankWorld.Password, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsB.ConfigureAsync(w.TechB, 30, 5, "no"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_handler_refuses_a_side_written_by_the_wrong_center_and_ignores_shipments_between_other_centers(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(1);
        var request = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "why", [new RequestLine(vials[0].ProductCode, 1, [])]);
        var row = (await w.OutboxAsync(B)).Last(r => r.Event.EntityKey == $"shipment/{request.Id}/receiver");
        var handlerA = w.HandlerOf(A);

        // The receiver's side claimed by a third center: parked (DomainValidationException), nothing applied.
        var forged = TwoCenters.Envelope("W0003", row);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => w.ApplyAsync(A, handlerA, forged));
        Assert.Equal("sourceCenter", refused.Errors[0].Field);
        await Assert.ThrowsAsync<NotFoundException>(() => w.ShipmentsA.GetAsync(w.A.Tech, request.Id));

        // A key that is not the payload's side: refused.
        var wrongKey = TwoCenters.Envelope(B, row) with { EntityKey = $"shipment/{request.Id}/sender" };
        Assert.Equal("entityKey", (await Assert.ThrowsAsync<DomainValidationException>(() => w.ApplyAsync(A, handlerA, wrongKey))).Errors[0].Field);
        var garbage = TwoCenters.Envelope(B, row) with { PayloadJson = "{\"shipmentId\": 5" };
        await Assert.ThrowsAsync<DomainValidationException>(() => w.ApplyAsync(A, handlerA, garbage));

        // A shipment between W0003 and W0004 is none of A's business.
        var payload = JsonSerializer.Deserialize<ShipmentStatePayload>(row.Event.PayloadJson, ShipmentJson.Options)! with
        {
            ShipmentId = "W0004-OTHER",
            SenderCenter = "W0003",
            ReceiverCenter = "W0004",
        };
        var other = new NetworkEnvelope(Guid.NewGuid(), 1, "W0004", EventKinds.Shipment, "shipment/W0004-OTHER/receiver", 1, w.Clock.UtcNow,
            JsonSerializer.Serialize(payload, ShipmentJson.Options));
        await w.ApplyAsync(A, handlerA, other);
        await Assert.ThrowsAsync<NotFoundException>(() => w.ShipmentsA.GetAsync(w.A.Tech, "W0004-OTHER"));

        Assert.Equal(new HashSet<int> { 1, 2 }, handlerA.SchemaVersions);
    }
}
