using System.Globalization;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.Allocation;

/// <summary>
/// The center's priority policy for scarce products. The weights are a local policy, set by the
/// center (not a published score): they put the worst METREPOL response first (RC drives treatment,
/// Fliedner et al. 2001), then the dose-based triage colour (MULTIBIODOSE), then combined injury and
/// childhood (REMM lists both as reasons to treat earlier). Product needs: a regenerative-therapy
/// candidate (H4/RC4 without recovery; <c>CombinedAssessment</c>) needs the haematopoietic product at
/// <see cref="CellsPerKg"/> cells per kg body weight; a patient with a cutaneous degree C ≥ 3 needs the
/// cutaneous product (keratinocyte sheets for CRS).
/// </summary>
public sealed record PriorityPolicy(
    double RcWeight = 2,
    double RedBonus = 3,
    double YellowBonus = 1,
    double CombinedInjuryBonus = 1,
    double ChildBonus = 1,
    string HaematopoieticProduct = "MSC",
    double CellsPerKg = 2e6,
    double CellsPerVial = 1e8,
    string CutaneousProduct = "KSHEET",
    int CutaneousVials = 2)
{
    public static PriorityPolicy Default { get; } = new();
}

/// <summary>A product a patient needs, how many vials, and why.</summary>
public sealed record Need(string ProductType, int Vials, string Why);

/// <summary>One place in the priority queue.</summary>
public sealed record QueueEntry(int Rank, Patient Patient, PatientAssessment? Assessment, double Priority, IReadOnlyList<string> Reasons, IReadOnlyList<Need> Needs);

/// <summary>Who needs what next: patients ranked by <see cref="PriorityPolicy"/>.</summary>
public static class TriageQueue
{
    public static IReadOnlyList<QueueEntry> Build(IReadOnlyList<Patient> patients, IReadOnlyList<PatientAssessment> assessments, PriorityPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(assessments);
        policy ??= PriorityPolicy.Default;
        var byPatient = assessments.ToDictionary(a => a.PatientId);
        var entries = new List<(Patient P, PatientAssessment? A, double Priority, List<string> Reasons, List<Need> Needs)>(patients.Count);
        foreach (var p in patients)
        {
            byPatient.TryGetValue(p.Id, out var a);
            var (priority, reasons) = Score(p, a, policy);
            entries.Add((p, a, priority, reasons, Needs(p, a, policy)));
        }

        return [.. entries
            .OrderByDescending(e => e.Priority)
            .ThenByDescending(e => e.A?.BasisDoseGy ?? -1)
            .ThenBy(e => e.P.Code, StringComparer.Ordinal)
            .Select((e, i) => new QueueEntry(i + 1, e.P, e.A, e.Priority, e.Reasons, e.Needs))];
    }

    /// <summary>The priority weight (≥ 1) and the reasons that make it up.</summary>
    public static (double Priority, List<string> Reasons) Score(Patient patient, PatientAssessment? a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        double priority = 1;
        if (a?.ResponseCategory is { } rc && rc > 0)
        {
            priority += policy.RcWeight * rc;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"RC{rc} (+{policy.RcWeight * rc:0.##})"));
        }

        if (a?.Triage == "red")
        {
            priority += policy.RedBonus;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"red, {a.BasisDoseGy:0.##} Gy (+{policy.RedBonus:0.##})"));
        }
        else if (a?.Triage == "yellow")
        {
            priority += policy.YellowBonus;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"yellow, {a.BasisDoseGy:0.##} Gy (+{policy.YellowBonus:0.##})"));
        }

        if (patient.CombinedInjury)
        {
            priority += policy.CombinedInjuryBonus;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"combined injury (+{policy.CombinedInjuryBonus:0.##})"));
        }

        if (patient.AgeYears < 18)
        {
            priority += policy.ChildBonus;
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"child (+{policy.ChildBonus:0.##})"));
        }

        if (a is null)
        {
            reasons.Add("not yet assessed");
        }

        return (priority, reasons);
    }

    /// <summary>The products a patient's assessment calls for under <paramref name="policy"/>.</summary>
    public static List<Need> Needs(Patient patient, PatientAssessment? a, PriorityPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(policy);
        var needs = new List<Need>();
        if (a is null)
        {
            return needs;
        }

        if (a.RegenerativeCandidate)
        {
            var vials = (int)Math.Max(1, Math.Ceiling(policy.CellsPerKg * patient.WeightKg / policy.CellsPerVial));
            needs.Add(new Need(policy.HaematopoieticProduct, vials, string.Create(CultureInfo.InvariantCulture,
                $"regenerative-therapy candidate ({a.Considerations.First(c => c.Treatment.StartsWith("regenerative", StringComparison.Ordinal)).Reasons[0]}); {policy.CellsPerKg:0.#e0} cells/kg × {patient.WeightKg:0.#} kg")));
        }

        if (a.Metrepol.Count > 0 && a.Metrepol.Max(d => d.C) >= 3)
        {
            needs.Add(new Need(policy.CutaneousProduct, policy.CutaneousVials, $"cutaneous C{a.Metrepol.Max(d => d.C)} (METREPOL): cutaneous radiation syndrome"));
        }

        return needs;
    }
}
