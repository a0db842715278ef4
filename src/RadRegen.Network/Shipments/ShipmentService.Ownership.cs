using System.Globalization;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Network.Shipments;

/// <summary>
/// ADR 0031: the owning center declines a request; the requester cancels it before dispatch (the
/// sender unpacks what it packed); QA accepts a receipt into the receiving center's bank, where the
/// vials become vials of that bank; a refused, quarantined or rejected receipt goes back in a return
/// shipment, which QA at the original sender restocks or discards.
/// </summary>
public sealed partial class ShipmentService
{
    /// <summary>The sending (owning) center declines a request it has not packed, with a reason the requester sees.</summary>
    public async Task<Shipment> DeclineAsync(Actor actor, string id, string reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentDecline);
        var center = Center();
        var why = RequireText(reason, "reason", "say why the request is declined (shared with the requesting center)");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var shipment = await FindForAsync(uow.Store<IShipmentStore>(), id, center, ShipmentSide.Sender, expectedVersion, ct);
        if (shipment.Sender.State != ShipmentState.Requested || shipment.Receiver.State != ShipmentState.Requested)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a request not yet packed is declined"
                + (shipment.Sender.State == ShipmentState.Packed ? " (unpack it first)" : ""));
        }

        var now = clock.UtcNow;
        var declined = shipment with
        {
            Sender = shipment.Sender with { State = ShipmentState.Declined, Decision = new ShipmentDecision("declined", why, actor.UserName, now) },
        };
        await SaveAsync(uow, shipment, declined, actor.UserName, "declined", new { id, requester = shipment.ReceiverCenter }, why, ShipmentSide.Sender, now, ct);
        await uow.CommitAsync(ct);
        return declined with { Version = shipment.Version + 1 };
    }

    /// <summary>The requesting center cancels its request before the sender hands it to a courier.</summary>
    public async Task<Shipment> CancelAsync(Actor actor, string id, string reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentCancel);
        var center = Center();
        var why = RequireText(reason, "reason", "say why the request is cancelled (shared with the sending center)");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var shipment = await FindForAsync(uow.Store<IShipmentStore>(), id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (shipment.IsReturn || shipment.Receiver.State != ShipmentState.Requested || shipment.Sender.State is not (ShipmentState.Requested or ShipmentState.Packed))
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; a request is cancelled only before it is handed to a courier"
                + (shipment.Sender.State == ShipmentState.Dispatched ? " (it is on its way: receive it and send it back)" : ""));
        }

        var now = clock.UtcNow;
        var cancelled = shipment with
        {
            Receiver = shipment.Receiver with { State = ShipmentState.Cancelled, Cancellation = new ShipmentDecision("cancelled", why, actor.UserName, now) },
        };
        await SaveAsync(uow, shipment, cancelled, actor.UserName, "cancelled", new { id, sender = shipment.SenderCenter }, why, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return cancelled with { Version = shipment.Version + 1 };
    }

    /// <summary>
    /// The sending center unpacks a packed shipment (the requester cancelled, or it must be repacked):
    /// the bank gives each vial back to the stock, the shipper is free again; the shipment is
    /// cancelled when the requester cancelled it, else requested again.
    /// </summary>
    public async Task<Shipment> UnpackAsync(Actor actor, string id, string reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentPack);
        var center = Center();
        var why = RequireText(reason, "reason", "say why the shipment is unpacked");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Sender, expectedVersion, ct);
        if (shipment.Sender.State != ShipmentState.Packed)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a packed shipment is unpacked");
        }

        var bankStore = uow.Store<IBankStore>();
        foreach (var item in shipment.Sender.Items)
        {
            var vial = await bankStore.FindVialByIdentityAsync(item.Din, item.ProductCode, item.Division, ct) ?? throw new NotFoundException($"no vial {item.Identity}");
            await vials.CancelReservationInAsync(uow, actor, vial.Id, $"shipment {id} unpacked: {why}", ct);
        }

        if (shipment.Sender.Shipper is { } snapshot && await store.FindShipperAsync(snapshot.Serial, ct) is { } shipper && shipper.PackedIn == id)
        {
            if (!await store.UpdateShipperAsync(shipper with { PackedIn = null }, shipper.Version, ct))
            {
                throw new ConflictException($"dry shipper {shipper.Serial} was changed by someone else; reload it");
            }
        }

        var now = clock.UtcNow;
        var to = shipment.Receiver.State == ShipmentState.Cancelled ? ShipmentState.Cancelled : ShipmentState.Requested;
        var unpacked = shipment with
        {
            Sender = SenderSide.Initial with { State = to, Decision = new ShipmentDecision("unpacked", why, actor.UserName, now) },
        };
        await SaveAsync(uow, shipment, unpacked, actor.UserName, "unpacked", new { id, vials = shipment.Sender.Items.Select(i => i.Identity.ToString()) }, why,
            ShipmentSide.Sender, now, ct);
        await uow.CommitAsync(ct);
        return unpacked with { Version = shipment.Version + 1 };
    }

    /// <summary>
    /// QA at the receiving center accepts a receipt into this center's bank (GMP receipt inspection,
    /// e-signed "accepted into inventory"): only a receipt with the same set and an ok temperature
    /// status, or one QA released from quarantine. Each lot becomes a lot of this bank with the
    /// lineage the sender packed and the shipment's chain of custody, its vials released into
    /// <paramref name="boxId"/> (ADR 0031).
    /// </summary>
    public async Task<Shipment> AcceptIntoInventoryAsync(Actor actor, string id, long boxId, string password, string? note, int? expectedVersion = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentAccept);
        var center = Center();
        var remark = string.IsNullOrWhiteSpace(note) ? null : Bounded(note, "note", MaxText);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var shipment = await FindForAsync(uow.Store<IShipmentStore>(), id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (shipment.IsReturn)
        {
            throw new RuleViolationException($"shipment {id} returns shipment {shipment.Request.ReturnOf}; QA restocks or discards a return");
        }

        if (shipment.Receiver.State is not (ShipmentState.Received or ShipmentState.Released))
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a receipt with an ok temperature status and the "
                + "vials shipped, or one QA released from quarantine, is accepted into the bank");
        }

        var lots = shipment.Sender.Lots ?? [];
        var received = shipment.Receiver.Received.ToHashSet();
        var items = shipment.Sender.Items.Where(i => received.Contains(i.Identity)).ToList();
        if (items.Any(i => !lots.Any(l => l.LotNumber == i.LotNumber)))
        {
            throw new RuleViolationException($"the sending center {shipment.SenderCenter} packed shipment {id} without the lots' lineage (an older version); "
                + "the vials stay received stock until it is sent again");
        }

        var now = clock.UtcNow;
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", id, "accepted into inventory", new
        {
            id,
            from = shipment.SenderCenter,
            vials = items.Select(i => i.Identity.ToString()),
            temperatureStatus = shipment.Receiver.TemperatureStatus,
            state = ShipmentJson.Name(shipment.Receiver.State),
            boxId,
        }), password, ct);
        var custody = shipment.Custody.Select(h => new ProvenanceHandOff(h.From, h.To, h.At, h.Center, h.SignedBy, h.SignatureId, h.Note)).ToList();
        var lotNumbers = new List<string>();
        foreach (var group in items.GroupBy(i => i.LotNumber))
        {
            var lineage = lots.First(l => l.LotNumber == group.Key);
            var (lot, _) = await receivedLots.AcceptInAsync(uow, actor, new ReceivedLotIntake(lineage, [.. group.Select(i => (i.Division, i.ExpiresAt))],
                id, shipment.SenderCenter, custody, boxId, signature.Id), ct);
            lotNumbers.Add(lot.LotNumber);
        }

        var accepted = shipment with
        {
            Receiver = shipment.Receiver with
            {
                State = ShipmentState.Accepted,
                Inventory = new InventoryAcceptance("accepted", now, actor.UserName, signature.Id, lotNumbers, boxId, remark),
            },
        };
        await SaveAsync(uow, shipment, accepted, actor.UserName, "accepted-into-inventory",
            new { id, lots = lotNumbers, vials = items.Count, boxId, signatureId = signature.Id }, remark, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return accepted with { Version = shipment.Version + 1 };
    }

    /// <summary>
    /// The receiving center sends a refused, quarantined or rejected receipt back to the sender: a
    /// return shipment of its own (the sender's shipper, recharged here at <paramref name="chargedAt"/>
    /// and checked against this center's requalification interval and the planned transit), handed
    /// to the courier with an e-signature ("handed to courier (return)"). The sender receives it
    /// like any shipment (logger, receipt, temperature status) and its QA restocks or discards it.
    /// </summary>
    public async Task<Shipment> ReturnAsync(Actor actor, string id, string courier, string? trackingNumber, DateTimeOffset chargedAt,
        double plannedTransitHours, string reason, string password, string? note, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentReturn);
        var center = Center();
        var why = RequireText(reason, "reason", "say why the shipment goes back (shared with the sending center)");
        var carrier = RequireText(courier, "courier", "the courier (company and person) taking the shipper", 200);
        var tracking = string.IsNullOrWhiteSpace(trackingNumber) ? null : Bounded(trackingNumber, "trackingNumber", 100);
        var remark = string.IsNullOrWhiteSpace(note) ? null : Bounded(note, "note", MaxText);
        if (!double.IsFinite(plannedTransitHours) || plannedTransitHours <= 0 || plannedTransitHours > MaxTransitHours)
        {
            throw new DomainValidationException("plannedTransitHours",
                $"the planned transit time in hours (more than 0, at most {MaxTransitHours.ToString(CultureInfo.InvariantCulture)})");
        }

        var now = clock.UtcNow;
        if (chargedAt > now + TimeSpan.FromMinutes(5))
        {
            throw new DomainValidationException("chargedAt", "a charge time cannot be in the future");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (shipment.IsReturn || shipment.Receiver.State is not (ShipmentState.Refused or ShipmentState.Quarantined or ShipmentState.Rejected))
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a refused, quarantined or rejected receipt is sent back");
        }

        var received = shipment.Receiver.Received.ToHashSet();
        var items = shipment.Sender.Items.Where(i => received.Contains(i.Identity)).ToList();
        if (items.Count == 0)
        {
            throw new RuleViolationException($"none of the vials shipped in {id} was received; there is nothing to send back");
        }

        var original = shipment.Sender.Shipper ?? throw new RuleViolationException($"shipment {id} has no dry shipper on record");
        if (chargedAt < (shipment.Receiver.ReceivedAt ?? now))
        {
            throw new DomainValidationException("chargedAt", $"the shipper is charged here for the way back, after the receipt ({JournalTime.ToText(shipment.Receiver.ReceivedAt ?? now)})");
        }

        var settings = await store.FindSettingsAsync(ct) ?? throw new RuleViolationException("QA has not set this center's shipment settings");
        var asHere = new DryShipper(original.Serial, original.Model, original.QualifiedAt, original.QualifiedHoldHours, "", chargedAt,
            shipment.Sender.DispatchedAt, null, now, actor.UserName);
        var snapshot = CheckShipper(asHere, settings, plannedTransitHours, now);

        var returnId = string.Create(CultureInfo.InvariantCulture, $"{center}-{now:yyyyMMdd}-R{Guid.NewGuid().ToString("N")[..7].ToUpperInvariant()}");
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", returnId, "handed to courier (return)",
            new { returnId, returns = id, to = shipment.SenderCenter, vials = items.Select(i => i.Identity.ToString()), shipper = snapshot.Serial, courier = carrier, tracking }),
            password, ct);
        var handOff = new CustodyHandOff($"{center} {actor.UserName}", $"courier {carrier}", now, center, actor.UserName, signature.Id, remark);
        var lines = items.GroupBy(i => i.ProductCode).Select(g => new RequestLine(g.Key, g.Count(), [.. g.Select(i => i.Identity)])).ToList();
        var back = new Shipment(returnId, center, shipment.SenderCenter, new ShipmentRequest($"return of shipment {id}: {why}", lines, now, actor.UserName, id),
            new SenderSide(ShipmentState.Dispatched, items, snapshot, plannedTransitHours, shipment.Sender.TemperatureLimitCelsius, shipment.Sender.LimitSource,
                now, actor.UserName, now, carrier, tracking, [handOff], shipment.Sender.Lots, null),
            ReceiverSide.Initial, now);
        await store.InsertAsync(back, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("shipment", returnId, "return-handed-to-courier", new
        {
            id = returnId,
            returns = id,
            to = shipment.SenderCenter,
            vials = items.Select(i => i.Identity.ToString()),
            shipper = snapshot.Serial,
            chargedAt = JournalTime.ToText(chargedAt),
            plannedTransitHours,
            courier = carrier,
            trackingNumber = tracking,
            signatureId = signature.Id,
        }, why), ct);
        await PublishAsync(uow, back, ShipmentSide.Sender, now, ct);

        var returned = shipment with { Receiver = shipment.Receiver with { State = ShipmentState.Returned, ReturnShipmentId = returnId } };
        await SaveAsync(uow, shipment, returned, actor.UserName, "returned", new { id, returnShipment = returnId }, why, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return back;
    }

    /// <summary>
    /// QA at the center a return came back to decides its vials (e-signed): back into stock, in
    /// <paramref name="boxId"/> — only after a receipt with the same set and an ok temperature status,
    /// or one QA released from quarantine — or discarded (any receipt of the return).
    /// </summary>
    public async Task<Shipment> DecideReturnAsync(Actor actor, string id, bool restock, long? boxId, string reason, string password,
        int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentReturnDecide);
        var center = Center();
        var why = RequireText(reason, "reason", "say why (the receipt inspection of the returned vials)");
        if (restock && boxId is null)
        {
            throw new DomainValidationException("boxId", "name the box the returned vials go back into");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var shipment = await FindForAsync(uow.Store<IShipmentStore>(), id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (!shipment.IsReturn)
        {
            throw new RuleViolationException($"shipment {id} is not a return; QA accepts it into the bank instead");
        }

        var allowed = restock
            ? shipment.Receiver.State is ShipmentState.Received or ShipmentState.Released
            : shipment.Receiver.State is ShipmentState.Received or ShipmentState.Released or ShipmentState.Quarantined or ShipmentState.Rejected
                or ShipmentState.Refused;
        if (!allowed)
        {
            throw new RuleViolationException($"return {id} is {ShipmentJson.Name(shipment.State)}; "
                + (restock ? "only a return received with an ok temperature status and the vials shipped, or released from quarantine, goes back into stock"
                    : "receive it first"));
        }

        var received = shipment.Receiver.Received.ToHashSet();
        var items = shipment.Sender.Items.Where(i => received.Contains(i.Identity)).ToList();
        var meaning = restock ? "returned to stock" : "discarded";
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", id, meaning,
            new { id, returns = shipment.Request.ReturnOf, vials = items.Select(i => i.Identity.ToString()), boxId, reason = why }), password, ct);
        var bankStore = uow.Store<IBankStore>();
        var lots = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var vial = await bankStore.FindVialByIdentityAsync(item.Din, item.ProductCode, item.Division, ct) ?? throw new NotFoundException($"no vial {item.Identity}");
            if (restock)
            {
                await receivedLots.ReturnToStockInAsync(uow, actor, vial.Id, boxId!.Value, id, why, ct);
            }
            else
            {
                await receivedLots.DiscardReturnedInAsync(uow, actor, vial.Id, id, why, ct);
            }

            lots.Add(item.LotNumber);
        }

        var now = clock.UtcNow;
        var decided = shipment with
        {
            Receiver = shipment.Receiver with
            {
                State = restock ? ShipmentState.Accepted : ShipmentState.Discarded,
                Inventory = new InventoryAcceptance(restock ? "returned-to-stock" : "discarded", now, actor.UserName, signature.Id, [.. lots], boxId, why),
            },
        };
        await SaveAsync(uow, shipment, decided, actor.UserName, restock ? "returned-to-stock" : "discarded",
            new { id, vials = items.Select(i => i.Identity.ToString()), boxId, signatureId = signature.Id }, why, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return decided with { Version = shipment.Version + 1 };
    }
}
