using RadRegen.Bank.Network;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Bank;

/// <summary>
/// What the shared inventory reads of the bank's tables (ADR 0023), in the caller's transaction.
/// The availability rule is <see cref="SqlBankStore.ListAvailableVialsAsync"/>'s, grouped by lot and box.
/// </summary>
internal sealed class SqlStockStore(SqlSession session) : IStockStore
{
    /// <summary>The rule of an available vial (ADR 0016 for the intended use), as in <see cref="SqlBankStore.ListAvailableVialsAsync"/>.</summary>
    private const string Available =
        "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id JOIN bank_donors d ON d.id = l.donor_id "
        + "JOIN bank_products p ON p.code = v.product_code LEFT JOIN bank_locations b ON b.id = v.box_id "
        + "WHERE v.status = 'released' AND v.expires_at > @now AND v.flag IS NULL AND t.flag IS NULL AND l.flag IS NULL "
        + "AND d.consent_clinical = 1 AND d.withdrawn_at IS NULL AND d.eligible = 1 "
        + "AND p.intended_use = 'clinical' AND t.intended_use = 'clinical'";

    public async Task<IReadOnlyList<StockLot>> ListLotsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lotIds);
        if (lotIds.Count == 0)
        {
            return [];
        }

        var rows = await session.QueryAsync<LotRow>(
            "SELECT t.id AS LotId, t.product_code AS ProductCode, d.hla_gl AS HlaGl, d.haplotype AS Haplotype, t.status AS Status "
            + "FROM bank_lots t JOIN bank_lines l ON l.id = t.line_id JOIN bank_donors d ON d.id = l.donor_id WHERE " + In("t.id"),
            new { ids = lotIds.ToArray() }, ct);
        return [.. rows.Select(r => new StockLot(r.LotId, r.ProductCode, r.HlaGl, r.Haplotype, r.Status == "released"))];
    }

    public Task<IReadOnlyList<long>> ListReleasedLotIdsAsync(CancellationToken ct) =>
        session.QueryAsync<long>("SELECT id FROM bank_lots WHERE status = 'released' AND expired_at IS NULL ORDER BY id", null, ct);

    public async Task<IReadOnlyList<StockGroup>> ListAvailableAsync(IReadOnlyCollection<long>? lotIds, DateTimeOffset now, CancellationToken ct)
    {
        if (lotIds is { Count: 0 })
        {
            return [];
        }

        var rows = await session.QueryAsync<GroupRow>(
            "SELECT v.lot_id AS LotId, b.path AS BoxPath, COUNT(*) AS Count, MIN(v.expires_at) AS Earliest, MAX(v.expires_at) AS Latest "
            + Available + (lotIds is null ? "" : " AND " + In("v.lot_id")) + " GROUP BY v.lot_id, b.path ORDER BY v.lot_id, b.path",
            new { now = JournalTime.ToText(now), ids = lotIds?.ToArray() ?? [] }, ct);
        return [.. rows.Select(r => new StockGroup(r.LotId, r.BoxPath, (int)r.Count, JournalTime.Parse(r.Earliest), JournalTime.Parse(r.Latest)))];
    }

    public async Task<IReadOnlyList<long>> LotsOfVialsAsync(IReadOnlyCollection<long> vialIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vialIds);
        return vialIds.Count == 0
            ? []
            : await session.QueryAsync<long>("SELECT DISTINCT lot_id FROM bank_vials WHERE " + In("id") + " ORDER BY lot_id", new { ids = vialIds.ToArray() }, ct);
    }

    public Task<IReadOnlyList<long>> LotsOfDonorAsync(long donorId, CancellationToken ct) =>
        session.QueryAsync<long>(
            "SELECT t.id FROM bank_lots t JOIN bank_lines l ON l.id = t.line_id WHERE l.donor_id = @donorId AND t.status = 'released' ORDER BY t.id",
            new { donorId }, ct);

    public Task<IReadOnlyList<long>> LotsOfProductAsync(string productCode, CancellationToken ct) =>
        session.QueryAsync<long>("SELECT id FROM bank_lots WHERE product_code = @productCode AND status = 'released' ORDER BY id", new { productCode }, ct);

    private string In(string column) => session.Engine == Engine.Postgres ? column + " = ANY(@ids)" : column + " IN @ids";

    private sealed class LotRow
    {
        public long LotId { get; set; }

        public string ProductCode { get; set; } = "";

        public string? HlaGl { get; set; }

        public string? Haplotype { get; set; }

        public string Status { get; set; } = "";
    }

    private sealed class GroupRow
    {
        public long LotId { get; set; }

        public string? BoxPath { get; set; }

        public long Count { get; set; }

        public string Earliest { get; set; } = "";

        public string Latest { get; set; } = "";
    }
}
