using System.Text.Json;
using RadRegen.Bank.Network;
using RadRegen.Core.Journal;
using RadRegen.Network.Inventory;

namespace RadRegen.Storage.Network;

/// <summary>The <c>network_stock</c> table (migration 0016): other centers' stock, the newest state per source center and stock.</summary>
internal sealed class SqlNetworkStockStore(SqlSession session) : INetworkStockStore
{
    private const string Cols =
        "source_center AS SourceCenter, entity_key AS EntityKey, stock_ref AS StockRef, product_code AS ProductCode, product_name AS ProductName, "
        + "contains_immune_cells AS ContainsImmuneCells, hla_gl AS HlaGl, haplotype AS Haplotype, available AS Available, "
        + "earliest_expiry AS EarliestExpiry, latest_expiry AS LatestExpiry, sites AS Sites, shareable AS Shareable, version AS Version, "
        + "updated_at AS UpdatedAt, received_at AS ReceivedAt FROM network_stock";

    public async Task UpsertAsync(NetworkStockEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var s = entry.State;
        await session.ExecuteAsync(
            "INSERT INTO network_stock (source_center, entity_key, stock_ref, product_code, product_name, contains_immune_cells, hla_gl, haplotype, "
            + "available, earliest_expiry, latest_expiry, sites, shareable, version, updated_at, received_at) VALUES (@SourceCenter, @EntityKey, "
            + "@StockRef, @ProductCode, @ProductName, @Immune, @HlaGl, @Haplotype, @Available, @Earliest, @Latest, @Sites, @Shareable, @Version, "
            + "@UpdatedAt, @ReceivedAt) ON CONFLICT (source_center, entity_key) DO UPDATE SET stock_ref = excluded.stock_ref, "
            + "product_code = excluded.product_code, product_name = excluded.product_name, contains_immune_cells = excluded.contains_immune_cells, "
            + "hla_gl = excluded.hla_gl, haplotype = excluded.haplotype, available = excluded.available, earliest_expiry = excluded.earliest_expiry, "
            + "latest_expiry = excluded.latest_expiry, sites = excluded.sites, shareable = excluded.shareable, version = excluded.version, "
            + "updated_at = excluded.updated_at, received_at = excluded.received_at",
            new
            {
                entry.SourceCenter,
                entry.EntityKey,
                s.StockRef,
                s.ProductCode,
                s.ProductName,
                Immune = s.ContainsImmuneCells ? 1 : 0,
                s.HlaGl,
                s.Haplotype,
                s.Available,
                Earliest = s.EarliestExpiry is { } e ? JournalTime.ToText(e) : null,
                Latest = s.LatestExpiry is { } l ? JournalTime.ToText(l) : null,
                Sites = JsonSerializer.Serialize(s.Sites, StockPayload.Json),
                Shareable = s.Shareable ? 1 : 0,
                entry.Version,
                UpdatedAt = JournalTime.ToText(s.UpdatedAt),
                ReceivedAt = JournalTime.ToText(entry.ReceivedAt),
            }, ct);
    }

    public async Task<IReadOnlyList<NetworkStockEntry>> ListAvailableAsync(string? productCode, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            "SELECT " + Cols + " WHERE available > 0" + (productCode is null ? "" : " AND product_code = @productCode")
            + " ORDER BY source_center, product_code, earliest_expiry, entity_key",
            new { productCode }, ct)).Select(r => r.ToEntry())];

    public async Task<NetworkStockEntry?> FindAsync(string sourceCenter, string entityKey, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>("SELECT " + Cols + " WHERE source_center = @sourceCenter AND entity_key = @entityKey",
            new { sourceCenter, entityKey }, ct))?.ToEntry();

    private sealed class Row
    {
        public string SourceCenter { get; set; } = "";

        public string EntityKey { get; set; } = "";

        public string StockRef { get; set; } = "";

        public string ProductCode { get; set; } = "";

        public string ProductName { get; set; } = "";

        public long ContainsImmuneCells { get; set; }

        public string? HlaGl { get; set; }

        public string? Haplotype { get; set; }

        public long Available { get; set; }

        public string? EarliestExpiry { get; set; }

        public string? LatestExpiry { get; set; }

        public string Sites { get; set; } = "[]";

        public long Shareable { get; set; }

        public long Version { get; set; }

        public string UpdatedAt { get; set; } = "";

        public string ReceivedAt { get; set; } = "";

        public NetworkStockEntry ToEntry() => new(SourceCenter, EntityKey,
            new StockPayload(StockRef, ProductCode, ProductName, ContainsImmuneCells != 0, HlaGl, Haplotype, (int)Available,
                EarliestExpiry is null ? null : JournalTime.Parse(EarliestExpiry), LatestExpiry is null ? null : JournalTime.Parse(LatestExpiry),
                JsonSerializer.Deserialize<List<StockSite>>(Sites, StockPayload.Json) ?? [], Shareable != 0, JournalTime.Parse(UpdatedAt)),
            Version, JournalTime.Parse(ReceivedAt));
    }
}
