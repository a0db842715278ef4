using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>Storage locations (sites to box positions), their temperature readings, and each vial's chain of custody.</summary>
internal sealed partial class SqlBankStore
{
    private const string LocationSelect = "SELECT id AS Id, parent_id AS ParentId, kind AS Kind, name AS Name, path AS Path, rows_count AS RowsCount, "
        + "cols_count AS ColsCount, max_celsius AS MaxCelsius, temperature_class AS TemperatureClass, flag AS Flag, version AS Version FROM bank_locations";

    public async Task<long> InsertLocationAsync(StorageLocation l, CancellationToken ct)
    {
        var id = await session.InsertReturningIdAsync(
            "INSERT INTO bank_locations (parent_id, kind, name, path, rows_count, cols_count, max_celsius, temperature_class, flag, version) "
            + "VALUES (@ParentId, @Kind, @Name, @Path, @Rows, @Columns, @MaxCelsius, @TemperatureClass, NULL, 1) RETURNING id",
            new
            {
                l.ParentId, Kind = Lower(l.Kind), l.Name, l.Path, l.Rows, l.Columns, l.MaxCelsius,
                TemperatureClass = l.Class is { } c ? TemperatureClasses.Code(c) : null,
            }, ct);
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

    // ------------------------------------------------------------ temperatures

    public Task<long> InsertReadingAsync(TemperatureReading r, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_temperatures (location_id, measured_at, celsius, excursion, recorded_by, confirmed) "
            + "VALUES (@LocationId, @MeasuredAt, @Celsius, @Excursion, @RecordedBy, @Confirmed) RETURNING id",
            new { r.LocationId, MeasuredAt = T(r.MeasuredAt), r.Celsius, Excursion = r.Excursion ? 1 : 0, r.RecordedBy, Confirmed = r.Confirmed ? 1 : 0 }, ct);

    public async Task<IReadOnlyList<TemperatureReading>> ListReadingsAsync(long locationId, int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<ReadingRow>(
            "SELECT id AS Id, location_id AS LocationId, measured_at AS MeasuredAt, celsius AS Celsius, excursion AS Excursion, recorded_by AS RecordedBy, "
            + "confirmed AS Confirmed "
            + "FROM bank_temperatures WHERE location_id = @locationId ORDER BY measured_at DESC, id DESC LIMIT @limit", new { locationId, limit }, ct))
            .Select(r => new TemperatureReading(r.Id, r.LocationId, P(r.MeasuredAt), r.Celsius, r.Excursion != 0, r.RecordedBy) { Confirmed = r.Confirmed != 0 })];

    // ------------------------------------------------------------ chain of custody

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

    // ------------------------------------------------------------ rows

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

        public string? TemperatureClass { get; set; }

        public string? Flag { get; set; }

        public long Version { get; set; }

        public StorageLocation ToLocation() => new(Id, ParentId, Enum.Parse<LocationKind>(Kind, true), Name, Path, (int)RowsCount, (int)ColsCount,
            MaxCelsius, Flag, (int)Version)
        {
            Class = TemperatureClass is null ? null : TemperatureClasses.Parse(TemperatureClass, "temperatureClass"),
        };
    }

    private sealed class ReadingRow
    {
        public long Id { get; set; }

        public long LocationId { get; set; }

        public string MeasuredAt { get; set; } = "";

        public double Celsius { get; set; }

        public long Excursion { get; set; }

        public string RecordedBy { get; set; } = "";

        public long Confirmed { get; set; }
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
