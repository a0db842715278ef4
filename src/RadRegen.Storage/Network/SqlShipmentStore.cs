using System.Data;
using System.Text.Json;
using NpgsqlTypes;
using RadRegen.Core.Journal;
using RadRegen.Network.Shipments;

namespace RadRegen.Storage.Network;

/// <summary>The shipments' tables (migration 0017): shipments as JSON documents per side, dry shippers, logger series, settings.</summary>
internal sealed class SqlShipmentStore(SqlSession session) : IShipmentStore
{
    private const string ShipmentColumns =
        "id AS Id, sender_center AS SenderCenter, receiver_center AS ReceiverCenter, request AS Request, sender AS Sender, receiver AS Receiver, "
        + "updated_at AS UpdatedAt, version AS Version FROM network_shipments";

    private const string ShipperColumns =
        "serial AS Serial, model AS Model, qualified_at AS QualifiedAt, qualified_hold_hours AS QualifiedHoldHours, "
        + "qualification_reference AS QualificationReference, charged_at AS ChargedAt, last_dispatched_at AS LastDispatchedAt, packed_in AS PackedIn, "
        + "registered_at AS RegisteredAt, registered_by AS RegisteredBy, version AS Version FROM network_dry_shippers";

    private static readonly BulkColumn[] PointBulk =
    [
        new("shipment_id", DbType.String, NpgsqlDbType.Text),
        new("seq", DbType.Int32, NpgsqlDbType.Integer),
        new("at", DbType.String, NpgsqlDbType.Text),
        new("celsius", DbType.Double, NpgsqlDbType.Double),
    ];

    public async Task<Shipment?> FindAsync(string id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<ShipmentRow>($"SELECT {ShipmentColumns} WHERE id = @id", new { id }, ct))?.ToShipment();

    public async Task<IReadOnlyList<Shipment>> ListAsync(int limit, CancellationToken ct) =>
        [.. (await session.QueryAsync<ShipmentRow>($"SELECT {ShipmentColumns} ORDER BY updated_at DESC, id LIMIT @limit", new { limit = (long)limit }, ct))
            .Select(r => r.ToShipment())];

    public Task InsertAsync(Shipment shipment, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO network_shipments (id, sender_center, receiver_center, state, request, sender, receiver, updated_at, version) "
            + "VALUES (@Id, @SenderCenter, @ReceiverCenter, @State, @Request, @Sender, @Receiver, @UpdatedAt, 1)",
            Args(shipment), ct);

    public async Task<bool> UpdateAsync(Shipment shipment, int expectedVersion, CancellationToken ct)
    {
        var args = Args(shipment);
        return await session.ExecuteAsync(
            "UPDATE network_shipments SET state = @State, request = @Request, sender = @Sender, receiver = @Receiver, updated_at = @UpdatedAt, "
            + "version = version + 1 WHERE id = @Id AND version = @Expected",
            new { args.Id, args.State, args.Request, args.Sender, args.Receiver, args.UpdatedAt, Expected = (long)expectedVersion }, ct) == 1;
    }

    public async Task<DryShipper?> FindShipperAsync(string serial, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<ShipperRow>($"SELECT {ShipperColumns} WHERE serial = @serial", new { serial }, ct))?.ToShipper();

