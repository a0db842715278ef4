namespace RadRegen.Bank.Network;

/// <summary>A lot whose stock may be shared: its product, its line's typing, and whether QA released it.</summary>
public sealed record StockLot(long LotId, string ProductCode, string? HlaGl, string? Haplotype, bool Released);

/// <summary>Available vials of one lot in one box (or unstored when <paramref name="BoxPath"/> is null).</summary>
/// <param name="BoxPath">The box's path of location ids ("/site/tank/rack/box/").</param>
public sealed record StockGroup(long LotId, string? BoxPath, int Count, DateTimeOffset EarliestExpiry, DateTimeOffset LatestExpiry);

/// <summary>
/// What the shared inventory reads of the bank, in the caller's unit of work (the publisher reads
/// the state it publishes in the transaction that changed it).
/// </summary>
public interface IStockStore
{
    /// <summary>The lots with their product and typing (unknown ids are left out).</summary>
    Task<IReadOnlyList<StockLot>> ListLotsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct);

    /// <summary>Every released lot (the stock a center joining the network publishes).</summary>
    Task<IReadOnlyList<long>> ListReleasedLotIdsAsync(CancellationToken ct);

    /// <summary>
    /// Available vials grouped by lot and box, under exactly the rule of
    /// <see cref="IBankStore.ListAvailableVialsAsync"/> (released, unexpired at <paramref name="now"/>,
    /// no flag on vial, lot or line, clinical consent standing, eligible donor, clinical product and lot);
    /// <paramref name="lotIds"/> null: every lot.
    /// </summary>
    Task<IReadOnlyList<StockGroup>> ListAvailableAsync(IReadOnlyCollection<long>? lotIds, DateTimeOffset now, CancellationToken ct);

    /// <summary>The distinct lots of the vials.</summary>
    Task<IReadOnlyList<long>> LotsOfVialsAsync(IReadOnlyCollection<long> vialIds, CancellationToken ct);

    /// <summary>The lots made from the donor's lines.</summary>
    Task<IReadOnlyList<long>> LotsOfDonorAsync(long donorId, CancellationToken ct);

    /// <summary>The lots of a product.</summary>
    Task<IReadOnlyList<long>> LotsOfProductAsync(string productCode, CancellationToken ct);
}
