using RadRegen.Care.Therapy;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Care;

internal sealed class SqlTherapyStore(SqlSession session) : ITherapyStore
{
    // Aliased (r) so that a query may join the request's incident without ambiguous columns.
    private const string RequestSelect =
        "SELECT r.id AS Id, r.incident_id AS IncidentId, r.patient_id AS PatientId, r.product_code AS ProductCode, r.dose AS Dose, r.dose_unit AS DoseUnit, "
        + "r.total_dose AS TotalDose, r.vials_needed AS VialsNeeded, r.urgency AS Urgency, r.treating_center AS TreatingCenter, r.status AS Status, "
        + "r.note AS Note, r.requested_by AS RequestedBy, r.requested_at AS RequestedAt, r.version AS Version";

    private const string FromRequests = " FROM care_therapy_requests r";

    private const string VialColumns =
        "id AS Id, request_id AS RequestId, vial_id AS VialId, vial_identity AS VialIdentity, line_code AS LineCode, status AS Status, "
        + "compatibility AS Compatibility, explanation AS Explanation, reserved_by AS ReservedBy, reserved_at AS ReservedAt, shipment_id AS ShipmentId, "
        + "administered_at AS AdministeredAt, administered_by AS AdministeredBy, version AS Version FROM care_therapy_vials";

    public Task<long> InsertRequestAsync(TherapyRequest r, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_therapy_requests (incident_id, patient_id, product_code, dose, dose_unit, total_dose, vials_needed, urgency, treating_center, "
            + "status, note, requested_by, requested_at, version) VALUES (@IncidentId, @PatientId, @ProductCode, @Dose, @DoseUnit, @TotalDose, @VialsNeeded, "
            + "@Urgency, @TreatingCenter, @Status, @Note, @RequestedBy, @RequestedAt, 1) RETURNING id",
            new
            {
                r.IncidentId, r.PatientId, r.ProductCode, r.Dose, r.DoseUnit, r.TotalDose, r.VialsNeeded, Urgency = r.Urgency.Name(), r.TreatingCenter,
                Status = r.Status.Name(), r.Note, r.RequestedBy, RequestedAt = JournalTime.ToText(r.RequestedAt),
            }, ct);

    public async Task<TherapyRequest?> GetRequestAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<RequestRow>(RequestSelect + FromRequests + " WHERE r.id = @id", new { id }, ct))?.ToRequest();

    public async Task<IReadOnlyList<TherapyRequest>> ListPatientRequestsAsync(long patientId, CancellationToken ct) =>
        [.. (await session.QueryAsync<RequestRow>(RequestSelect + FromRequests + " WHERE r.patient_id = @patientId ORDER BY r.id DESC", new { patientId }, ct))
            .Select(r => r.ToRequest())];

