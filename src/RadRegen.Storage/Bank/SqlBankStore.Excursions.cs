using RadRegen.Bank;
using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>Temperature excursions and the vials each flagged (ADR 0017); resolved ones are final (triggers).</summary>
internal sealed partial class SqlBankStore
{
    private const string ExcursionSelect = "SELECT id AS Id, location_id AS LocationId, reading_id AS ReadingId, unit_name AS UnitName, celsius AS Celsius, "
        + "measured_at AS MeasuredAt, max_celsius AS MaxCelsius, min_celsius AS MinCelsius, flag AS Flag, status AS Status, opened_at AS OpenedAt, "
        + "opened_by AS OpenedBy, outcome AS Outcome, assessment AS Assessment, resolved_at AS ResolvedAt, resolved_by AS ResolvedBy, "
        + "signature_id AS SignatureId, version AS Version FROM bank_excursions";

    public Task<long> InsertExcursionAsync(Excursion e, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_excursions (location_id, reading_id, unit_name, celsius, measured_at, max_celsius, min_celsius, flag, status, opened_at, "
            + "opened_by, version) VALUES (@LocationId, @ReadingId, @UnitName, @Celsius, @MeasuredAt, @MaxCelsius, @MinCelsius, @Flag, 'open', @OpenedAt, "
            + "@OpenedBy, 1) RETURNING id",
            new { e.LocationId, e.ReadingId, e.UnitName, e.Celsius, MeasuredAt = T(e.MeasuredAt), e.MaxCelsius, e.MinCelsius, e.Flag, OpenedAt = T(e.OpenedAt), e.OpenedBy },
            ct);

    public async Task SetExcursionFlagAsync(long id, string flag, IReadOnlyList<long> vialIds, CancellationToken ct)
    {
        await session.ExecuteAsync("UPDATE bank_excursions SET flag = @flag WHERE id = @id AND status = 'open'", new { id, flag }, ct);
        foreach (var vialId in vialIds)
        {
            await session.ExecuteAsync("INSERT INTO bank_excursion_vials (excursion_id, vial_id) VALUES (@id, @vialId)", new { id, vialId }, ct);
        }
    }

    public async Task<Excursion?> FindExcursionAsync(long id, CancellationToken ct)
    {
        var row = await session.SingleOrDefaultAsync<ExcursionRow>(ExcursionSelect + " WHERE id = @id", new { id }, ct);
        return row is null ? null : row.ToExcursion(await ExcursionVialsAsync(id, ct));
    }

    public async Task<IReadOnlyList<Excursion>> ListExcursionsAsync(long? locationId, ExcursionStatus? status, long? vialId, CancellationToken ct)
    {
        var rows = await session.QueryAsync<ExcursionRow>(
            ExcursionSelect + " WHERE 1 = 1" + (locationId is null ? "" : " AND location_id = @locationId") + (status is null ? "" : " AND status = @status")
            + (vialId is null ? "" : " AND id IN (SELECT excursion_id FROM bank_excursion_vials WHERE vial_id = @vialId)") + " ORDER BY id DESC LIMIT 500",
            new { locationId, status = status is { } s ? Lower(s) : null, vialId }, ct);
        var list = new List<Excursion>(rows.Count);
        foreach (var r in rows)
        {
            list.Add(r.ToExcursion(await ExcursionVialsAsync(r.Id, ct)));
        }

        return list;
    }

    public async Task<bool> ResolveExcursionAsync(Excursion e, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_excursions SET status = 'resolved', outcome = @Outcome, assessment = @Assessment, resolved_at = @ResolvedAt, resolved_by = @ResolvedBy, "
            + "signature_id = @SignatureId, version = version + 1 WHERE id = @Id AND status = 'open' AND version = @expectedVersion",
            new { e.Id, e.Outcome, e.Assessment, ResolvedAt = T(e.ResolvedAt), e.ResolvedBy, e.SignatureId, expectedVersion }, ct) == 1;

    public async Task<IReadOnlyList<InventoryItem>> ListFlaggedStockAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<SearchRow>(
            "SELECT " + Cols(VialCols, "v") + ", t.lot_number AS LotNumber, l.code AS LineCode, b.name AS BoxName, b.path AS BoxPath "
            + "FROM bank_vials v JOIN bank_lots t ON t.id = v.lot_id JOIN bank_lines l ON l.id = v.line_id "
            + "LEFT JOIN bank_locations b ON b.id = v.box_id "
            + "WHERE v.status = 'released' AND v.expires_at > @now AND v.flag IS NOT NULL ORDER BY v.expires_at, v.id LIMIT @limit",
            new { now = T(now), limit }, ct)).Select(r => new InventoryItem(r.ToVial(), r.LotNumber, r.LineCode, r.BoxName, r.BoxPath))];

    private Task<IReadOnlyList<long>> ExcursionVialsAsync(long id, CancellationToken ct) =>
        session.QueryAsync<long>("SELECT vial_id FROM bank_excursion_vials WHERE excursion_id = @id ORDER BY vial_id", new { id }, ct);

    private sealed class ExcursionRow
    {
        public long Id { get; set; }

        public long LocationId { get; set; }

        public long ReadingId { get; set; }

        public string UnitName { get; set; } = "";

        public double Celsius { get; set; }

        public string MeasuredAt { get; set; } = "";

        public double MaxCelsius { get; set; }

        public double? MinCelsius { get; set; }

        public string Flag { get; set; } = "";

        public string Status { get; set; } = "";

        public string OpenedAt { get; set; } = "";

        public string OpenedBy { get; set; } = "";

        public string? Outcome { get; set; }

        public string? Assessment { get; set; }

        public string? ResolvedAt { get; set; }

        public string? ResolvedBy { get; set; }

        public long? SignatureId { get; set; }

        public long Version { get; set; }

        public Excursion ToExcursion(IReadOnlyList<long> vials) => new(Id, LocationId, ReadingId, UnitName, Celsius, P(MeasuredAt), MaxCelsius, MinCelsius, Flag,
            Enum.Parse<ExcursionStatus>(Status, true), P(OpenedAt), OpenedBy, vials, Outcome, Assessment, P(ResolvedAt, true), ResolvedBy, SignatureId, (int)Version);
    }
}
