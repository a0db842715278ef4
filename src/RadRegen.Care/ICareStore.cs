using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care;

/// <summary>The care module's records, within one unit of work (implemented in RadRegen.Storage).</summary>
public interface ICareStore
{
    Task<long> InsertIncidentAsync(NewIncident incident, DateTimeOffset createdAt, CancellationToken ct);

    Task<Incident?> GetIncidentAsync(long id, CancellationToken ct);

    Task<Incident?> GetIncidentByCodeAsync(string code, CancellationToken ct);

    Task<IReadOnlyList<Incident>> ListIncidentsAsync(CancellationToken ct);

    Task<long> InsertPatientAsync(long incidentId, NewPatient patient, DateTimeOffset createdAt, CancellationToken ct);

    /// <summary>Inserts many patients of one incident (bulk import), as <see cref="InsertPatientAsync"/> each; their ids in order.</summary>
    Task<IReadOnlyList<long>> InsertPatientsAsync(long incidentId, IReadOnlyList<NewPatient> patients, DateTimeOffset createdAt, CancellationToken ct);

    Task<Patient?> GetPatientAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<Patient>> ListPatientsAsync(long incidentId, CancellationToken ct);

    /// <summary>Patients whose code equals <paramref name="code"/> ignoring ASCII case (codes are ASCII), in one incident or in all.</summary>
    Task<IReadOnlyList<Patient>> FindPatientsByCodeAsync(string code, long? incidentId, CancellationToken ct);

    /// <summary>Sets the patient's HLA typing; false when <paramref name="expectedVersion"/> is stale.</summary>
    Task<bool> UpdatePatientHlaAsync(long id, string? glString, long expectedVersion, CancellationToken ct);

    Task<long> InsertObservationAsync(Observation observation, CancellationToken ct);

    /// <summary>Inserts many observations (bulk import); their ids are not returned.</summary>
    Task InsertObservationsAsync(IReadOnlyList<Observation> observations, CancellationToken ct);

    Task<IReadOnlyList<Observation>> ListObservationsAsync(long patientId, CancellationToken ct);

    /// <summary>Every observation of every patient of an incident (for batch assessment).</summary>
    Task<IReadOnlyList<Observation>> ListIncidentObservationsAsync(long incidentId, CancellationToken ct);

    Task<PatientAssessment?> GetAssessmentAsync(long patientId, CancellationToken ct);

    /// <summary>
    /// Stores <paramref name="assessment"/> as the current one. Its version must be one more than
    /// the stored version (1 for the first); false when another writer got there first.
    /// </summary>
    Task<bool> SaveAssessmentAsync(PatientAssessment assessment, CancellationToken ct);

    /// <summary>
    /// Stores the first assessments (version 1) of patients registered in this same unit of work
    /// (bulk import): no other writer can have assessed them, so there is nothing to compare with.
    /// </summary>
    Task InsertFirstAssessmentsAsync(IReadOnlyList<PatientAssessment> assessments, CancellationToken ct);

    Task<IReadOnlyList<PatientAssessment>> ListAssessmentsAsync(long incidentId, CancellationToken ct);

    /// <summary>
    /// Reserves <paramref name="count"/> patient ids that no other writer will be given (a victims
    /// import assigns them before its write, ADR 0021); an id reserved and not used stays a gap.
    /// </summary>
    Task<IReadOnlyList<long>> ReservePatientIdsAsync(int count, CancellationToken ct);

    /// <summary>How many patients the incident has (an import re-checks this in its write).</summary>
    Task<long> CountPatientsAsync(long incidentId, CancellationToken ct);

    /// <summary>
    /// Deletes an incident that nothing refers to: no patient (staged or published) and no victims import.
    /// False when it does not exist or something refers to it (issue 15: an exercise whose import failed).
    /// </summary>
    Task<bool> DeleteUnusedIncidentAsync(long incidentId, CancellationToken ct);

    /// <summary>
    /// Writes one prepared chunk of a victims import (patients with their reserved ids, observations,
    /// first assessments) in bulk, staged under its import (invisible until published, ADR 0028):
    /// SQLite multi-row prepared inserts, PostgreSQL binary COPY.
    /// </summary>
    Task InsertVictimImportAsync(MassCasualty.VictimImportRows rows, CancellationToken ct);

    /// <summary>
    /// Opens a victims import in state <c>staging</c> (ADR 0028): rows written under its id stay
    /// invisible to every read until <see cref="PublishVictimImportAsync"/>.
    /// </summary>
    Task<long> BeginVictimImportAsync(long incidentId, string user, DateTimeOffset at, CancellationToken ct);

    /// <summary>Makes a staged import's rows visible; false when it is not (or no longer) staging.</summary>
    Task<bool> PublishVictimImportAsync(long importId, CancellationToken ct);

    /// <summary>
    /// Deletes up to <paramref name="victims"/> staged patients of an import still staging, with their
    /// observations and assessments; returns how many patients it deleted, and when none were left
    /// deletes the import itself (and returns 0). Does nothing to a published import.
    /// </summary>
    Task<int> DiscardStagedVictimsAsync(long importId, int victims, CancellationToken ct);

    /// <summary>Imports still staging that no chunk touched since <paramref name="touchedBefore"/>.</summary>
    Task<IReadOnlyList<long>> AbandonedVictimImportsAsync(DateTimeOffset touchedBefore, CancellationToken ct);

    /// <summary>
    /// The import and chunk whose journal entry registered and assessed the patient (ADR 0033), or
    /// null for a patient registered by hand or imported before chunk entries.
    /// </summary>
    Task<(long ImportId, int Chunk)?> GetImportChunkAsync(long patientId, CancellationToken ct);

    /// <summary>The stored payload of an imported patient's first assessment (ADR 0028), or null when it was not imported.</summary>
    Task<string?> GetImportedFirstAssessmentAsync(long patientId, CancellationToken ct);
}
