using RadRegen.Core;
using System.Text;
using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>Lots (and their DINs), their QC results, and deviations.</summary>
internal sealed partial class SqlBankStore
{
    internal const string LotCols = "{0}.id AS Id, {0}.lot_number AS LotNumber, {0}.din AS Din, {0}.product_code AS ProductCode, {0}.wcb_id AS WcbId, "
        + "{0}.line_id AS LineId, {0}.status AS Status, {0}.manufactured_at AS ManufacturedAt, {0}.expires_at AS ExpiresAt, {0}.flag AS Flag, "
        + "{0}.released_at AS ReleasedAt, {0}.released_by AS ReleasedBy, {0}.signature_id AS SignatureId, {0}.created_at AS CreatedAt, "
        + "{0}.created_by AS CreatedBy, {0}.intended_use AS IntendedUse, {0}.expired_at AS ExpiredAt, {0}.version AS Version";

    private static readonly string LotSelect = "SELECT " + Cols(LotCols, "t") + " FROM bank_lots t";

    public Task<long> InsertLotAsync(Lot lot, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_lots (lot_number, din, product_code, wcb_id, line_id, status, manufactured_at, expires_at, flag, released_at, released_by, "
            + "signature_id, created_at, created_by, intended_use, version) VALUES (@LotNumber, @Din, @ProductCode, @WcbId, @LineId, @Status, @ManufacturedAt, "
            + "@ExpiresAt, @Flag, @ReleasedAt, @ReleasedBy, @SignatureId, @CreatedAt, @CreatedBy, @IntendedUse, 1) RETURNING id",
            LotRow.From(lot), ct);

    public async Task<Lot?> FindLotAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LotRow>(LotSelect + " WHERE t.id = @id", new { id }, ct))?.ToLot();

    public async Task<Lot?> FindLotByNumberAsync(string lotNumber, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LotRow>(LotSelect + " WHERE t.lot_number = @lotNumber", new { lotNumber }, ct))?.ToLot();

    public async Task<IReadOnlyList<Lot>> ListLotsAsync(long? lineId, LotStatus? status, int limit, CancellationToken ct)
    {
        var sql = new StringBuilder(LotSelect + " WHERE 1 = 1");
        if (lineId is not null)
        {
            sql.Append(" AND t.line_id = @lineId");
        }

        if (status is not null)
        {
            sql.Append(" AND t.status = @Status");
        }

        sql.Append(" ORDER BY t.id DESC LIMIT @limit");
        return [.. (await session.QueryAsync<LotRow>(sql.ToString(), new { lineId, Status = status is { } s ? Lower(s) : null, limit }, ct))
            .Select(r => r.ToLot())];
    }

    private static readonly SqlListing LotListing = new(
        new Dictionary<string, string>
        {
            ["lot"] = "t.lot_number", ["product"] = "t.product_code", ["status"] = "t.status", ["manufactured"] = "t.manufactured_at", ["expires"] = "t.expires_at",
        },
        ["t.lot_number", "t.din", "t.product_code"], "t.id");

    public Task<ListPage<Lot>> SearchLotsAsync(ListQuery query, LotStatus? status, SortOrder order, CancellationToken ct) =>
        LotListing.PageAsync<LotRow, Lot>(session, "FROM bank_lots t", LotSelect, status is null ? "" : " AND t.status = @Status",
            new { Status = status is { } s ? Lower(s) : null }, query, order, r => r.ToLot(), ct);

