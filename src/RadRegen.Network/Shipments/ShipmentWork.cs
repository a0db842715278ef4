using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Work;

namespace RadRegen.Network.Shipments;

/// <summary>
/// What shipments wait for at this center (ADR 0040): the one rule of "what comes next" for each side and
/// state — the same states the shipment page offers its forms for (ADR 0024, 0031).
/// </summary>
public sealed class ShipmentWork(IUnitOfWorkFactory units, BankOptions bank) : IWorkSource
{
    /// <summary>The step <paramref name="shipment"/> waits for from <paramref name="side"/>, or null when nothing waits there.</summary>
    public static NextStep? NextStepOf(Shipment shipment, ShipmentSide side)
    {
        ArgumentNullException.ThrowIfNull(shipment);
        var (ss, rs) = (shipment.Sender.State, shipment.Receiver.State);
        if (side == ShipmentSide.Sender)
        {
            return (ss, rs) switch
            {
                (ShipmentState.Requested, ShipmentState.Requested) => new NextStep("pack the shipment, or decline the request", Operation.NetworkShipmentPack),
                (ShipmentState.Packed, ShipmentState.Cancelled) => new NextStep("unpack: the requester cancelled", Operation.NetworkShipmentPack),
                (ShipmentState.Packed, _) => new NextStep("hand the shipper to the courier (dispatch)", Operation.NetworkShipmentHandOff),
                _ => null,
            };
        }

        if (ss == ShipmentState.Dispatched && rs is ShipmentState.Requested or ShipmentState.Cancelled)
        {
            return new NextStep("receive the shipment (count the vials, read the logger)", Operation.NetworkShipmentReceive);
        }

        if (shipment.IsReturn)
        {
            return rs is ShipmentState.Requested or ShipmentState.Accepted or ShipmentState.Discarded
                ? null
                : new NextStep("restock or discard the returned vials (QA e-signature)", Operation.NetworkShipmentReturnDecide);
        }

        return rs switch
        {
            ShipmentState.Quarantined => new NextStep("decide on the quarantined receipt (QA)", Operation.NetworkShipmentQuarantineDecide),
            ShipmentState.Received or ShipmentState.Released => new NextStep("accept the vials into this bank (QA e-signature)", Operation.NetworkShipmentAccept),
            ShipmentState.Refused or ShipmentState.Rejected => new NextStep("return the shipment to its sender", Operation.NetworkShipmentReturn),
            _ => null,
        };
    }

    public async Task<IReadOnlyList<WorkItem>> WaitingForAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (bank.FacilityCode is not { } center || !Permissions.Allows(actor, Operation.NetworkShipmentRead))
        {
            return [];
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var items = new List<WorkItem>();
        foreach (var s in await uow.Store<IShipmentStore>().ListAsync(500, ct))
        {
            if (s.SideOf(center) is { } side && NextStepOf(s, side) is { } next && next.IsFor(actor))
            {
                var counterpart = side == ShipmentSide.Sender ? "to " + s.ReceiverCenter : "from " + s.SenderCenter;
                items.Add(new WorkItem("network", $"shipment {s.Id} {counterpart}", $"/network/shipments/{s.Id}", next, s.UpdatedAt));
            }
        }

        return items;
    }
}
