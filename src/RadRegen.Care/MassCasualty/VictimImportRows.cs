using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.MassCasualty;

/// <summary>An observation with its values already serialised (<see cref="CareJson"/>).</summary>
public sealed record PreparedObservation(Observation Observation, string DataJson);

/// <summary>A first assessment with its payload already serialised (<see cref="CareJson"/>).</summary>
public sealed record PreparedAssessment(PatientAssessment Assessment, string PayloadJson);

/// <summary>
/// The rows of a victims import, made before the write begins (ADR 0021): patients with reserved
/// ids, their observations, and their first assessments (version 1), each in file order.
/// </summary>
public sealed record VictimImportRows(
    long IncidentId,
    IReadOnlyList<Patient> Patients,
    IReadOnlyList<PreparedObservation> Observations,
    IReadOnlyList<PreparedAssessment> Assessments);

/// <summary>Where a victims import is (reported to an <see cref="IProgress{T}"/> as it gets there).</summary>
public enum VictimImportPhase
{
    /// <summary>The incident and the codes are checked and the patient ids reserved; no transaction is open.</summary>
    Checked,

    /// <summary>Every victim is assessed and every row and journal entry serialised; no transaction is open.</summary>
    Prepared,

    /// <summary>The short write transaction committed.</summary>
    Written,
}
