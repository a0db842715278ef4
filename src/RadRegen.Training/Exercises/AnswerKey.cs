using RadRegen.Care.Allocation;
using RadRegen.Dosimetry.Assessment;

namespace RadRegen.Training.Exercises;

/// <summary>The truth of one simulated victim: the true dose, its triage colour and its METREPOL response category.</summary>
/// <param name="Inject">The inject that brings the victim (null: present from the start).</param>
public sealed record VictimTruth(string Victim, double DoseGy, string Colour, int Rc, int? Inject);

/// <summary>
/// What only the trainer sees: the truth per victim, the simulated victims file (observations; the
/// held-back victims are imported at their inject), the laboratory's results and the drill's simulated bank.
/// </summary>
public sealed record AnswerKey(
    IReadOnlyList<VictimTruth> Victims,
    string VictimsCsv,
    IReadOnlyList<StockVial> Bank,
    IReadOnlyDictionary<string, int> TransportLimits,
    IReadOnlyList<LabResult> LabResults,
    DateTimeOffset ScenarioStart)
{
    public VictimTruth? Find(string victim) => Victims.FirstOrDefault(v => string.Equals(v.Victim, victim, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A dicentric count the laboratory reports at the lab-results inject.</summary>
public sealed record LabResult(string Victim, DateTimeOffset SampledAt, int Cells, int Dicentrics);

/// <summary>
/// How the truth is derived from a simulated true dose (reference/training/exercises.md):
/// <list type="bullet">
/// <item>Colour: <see cref="Triage.ColourFor"/> — the project's own rule (green &lt; 1 Gy, yellow 1–2 Gy,
/// red &gt; 2 Gy; MULTIBIODOSE, docs/clinical-rules.md).</item>
/// <item>Response category: the METREPOL haematological grade the drill simulator's blood-count model
/// produces at that dose. The simulator is built so that granulocytes fall below 0.5 ×10⁹/L (H4) on
/// days 5–6 from 6 Gy (DrillSimulator, anchored on IAEA EPR-Medical 2024 Table 3 "very severe" from
/// 6 Gy); the lower bands follow the METREPOL manual's approximate dose equivalents (Fliedner et al.
/// 2001: H1 ≲ 2 Gy, H2 2–4 Gy, H3 4–6 Gy) — recalled, not re-read, so marked [U] in the reference and
/// kept here as named bands a trainer can read in the answer key.</item>
/// </list>
/// </summary>
public static class AnswerKeyRules
{
    /// <summary>Lower dose bounds (Gy) of RC2, RC3 and RC4.</summary>
    public static IReadOnlyList<double> RcBoundsGy { get; } = [2, 4, 6];

    public static int RcFor(double doseGy)
    {
        var rc = 1;
        foreach (var bound in RcBoundsGy)
        {
            if (doseGy >= bound)
            {
                rc++;
            }
        }

        return rc;
    }

    public static string ColourFor(double doseGy) => Triage.ColourFor(doseGy).ToString().ToLowerInvariant();
}
