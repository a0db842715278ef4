using System.Text.Json;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Network.Events;

namespace RadRegen.Network.Shipments;

/// <summary>
/// The payload of a <c>shipment.state</c> event (schema version 1): one center's whole side of a
/// shipment, with the request both sides share. Codes only: DINs, product codes, lot numbers and
/// line codes identify material, never a patient or a donor; user names are the centers' staff.
/// </summary>
public sealed record ShipmentStatePayload(
    string ShipmentId,
    ShipmentSide Side,
    string SenderCenter,
    string ReceiverCenter,
    ShipmentRequest Request,
    SenderSide? Sender,
    ReceiverSide? Receiver)
{
    /// <summary><c>shipment/&lt;id&gt;/sender</c> or <c>shipment/&lt;id&gt;/receiver</c>: each center writes only its own side's key.</summary>
    public static string EntityKey(string shipmentId, ShipmentSide side) =>
        $"shipment/{shipmentId}/{(side == ShipmentSide.Sender ? "sender" : "receiver")}";

    public static ShipmentStatePayload Of(Shipment shipment, ShipmentSide side)
    {
        ArgumentNullException.ThrowIfNull(shipment);
        return new(shipment.Id, side, shipment.SenderCenter, shipment.ReceiverCenter, shipment.Request,
            side == ShipmentSide.Sender ? shipment.Sender : null, side == ShipmentSide.Receiver ? shipment.Receiver : null);
    }
}

/// <summary>
/// Applies the other center's side of a shipment to this center's view: an incoming request appears
/// at the sending center; the packing and the hand-off to the courier appear at the receiving center
/// (which needs them to receive); the receipt and QA's decision appear at the sending center. A
/// shipment between two other centers is not this center's business and is ignored. A payload
/// whose side was not written by that side's center is refused (the consumer parks it).
/// </summary>
public sealed class ShipmentEventHandler(BankOptions bank) : INetworkEventHandler
{
    public string Kind => EventKinds.Shipment;

    public IReadOnlySet<int> SchemaVersions => ShipmentService.SchemaVersionsRead;

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        ShipmentStatePayload payload;
        try
        {
            payload = JsonSerializer.Deserialize<ShipmentStatePayload>(envelope.PayloadJson, ShipmentJson.Options)
                ?? throw new DomainValidationException("payload", "empty shipment payload");
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("payload", $"not a shipment.state payload: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(payload.ShipmentId) || payload.Request is null)
        {
            throw new DomainValidationException("payload", "a shipment.state payload names the shipment and carries its request");
        }

        if (envelope.EntityKey != ShipmentStatePayload.EntityKey(payload.ShipmentId, payload.Side))
        {
            throw new DomainValidationException("entityKey", $"entity key {envelope.EntityKey} does not match shipment {payload.ShipmentId}'s {payload.Side} side");
        }

        var writer = payload.Side == ShipmentSide.Sender ? payload.SenderCenter : payload.ReceiverCenter;
        if (envelope.SourceCenter != writer)
        {
            throw new DomainValidationException("sourceCenter",
                $"center {envelope.SourceCenter} wrote the {payload.Side.ToString().ToLowerInvariant()} side of shipment {payload.ShipmentId}, which only {writer} writes");
        }

        if ((payload.Side == ShipmentSide.Sender && payload.Sender is null) || (payload.Side == ShipmentSide.Receiver && payload.Receiver is null))
        {
            throw new DomainValidationException("payload", $"the {payload.Side.ToString().ToLowerInvariant()} side is missing");
        }

        var own = bank.FacilityCode;
        var ours = payload.Side == ShipmentSide.Sender ? payload.ReceiverCenter : payload.SenderCenter;
        if (own is null || own != ours)
        {
            return; // a shipment between other centers, or our own event coming back
        }

        var store = unitOfWork.Store<IShipmentStore>();
        var existing = await store.FindAsync(payload.ShipmentId, cancellationToken);
        if (existing is null && payload.Request.ReturnOf is { } original)
        {
            // A return comes back to the center that sent the original, from the center it went to (ADR 0031).
            var sent = await store.FindAsync(original, cancellationToken);
            if (sent is null || sent.SenderCenter != own || sent.ReceiverCenter != payload.SenderCenter || payload.Side != ShipmentSide.Sender)
            {
                throw new DomainValidationException("payload", $"shipment {payload.ShipmentId} claims to return shipment {original}, which {own} did not send to {payload.SenderCenter}");
            }
        }

        string action;
        if (existing is null)
        {
            var fresh = new Shipment(payload.ShipmentId, payload.SenderCenter, payload.ReceiverCenter, payload.Request,
                payload.Sender ?? SenderSide.Initial, payload.Receiver ?? ReceiverSide.Initial, envelope.OccurredAt);
            await store.InsertAsync(fresh, cancellationToken);
            action = payload.Side == ShipmentSide.Receiver ? "request-received" : "sender-state-received";
        }
        else
        {
            if (existing.SenderCenter != payload.SenderCenter || existing.ReceiverCenter != payload.ReceiverCenter)
            {
                throw new DomainValidationException("payload", $"shipment {payload.ShipmentId} goes from {existing.SenderCenter} to {existing.ReceiverCenter}, not as the event says");
            }

            var updated = payload.Side == ShipmentSide.Sender
                ? existing with { Sender = payload.Sender!, UpdatedAt = envelope.OccurredAt }
                : existing with { Receiver = payload.Receiver!, Request = payload.Request, UpdatedAt = envelope.OccurredAt };
            if (!await store.UpdateAsync(updated, existing.Version, cancellationToken))
            {
                throw new ConflictException($"shipment {payload.ShipmentId} changed while the network event was applied");
            }

            action = payload.Side == ShipmentSide.Sender ? "sender-state-received" : "receiver-state-received";
        }

        var state = payload.Side == ShipmentSide.Sender ? payload.Sender!.State : payload.Receiver!.State;
        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("shipment", payload.ShipmentId, action,
            new { eventId = envelope.EventId, source = envelope.SourceCenter, version = envelope.EntityVersion, state = ShipmentJson.Name(state) }),
            cancellationToken);
    }
}