    public async Task<bool> UpdateLotAsync(Lot lot, int expectedVersion, CancellationToken ct)
    {
        var r = LotRow.From(lot);
        return await session.ExecuteAsync(
            "UPDATE bank_lots SET status = @Status, flag = @Flag, released_at = @ReleasedAt, released_by = @ReleasedBy, signature_id = @SignatureId, "
            + "version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new { r.Id, r.Status, r.Flag, r.ReleasedAt, r.ReleasedBy, r.SignatureId, expectedVersion }, ct) == 1;
    }

    public async Task<IReadOnlyList<Lot>> ListLotsDueForExpiryAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<LotRow>(
            LotSelect + " WHERE t.status IN ('quarantine', 'released') AND t.expired_at IS NULL AND t.expires_at <= @now ORDER BY t.expires_at, t.id LIMIT @limit",
            new { now = T(now), limit }, ct)).Select(r => r.ToLot())];

    public async Task<bool> MarkLotExpiredAsync(long lotId, DateTimeOffset at, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_lots SET expired_at = @at, version = version + 1 WHERE id = @lotId AND version = @expectedVersion AND expired_at IS NULL",
            new { lotId, at = T(at), expectedVersion }, ct) == 1;

    public Task FlagLotsOfDonorAsync(long donorId, string flag, CancellationToken ct) =>
        session.ExecuteAsync(
            "UPDATE bank_lots SET flag = @flag, version = version + 1 WHERE line_id IN (SELECT id FROM bank_lines WHERE donor_id = @donorId)",
            new { donorId, flag }, ct);

    // ------------------------------------------------------------ QC results

    private const string QcSelect = "SELECT id AS Id, lot_id AS LotId, test_code AS TestCode, value AS Value, unit AS Unit, passed AS Passed, "
        + "recorded_at AS RecordedAt, recorded_by AS RecordedBy FROM bank_qc_results";

    public Task<long> InsertQcResultAsync(QcResult r, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_qc_results (lot_id, test_code, value, unit, passed, recorded_at, recorded_by) "
            + "VALUES (@LotId, @TestCode, @Value, @Unit, @Passed, @RecordedAt, @RecordedBy) RETURNING id",
            new { r.LotId, r.TestCode, r.Value, r.Unit, Passed = r.Passed ? 1 : 0, RecordedAt = T(r.RecordedAt), r.RecordedBy }, ct);

    public async Task<IReadOnlyList<QcResult>> ListQcResultsAsync(long lotId, CancellationToken ct) =>
        [.. (await session.QueryAsync<QcRow>(QcSelect + " WHERE lot_id = @lotId ORDER BY id", new { lotId }, ct)).Select(r => r.ToResult())];

    public async Task<IReadOnlyList<QcResult>> ListQcResultsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct) =>
        [.. (await QueryByIdsAsync<QcRow>(QcSelect, "lot_id", "lot_id, id", lotIds, ct)).Select(r => r.ToResult())];

    // ------------------------------------------------------------ deviations

    private const string DeviationSelect = "SELECT id AS Id, lot_id AS LotId, qc_result_id AS QcResultId, test_code AS TestCode, description AS Description, "
        + "status AS Status, opened_at AS OpenedAt, opened_by AS OpenedBy, closed_at AS ClosedAt, closed_by AS ClosedBy, closure AS Closure, "
        + "version AS Version FROM bank_deviations";

    public Task<long> InsertDeviationAsync(Deviation d, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_deviations (lot_id, qc_result_id, test_code, description, status, opened_at, opened_by, closed_at, closed_by, closure, version) "
            + "VALUES (@LotId, @QcResultId, @TestCode, @Description, @Status, @OpenedAt, @OpenedBy, NULL, NULL, NULL, 1) RETURNING id",
            new { d.LotId, d.QcResultId, d.TestCode, d.Description, Status = Lower(d.Status), OpenedAt = T(d.OpenedAt), d.OpenedBy }, ct);

    public async Task<Deviation?> FindDeviationAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<DeviationRow>(DeviationSelect + " WHERE id = @id", new { id }, ct))?.ToDeviation();

    public async Task<IReadOnlyList<Deviation>> ListDeviationsAsync(long? lotId, DeviationStatus? status, CancellationToken ct)
    {
        var sql = DeviationSelect + " WHERE 1 = 1" + (lotId is null ? "" : " AND lot_id = @lotId") + (status is null ? "" : " AND status = @Status")
            + " ORDER BY id";
        return [.. (await session.QueryAsync<DeviationRow>(sql, new { lotId, Status = status is { } s ? Lower(s) : null }, ct)).Select(r => r.ToDeviation())];
    }

    public async Task<IReadOnlyList<Deviation>> ListDeviationsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct) =>
        [.. (await QueryByIdsAsync<DeviationRow>(DeviationSelect, "lot_id", "lot_id, id", lotIds, ct)).Select(r => r.ToDeviation())];

    public async Task<bool> UpdateDeviationAsync(Deviation d, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_deviations SET status = @Status, closed_at = @ClosedAt, closed_by = @ClosedBy, closure = @Closure, version = version + 1 "
            + "WHERE id = @Id AND version = @expectedVersion",
            new { d.Id, Status = Lower(d.Status), ClosedAt = T(d.ClosedAt), d.ClosedBy, d.Closure, expectedVersion }, ct) == 1;

    // ------------------------------------------------------------ DIN sequences (ISBT 128)

    public async Task<int> NextDinSequenceAsync(string facility, int year, CancellationToken ct)
    {
        // Inside the writing transaction: SQLite writers are serialised; on PostgreSQL the upsert
        // locks the row, so two lots never share a DIN (and the UNIQUE constraint backs it).
        var next = await session.ScalarAsync<long>(
            "INSERT INTO bank_din_sequences (facility, year, last) VALUES (@facility, @year, 1) "
            + "ON CONFLICT (facility, year) DO UPDATE SET last = bank_din_sequences.last + 1 RETURNING last",
            new { facility, year }, ct);
        if (next > 999999)
        {
            throw new Core.ConflictException($"the DIN sequence of {facility} for year {year:00} is exhausted");
        }

        return (int)next;
    }

    // ------------------------------------------------------------ rows

    internal sealed class LotRow
    {
        public long Id { get; set; }

        public string LotNumber { get; set; } = "";

        public string Din { get; set; } = "";

        public string ProductCode { get; set; } = "";

        public long WcbId { get; set; }

        public long LineId { get; set; }

        public string Status { get; set; } = "";

        public string ManufacturedAt { get; set; } = "";

        public string ExpiresAt { get; set; } = "";

        public string? Flag { get; set; }

        public string? ReleasedAt { get; set; }

        public string? ReleasedBy { get; set; }

        public long? SignatureId { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public string IntendedUse { get; set; } = "clinical";

        public string? ExpiredAt { get; set; }

        public long Version { get; set; }

        public static LotRow From(Lot l) => new()
        {
            Id = l.Id,
            LotNumber = l.LotNumber,
            Din = l.Din,
            ProductCode = l.ProductCode,
            WcbId = l.WcbId,
            LineId = l.LineId,
            Status = Lower(l.Status),
            ManufacturedAt = T(l.ManufacturedAt),
            ExpiresAt = T(l.ExpiresAt),
            Flag = l.Flag,
            ReleasedAt = T(l.ReleasedAt),
            ReleasedBy = l.ReleasedBy,
            SignatureId = l.SignatureId,
            CreatedAt = T(l.CreatedAt),
            CreatedBy = l.CreatedBy,
            IntendedUse = IntendedUses.Name(l.IntendedUse),
            ExpiredAt = T(l.ExpiredAt),
        };

        public Lot ToLot() => new(Id, LotNumber, Din, ProductCode, WcbId, LineId, Lifecycle.ParseLot(Status), P(ManufacturedAt), P(ExpiresAt), Flag,
            P(ReleasedAt, true), ReleasedBy, SignatureId, P(CreatedAt), CreatedBy, (int)Version)
        {
            IntendedUse = IntendedUses.Parse(IntendedUse),
            ExpiredAt = P(ExpiredAt, true),
        };
    }

    private sealed class QcRow
    {
        public long Id { get; set; }

        public long LotId { get; set; }

        public string TestCode { get; set; } = "";

        public string Value { get; set; } = "";

        public string? Unit { get; set; }

        public long Passed { get; set; }

        public string RecordedAt { get; set; } = "";

        public string RecordedBy { get; set; } = "";

        public QcResult ToResult() => new(Id, LotId, TestCode, Value, Unit, Passed != 0, P(RecordedAt), RecordedBy);
    }

    private sealed class DeviationRow
    {
        public long Id { get; set; }

        public long LotId { get; set; }

        public long? QcResultId { get; set; }

        public string TestCode { get; set; } = "";

        public string Description { get; set; } = "";

        public string Status { get; set; } = "";

        public string OpenedAt { get; set; } = "";

        public string OpenedBy { get; set; } = "";

        public string? ClosedAt { get; set; }

        public string? ClosedBy { get; set; }

        public string? Closure { get; set; }

        public long Version { get; set; }

        public Deviation ToDeviation() => new(Id, LotId, QcResultId, TestCode, Description, Enum.Parse<DeviationStatus>(Status, true), P(OpenedAt),
            OpenedBy, P(ClosedAt, true), ClosedBy, Closure, (int)Version);
    }
}
