namespace RadRegen.Care.Therapy;

/// <summary>Therapy requests, their vials, shipments and follow-up, within one unit of work (implemented in RadRegen.Storage).</summary>
public interface ITherapyStore
{
    Task<long> InsertRequestAsync(TherapyRequest request, CancellationToken ct);

    Task<TherapyRequest?> GetRequestAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<TherapyRequest>> ListPatientRequestsAsync(long patientId, CancellationToken ct);

    Task<IReadOnlyList<TherapyRequest>> ListIncidentRequestsAsync(long incidentId, CancellationToken ct);

    /// <summary>Requests still under way (open, reserved, dispatched, received), oldest first, each with whether its incident is a drill.</summary>
    Task<IReadOnlyList<(TherapyRequest Request, bool Drill)>> ListUnderWayAsync(int limit, CancellationToken ct);

    /// <summary>Sets the status if the request is still at <paramref name="expectedVersion"/>; false when stale.</summary>
    Task<bool> UpdateRequestStatusAsync(long id, TherapyStatus status, long expectedVersion, CancellationToken ct);

    Task<long> InsertVialAsync(TherapyVial vial, CancellationToken ct);

    Task<IReadOnlyList<TherapyVial>> ListVialsAsync(long requestId, CancellationToken ct);

    /// <summary>Writes a held vial's status, shipment and administration if still at <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateVialAsync(TherapyVial vial, long expectedVersion, CancellationToken ct);

    Task<long> InsertShipmentAsync(Shipment shipment, CancellationToken ct);

    Task<bool> MarkShipmentReceivedAsync(long id, DateTimeOffset at, string by, CancellationToken ct);

    Task<IReadOnlyList<Shipment>> ListShipmentsAsync(long requestId, CancellationToken ct);

    Task<long> InsertFollowUpAsync(FollowUp followUp, CancellationToken ct);

    Task<IReadOnlyList<FollowUp>> ListFollowUpsAsync(long requestId, CancellationToken ct);
}
