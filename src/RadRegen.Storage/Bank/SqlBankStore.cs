using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Bank;

/// <summary>The cell bank's tables, over one unit of work's transaction. Parameterised SQL only.</summary>
internal sealed class SqlBankStore(SqlSession session) : IBankStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static string T(DateTimeOffset t) => JournalTime.ToText(t);

    private static string? T(DateTimeOffset? t) => t is { } v ? JournalTime.ToText(v) : null;

    private static DateTimeOffset P(string t) => JournalTime.Parse(t);

    private static DateTimeOffset? P(string? t, bool _ = true) => t is null ? null : JournalTime.Parse(t);

    private static string Lower<TEnum>(TEnum e) where TEnum : struct, Enum => e.ToString().ToLowerInvariant();

    // ------------------------------------------------------------ products

    private const string ProductCols = "code AS Code, name AS Name, indication AS Indication, storage_max_celsius AS StorageMaxCelsius, "
        + "shelf_life_frozen_days AS ShelfLifeFrozenDays, shelf_life_thaw_hours AS ShelfLifeThawHours, dose_unit AS DoseUnit, "
        + "specification AS Specification, dose_per_vial AS DosePerVial, contains_immune_cells AS ContainsImmuneCells, version AS Version FROM bank_products";

    public async Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<ProductRow>("SELECT " + ProductCols + " ORDER BY code", null, ct)).Select(r => r.ToProduct())];

    public async Task<Product?> FindProductAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<ProductRow>("SELECT " + ProductCols + " WHERE code = @code", new { code }, ct))?.ToProduct();

    public Task InsertProductAsync(Product product, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO bank_products (code, name, indication, storage_max_celsius, shelf_life_frozen_days, shelf_life_thaw_hours, dose_unit, specification, "
            + "dose_per_vial, contains_immune_cells, version) "
            + "VALUES (@Code, @Name, @Indication, @StorageMaxCelsius, @ShelfLifeFrozenDays, @ShelfLifeAfterThawHours, @DoseUnit, @Spec, @DosePerVial, @Immune, 1)",
            new
            {
                product.Code, product.Name, product.Indication, product.StorageMaxCelsius, product.ShelfLifeFrozenDays,
                product.ShelfLifeAfterThawHours, product.DoseUnit, Spec = JsonSerializer.Serialize(product.Specification, Json),
                product.DosePerVial, Immune = product.ContainsImmuneCells ? 1 : 0,
            }, ct);

    public async Task<bool> UpdateProductAsync(Product product, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_products SET name = @Name, indication = @Indication, storage_max_celsius = @StorageMaxCelsius, "
            + "shelf_life_frozen_days = @ShelfLifeFrozenDays, shelf_life_thaw_hours = @ShelfLifeAfterThawHours, dose_unit = @DoseUnit, "
            + "specification = @Spec, dose_per_vial = @DosePerVial, contains_immune_cells = @Immune, version = version + 1 WHERE code = @Code AND version = @expectedVersion",
            new
            {
                product.Code, product.Name, product.Indication, product.StorageMaxCelsius, product.ShelfLifeFrozenDays,
                product.ShelfLifeAfterThawHours, product.DoseUnit, Spec = JsonSerializer.Serialize(product.Specification, Json),
                product.DosePerVial, Immune = product.ContainsImmuneCells ? 1 : 0, expectedVersion,
            }, ct) == 1;

    // ------------------------------------------------------------ donors

    internal const string DonorCols = "{0}.id AS Id, {0}.code AS Code, {0}.consent_banking AS ConsentBanking, {0}.consent_research AS ConsentResearch, "
        + "{0}.consent_clinical AS ConsentClinical, {0}.consented_at AS ConsentedAt, {0}.withdrawn_at AS WithdrawnAt, {0}.withdrawal_reason AS WithdrawalReason, "
        + "{0}.screening AS Screening, {0}.eligible AS Eligible, {0}.hla_gl AS HlaGl, {0}.homozygous AS Homozygous, {0}.haplotype AS Haplotype, "
        + "{0}.registered_at AS RegisteredAt, {0}.registered_by AS RegisteredBy, {0}.version AS Version";

    private static string Cols(string template, string alias) => string.Format(CultureInfo.InvariantCulture, template, alias);

    private static readonly string DonorSelect = "SELECT " + Cols(DonorCols, "d") + " FROM bank_donors d";

    public Task<long> InsertDonorAsync(Donor d, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_donors (code, consent_banking, consent_research, consent_clinical, consented_at, withdrawn_at, withdrawal_reason, screening, "
            + "eligible, hla_gl, homozygous, haplotype, registered_at, registered_by, version) VALUES (@Code, @ConsentBanking, @ConsentResearch, "
            + "@ConsentClinical, @ConsentedAt, @WithdrawnAt, @WithdrawalReason, @Screening, @Eligible, @HlaGl, @Homozygous, @Haplotype, @RegisteredAt, "
            + "@RegisteredBy, 1) RETURNING id", DonorRow.From(d), ct);

    public async Task<Donor?> FindDonorAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<DonorRow>(DonorSelect + " WHERE d.id = @id", new { id }, ct))?.ToDonor();

    public async Task<Donor?> FindDonorByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<DonorRow>(DonorSelect + " WHERE d.code = @code", new { code }, ct))?.ToDonor();

    public async Task<IReadOnlyList<Donor>> ListDonorsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<DonorRow>(DonorSelect + " ORDER BY d.code", null, ct)).Select(r => r.ToDonor())];

    public async Task<bool> UpdateDonorAsync(Donor donor, int expectedVersion, CancellationToken ct)
    {
        var r = DonorRow.From(donor);
        return await session.ExecuteAsync(
            "UPDATE bank_donors SET consent_banking = @ConsentBanking, consent_research = @ConsentResearch, consent_clinical = @ConsentClinical, "
            + "withdrawn_at = @WithdrawnAt, withdrawal_reason = @WithdrawalReason, screening = @Screening, eligible = @Eligible, hla_gl = @HlaGl, "
            + "homozygous = @Homozygous, haplotype = @Haplotype, version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new
            {
                r.Id, r.ConsentBanking, r.ConsentResearch, r.ConsentClinical, r.WithdrawnAt, r.WithdrawalReason, r.Screening, r.Eligible, r.HlaGl,
                r.Homozygous, r.Haplotype, expectedVersion,
            }, ct) == 1;
    }

    // ------------------------------------------------------------ lines and banks

    internal const string LineCols = "{0}.id AS Id, {0}.code AS Code, {0}.donor_id AS DonorId, {0}.method AS Method, {0}.clone_name AS CloneName, "
        + "{0}.passage AS Passage, {0}.flag AS Flag, {0}.created_at AS CreatedAt, {0}.created_by AS CreatedBy, {0}.version AS Version";

    private static readonly string LineSelect = "SELECT " + Cols(LineCols, "l") + " FROM bank_lines l";

    public Task<long> InsertLineAsync(CellLine line, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_lines (code, donor_id, method, clone_name, passage, flag, created_at, created_by, version) "
            + "VALUES (@Code, @DonorId, @Method, @CloneName, @Passage, @Flag, @CreatedAt, @CreatedBy, 1) RETURNING id",
            new { line.Code, line.DonorId, line.Method, line.CloneName, line.Passage, line.Flag, CreatedAt = T(line.CreatedAt), line.CreatedBy }, ct);

    public async Task<CellLine?> FindLineAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LineRow>(LineSelect + " WHERE l.id = @id", new { id }, ct))?.ToLine();

    public async Task<CellLine?> FindLineByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LineRow>(LineSelect + " WHERE l.code = @code", new { code }, ct))?.ToLine();

    public async Task<IReadOnlyList<CellLine>> ListLinesAsync(long? donorId, CancellationToken ct) =>
        [.. (await session.QueryAsync<LineRow>(LineSelect + (donorId is null ? "" : " WHERE l.donor_id = @donorId") + " ORDER BY l.code",
            new { donorId }, ct)).Select(r => r.ToLine())];

    public async Task<IReadOnlyList<LineTyping>> ListLineTypingsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<LineTypingRow>(
            "SELECT l.id AS LineId, d.hla_gl AS HlaGl, d.haplotype AS Haplotype FROM bank_lines l JOIN bank_donors d ON d.id = l.donor_id ORDER BY l.id",
            null, ct)).Select(r => new LineTyping(r.LineId, r.HlaGl, r.Haplotype))];

    private sealed class LineTypingRow
    {
        public long LineId { get; set; }

        public string? HlaGl { get; set; }

        public string? Haplotype { get; set; }
    }

    public Task FlagLinesOfDonorAsync(long donorId, string flag, CancellationToken ct) =>
        session.ExecuteAsync("UPDATE bank_lines SET flag = @flag, version = version + 1 WHERE donor_id = @donorId", new { donorId, flag }, ct);

    internal const string BankCols = "{0}.id AS Id, {0}.code AS Code, {0}.kind AS Kind, {0}.line_id AS LineId, {0}.parent_id AS ParentId, "
        + "{0}.passage AS Passage, {0}.vials AS Vials, {0}.created_at AS CreatedAt, {0}.created_by AS CreatedBy";

    private static readonly string BankSelect = "SELECT " + Cols(BankCols, "b") + " FROM bank_cell_banks b";

    public Task<long> InsertBankAsync(CellBank bank, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_cell_banks (code, kind, line_id, parent_id, passage, vials, created_at, created_by) "
            + "VALUES (@Code, @Kind, @LineId, @ParentId, @Passage, @Vials, @CreatedAt, @CreatedBy) RETURNING id",
            new { bank.Code, Kind = Lower(bank.Kind), bank.LineId, bank.ParentId, bank.Passage, bank.Vials, CreatedAt = T(bank.CreatedAt), bank.CreatedBy }, ct);

    public async Task<CellBank?> FindBankAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<BankRow>(BankSelect + " WHERE b.id = @id", new { id }, ct))?.ToBank();

    public async Task<CellBank?> FindBankByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<BankRow>(BankSelect + " WHERE b.code = @code", new { code }, ct))?.ToBank();

    public async Task<IReadOnlyList<CellBank>> ListBanksAsync(long lineId, CancellationToken ct) =>
        [.. (await session.QueryAsync<BankRow>(BankSelect + " WHERE b.line_id = @lineId ORDER BY b.id", new { lineId }, ct)).Select(r => r.ToBank())];

    // ------------------------------------------------------------ lots

    internal const string LotCols = "{0}.id AS Id, {0}.lot_number AS LotNumber, {0}.din AS Din, {0}.product_code AS ProductCode, {0}.wcb_id AS WcbId, "
        + "{0}.line_id AS LineId, {0}.status AS Status, {0}.manufactured_at AS ManufacturedAt, {0}.expires_at AS ExpiresAt, {0}.flag AS Flag, "
        + "{0}.released_at AS ReleasedAt, {0}.released_by AS ReleasedBy, {0}.signature_id AS SignatureId, {0}.created_at AS CreatedAt, "
        + "{0}.created_by AS CreatedBy, {0}.version AS Version";

    private static readonly string LotSelect = "SELECT " + Cols(LotCols, "t") + " FROM bank_lots t";

    public Task<long> InsertLotAsync(Lot lot, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_lots (lot_number, din, product_code, wcb_id, line_id, status, manufactured_at, expires_at, flag, released_at, released_by, "
            + "signature_id, created_at, created_by, version) VALUES (@LotNumber, @Din, @ProductCode, @WcbId, @LineId, @Status, @ManufacturedAt, "
            + "@ExpiresAt, @Flag, @ReleasedAt, @ReleasedBy, @SignatureId, @CreatedAt, @CreatedBy, 1) RETURNING id",
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

    public async Task<bool> UpdateLotAsync(Lot lot, int expectedVersion, CancellationToken ct)
    {
        var r = LotRow.From(lot);
        return await session.ExecuteAsync(
            "UPDATE bank_lots SET status = @Status, flag = @Flag, released_at = @ReleasedAt, released_by = @ReleasedBy, signature_id = @SignatureId, "
            + "version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new { r.Id, r.Status, r.Flag, r.ReleasedAt, r.ReleasedBy, r.SignatureId, expectedVersion }, ct) == 1;
    }

    public Task FlagLotsOfDonorAsync(long donorId, string flag, CancellationToken ct) =>
        session.ExecuteAsync(
            "UPDATE bank_lots SET flag = @flag, version = version + 1 WHERE line_id IN (SELECT id FROM bank_lines WHERE donor_id = @donorId)",
            new { donorId, flag }, ct);

    // ------------------------------------------------------------ vials

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

    public async Task<IReadOnlyList<AvailableVial>> ListAvailableVialsAsync(IReadOnlyCollection<string> productCodes, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(productCodes);
        if (productCodes.Count == 0)
        {
            return [];
        }

        var rows = await session.QueryAsync<AvailableRow>(
            "SELECT " + Cols(VialCols, "v") + ", t.lot_number AS LotNumber, l.code AS LineCode, d.hla_gl AS LineHla, b.path AS BoxPath "
            + "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id JOIN bank_donors d ON d.id = l.donor_id "
            + "LEFT JOIN bank_locations b ON b.id = v.box_id "
            + "WHERE v.status = 'released' AND v.expires_at > @now AND v.flag IS NULL AND t.flag IS NULL AND l.flag IS NULL "
            + "AND d.consent_clinical = 1 AND d.withdrawn_at IS NULL AND d.eligible = 1 AND "
            + (session.Engine == Engine.Postgres ? "v.product_code = ANY(@codes)" : "v.product_code IN @codes")
            + " ORDER BY v.expires_at, v.id",
            new { now = T(now), codes = productCodes.ToArray() }, ct);
        return [.. rows.Select(r => new AvailableVial(r.ToVial(), r.LotNumber, r.LineCode, r.LineHla, r.BoxPath))];
    }

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
            where.Append(" AND v.status = @status");
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
        args.Add("limit", q.PageSize);
        args.Add("offset", (long)(q.Page - 1) * q.PageSize);
        var rows = await session.QueryAsync<SearchRow>(
            "SELECT " + Cols(VialCols, "v") + ", t.lot_number AS LotNumber, l.code AS LineCode, b.name AS BoxName, b.path AS BoxPath "
            + "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id "
            + "LEFT JOIN bank_locations b ON b.id = v.box_id" + where + " ORDER BY v.expires_at, v.id LIMIT @limit OFFSET @offset", args, ct);
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

    // ------------------------------------------------------------ QC and deviations

    private const string QcSelect = "SELECT id AS Id, lot_id AS LotId, test_code AS TestCode, value AS Value, unit AS Unit, passed AS Passed, "
        + "recorded_at AS RecordedAt, recorded_by AS RecordedBy FROM bank_qc_results";

    public Task<long> InsertQcResultAsync(QcResult r, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_qc_results (lot_id, test_code, value, unit, passed, recorded_at, recorded_by) "
            + "VALUES (@LotId, @TestCode, @Value, @Unit, @Passed, @RecordedAt, @RecordedBy) RETURNING id",
            new { r.LotId, r.TestCode, r.Value, r.Unit, Passed = r.Passed ? 1 : 0, RecordedAt = T(r.RecordedAt), r.RecordedBy }, ct);

    public async Task<IReadOnlyList<QcResult>> ListQcResultsAsync(long lotId, CancellationToken ct) =>
        [.. (await session.QueryAsync<QcRow>(QcSelect + " WHERE lot_id = @lotId ORDER BY id", new { lotId }, ct)).Select(r => r.ToResult())];

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

    public async Task<bool> UpdateDeviationAsync(Deviation d, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_deviations SET status = @Status, closed_at = @ClosedAt, closed_by = @ClosedBy, closure = @Closure, version = version + 1 "
            + "WHERE id = @Id AND version = @expectedVersion",
            new { d.Id, Status = Lower(d.Status), ClosedAt = T(d.ClosedAt), d.ClosedBy, d.Closure, expectedVersion }, ct) == 1;

    // ------------------------------------------------------------ locations, temperatures, custody

    private const string LocationSelect = "SELECT id AS Id, parent_id AS ParentId, kind AS Kind, name AS Name, path AS Path, rows_count AS RowsCount, "
        + "cols_count AS ColsCount, max_celsius AS MaxCelsius, flag AS Flag, version AS Version FROM bank_locations";

    public async Task<long> InsertLocationAsync(StorageLocation l, CancellationToken ct)
    {
        var id = await session.InsertReturningIdAsync(
            "INSERT INTO bank_locations (parent_id, kind, name, path, rows_count, cols_count, max_celsius, flag, version) "
            + "VALUES (@ParentId, @Kind, @Name, @Path, @Rows, @Columns, @MaxCelsius, NULL, 1) RETURNING id",
            new { l.ParentId, Kind = Lower(l.Kind), l.Name, l.Path, l.Rows, l.Columns, l.MaxCelsius }, ct);
        await session.ExecuteAsync("UPDATE bank_locations SET path = @path WHERE id = @id",
            new { id, path = l.Path + id.ToString(CultureInfo.InvariantCulture) + "/" }, ct);
        return id;
    }

    public async Task<StorageLocation?> FindLocationAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LocationRow>(LocationSelect + " WHERE id = @id", new { id }, ct))?.ToLocation();

    public async Task<IReadOnlyList<StorageLocation>> ListLocationsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<LocationRow>(LocationSelect + " ORDER BY path", null, ct)).Select(r => r.ToLocation())];

    public async Task<int> CountVialsInBoxAsync(long boxId, CancellationToken ct) =>
        (int)await session.ScalarAsync<long>("SELECT COUNT(*) FROM bank_vials WHERE box_id = @boxId", new { boxId }, ct);

    public Task SetLocationFlagAsync(long id, string? flag, CancellationToken ct) =>
        session.ExecuteAsync("UPDATE bank_locations SET flag = @flag, version = version + 1 WHERE id = @id", new { id, flag }, ct);

    public Task<long> InsertReadingAsync(TemperatureReading r, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_temperatures (location_id, measured_at, celsius, excursion, recorded_by) "
            + "VALUES (@LocationId, @MeasuredAt, @Celsius, @Excursion, @RecordedBy) RETURNING id",
            new { r.LocationId, MeasuredAt = T(r.MeasuredAt), r.Celsius, Excursion = r.Excursion ? 1 : 0, r.RecordedBy }, ct);

    public async Task<IReadOnlyList<TemperatureReading>> ListReadingsAsync(long locationId, int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<ReadingRow>(
            "SELECT id AS Id, location_id AS LocationId, measured_at AS MeasuredAt, celsius AS Celsius, excursion AS Excursion, recorded_by AS RecordedBy "
            + "FROM bank_temperatures WHERE location_id = @locationId ORDER BY measured_at DESC, id DESC LIMIT @limit", new { locationId, limit }, ct))
            .Select(r => new TemperatureReading(r.Id, r.LocationId, P(r.MeasuredAt), r.Celsius, r.Excursion != 0, r.RecordedBy))];

    public Task InsertCustodyAsync(CustodyEvent e, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO bank_custody (vial_id, at, user_name, action, from_status, to_status, from_position, to_position, reason) "
            + "VALUES (@VialId, @At, @User, @Action, @FromStatus, @ToStatus, @FromPosition, @ToPosition, @Reason)",
            new { e.VialId, At = T(e.At), e.User, e.Action, e.FromStatus, e.ToStatus, e.FromPosition, e.ToPosition, e.Reason }, ct);

    public async Task<IReadOnlyList<CustodyEvent>> ListCustodyAsync(long vialId, CancellationToken ct) =>
        [.. (await session.QueryAsync<CustodyRow>(
            "SELECT id AS Id, vial_id AS VialId, at AS At, user_name AS UserName, action AS Action, from_status AS FromStatus, to_status AS ToStatus, "
            + "from_position AS FromPosition, to_position AS ToPosition, reason AS Reason FROM bank_custody WHERE vial_id = @vialId ORDER BY id",
            new { vialId }, ct)).Select(r => new CustodyEvent(r.Id, r.VialId, P(r.At), r.UserName, r.Action, r.FromStatus, r.ToStatus, r.FromPosition,
                r.ToPosition, r.Reason))];

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

    private sealed class ProductRow
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string Indication { get; set; } = "";

        public double StorageMaxCelsius { get; set; }

        public long ShelfLifeFrozenDays { get; set; }

        public long ShelfLifeThawHours { get; set; }

        public string DoseUnit { get; set; } = "";

        public string Specification { get; set; } = "[]";

        public double DosePerVial { get; set; }

        public long ContainsImmuneCells { get; set; }

        public long Version { get; set; }

        public Product ToProduct() => new(Code, Name, Indication, StorageMaxCelsius, (int)ShelfLifeFrozenDays, (int)ShelfLifeThawHours, DoseUnit,
            JsonSerializer.Deserialize<List<QcTest>>(Specification, Json) ?? [], (int)Version)
        {
            DosePerVial = DosePerVial,
            ContainsImmuneCells = ContainsImmuneCells != 0,
        };
    }

    internal sealed class DonorRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public long ConsentBanking { get; set; }

        public long ConsentResearch { get; set; }

        public long ConsentClinical { get; set; }

        public string ConsentedAt { get; set; } = "";

        public string? WithdrawnAt { get; set; }

        public string? WithdrawalReason { get; set; }

        public string Screening { get; set; } = "[]";

        public long Eligible { get; set; }

        public string? HlaGl { get; set; }

        public long? Homozygous { get; set; }

        public string? Haplotype { get; set; }

        public string RegisteredAt { get; set; } = "";

        public string RegisteredBy { get; set; } = "";

        public long Version { get; set; }

        public static DonorRow From(Donor d) => new()
        {
            Id = d.Id,
            Code = d.Code,
            ConsentBanking = d.Consent.Banking ? 1 : 0,
            ConsentResearch = d.Consent.Research ? 1 : 0,
            ConsentClinical = d.Consent.Clinical ? 1 : 0,
            ConsentedAt = T(d.ConsentedAt),
            WithdrawnAt = T(d.WithdrawnAt),
            WithdrawalReason = d.WithdrawalReason,
            Screening = JsonSerializer.Serialize(d.Screening, Json),
            Eligible = d.Eligible ? 1 : 0,
            HlaGl = d.HlaGl,
            Homozygous = d.Homozygous is { } h ? (h ? 1 : 0) : null,
            Haplotype = d.Haplotype,
            RegisteredAt = T(d.RegisteredAt),
            RegisteredBy = d.RegisteredBy,
        };

        public Donor ToDonor() => new(Id, Code, new ConsentScopes(ConsentBanking != 0, ConsentResearch != 0, ConsentClinical != 0), P(ConsentedAt),
            P(WithdrawnAt, true), WithdrawalReason, JsonSerializer.Deserialize<List<ScreeningResult>>(Screening, Json) ?? [], Eligible != 0, HlaGl,
            Homozygous is { } h ? h != 0 : null, Haplotype, P(RegisteredAt), RegisteredBy, (int)Version);
    }

    internal sealed class LineRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public long DonorId { get; set; }

        public string Method { get; set; } = "";

        public string CloneName { get; set; } = "";

        public long Passage { get; set; }

        public string? Flag { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long Version { get; set; }

        public CellLine ToLine() => new(Id, Code, DonorId, Method, CloneName, (int)Passage, Flag, P(CreatedAt), CreatedBy, (int)Version);
    }

    internal sealed class BankRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string Kind { get; set; } = "";

        public long LineId { get; set; }

        public long? ParentId { get; set; }

        public long Passage { get; set; }

        public long Vials { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public CellBank ToBank() => new(Id, Code, Enum.Parse<CellBankKind>(Kind, true), LineId, ParentId, (int)Passage, (int)Vials, P(CreatedAt), CreatedBy);
    }

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
        };

        public Lot ToLot() => new(Id, LotNumber, Din, ProductCode, WcbId, LineId, Lifecycle.ParseLot(Status), P(ManufacturedAt), P(ExpiresAt), Flag,
            P(ReleasedAt, true), ReleasedBy, SignatureId, P(CreatedAt), CreatedBy, (int)Version);
    }

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

    private sealed class LocationRow
    {
        public long Id { get; set; }

        public long? ParentId { get; set; }

        public string Kind { get; set; } = "";

        public string Name { get; set; } = "";

        public string Path { get; set; } = "";

        public long RowsCount { get; set; }

        public long ColsCount { get; set; }

        public double? MaxCelsius { get; set; }

        public string? Flag { get; set; }

        public long Version { get; set; }

        public StorageLocation ToLocation() => new(Id, ParentId, Enum.Parse<LocationKind>(Kind, true), Name, Path, (int)RowsCount, (int)ColsCount,
            MaxCelsius, Flag, (int)Version);
    }

    private sealed class ReadingRow
    {
        public long Id { get; set; }

        public long LocationId { get; set; }

        public string MeasuredAt { get; set; } = "";

        public double Celsius { get; set; }

        public long Excursion { get; set; }

        public string RecordedBy { get; set; } = "";
    }

    private sealed class CustodyRow
    {
        public long Id { get; set; }

        public long VialId { get; set; }

        public string At { get; set; } = "";

        public string UserName { get; set; } = "";

        public string Action { get; set; } = "";

        public string? FromStatus { get; set; }

        public string ToStatus { get; set; } = "";

        public string? FromPosition { get; set; }

        public string? ToPosition { get; set; }

        public string? Reason { get; set; }
    }
}
