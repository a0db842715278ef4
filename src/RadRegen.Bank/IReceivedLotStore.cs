using RadRegen.Bank.Model;

namespace RadRegen.Bank;

/// <summary>
/// Vials that change owner between centers (migration 0022, ADR 0031): the lots received from other
/// centers into this bank, and this bank's vials shipped to other centers. Bound to one unit of work.
/// </summary>
public interface IReceivedLotStore
{
    Task<long> InsertReceivedAsync(ReceivedLot received, CancellationToken ct);

    /// <summary>The receipts of one lot of this bank (one per shipment), oldest first.</summary>
    Task<IReadOnlyList<ReceivedLot>> ListReceivedForLotAsync(long lotId, CancellationToken ct);

    Task<IReadOnlyList<ReceivedLot>> ListReceivedForShipmentAsync(string shipmentId, CancellationToken ct);

    Task InsertTransferOutAsync(VialTransferOut transfer, CancellationToken ct);

    Task<VialTransferOut?> FindTransferOutAsync(long vialId, CancellationToken ct);

    /// <summary>Marks a transferred vial as back (a return shipment accepted by QA).</summary>
    Task<bool> MarkReturnedAsync(long vialId, string returnShipmentId, DateTimeOffset at, CancellationToken ct);
}
