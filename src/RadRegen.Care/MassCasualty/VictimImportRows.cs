using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.MassCasualty;

/// <summary>
/// An observation with its values already serialised (<see cref="CareJson"/>), as UTF-8: the bytes
/// both engines store and the observation digest hashes, made once (ADR 0043).
/// </summary>
public sealed record PreparedObservation(Observation Observation, ReadOnlyMemory<byte> DataUtf8);

/// <summary>
/// A first assessment with its payload already serialised (<see cref="CareJson"/>), as UTF-8: the
/// bytes SQLite stores, so that an import of 100,000 victims does not turn 350 MB of JSON into
/// strings and back (ADR 0042).
/// </summary>
public sealed record PreparedAssessment(PatientAssessment Assessment, ReadOnlyMemory<byte> PayloadUtf8);

/// <summary>
/// One chunk of the rows of a victims import, made before its write begins (ADR 0021, 0028):
/// patients with reserved ids, their observations, and their first assessments (version 1), each in
/// file order, staged under <paramref name="ImportId"/> at <paramref name="StagedAt"/> as chunk
/// <paramref name="Chunk"/> (1-based; the patients' rows name it, so that a patient's history finds
/// the chunk's journal entry, ADR 0033).
/// </summary>
public sealed record VictimImportRows(
    long ImportId,
    DateTimeOffset StagedAt,
    long IncidentId,
    IReadOnlyList<Patient> Patients,
    IReadOnlyList<PreparedObservation> Observations,
    IReadOnlyList<PreparedAssessment> Assessments,
    int Chunk = 1);

/// <summary>Where a victims import is (reported to an <see cref="IProgress{T}"/> as it gets there).</summary>
public enum VictimImportPhase
{
    /// <summary>The incident and the codes are checked and the patient ids reserved; no transaction is open.</summary>
    Checked,

    /// <summary>
    /// One more chunk of victims is assessed and staged (written in a short transaction of its own,
    /// invisible to every reader until the import is published, ADR 0028).
    /// </summary>
    ChunkStaged,

    /// <summary>Every victim is assessed and staged, and every journal entry serialised; no transaction is open.</summary>
    Prepared,

    /// <summary>The short write transaction committed.</summary>
    Written,
}

/// <summary>
/// One victim in the journal entry of an import's chunk (ADR 0033): the patient as imported, the
/// number and <see cref="ObservationDigest"/> of the observations stored with them (ADR 0027), and
/// what the first assessment concluded with the SHA-256 of its stored payload (ADR 0028).
/// </summary>
/// <param name="PatientId">The patient's id.</param>
/// <param name="Patient">The patient as imported.</param>
/// <param name="Observations">How many observation rows, and their digest.</param>
/// <param name="Assessment">The first assessment: version, triage, response category, basis dose, payload digest.</param>
public sealed record ImportedVictimRecord(long PatientId, NewPatient Patient, ImportedObservationsRecord Observations, ImportedAssessmentRecord Assessment)
{
    /// <summary>The record of <paramref name="patient"/> (id <paramref name="patientId"/>) and its first assessment.</summary>
    public static ImportedVictimRecord Of(long patientId, NewPatient patient, int observations, string observationsSha256, PatientAssessment assessment, string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return new(patientId, patient, new(observations, observationsSha256),
            new(assessment.Version, assessment.Triage, assessment.ResponseCategory, assessment.BasisDoseGy, new(payloadSha256)));
    }
}

/// <summary>An imported victim's observations in the journal: how many rows, and their <see cref="ObservationDigest"/>.</summary>
public sealed record ImportedObservationsRecord(int Count, string Sha256);

/// <summary>An imported first assessment in the journal: what it concluded, and the SHA-256 of the stored payload.</summary>
public sealed record ImportedAssessmentRecord(int Version, string? Triage, int? ResponseCategory, double? BasisDoseGy, PayloadDigest Payload);

/// <summary>The SHA-256 (hex, lower case) of a payload stored in a row rather than in the journal.</summary>
public sealed record PayloadDigest(string Sha256);
