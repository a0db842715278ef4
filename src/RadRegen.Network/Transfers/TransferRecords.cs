using RadRegen.Care.Records;
using RadRegen.Network.Capacity;

namespace RadRegen.Network.Transfers;

/// <summary>
/// Where a patient transfer stands. EDXL-TEP tracks a patient "from the point of patient encounter
/// through definitive care admission or field release" (EDXL-TEP 1.1, reference notes §1.3); the
/// tracking states are encountered → triaged → in transport → admitted or released
/// (<see cref="TransferStatuses.TepStatus"/>). Between triage and transport a transfer between
/// centers is requested and then accepted or declined by the receiving center (RITN centers "accept
/// patient transfers", reference notes §1.2).
/// </summary>
public enum TransferStatus
{
    /// <summary>Asked of the receiving center; the patient is triaged at the sending center.</summary>
    Requested,

    /// <summary>The receiving center took the patient; the record goes to it.</summary>
    Accepted,

    /// <summary>The receiving center refused, with its reason; the patient stays (terminal).</summary>
    Declined,

    /// <summary>The sending center dispatched the patient (EDXL-TEP "in transport").</summary>
    InTransport,

    /// <summary>The receiving center admitted the patient (EDXL-TEP definitive care "admitted"; terminal).</summary>
    Admitted,

    /// <summary>The sending center released the patient before transport (EDXL-TEP "released"; terminal).</summary>
    Released,
}

public static class TransferStatuses
{
    public static string Name(this TransferStatus status) => status switch
    {
        TransferStatus.Requested => "requested",
        TransferStatus.Accepted => "accepted",
        TransferStatus.Declined => "declined",
        TransferStatus.InTransport => "in-transport",
        TransferStatus.Admitted => "admitted",
        _ => "released",
    };

    /// <summary>
    /// The EDXL-TEP tracking state (as the reference notes name it, §1.6): a transfer exists only for
    /// a triaged patient, so requested, accepted and declined are all "triaged" (an untriaged patient
    /// is "encountered" and cannot be transferred).
    /// </summary>
    public static string TepStatus(this TransferStatus status) => status switch
    {
        TransferStatus.InTransport => "in transport",
        TransferStatus.Admitted => "admitted",
        TransferStatus.Released => "released",
        _ => "triaged",
    };

    public static bool IsOpen(this TransferStatus status) => status is TransferStatus.Requested or TransferStatus.Accepted or TransferStatus.InTransport;
}

/// <summary>
/// A patient transfer as this center knows it. Each side owns its fields: the requesting center
/// the request, dispatch and release; the receiving center the decision and admission. Either
/// center's event carries the whole transfer as it sees it, and a center takes from it only the
/// fields its source owns, so the two sides converge whatever order their events arrive in.
/// Nothing here identifies the patient: the record travels separately, to the receiving center only.
/// </summary>
/// <param name="Id">The transfer's identity across the network (a GUID made by the requesting center).</param>
/// <param name="FromCenter">The requesting (sending) center's facility code.</param>
/// <param name="ToCenter">The receiving center's facility code.</param>
/// <param name="PatientId">The patient at the requesting center (null at every other center).</param>
/// <param name="Triage">The patient's triage colour at the request (the clinical summary the receiver decides on).</param>
/// <param name="ResponseCategory">METREPOL response category at the request.</param>
/// <param name="BasisDoseGy">The assessment's basis dose at the request, Gy.</param>
/// <param name="BedType">The bed the patient needs, when the requester says.</param>
/// <param name="Reason">Why the transfer is asked.</param>
/// <param name="RequestedAt">When it was requested.</param>
/// <param name="RequestedBy">Who requested it (at the requesting center).</param>
/// <param name="Accepted">The receiving center's decision: true accepted, false declined, null not yet.</param>
/// <param name="DecidedAt">When it decided.</param>
/// <param name="DecidedBy">Who decided.</param>
/// <param name="DeclineReason">Why it declined.</param>
/// <param name="RecordSentAt">When the requesting center sent the patient's record (on learning of the acceptance).</param>
/// <param name="DispatchedAt">When the patient left (in transport).</param>
/// <param name="DispatchedBy">Who dispatched.</param>
/// <param name="AdmittedAt">When the receiving center admitted the patient.</param>
/// <param name="AdmittedBy">Who admitted.</param>
/// <param name="ReleasedAt">When the requesting center released the patient instead.</param>
/// <param name="ReleasedBy">Who released.</param>
/// <param name="ReleaseReason">Why.</param>
/// <param name="ReceivedPatientId">The patient registered from the record at the receiving center (null elsewhere).</param>
/// <param name="RecordReceivedAt">When the record arrived and was registered (receiving center only).</param>
/// <param name="Version">Row version at this center.</param>
public sealed record PatientTransfer(
    string Id,
    string FromCenter,
    string ToCenter,
    long? PatientId,
    string? Triage,
    int? ResponseCategory,
    double? BasisDoseGy,
    BedType? BedType,
    string? Reason,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    bool? Accepted,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? DeclineReason,
    DateTimeOffset? RecordSentAt,
    DateTimeOffset? DispatchedAt,
    string? DispatchedBy,
    DateTimeOffset? AdmittedAt,
    string? AdmittedBy,
    DateTimeOffset? ReleasedAt,
    string? ReleasedBy,
    string? ReleaseReason,
    long? ReceivedPatientId,
    DateTimeOffset? RecordReceivedAt,
    long Version)
{
    /// <summary>The state, from the two sides' fields: a terminal event of either side wins over the steps before it.</summary>
    public TransferStatus Status =>
        ReleasedAt is not null ? TransferStatus.Released
        : AdmittedAt is not null ? TransferStatus.Admitted
        : DispatchedAt is not null ? TransferStatus.InTransport
        : Accepted == false ? TransferStatus.Declined
        : Accepted == true ? TransferStatus.Accepted
        : TransferStatus.Requested;

    public string TepStatus => Status.TepStatus();
}

