using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.MassCasualty;

/// <summary>An observation with its values already serialised (<see cref="CareJson"/>).</summary>
public sealed record PreparedObservation(Observation Observation, string DataJson);

/// <summary>A first assessment with its payload already serialised (<see cref="CareJson"/>).</summary>
public sealed record PreparedAssessment(PatientAssessment Assessment, string PayloadJson);

/// <summary>
/// One chunk of the rows of a victims import, made before its write begins (ADR 0021, 0028):
/// patients with reserved ids, their observations, and their first assessments (version 1), each in
/// file order, staged under <paramref name="ImportId"/> at <paramref name="StagedAt"/>.
/// </summary>
public sealed record VictimImportRows(
    long ImportId,
    DateTimeOffset StagedAt,
    long IncidentId,
    IReadOnlyList<Patient> Patients,
    IReadOnlyList<PreparedObservation> Observations,
    IReadOnlyList<PreparedAssessment> Assessments);

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
