namespace RadRegen.Network.Shipments;

/// <summary>The shipments' storage port (migration 0017), bound to one unit of work. Updates take the expected version.</summary>
public interface IShipmentStore
{
    Task<Shipment?> FindAsync(string id, CancellationToken ct);

    /// <summary>Shipments, most recently changed first.</summary>
    Task<IReadOnlyList<Shipment>> ListAsync(int limit, CancellationToken ct);

    Task InsertAsync(Shipment shipment, CancellationToken ct);

    /// <summary>Writes the shipment if its version is still <paramref name="expectedVersion"/> (and raises it by one).</summary>
    Task<bool> UpdateAsync(Shipment shipment, int expectedVersion, CancellationToken ct);

    Task<DryShipper?> FindShipperAsync(string serial, CancellationToken ct);

    Task<IReadOnlyList<DryShipper>> ListShippersAsync(CancellationToken ct);

    Task InsertShipperAsync(DryShipper shipper, CancellationToken ct);

    Task<bool> UpdateShipperAsync(DryShipper shipper, int expectedVersion, CancellationToken ct);

    /// <summary>Replaces the logger series of a shipment.</summary>
    Task ReplaceLoggerSeriesAsync(string shipmentId, IReadOnlyList<LoggerPoint> points, CancellationToken ct);

    Task<IReadOnlyList<LoggerPoint>> ListLoggerSeriesAsync(string shipmentId, CancellationToken ct);

    Task<ShipmentSettings?> FindSettingsAsync(CancellationToken ct);

    Task SaveSettingsAsync(ShipmentSettings settings, CancellationToken ct);
}
