using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>Vials one by one: identity, position, status, flags and expiry.</summary>
internal sealed partial class SqlBankStore
{
    internal const string VialCols = "{0}.id AS Id, {0}.lot_id AS LotId, {0}.line_id AS LineId, {0}.din AS Din, {0}.product_code AS ProductCode, "
        + "{0}.division AS Division, {0}.status AS Status, {0}.box_id AS BoxId, {0}.pos_row AS PosRow, {0}.pos_col AS PosCol, "
        + "{0}.expires_at AS ExpiresAt, {0}.reserved_for AS ReservedFor, {0}.flag AS Flag, {0}.version AS Version";

    private static readonly string VialSelect = "SELECT " + Cols(VialCols, "v") + " FROM bank_vials v";

    private const string Live = "('quarantine', 'released', 'reserved', 'shipped', 'received', 'thawed')";

    public Task<long> InsertVialAsync(Vial vial, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_vials (lot_id, line_id, din, product_code, division, status, box_id, pos_row, pos_col, expires_at, reserved_for, flag, version) "
            + "VALUES (@LotId, @LineId, @Din, @ProductCode, @Division, @Status, @BoxId, @PosRow, @PosCol, @ExpiresAt, @ReservedFor, @Flag, 1) RETURNING id",
            VialRow.From(vial), ct);

    public async Task<Vial?> FindVialAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<VialRow>(VialSelect + " WHERE v.id = @id", new { id }, ct))?.ToVial();

    public async Task<Vial?> FindVialByIdentityAsync(string din, string productCode, string division, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<VialRow>(VialSelect + " WHERE v.din = @din AND v.product_code = @productCode AND v.division = @division",
            new { din, productCode, division }, ct))?.ToVial();

    public async Task<IReadOnlyList<Vial>> ListVialsOfLotAsync(long lotId, CancellationToken ct) =>
        [.. (await session.QueryAsync<VialRow>(VialSelect + " WHERE v.lot_id = @lotId ORDER BY v.division", new { lotId }, ct)).Select(r => r.ToVial())];

    public async Task<IReadOnlyList<Vial>> ListVialsInBoxAsync(long boxId, CancellationToken ct) =>
        [.. (await session.QueryAsync<VialRow>(VialSelect + " WHERE v.box_id = @boxId ORDER BY v.pos_row, v.pos_col", new { boxId }, ct))
            .Select(r => r.ToVial())];

    public async Task<Vial?> FindVialAtAsync(long boxId, int row, int column, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<VialRow>(VialSelect + " WHERE v.box_id = @boxId AND v.pos_row = @row AND v.pos_col = @column",
            new { boxId, row, column }, ct))?.ToVial();

    public async Task<bool> UpdateVialAsync(Vial vial, int expectedVersion, CancellationToken ct)
    {
        var r = VialRow.From(vial);
        return await session.ExecuteAsync(
            "UPDATE bank_vials SET status = @Status, box_id = @BoxId, pos_row = @PosRow, pos_col = @PosCol, expires_at = @ExpiresAt, "
            + "reserved_for = @ReservedFor, flag = @Flag, version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new { r.Id, r.Status, r.BoxId, r.PosRow, r.PosCol, r.ExpiresAt, r.ReservedFor, r.Flag, expectedVersion }, ct) == 1;
    }

    private const string AddFlag = "flag = CASE WHEN flag IS NULL THEN @flag ELSE flag || '; ' || @flag END, version = version + 1";

    public async Task<IReadOnlyList<long>> FlagVialsOfDonorAsync(long donorId, string flag, CancellationToken ct)
    {
        const string where = " WHERE status IN " + Live + " AND line_id IN (SELECT id FROM bank_lines WHERE donor_id = @donorId)";
        var ids = await session.QueryAsync<long>("SELECT id FROM bank_vials" + where + " ORDER BY id", new { donorId }, ct);
        await session.ExecuteAsync("UPDATE bank_vials SET " + AddFlag + where, new { donorId, flag }, ct);
        return ids;
    }

    public async Task<IReadOnlyList<long>> FlagVialsUnderAsync(string locationPath, string flag, CancellationToken ct)
    {
        const string where = " WHERE status IN " + Live + " AND box_id IN (SELECT id FROM bank_locations WHERE path LIKE @prefix)";
        var prefix = locationPath + "%";
        var ids = await session.QueryAsync<long>("SELECT id FROM bank_vials" + where + " ORDER BY id", new { prefix }, ct);
        await session.ExecuteAsync("UPDATE bank_vials SET " + AddFlag + where, new { prefix, flag }, ct);
        return ids;
    }

    public async Task<IReadOnlyList<Vial>> ListDueForExpiryAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<VialRow>(
            VialSelect + " WHERE v.status IN " + Live + " AND v.expires_at <= @now ORDER BY v.expires_at, v.id LIMIT @limit",
            new { now = T(now), limit }, ct)).Select(r => r.ToVial())];

    // ------------------------------------------------------------ rows

    internal class VialRow
    {
        public long Id { get; set; }

        public long LotId { get; set; }

        public long LineId { get; set; }

        public string Din { get; set; } = "";

        public string ProductCode { get; set; } = "";

        public string Division { get; set; } = "";

        public string Status { get; set; } = "";

        public long? BoxId { get; set; }

        public long? PosRow { get; set; }

        public long? PosCol { get; set; }

        public string ExpiresAt { get; set; } = "";

        public string? ReservedFor { get; set; }

        public string? Flag { get; set; }

        public long Version { get; set; }

        public static VialRow From(Vial v) => new()
        {
            Id = v.Id,
            LotId = v.LotId,
            LineId = v.LineId,
            Din = v.Din,
            ProductCode = v.ProductCode,
            Division = v.Division,
            Status = Lifecycle.Name(v.Status),
            BoxId = v.BoxId,
            PosRow = v.Row,
            PosCol = v.Column,
            ExpiresAt = T(v.ExpiresAt),
            ReservedFor = v.ReservedFor,
            Flag = v.Flag,
        };

        public Vial ToVial() => new(Id, LotId, LineId, Din, ProductCode, Division, Lifecycle.ParseVial(Status), BoxId, (int?)PosRow, (int?)PosCol,
            P(ExpiresAt), ReservedFor, Flag, (int)Version);
    }
}
