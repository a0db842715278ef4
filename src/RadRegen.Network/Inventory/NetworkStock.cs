using RadRegen.Bank.Network;

namespace RadRegen.Network.Inventory;

/// <summary>Another center's stock as this center last heard it (one <c>inventory.stock</c> state).</summary>
/// <param name="SourceCenter">The owning center's ISBT 128 facility code.</param>
/// <param name="EntityKey">The stock's entity key at that center (<c>stock/lot-17</c>).</param>
/// <param name="State">The shared state the owning center sent.</param>
/// <param name="Version">The owning center's outbox position of that state (higher is newer).</param>
/// <param name="ReceivedAt">When this center applied it.</param>
public sealed record NetworkStockEntry(string SourceCenter, string EntityKey, StockPayload State, long Version, DateTimeOffset ReceivedAt);

/// <summary>The read model of other centers' stock (migration 0016), within a unit of work.</summary>
public interface INetworkStockStore
{
    /// <summary>Writes the entry, replacing the one of the same source center and entity key.</summary>
    Task UpsertAsync(NetworkStockEntry entry, CancellationToken ct);

    /// <summary>Entries with vials available (a count of 0 hides the entry), of a product when given, by center.</summary>
    Task<IReadOnlyList<NetworkStockEntry>> ListAvailableAsync(string? productCode, CancellationToken ct);

    /// <summary>The entry of a source center and entity key, whatever its count; null when never heard.</summary>
    Task<NetworkStockEntry?> FindAsync(string sourceCenter, string entityKey, CancellationToken ct);
}
