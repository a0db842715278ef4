using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care;

/// <summary>An observation as it travels with a transferred patient: the source center's values, who recorded them and when.</summary>
public sealed record TransferredObservation(ObservationKind Kind, DateTimeOffset ObservedAt, ObservationData Data, string RecordedBy, DateTimeOffset RecordedAt);

public sealed partial class CareService
{
    /// <summary>
    /// Registers a patient received from another center of the network (issue 13 item 5) inside the
    /// caller's unit of work (the network consumer's): the incident (found by code, or opened as the
    /// source described it), the patient with their HLA typing, every observation, and the first
    /// assessment computed here by the same <see cref="PatientAssessor"/> as for any patient — each
    /// journaled by <paramref name="journalUser"/> with <paramref name="provenance"/> (source center,
    /// transfer). The same validation as for a patient entered here; a bad record throws
    /// <see cref="DomainValidationException"/> and the caller writes nothing. The permission was
    /// demanded where the transfer was accepted, so none is demanded here.
    /// </summary>
    public async Task<(Patient Patient, PatientAssessment Assessment)> RegisterTransferredPatientAsync(IUnitOfWork uow, string journalUser,
        NewIncident incident, NewPatient patient, IReadOnlyList<TransferredObservation> observations, object provenance, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(observations);
        var actor = new Actor(0, journalUser, new HashSet<Role>());
        var store = uow.Store<ICareStore>();
        var here = await store.GetIncidentByCodeAsync(incident.Code ?? "", ct);
        if (here is null)
        {
            var errors = new List<FieldError>();
            if (!CodePattern().IsMatch(incident.Code ?? ""))
            {
                errors.Add(new FieldError("incident.code", "1–32 letters, digits, '-' or '_'"));
            }

            if (string.IsNullOrWhiteSpace(incident.Title))
            {
                errors.Add(new FieldError("incident.title", "is required"));
            }

            new InputLimits(errors).Text("incident.title", incident.Title, Limits.Title).Text("incident.place", incident.Place, Limits.ShortName)
                .List("incident.radionuclides", incident.Radionuclides, Limits.ShortList, Limits.ShortName);
            if (errors.Count > 0)
            {
                throw new DomainValidationException(errors);
            }

            var clean = incident with { Code = incident.Code!.Trim(), Title = incident.Title.Trim(), Place = (incident.Place ?? "").Trim(), Radionuclides = incident.Radionuclides ?? [] };
            var incidentId = await store.InsertIncidentAsync(clean, clock.UtcNow, ct);
            await uow.Journal.AppendAsync(journalUser, new JournalRecord("incident", Id(incidentId), "opened",
                new { clean.Code, clean.Title, kind = clean.Kind.Name(), startedAt = JournalTime.ToText(clean.StartedAt), clean.Place, clean.Radionuclides, provenance }), ct);
            here = (await store.GetIncidentAsync(incidentId, ct))!;
        }

        var cleanPatient = ValidatePatient(here, patient, "patient.");
        if ((await store.FindPatientsByCodeAsync(cleanPatient.Code, here.Id, ct)).Count > 0)
        {
            throw new DomainValidationException("patient.code", $"patient {cleanPatient.Code} is already registered in incident {here.Code} at this center");
        }

        new InputLimits().Count("observations", observations.Count, Limits.ImportRows).ThrowIfAny();
        var created = await InsertPatientAsync(uow, actor, here, cleanPatient, ct);
        var now = clock.UtcNow;
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            ObservationRules.Validate(created, o.Kind, o.ObservedAt, o.Data, now, $"observations[{i}].");
            var id = await store.InsertObservationAsync(new Observation(0, created.Id, o.Kind, o.ObservedAt, o.Data, o.RecordedBy, o.RecordedAt), ct);
            await uow.Journal.AppendAsync(journalUser, new JournalRecord("observation", Id(id), "recorded",
                new { patientId = created.Id, patient = created.Code, kind = o.Kind.Name(), observedAt = JournalTime.ToText(o.ObservedAt), o.Data, recordedBy = o.RecordedBy, provenance }), ct);
        }

        var assessment = await ReassessAsync(uow, actor, created, ct);
        await uow.Journal.AppendAsync(journalUser, new JournalRecord("patient", Id(created.Id), "transferred-in",
            new { incident = here.Code, created.Code, observations = observations.Count, provenance }), ct);
        return (created, assessment);
    }
}
