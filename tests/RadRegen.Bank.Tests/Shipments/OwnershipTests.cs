using System.Text.Json.Nodes;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Network.Shipments;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Shipments;

/// <summary>
/// ADR 0031: received vials become vials of the receiver's bank after QA's signed acceptance, with
/// their lineage and custody, and stop being the sender's; the local gates hold for them; decline,
/// cancel, unpack and the return of a quarantined shipment to the sender's stock.
/// </summary>
[Trait("Kind", "Integration")]
public class OwnershipTests(SharedTwoCenters shared) : IClassFixture<SharedTwoCenters>
{
    private const string A = TwoCenters.CodeA;
    private const string B = TwoCenters.CodeB;
    private const string Courier = "Cryo Courier Ltd (J. Doe)";

    public static TheoryData<string> Engines => TestDatabases.Engines;

    /// <summary>Dispatches <paramref name="vials"/> from A to B and receives them at B after <paramref name="hours"/>, the logger at <paramref name="celsius"/>.</summary>
    private static async Task<string> ReceivedAsync(TwoCenters w, IReadOnlyList<VialIdentity> vials, string shipper, double hours = 6, double celsius = -185)
    {
        await w.ShipperAsync(shipper);
        var start = w.Clock.UtcNow;
        var id = await w.DispatchedAsync(vials, shipper);
        w.Clock.Advance(TimeSpan.FromHours(hours));
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id, TwoCenters.Series(start, w.Clock.UtcNow, 10, celsius), "test");
        await w.ShipmentsB.ReceiveAsync(w.TechB, id, vials, Courier, null, BankWorld.Password, null);
        return id;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task QA_accepts_a_receipt_into_the_receivers_bank_where_the_vials_are_used_like_local_ones_and_the_sender_can_never_use_them_again(string engine)
    {
        var w = await shared.ForAsync(engine);
        var box = await w.BoxBAsync();
        var vials = await w.ReleasedVialsAsync(2);
        var id = await ReceivedAsync(w, vials, "DS-OWN");

        // Only QA accepts, with a signature; a wrong password writes nothing.
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsB.AcceptIntoInventoryAsync(w.TechB, id, box.Id, BankWorld.Password, null));
        await Assert.ThrowsAnyAsync<Exception>(() => w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, id, box.Id, "wrong", null));
        await Assert.ThrowsAsync<NotFoundException>(() => w.BankB.FindVialAsync(w.TechB, vials[0].Din, vials[0].ProductCode, vials[0].Division));

        var accepted = await w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, id, box.Id, BankWorld.Password, "receipt inspection RI-1: labels, seals intact");
        Assert.Equal(ShipmentState.Accepted, accepted.State);
        Assert.Equal("accepted", accepted.Receiver.Inventory!.Outcome);
        Assert.Equal("in-bank", (await w.ShipmentsB.ReceivedStockAsync(w.TechB)).First(r => r.ShipmentId == id).Status);

        // B's bank holds them: released, in B's box, under the source DIN and lot, lineage without the donor.
        var vialB = await w.BankB.FindVialAsync(w.TechB, vials[0].Din, vials[0].ProductCode, vials[0].Division);
        Assert.Equal(VialStatus.Released, vialB.Status);
        Assert.Equal(box.Id, vialB.BoxId);
        var detail = await w.BankB.GetVialAsync(w.TechB, vialB.Id);
        Assert.Equal($"{A}:{w.A.Line.Code}", detail.Lineage.Line.Code);
        Assert.Equal($"{A}:{w.A.Wcb.Code}", detail.Lineage.WorkingBank.Code);
        Assert.Equal($"{A}:{w.A.Mcb.Code}", detail.Lineage.MasterBank!.Code);
        Assert.DoesNotContain(w.A.Donor.Code, detail.Lineage.Donor.Code, StringComparison.Ordinal);
        Assert.Equal(w.A.Donor.HlaGl, detail.Lineage.Donor.HlaGl);
        Assert.True(detail.Lineage.Donor.Eligible);
        Assert.Equal(IntendedUse.Clinical, detail.Lineage.Lot.IntendedUse);
        Assert.Equal(LotStatus.Released, detail.Lineage.Lot.Status);
        var provenance = detail.Provenance!;
        Assert.Equal(A, provenance.FromCenter);
        Assert.Equal(id, provenance.ShipmentId);
        Assert.Equal(A, provenance.Lineage.SourceFacility);
        Assert.Equal("released", provenance.Lineage.Eligibility.Meaning);
        Assert.Equal("qa-officer", provenance.Lineage.Eligibility.SignerRole);
        Assert.StartsWith("eligible:", provenance.Lineage.Eligibility.Summary, StringComparison.Ordinal);
        Assert.Equal(2, provenance.Custody.Count);
        Assert.Equal(["hand-off", "hand-off", "received-into-inventory"], detail.Custody.Select(c => c.Action));

        // Used like a local vial: reserved, dispatched to the ward, received there, thawed and administered at B.
        await w.BankB.ReserveAsync(w.DoctorB, vialB.Id, "patient P-B-1");
        await w.BankB.ShipAsync(w.TechB, vialB.Id, "ward 3");
        await w.BankB.ReceiveAsync(w.TechB, vialB.Id, "at ward 3");
        await w.BankB.ThawAsync(w.TechB, vialB.Id, "for infusion");
        var given = await w.BankB.AdministerAsync(w.DoctorB, vialB.Id, "patient P-B-1", BankWorld.Password);
        Assert.Equal(VialStatus.Administered, given.Status);

        // At A the vials are shipped and belong to B: never reserved, received or thawed there again.
        var vialA = await w.A.Bank.FindVialAsync(w.A.Tech, vials[1].Din, vials[1].ProductCode, vials[1].Division);
        Assert.Equal(VialStatus.Shipped, vialA.Status);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.A.Bank.ReserveAsync(w.A.Physician, vialA.Id, "patient P-A-9"));
        var mine = await Assert.ThrowsAsync<RuleViolationException>(() => w.A.Bank.ReceiveAsync(w.A.Tech, vialA.Id, "at the ward"));
        Assert.Contains($"belongs to that center now", mine.Message, StringComparison.Ordinal);
        Assert.Equal(B, (await w.A.Bank.GetVialAsync(w.A.Tech, vialA.Id)).TransferredOut!.ToCenter);

        // The sender learns that ownership moved; a second acceptance is refused.
        await w.RelayAsync(B, A);
        Assert.Equal(ShipmentState.Accepted, (await w.ShipmentsA.GetAsync(w.A.Tech, id)).State);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, id, box.Id, BankWorld.Password, null));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_quarantined_receipt_never_reaches_inventory_and_goes_back_to_the_senders_stock_in_a_return(string engine)
    {
        var w = await shared.ForAsync(engine);
        var box = await w.BoxBAsync();
        var vials = await w.ReleasedVialsAsync(1);
        var id = await ReceivedAsync(w, vials, "DS-WARM", celsius: -120);
        Assert.Equal(ShipmentState.Quarantined, (await w.ShipmentsB.GetAsync(w.TechB, id)).State);

        var held = await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, id, box.Id, BankWorld.Password, null));
        Assert.Contains("quarantined", held.Message, StringComparison.Ordinal);
        await w.ShipmentsB.DecideQuarantineAsync(w.QaB, id, false, "whole trip at −120 °C", BankWorld.Password);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, id, box.Id, BankWorld.Password, null));
        await Assert.ThrowsAsync<NotFoundException>(() => w.BankB.FindVialAsync(w.TechB, vials[0].Din, vials[0].ProductCode, vials[0].Division));

        // B sends it back, recharged here, signed; A receives the return like any shipment.
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            w.ShipmentsB.ReturnAsync(w.DoctorB, id, Courier, null, w.Clock.UtcNow, 24, "rejected at receipt", BankWorld.Password, null));
        var back = await w.ShipmentsB.ReturnAsync(w.TechB, id, Courier, "TRK-R", w.Clock.UtcNow, 24, "rejected at receipt: excursion", BankWorld.Password, null);
        Assert.True(back.IsReturn);
        Assert.Equal(B, back.SenderCenter);
        Assert.Equal(A, back.ReceiverCenter);
        Assert.Equal(ShipmentState.Dispatched, back.State);
        Assert.Equal(ShipmentState.Returned, (await w.ShipmentsB.GetAsync(w.TechB, id)).State);
        await w.RelayAsync(B, A);
        Assert.Equal(ShipmentState.Returned, (await w.ShipmentsA.GetAsync(w.A.Tech, id)).State);
        var start = w.Clock.UtcNow;
        w.Clock.Advance(TimeSpan.FromHours(8));
        await w.ShipmentsA.ImportLoggerAsync(w.A.Tech, back.Id, TwoCenters.Series(start, w.Clock.UtcNow, 10), "test");
        var receipt = await w.ShipmentsA.ReceiveAsync(w.A.Tech, back.Id, vials, Courier, null, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Received, receipt.State);

        // A's QA restocks: the vial is A's again, in its box, and can be reserved.
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.AcceptIntoInventoryAsync(w.A.Qa, back.Id, w.A.Box.Id, BankWorld.Password, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsA.DecideReturnAsync(w.A.Tech, back.Id, true, w.A.Box.Id, "ok", BankWorld.Password));
        var restocked = await w.ShipmentsA.DecideReturnAsync(w.A.Qa, back.Id, true, w.A.Box.Id, "return trip ok; original excursion assessed: within stability data",
            BankWorld.Password);
        Assert.Equal(ShipmentState.Accepted, restocked.State);
        var vialA = await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division);
        Assert.Equal(VialStatus.Released, vialA.Status);
        Assert.Equal(w.A.Box.Id, vialA.BoxId);
        Assert.NotNull((await w.A.Bank.GetVialAsync(w.A.Tech, vialA.Id)).TransferredOut!.ReturnedAt);
        await w.A.Bank.ReserveAsync(w.A.Physician, vialA.Id, "patient P-A-2");
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsA.DecideReturnAsync(w.A.Qa, back.Id, false, null, "again", BankWorld.Password));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_lot_the_source_marked_research_use_only_stays_research_use_only_at_the_receiver(string engine)
    {
        var w = await shared.ForAsync(engine);
        var box = await w.BoxBAsync();
        var vials = await w.ReleasedVialsAsync(1);
        await w.ShipperAsync("DS-RUO");
        var request = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "research", [new RequestLine(vials[0].ProductCode, 1, [])]);
        await w.RelayAsync(B, A);
        await w.ShipmentsA.PackAsync(w.A.Tech, request.Id, "DS-RUO", 24, vials);
        var dispatchedAt = w.Clock.UtcNow;
        await w.ShipmentsA.DispatchAsync(w.A.Tech, request.Id, Courier, null, BankWorld.Password, null);

        // The sender's side as a sender whose lot is research use only would write it.
        var row = (await w.OutboxAsync(A)).Last(r => r.Event.EntityKey == $"shipment/{request.Id}/sender");
        var payload = JsonNode.Parse(row.Event.PayloadJson)!;
        payload["sender"]!["lots"]![0]!["intendedUse"] = "research";
        await w.ApplyAsync(B, w.HandlerOf(B), TwoCenters.Envelope(A, row) with { PayloadJson = payload.ToJsonString() });

        w.Clock.Advance(TimeSpan.FromHours(3));
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, request.Id, TwoCenters.Series(dispatchedAt, w.Clock.UtcNow, 10), "test");
        await w.ShipmentsB.ReceiveAsync(w.TechB, request.Id, vials, Courier, null, BankWorld.Password, null);
        await w.ShipmentsB.AcceptIntoInventoryAsync(w.QaB, request.Id, box.Id, BankWorld.Password, null);
        var vialB = await w.BankB.FindVialAsync(w.TechB, vials[0].Din, vials[0].ProductCode, vials[0].Division);
        Assert.Equal(IntendedUse.Research, (await w.BankB.GetVialAsync(w.TechB, vialB.Id)).Lineage.Lot.IntendedUse);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => w.BankB.ReserveAsync(w.DoctorB, vialB.Id, "patient P-B-7"));
        Assert.Contains("research use only", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_owner_declines_and_the_requester_cancels_before_dispatch_and_the_sender_unpacks(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(1);

        // Declined by the owning center, with a reason the requester sees.
        var r1 = await w.ShipmentsB.RequestAsync(w.DoctorB, A, "stockpile", [new RequestLine(vials[0].ProductCode, 1, [])]);
        await w.RelayAsync(B, A);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsA.DeclineAsync(w.A.Tech, r1.Id, "no"));
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainValidationException>(() => w.ShipmentsA.DeclineAsync(w.A.Qa, r1.Id, " "))).Errors[0].Field);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.DeclineAsync(w.CoordinatorB, r1.Id, "not ours"));
        var declined = await w.ShipmentsA.DeclineAsync(w.A.Qa, r1.Id, "our own casualties need the stock");
        Assert.Equal(ShipmentState.Declined, declined.State);
        await w.RelayAsync(A, B);
        var seen = await w.ShipmentsB.GetAsync(w.TechB, r1.Id);
        Assert.Equal(ShipmentState.Declined, seen.State);
        Assert.Equal("our own casualties need the stock", seen.Shipment.Sender.Decision!.Reason);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.ShipmentsB.CancelAsync(w.DoctorB, r1.Id, "too late"));

        // Cancelled after packing: the sender cannot hand it over, unpacks, and the vial is back in stock.
        await w.ShipperAsync("DS-CANCEL");
        var r2 = await w.ShipmentsB.RequestAsync(w.CoordinatorB, A, "stockpile", [new RequestLine(vials[0].ProductCode, 1, [])]);
        await w.RelayAsync(B, A);
        await w.ShipmentsA.PackAsync(w.A.Tech, r2.Id, "DS-CANCEL", 24, vials);
        await w.RelayAsync(A, B);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.ShipmentsB.CancelAsync(w.TechB, r2.Id, "no"));
        Assert.Equal(ShipmentState.Cancelled, (await w.ShipmentsB.CancelAsync(w.DoctorB, r2.Id, "patient transferred elsewhere")).State);
        await w.RelayAsync(B, A);
        var crossed = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.ShipmentsA.DispatchAsync(w.A.Tech, r2.Id, Courier, null, BankWorld.Password, null));
        Assert.Contains("cancelled", crossed.Message, StringComparison.Ordinal);
        var unpacked = await w.ShipmentsA.UnpackAsync(w.A.Tech, r2.Id, "requester cancelled");
        Assert.Equal(ShipmentState.Cancelled, unpacked.Sender.State);
        Assert.Equal(VialStatus.Released, (await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division)).Status);
        Assert.Null((await w.ShipmentsA.ListShippersAsync(w.A.Tech)).Single(s => s.Shipper.Serial == "DS-CANCEL").Shipper.PackedIn);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_refused_receipt_goes_back_and_the_senders_QA_discards_it_and_a_forged_return_is_refused(string engine)
    {
        var w = await shared.ForAsync(engine);
        var vials = await w.ReleasedVialsAsync(2);
        await w.ShipperAsync("DS-REF");
        var start = w.Clock.UtcNow;
        var id = await w.DispatchedAsync(vials, "DS-REF");
        w.Clock.Advance(TimeSpan.FromHours(5));
        await w.ShipmentsB.ImportLoggerAsync(w.TechB, id, TwoCenters.Series(start, w.Clock.UtcNow, 10), "test");
        var refused = await w.ShipmentsB.ReceiveAsync(w.TechB, id, [vials[0]], Courier, DifferenceHandling.Refuse, BankWorld.Password, null);
        Assert.Equal(ShipmentState.Refused, refused.State);

        // The shipper must have been recharged after the receipt, and hold the planned transit.
        var early = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.ShipmentsB.ReturnAsync(w.CoordinatorB, id, Courier, null, w.Clock.UtcNow.AddHours(-1), 24, "refused", BankWorld.Password, null));
        Assert.Equal("chargedAt", early.Errors[0].Field);
        var back = await w.ShipmentsB.ReturnAsync(w.CoordinatorB, id, Courier, null, w.Clock.UtcNow, 24, "refused: one vial missing", BankWorld.Password, null);
        Assert.Equal([vials[0]], back.Sender.Items.Select(i => i.Identity));

        // A return that claims a shipment A never sent to B is refused by A's handler.
        var row = (await w.OutboxAsync(B)).Last(r => r.Event.EntityKey == $"shipment/{back.Id}/sender");
        var payload = JsonNode.Parse(row.Event.PayloadJson)!;
        payload["request"]!["returnOf"] = "W0001-NEVER-SENT";
        var forged = TwoCenters.Envelope(B, row) with { PayloadJson = payload.ToJsonString() };
        await Assert.ThrowsAsync<DomainValidationException>(() => w.ApplyAsync(A, w.HandlerOf(A), forged));

        await w.RelayAsync(B, A);
        var sent = w.Clock.UtcNow;
        w.Clock.Advance(TimeSpan.FromHours(6));
        await w.ShipmentsA.ImportLoggerAsync(w.A.Tech, back.Id, TwoCenters.Series(sent, w.Clock.UtcNow, 10), "test");
        await w.ShipmentsA.ReceiveAsync(w.A.Tech, back.Id, [vials[0]], Courier, null, BankWorld.Password, null);
        var missingBox = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.ShipmentsA.DecideReturnAsync(w.A.Qa, back.Id, true, null, "restock", BankWorld.Password));
        Assert.Equal("boxId", missingBox.Errors[0].Field);
        var discarded = await w.ShipmentsA.DecideReturnAsync(w.A.Qa, back.Id, false, null, "the missing vial is under investigation: discard the lot's returned vial",
            BankWorld.Password);
        Assert.Equal(ShipmentState.Discarded, discarded.State);
        Assert.Equal(VialStatus.Discarded, (await w.A.Bank.FindVialAsync(w.A.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division)).Status);

        // The vial that never arrived stays shipped and B's: it cannot be reserved or received at A.
        var lost = await w.A.Bank.FindVialAsync(w.A.Tech, vials[1].Din, vials[1].ProductCode, vials[1].Division);
        Assert.Equal(VialStatus.Shipped, lost.Status);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.A.Bank.ReceiveAsync(w.A.Tech, lost.Id, "found it"));
    }
}
