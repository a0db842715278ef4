using System.Text;
using Dapper;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Core;

namespace RadRegen.Storage.Bank;

/// <summary>
/// Reading the inventory across tables: the search (one page and its total), vials available for
/// allocation, counts by line, and a vial's lineage back to its donor.
/// </summary>
internal sealed partial class SqlBankStore
{
    public Task<IReadOnlyList<AvailableVial>> ListAvailableVialsAsync(IReadOnlyCollection<string> productCodes, DateTimeOffset now, CancellationToken ct) =>
        AvailableVialsAsync(productCodes, null, now, ct);

    public Task<IReadOnlyList<AvailableVial>> FindAvailableVialsAsync(IReadOnlyCollection<long> vialIds, string productCode, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vialIds);
        ArgumentNullException.ThrowIfNull(productCode);
        return AvailableVialsAsync([productCode], vialIds, now, ct);
    }

    /// <summary>
    /// The one availability rule (for a patient): released, unexpired, unflagged vial, lot and line,
    /// the donor's clinical consent standing and eligible, clinical product and lot (ADR 0016); of
    /// <paramref name="vialIds"/> only when given (a reservation checks its own vials, not the stock).
    /// </summary>
    private async Task<IReadOnlyList<AvailableVial>> AvailableVialsAsync(IReadOnlyCollection<string> productCodes, IReadOnlyCollection<long>? vialIds,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(productCodes);
        if (productCodes.Count == 0 || vialIds is { Count: 0 })
        {
            return [];
        }

        var postgres = session.Engine == Engine.Postgres;
        var rows = await session.QueryAsync<AvailableRow>(
            "SELECT " + Cols(VialCols, "v") + ", t.lot_number AS LotNumber, l.code AS LineCode, d.hla_gl AS LineHla, b.path AS BoxPath "
            + "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id JOIN bank_donors d ON d.id = l.donor_id "
            + "JOIN bank_products p ON p.code = v.product_code LEFT JOIN bank_locations b ON b.id = v.box_id "
            + "WHERE v.status = 'released' AND v.expires_at > @now AND v.flag IS NULL AND t.flag IS NULL AND l.flag IS NULL "
            + "AND d.consent_clinical = 1 AND d.withdrawn_at IS NULL AND d.eligible = 1 "
            // Only clinical products from lots for clinical use go to patients (ADR 0016).
            + "AND p.intended_use = 'clinical' AND t.intended_use = 'clinical' AND "
            + (postgres ? "v.product_code = ANY(@codes)" : "v.product_code IN @codes")
            + (vialIds is null ? "" : postgres ? " AND v.id = ANY(@ids)" : " AND v.id IN @ids")
            + " ORDER BY v.expires_at, v.id",
            new { now = T(now), codes = productCodes.ToArray(), ids = vialIds?.Distinct().ToArray() ?? [] }, ct);
        return [.. rows.Select(r => new AvailableVial(r.ToVial(), r.LotNumber, r.LineCode, r.LineHla, r.BoxPath))];
    }

    // The inventory's sorts (BankLists.Vials) → columns named here; the tie-break v.id keeps pages from overlapping.
    // A vial outside a box has no path: '' puts it first ascending on both engines (their NULL orders differ).
    private static readonly SqlListing VialListing = new(
        new Dictionary<string, string[]>
        {
            ["identity"] = ["v.din", "v.product_code", "v.division"], ["lot"] = ["t.lot_number"], ["product"] = ["v.product_code"],
            ["status"] = ["v.status"], ["expires"] = ["v.expires_at"], ["location"] = ["COALESCE(b.path, '')", "COALESCE(v.pos_row, 0)", "COALESCE(v.pos_col, 0)"],
        },
        [], "v.id");

    public async Task<InventoryPage> SearchAsync(InventoryQuery q, CancellationToken ct)
    {
        var where = new StringBuilder(" WHERE 1 = 1");
        var args = new DynamicParameters();
        if (q.ProductCode is not null)
        {
            where.Append(" AND v.product_code = @product");
            args.Add("product", q.ProductCode);
        }

        if (q.Status is { } status)
        {
            // One expiry rule (Expiry.IsExpired: expires_at <= now) when the caller gives the instant.
            if (q.Now is { } now && status == VialStatus.Expired)
            {
                where.Append(" AND (v.status = @status OR (v.status IN " + Live + " AND v.expires_at <= @now))");
                args.Add("now", T(now));
            }
            else if (q.Now is { } at && !Lifecycle.IsTerminal(status))
            {
                where.Append(" AND v.status = @status AND v.expires_at > @now");
                args.Add("now", T(at));
            }
            else
            {
                where.Append(" AND v.status = @status");
            }

            args.Add("status", Lower(status));
        }

        if (q.LineIds is not null)
        {
            if (q.LineIds.Count == 0)
            {
                return new InventoryPage([], 0, q.Page, q.PageSize);
            }

            // Npgsql binds an array natively; Dapper expands the list for SQLite.
            where.Append(session.Engine == Engine.Postgres ? " AND v.line_id = ANY(@lines)" : " AND v.line_id IN @lines");
            args.Add("lines", q.LineIds.ToArray());
        }

        if (q.LocationId is { } loc)
        {
            where.Append(" AND v.box_id IN (SELECT id FROM bank_locations WHERE path LIKE (SELECT path FROM bank_locations WHERE id = @loc) || '%')");
            args.Add("loc", loc);
        }

        if (q.ExpiresBefore is { } eb)
        {
            where.Append(" AND v.expires_at < @eb");
            args.Add("eb", T(eb));
        }

        if (q.ExpiresAfter is { } ea)
        {
            where.Append(" AND v.expires_at >= @ea");
            args.Add("ea", T(ea));
        }

        if (!string.IsNullOrWhiteSpace(q.LotNumber))
        {
            where.Append(" AND v.lot_id IN (SELECT id FROM bank_lots WHERE lot_number = @lotNumber)");
            args.Add("lotNumber", q.LotNumber.Trim());
        }

        var total = await session.ScalarAsync<long>("SELECT COUNT(*) FROM bank_vials v" + where, args, ct);
        SqlListing.AddPaging(args, q.Page, q.PageSize);
        var rows = await session.QueryAsync<SearchRow>(
            "SELECT " + Cols(VialCols, "v") + ", t.lot_number AS LotNumber, l.code AS LineCode, b.name AS BoxName, b.path AS BoxPath "
            + "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id "
            + "LEFT JOIN bank_locations b ON b.id = v.box_id" + where + VialListing.OrderAndPage(q.Order ?? BankLists.Vials.Default), args, ct);
        return new InventoryPage([.. rows.Select(r => new InventoryItem(r.ToVial(), r.LotNumber, r.LineCode, r.BoxName, r.BoxPath))], total, q.Page,
            q.PageSize);
    }

    public async Task<IReadOnlyDictionary<long, int>> CountVialsByLineAsync(VialStatus status, CancellationToken ct) =>
        (await session.QueryAsync<LineCount>("SELECT line_id AS LineId, COUNT(*) AS Vials FROM bank_vials WHERE status = @status GROUP BY line_id",
            new { status = Lower(status) }, ct)).ToDictionary(r => r.LineId, r => (int)r.Vials);

    private sealed class LineCount
    {
        public long LineId { get; set; }

        public long Vials { get; set; }
    }

    public async Task<Lineage?> LineageAsync(long vialId, CancellationToken ct)
    {
        // One query from the vial back to its donor and consent.
        var sql = "SELECT " + Cols(VialCols, "v") + ", " + Cols(LotCols, "t") + ", " + Cols(BankCols, "w") + ", " + Cols(BankCols, "m") + ", "
            + Cols(LineCols, "l") + ", " + Cols(DonorCols, "d")
            + " FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_cell_banks w ON w.id = t.wcb_id"
            + " LEFT JOIN bank_cell_banks m ON m.id = w.parent_id JOIN bank_lines l ON l.id = t.line_id JOIN bank_donors d ON d.id = l.donor_id"
            + " WHERE v.id = @vialId";
        var result = await session.Connection.QueryAsync<VialRow, LotRow, BankRow, BankRow, LineRow, DonorRow, Lineage>(
            new CommandDefinition(sql, new { vialId }, session.Transaction, cancellationToken: ct),
            (v, t, w, m, l, d) => new Lineage(v.ToVial(), t.ToLot(), w.ToBank(), m?.ToBank(), l.ToLine(), d.ToDonor()),
            splitOn: "Id,Id,Id,Id,Id");
        return result.SingleOrDefault();
    }

    // ------------------------------------------------------------ rows

    private sealed class AvailableRow : VialRow
    {
        public string LotNumber { get; set; } = "";

        public string LineCode { get; set; } = "";

        public string? LineHla { get; set; }

        public string? BoxPath { get; set; }
    }

    private sealed class SearchRow : VialRow
    {
        public string LotNumber { get; set; } = "";

        public string LineCode { get; set; } = "";

        public string? BoxName { get; set; }

        public string? BoxPath { get; set; }
    }
}
