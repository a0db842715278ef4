using RadRegen.Core.Journal;
using RadRegen.Network.Capacity;
using RadRegen.Network.Transfers;

namespace RadRegen.Storage.Network;

/// <summary>The <c>network_transfers</c> table of migration 0018; every update compares the row version.</summary>
internal sealed class SqlTransferStore(SqlSession session) : ITransferStore
{
    private const string Columns =
        "id AS Id, from_center AS FromCenter, to_center AS ToCenter, patient_id AS PatientId, triage AS Triage, response_category AS ResponseCategory, "
        + "basis_dose_gy AS BasisDoseGy, bed_type AS BedType, reason AS Reason, requested_at AS RequestedAt, requested_by AS RequestedBy, accepted AS Accepted, "
        + "decided_at AS DecidedAt, decided_by AS DecidedBy, decline_reason AS DeclineReason, record_sent_at AS RecordSentAt, dispatched_at AS DispatchedAt, "
        + "dispatched_by AS DispatchedBy, admitted_at AS AdmittedAt, admitted_by AS AdmittedBy, released_at AS ReleasedAt, released_by AS ReleasedBy, "
        + "release_reason AS ReleaseReason, received_patient_id AS ReceivedPatientId, record_received_at AS RecordReceivedAt, version AS Version";

    public async Task<PatientTransfer?> GetAsync(string id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM network_transfers WHERE id = @Id", new { Id = id }, ct) is { } r ? r.ToTransfer() : null;

    public Task InsertAsync(PatientTransfer transfer, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO network_transfers (id, from_center, to_center, patient_id, triage, response_category, basis_dose_gy, bed_type, reason, requested_at, "
            + "requested_by, accepted, decided_at, decided_by, decline_reason, record_sent_at, dispatched_at, dispatched_by, admitted_at, admitted_by, released_at, "
            + "released_by, release_reason, received_patient_id, record_received_at, version) VALUES (@Id, @FromCenter, @ToCenter, @PatientId, @Triage, "
            + "@ResponseCategory, @BasisDoseGy, @BedType, @Reason, @RequestedAt, @RequestedBy, @Accepted, @DecidedAt, @DecidedBy, @DeclineReason, @RecordSentAt, "
            + "@DispatchedAt, @DispatchedBy, @AdmittedAt, @AdmittedBy, @ReleasedAt, @ReleasedBy, @ReleaseReason, @ReceivedPatientId, @RecordReceivedAt, @Version)",
            Args(transfer, 0), ct);

    public async Task<bool> UpdateAsync(PatientTransfer transfer, long expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE network_transfers SET patient_id = @PatientId, triage = @Triage, response_category = @ResponseCategory, basis_dose_gy = @BasisDoseGy, "
            + "bed_type = @BedType, reason = @Reason, requested_at = @RequestedAt, requested_by = @RequestedBy, accepted = @Accepted, decided_at = @DecidedAt, "
            + "decided_by = @DecidedBy, decline_reason = @DeclineReason, record_sent_at = @RecordSentAt, dispatched_at = @DispatchedAt, dispatched_by = @DispatchedBy, "
            + "admitted_at = @AdmittedAt, admitted_by = @AdmittedBy, released_at = @ReleasedAt, released_by = @ReleasedBy, release_reason = @ReleaseReason, "
            + "received_patient_id = @ReceivedPatientId, record_received_at = @RecordReceivedAt, version = @Version WHERE id = @Id AND version = @Expected",
            Args(transfer, expectedVersion), ct) == 1;

    public async Task<IReadOnlyList<PatientTransfer>> ListAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>($"SELECT {Columns} FROM network_transfers ORDER BY requested_at DESC, id", null, ct)).Select(r => r.ToTransfer())];

    public async Task<IReadOnlyList<PatientTransfer>> ListForPatientAsync(long patientId, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>($"SELECT {Columns} FROM network_transfers WHERE patient_id = @PatientId ORDER BY requested_at DESC, id",
            new { PatientId = patientId }, ct)).Select(r => r.ToTransfer())];

    private static string? T(DateTimeOffset? time) => time is { } t ? JournalTime.ToText(t) : null;

    private static object Args(PatientTransfer t, long expected) => new
    {
        t.Id,
        t.FromCenter,
        t.ToCenter,
        t.PatientId,
        t.Triage,
        t.ResponseCategory,
        t.BasisDoseGy,
        BedType = t.BedType?.Name(),
        t.Reason,
        RequestedAt = JournalTime.ToText(t.RequestedAt),
        t.RequestedBy,
        Accepted = t.Accepted is { } a ? (a ? 1 : 0) : (int?)null,
        DecidedAt = T(t.DecidedAt),
        t.DecidedBy,
        t.DeclineReason,
        RecordSentAt = T(t.RecordSentAt),
        DispatchedAt = T(t.DispatchedAt),
        t.DispatchedBy,
        AdmittedAt = T(t.AdmittedAt),
        t.AdmittedBy,
        ReleasedAt = T(t.ReleasedAt),
        t.ReleasedBy,
        t.ReleaseReason,
        t.ReceivedPatientId,
        RecordReceivedAt = T(t.RecordReceivedAt),
        t.Version,
        Expected = expected,
    };

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string FromCenter { get; set; } = "";

        public string ToCenter { get; set; } = "";

        public long? PatientId { get; set; }

        public string? Triage { get; set; }

        public long? ResponseCategory { get; set; }

        public double? BasisDoseGy { get; set; }

        public string? BedType { get; set; }

        public string? Reason { get; set; }

        public string RequestedAt { get; set; } = "";

        public string RequestedBy { get; set; } = "";

        public long? Accepted { get; set; }

        public string? DecidedAt { get; set; }

        public string? DecidedBy { get; set; }

        public string? DeclineReason { get; set; }

        public string? RecordSentAt { get; set; }

        public string? DispatchedAt { get; set; }

        public string? DispatchedBy { get; set; }

        public string? AdmittedAt { get; set; }

        public string? AdmittedBy { get; set; }

        public string? ReleasedAt { get; set; }

        public string? ReleasedBy { get; set; }

        public string? ReleaseReason { get; set; }

        public long? ReceivedPatientId { get; set; }

        public string? RecordReceivedAt { get; set; }

        public long Version { get; set; }

        private static DateTimeOffset? P(string? text) => text is null ? null : JournalTime.Parse(text);

        public PatientTransfer ToTransfer() => new(
            Id, FromCenter, ToCenter, PatientId, Triage, (int?)ResponseCategory, BasisDoseGy, BedType is null ? null : BedTypes.Parse(BedType), Reason,
            JournalTime.Parse(RequestedAt), RequestedBy, Accepted is null ? null : Accepted == 1, P(DecidedAt), DecidedBy, DeclineReason, P(RecordSentAt),
            P(DispatchedAt), DispatchedBy, P(AdmittedAt), AdmittedBy, P(ReleasedAt), ReleasedBy, ReleaseReason, ReceivedPatientId, P(RecordReceivedAt), Version);
    }
}
