using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Care.Allocation;

/// <summary>
/// The center's priority policy for scarce products. The weights are a local policy, set by the
/// center (not a published score): they put the worst METREPOL response first (RC drives treatment,
/// Fliedner et al. 2001), then the dose-based triage colour (MULTIBIODOSE), then combined injury and
/// childhood (REMM lists both as reasons to treat earlier).
/// <para>
/// Product needs, by the bank's catalogue codes (<see cref="SeedCatalogue"/>): a regenerative-therapy
/// candidate (H4/RC4 without recovery; <c>CombinedAssessment</c>) needs the haematopoietic product,
/// iPSC-derived platelets (S9105) for the thrombocytopenia of H-ARS, at
/// <see cref="PlateletsPerTransfusion"/> platelets per transfusion: one adult dose, the content of one
/// apheresis unit (at least 3.0×10¹¹ platelets in AABB's Standards for Blood Banks and Transfusion
/// Services and the FDA's 2007 guidance on platelets by automated methods; AABB's clinical practice
/// guideline, Kaufman et al., Ann Intern Med 2015;162:205–213, recommends up to one apheresis unit or
/// equivalent per prophylactic transfusion, larger doses being no more effective). S9105's dose unit
/// is ×10¹¹ platelets; <see cref="PlateletsPerVial"/> (one dose unit per vial) is the center's
/// assumption about how its lots are filled. The same adult dose is planned for every patient:
/// paediatric platelet doses are prescribed by weight (5–10 mL/kg of concentrate for small children)
/// by the physician, so the plan errs on the side of reserving enough. A patient with a cutaneous
/// degree C ≥ 3 needs the cutaneous product, keratinocyte sheets (S9101; dose unit cm² of sheet), at
/// <see cref="CutaneousVials"/> vials — a center planning figure, since the area grafted depends on
/// the excision. All of these are configurable.
/// </para>
/// </summary>
public sealed record PriorityPolicy(
    double RcWeight = 2,
    double RedBonus = 3,
    double YellowBonus = 1,
    double CombinedInjuryBonus = 1,
    double ChildBonus = 1,
    string HaematopoieticProduct = SeedCatalogue.PlateletsCode,
    double PlateletsPerTransfusion = 3e11,
    double PlateletsPerVial = 1e11,
    string CutaneousProduct = SeedCatalogue.KeratinocyteSheetsCode,
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
            // Whole vials; the small epsilon keeps a quotient such as 3.0000000000000004 (rounding) from becoming 4.
            var vials = (int)Math.Max(1, Math.Ceiling((policy.PlateletsPerTransfusion / policy.PlateletsPerVial) - 1e-9));
            needs.Add(new Need(policy.HaematopoieticProduct, vials, string.Create(CultureInfo.InvariantCulture,
                $"regenerative-therapy candidate ({a.Considerations.First(c => c.Treatment.StartsWith("regenerative", StringComparison.Ordinal)).Reasons[0]}); one platelet transfusion of {policy.PlateletsPerTransfusion:0.#e0} platelets, {policy.PlateletsPerVial:0.#e0} per vial")));
        }

        if (a.Metrepol.Count > 0 && a.Metrepol.Max(d => d.C) >= 3)
        {
            needs.Add(new Need(policy.CutaneousProduct, policy.CutaneousVials, $"cutaneous C{a.Metrepol.Max(d => d.C)} (METREPOL): cutaneous radiation syndrome"));
        }

        return needs;
    }
}