/// <summary>A transfer request as a person gives it.</summary>
public sealed record NewTransfer(long? PatientId, string? ToCenter, string? BedType = null, string? Reason = null);

/// <summary>
/// The <c>transfer.patient</c> state payload (schema 1, entity key <c>transfer/{id}</c>): the transfer
/// as its source center sees it, without the patient's identity or local ids.
/// </summary>
public sealed record TransferStatePayload(
    string Id, string FromCenter, string ToCenter, string? Triage, int? ResponseCategory, double? BasisDoseGy, string? BedType, string? Reason,
    DateTimeOffset RequestedAt, string RequestedBy, bool? Accepted, DateTimeOffset? DecidedAt, string? DecidedBy, string? DeclineReason,
    DateTimeOffset? RecordSentAt, DateTimeOffset? DispatchedAt, string? DispatchedBy, DateTimeOffset? AdmittedAt, string? AdmittedBy,
    DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason, string Status)
{
    public const int SchemaVersion = 1;

    public static string EntityKey(string id) => $"transfer/{id}";

    public static TransferStatePayload From(PatientTransfer t) => new(
        t.Id, t.FromCenter, t.ToCenter, t.Triage, t.ResponseCategory, t.BasisDoseGy, t.BedType?.Name(), t.Reason, t.RequestedAt, t.RequestedBy,
        t.Accepted, t.DecidedAt, t.DecidedBy, t.DeclineReason, t.RecordSentAt, t.DispatchedAt, t.DispatchedBy, t.AdmittedAt, t.AdmittedBy,
        t.ReleasedAt, t.ReleasedBy, t.ReleaseReason, t.Status.Name());
}

/// <summary>The incident as the sending center recorded it (kind as its API name).</summary>
public sealed record TransferredIncident(string Code, string Title, string Kind, DateTimeOffset StartedAt, string Place, IReadOnlyList<string> Radionuclides);

/// <summary>The patient as the sending center registered them: pseudonymous code, the dosimetric facts and the HLA typing (sex and route by their enum names).</summary>
public sealed record TransferredPatient(string Code, int AgeYears, string Sex, double WeightKg, DateTimeOffset ExposureStart, double ExposureHours,
    string Route, bool Contaminated, bool Burns, bool Trauma, string? HlaTyping);

/// <summary>One observation with who recorded it at the sending center.</summary>
public sealed record TransferredObservationPayload(string Kind, DateTimeOffset ObservedAt, ObservationData Data, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>The sending center's conclusion, for the receiving center to compare with its own assessment.</summary>
public sealed record SourceAssessment(int Version, string? Triage, int? ResponseCategory, double? BasisDoseGy);

/// <summary>
/// The <c>transfer.patient</c> record payload (schema 1, entity key
/// <c>transfer-record/{toCenter}/{id}</c>): the one event that carries a patient's identifying
/// record, addressed to the accepting center (<see cref="TransferStatePayload.ToCenter"/>); every other
/// center's handler drops it unread. See ADR 0025 on subjects.
/// </summary>
public sealed record TransferRecordPayload(
    TransferStatePayload Transfer,
    TransferredIncident Incident,
    TransferredPatient Patient,
    IReadOnlyList<TransferredObservationPayload> Observations,
    SourceAssessment? Assessment)
{
    public const string KeyPrefix = "transfer-record/";

    /// <summary>The addressee is in the key so that a relay can route the event to the receiving center's subject alone.</summary>
    public static string EntityKey(string toCenter, string id) => $"{KeyPrefix}{toCenter}/{id}";
}

/// <summary>Patient transfers, within one unit of work (implemented in RadRegen.Storage).</summary>
public interface ITransferStore
{
    Task<PatientTransfer?> GetAsync(string id, CancellationToken ct);

    /// <summary>Inserts a transfer (version 1).</summary>
    Task InsertAsync(PatientTransfer transfer, CancellationToken ct);

    /// <summary>Replaces a transfer; false when its stored version is not <paramref name="expectedVersion"/> (the new row has version + 1).</summary>
    Task<bool> UpdateAsync(PatientTransfer transfer, long expectedVersion, CancellationToken ct);

    /// <summary>Every transfer, newest request first.</summary>
    Task<IReadOnlyList<PatientTransfer>> ListAsync(CancellationToken ct);

    /// <summary>The transfers of one patient of this center.</summary>
    Task<IReadOnlyList<PatientTransfer>> ListForPatientAsync(long patientId, CancellationToken ct);
}