    public async Task<IReadOnlyList<DryShipper>> ListShippersAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<ShipperRow>($"SELECT {ShipperColumns} ORDER BY serial", null, ct)).Select(r => r.ToShipper())];

    public Task InsertShipperAsync(DryShipper shipper, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO network_dry_shippers (serial, model, qualified_at, qualified_hold_hours, qualification_reference, charged_at, last_dispatched_at, "
            + "packed_in, registered_at, registered_by, version) VALUES (@Serial, @Model, @QualifiedAt, @QualifiedHoldHours, @QualificationReference, "
            + "@ChargedAt, @LastDispatchedAt, @PackedIn, @RegisteredAt, @RegisteredBy, 1)",
            ShipperArgs(shipper, 0), ct);

    public async Task<bool> UpdateShipperAsync(DryShipper shipper, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE network_dry_shippers SET model = @Model, qualified_at = @QualifiedAt, qualified_hold_hours = @QualifiedHoldHours, "
            + "qualification_reference = @QualificationReference, charged_at = @ChargedAt, last_dispatched_at = @LastDispatchedAt, packed_in = @PackedIn, "
            + "version = version + 1 WHERE serial = @Serial AND version = @Expected",
            ShipperArgs(shipper, expectedVersion), ct) == 1;

    public async Task ReplaceLoggerSeriesAsync(string shipmentId, IReadOnlyList<LoggerPoint> points, CancellationToken ct)
    {
        await session.ExecuteAsync("DELETE FROM network_shipment_logger_points WHERE shipment_id = @shipmentId", new { shipmentId }, ct);
        await SqlBulk.InsertAsync(session, "network_shipment_logger_points", PointBulk, points.Count, (i, v) =>
        {
            v[0] = shipmentId;
            v[1] = i;
            v[2] = JournalTime.ToText(points[i].At);
            v[3] = points[i].Celsius;
        }, ct);
    }

    public async Task<IReadOnlyList<LoggerPoint>> ListLoggerSeriesAsync(string shipmentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<PointRow>(
            "SELECT at AS At, celsius AS Celsius FROM network_shipment_logger_points WHERE shipment_id = @shipmentId ORDER BY seq",
            new { shipmentId }, ct)).Select(r => new LoggerPoint(JournalTime.Parse(r.At), r.Celsius))];

    public async Task<ShipmentSettings?> FindSettingsAsync(CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<SettingsRow>(
            "SELECT requalification_interval_days AS RequalificationIntervalDays, logging_interval_minutes AS LoggingIntervalMinutes, "
            + "set_at AS SetAt, set_by AS SetBy, reason AS Reason FROM network_shipment_settings WHERE id = 1", null, ct)) is { } r
            ? new ShipmentSettings((int)r.RequalificationIntervalDays, (int)r.LoggingIntervalMinutes, JournalTime.Parse(r.SetAt), r.SetBy, r.Reason)
            : null;

    public async Task SaveSettingsAsync(ShipmentSettings settings, CancellationToken ct)
    {
        var args = new
        {
            Days = (long)settings.RequalificationIntervalDays,
            Minutes = (long)settings.LoggingIntervalMinutes,
            SetAt = JournalTime.ToText(settings.SetAt),
            settings.SetBy,
            settings.Reason,
        };
        if (await session.ExecuteAsync(
            "UPDATE network_shipment_settings SET requalification_interval_days = @Days, logging_interval_minutes = @Minutes, set_at = @SetAt, "
            + "set_by = @SetBy, reason = @Reason WHERE id = 1", args, ct) == 0)
        {
            await session.ExecuteAsync(
                "INSERT INTO network_shipment_settings (id, requalification_interval_days, logging_interval_minutes, set_at, set_by, reason) "
                + "VALUES (1, @Days, @Minutes, @SetAt, @SetBy, @Reason)", args, ct);
        }
    }

    private static ShipmentArgs Args(Shipment s) => new(
        s.Id,
        s.SenderCenter,
        s.ReceiverCenter,
        ShipmentJson.Name(s.State),
        JsonSerializer.Serialize(s.Request, ShipmentJson.Options),
        JsonSerializer.Serialize(s.Sender, ShipmentJson.Options),
        JsonSerializer.Serialize(s.Receiver, ShipmentJson.Options),
        JournalTime.ToText(s.UpdatedAt));

    private static object ShipperArgs(DryShipper s, int expected) => new
    {
        s.Serial,
        s.Model,
        QualifiedAt = JournalTime.ToText(s.QualifiedAt),
        s.QualifiedHoldHours,
        s.QualificationReference,
        ChargedAt = s.ChargedAt is { } c ? JournalTime.ToText(c) : null,
        LastDispatchedAt = s.LastDispatchedAt is { } d ? JournalTime.ToText(d) : null,
        s.PackedIn,
        RegisteredAt = JournalTime.ToText(s.RegisteredAt),
        s.RegisteredBy,
        Expected = (long)expected,
    };

    private sealed record ShipmentArgs(string Id, string SenderCenter, string ReceiverCenter, string State, string Request, string Sender, string Receiver,
        string UpdatedAt);

    private sealed class ShipmentRow
    {
        public string Id { get; set; } = "";

        public string SenderCenter { get; set; } = "";

        public string ReceiverCenter { get; set; } = "";

        public string Request { get; set; } = "";

        public string Sender { get; set; } = "";

        public string Receiver { get; set; } = "";

        public string UpdatedAt { get; set; } = "";

        public long Version { get; set; }

        public Shipment ToShipment() => new(Id, SenderCenter, ReceiverCenter,
            JsonSerializer.Deserialize<ShipmentRequest>(Request, ShipmentJson.Options)!,
            JsonSerializer.Deserialize<SenderSide>(Sender, ShipmentJson.Options)!,
            JsonSerializer.Deserialize<ReceiverSide>(Receiver, ShipmentJson.Options)!,
            JournalTime.Parse(UpdatedAt), (int)Version);
    }

    private sealed class ShipperRow
    {
        public string Serial { get; set; } = "";

        public string Model { get; set; } = "";

        public string QualifiedAt { get; set; } = "";

        public double QualifiedHoldHours { get; set; }

        public string QualificationReference { get; set; } = "";

        public string? ChargedAt { get; set; }

        public string? LastDispatchedAt { get; set; }

        public string? PackedIn { get; set; }

        public string RegisteredAt { get; set; } = "";

        public string RegisteredBy { get; set; } = "";

        public long Version { get; set; }

        public DryShipper ToShipper() => new(Serial, Model, JournalTime.Parse(QualifiedAt), QualifiedHoldHours, QualificationReference,
            ChargedAt is null ? null : JournalTime.Parse(ChargedAt), LastDispatchedAt is null ? null : JournalTime.Parse(LastDispatchedAt), PackedIn,
            JournalTime.Parse(RegisteredAt), RegisteredBy, (int)Version);
    }

    private sealed class PointRow
    {
        public string At { get; set; } = "";

        public double Celsius { get; set; }
    }

    private sealed class SettingsRow
    {
        public long RequalificationIntervalDays { get; set; }

        public long LoggingIntervalMinutes { get; set; }

        public string SetAt { get; set; } = "";

        public string SetBy { get; set; } = "";

        public string Reason { get; set; } = "";
    }
}