    public async Task<IReadOnlyList<TherapyRequest>> ListIncidentRequestsAsync(long incidentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<RequestRow>(RequestSelect + FromRequests + " WHERE r.incident_id = @incidentId ORDER BY r.id DESC", new { incidentId }, ct))
            .Select(r => r.ToRequest())];

    public async Task<IReadOnlyList<(TherapyRequest Request, bool Drill)>> ListUnderWayAsync(int limit, CancellationToken ct) =>
        // One query: each request with its incident's drill flag (incident_id is NOT NULL and references care_incidents, so the join keeps every request).
        [.. (await session.QueryAsync<UnderWayRow>(
            RequestSelect + ", i.drill AS Drill" + FromRequests + " JOIN care_incidents i ON i.id = r.incident_id "
            + "WHERE r.status IN ('open', 'reserved', 'dispatched', 'received') ORDER BY r.requested_at, r.id LIMIT @limit", new { limit }, ct))
            .Select(r => (r.ToRequest(), r.Drill == 1))];

    public async Task<bool> UpdateRequestStatusAsync(long id, TherapyStatus status, long expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync("UPDATE care_therapy_requests SET status = @status, version = version + 1 WHERE id = @id AND version = @expectedVersion",
            new { id, status = status.Name(), expectedVersion }, ct) == 1;

    public Task<long> InsertVialAsync(TherapyVial v, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_therapy_vials (request_id, vial_id, vial_identity, line_code, status, compatibility, explanation, reserved_by, reserved_at, "
            + "shipment_id, administered_at, administered_by, version) VALUES (@RequestId, @VialId, @VialIdentity, @LineCode, @Status, @Compatibility, "
            + "@Explanation, @ReservedBy, @ReservedAt, @ShipmentId, @AdministeredAt, @AdministeredBy, 1) RETURNING id",
            new
            {
                v.RequestId, v.VialId, v.VialIdentity, v.LineCode, Status = v.Status.Name(), v.Compatibility, v.Explanation, v.ReservedBy,
                ReservedAt = JournalTime.ToText(v.ReservedAt), v.ShipmentId, AdministeredAt = T(v.AdministeredAt), v.AdministeredBy,
            }, ct);

    public async Task<IReadOnlyList<TherapyVial>> ListVialsAsync(long requestId, CancellationToken ct) =>
        [.. (await session.QueryAsync<VialRow>($"SELECT {VialColumns} WHERE request_id = @requestId ORDER BY id", new { requestId }, ct))
            .Select(r => r.ToVial())];

    public async Task<bool> UpdateVialAsync(TherapyVial v, long expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE care_therapy_vials SET status = @Status, shipment_id = @ShipmentId, administered_at = @AdministeredAt, administered_by = @AdministeredBy, "
            + "version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new { v.Id, Status = v.Status.Name(), v.ShipmentId, AdministeredAt = T(v.AdministeredAt), v.AdministeredBy, expectedVersion }, ct) == 1;

    public Task<long> InsertShipmentAsync(Shipment s, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_shipments (request_id, destination, dispatched_at, dispatched_by) VALUES (@RequestId, @Destination, @DispatchedAt, @DispatchedBy) RETURNING id",
            new { s.RequestId, s.Destination, DispatchedAt = JournalTime.ToText(s.DispatchedAt), s.DispatchedBy }, ct);

    public async Task<bool> MarkShipmentReceivedAsync(long id, DateTimeOffset at, string by, CancellationToken ct) =>
        await session.ExecuteAsync("UPDATE care_shipments SET received_at = @at, received_by = @by WHERE id = @id AND received_at IS NULL",
            new { id, at = JournalTime.ToText(at), by }, ct) == 1;

    public async Task<IReadOnlyList<Shipment>> ListShipmentsAsync(long requestId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ShipmentRow>(
            "SELECT id AS Id, request_id AS RequestId, destination AS Destination, dispatched_at AS DispatchedAt, dispatched_by AS DispatchedBy, "
            + "received_at AS ReceivedAt, received_by AS ReceivedBy FROM care_shipments WHERE request_id = @requestId ORDER BY id", new { requestId }, ct))
            .Select(r => new Shipment(r.Id, r.RequestId, r.Destination, JournalTime.Parse(r.DispatchedAt), r.DispatchedBy, P(r.ReceivedAt), r.ReceivedBy))];

    public Task<long> InsertFollowUpAsync(FollowUp f, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_followups (request_id, observed_at, outcome, note, recorded_by, recorded_at) VALUES (@RequestId, @ObservedAt, @Outcome, @Note, @RecordedBy, @RecordedAt) RETURNING id",
            new
            {
                f.RequestId, ObservedAt = JournalTime.ToText(f.ObservedAt), Outcome = f.Outcome.Name(), f.Note, f.RecordedBy,
                RecordedAt = JournalTime.ToText(f.RecordedAt),
            }, ct);

    public async Task<IReadOnlyList<FollowUp>> ListFollowUpsAsync(long requestId, CancellationToken ct) =>
        [.. (await session.QueryAsync<FollowUpRow>(
            "SELECT id AS Id, request_id AS RequestId, observed_at AS ObservedAt, outcome AS Outcome, note AS Note, recorded_by AS RecordedBy, recorded_at AS RecordedAt "
            + "FROM care_followups WHERE request_id = @requestId ORDER BY observed_at, id", new { requestId }, ct))
            .Select(r => new FollowUp(r.Id, r.RequestId, JournalTime.Parse(r.ObservedAt), TherapyNames.Parse<FollowUpOutcome>(r.Outcome, "outcome"), r.Note,
                r.RecordedBy, JournalTime.Parse(r.RecordedAt)))];

    private static string? T(DateTimeOffset? t) => t is { } v ? JournalTime.ToText(v) : null;

    private static DateTimeOffset? P(string? t) => t is null ? null : JournalTime.Parse(t);

    private class RequestRow
    {
        public long Id { get; set; }

        public long IncidentId { get; set; }

        public long PatientId { get; set; }

        public string ProductCode { get; set; } = "";

        public double Dose { get; set; }

        public string DoseUnit { get; set; } = "";

        public double TotalDose { get; set; }

        public long VialsNeeded { get; set; }

        public string Urgency { get; set; } = "";

        public string TreatingCenter { get; set; } = "";

        public string Status { get; set; } = "";

        public string? Note { get; set; }

        public string RequestedBy { get; set; } = "";

        public string RequestedAt { get; set; } = "";

        public long Version { get; set; }

        public TherapyRequest ToRequest() => new(Id, IncidentId, PatientId, ProductCode, Dose, DoseUnit, TotalDose, (int)VialsNeeded,
            TherapyNames.Parse<Urgency>(Urgency, "urgency"), TreatingCenter, TherapyNames.Parse<TherapyStatus>(Status, "status"), Note, RequestedBy,
            JournalTime.Parse(RequestedAt), Version);
    }

    /// <summary>A request under way with its incident's drill flag (0 or 1).</summary>
    private sealed class UnderWayRow : RequestRow
    {
        public long Drill { get; set; }
    }

    private sealed class VialRow
    {
        public long Id { get; set; }

        public long RequestId { get; set; }

        public long VialId { get; set; }

        public string VialIdentity { get; set; } = "";

        public string LineCode { get; set; } = "";

        public string Status { get; set; } = "";

        public double Compatibility { get; set; }

        public string Explanation { get; set; } = "";

        public string ReservedBy { get; set; } = "";

        public string ReservedAt { get; set; } = "";

        public long? ShipmentId { get; set; }

        public string? AdministeredAt { get; set; }

        public string? AdministeredBy { get; set; }

        public long Version { get; set; }

        public TherapyVial ToVial() => new(Id, RequestId, VialId, VialIdentity, LineCode, TherapyNames.Parse<TherapyVialStatus>(Status, "status"), Compatibility,
            Explanation, ReservedBy, JournalTime.Parse(ReservedAt), ShipmentId, P(AdministeredAt), AdministeredBy, Version);
    }

    private sealed class ShipmentRow
    {
        public long Id { get; set; }

        public long RequestId { get; set; }

        public string Destination { get; set; } = "";

        public string DispatchedAt { get; set; } = "";

        public string DispatchedBy { get; set; } = "";

        public string? ReceivedAt { get; set; }

        public string? ReceivedBy { get; set; }
    }

    private sealed class FollowUpRow
    {
        public long Id { get; set; }

        public long RequestId { get; set; }

        public string ObservedAt { get; set; } = "";

        public string Outcome { get; set; } = "";

        public string? Note { get; set; }

        public string RecordedBy { get; set; } = "";

        public string RecordedAt { get; set; } = "";
    }
}
