using System.Globalization;
using RadRegen.Core;
using RadRegen.Care.Drill;

namespace RadRegen.Planning.Demand;

/// <summary>
/// One clinical picture a share of a cohort is planned with: the signs the care rules key on
/// (<see cref="RadRegen.Care.Allocation.TriageQueue.Needs"/>). The pictures are the center's planning
/// figures: a scenario gives counts per dose band, not blood counts.
/// </summary>
/// <param name="Share">Share of the cohort with this picture (the shares of one RC sum to 1).</param>
/// <param name="H">METREPOL H degree at the nadir.</param>
/// <param name="PlateletsPerNanolitre">Lowest platelet count (×10⁹/L), or null when not low enough to record.</param>
/// <param name="BloodLossDegree">METREPOL bloodLoss degree, or null.</param>
public sealed record ClinicalPicture(double Share, int H, double? PlateletsPerNanolitre, int? BloodLossDegree, string Label);

/// <summary>
/// How a scenario's counts become patients the care rules can read, and when their doses fall due.
/// Every figure here is the <b>center's planning figure</b> (no published source gives them), set
/// here once, shown on the page and in the PDF with that label, and anchored where a source exists:
/// <list type="bullet">
/// <item>the representative dose of a band is its midpoint; of an open band, the lower edge plus
/// <see cref="OpenBandWidthGy"/>;</item>
/// <item>the RC for a dose (<see cref="RcDoseEdgesGy"/>) follows the drill model
/// (<see cref="DrillSimulator"/>: H4 on days 5–6 from about 6 Gy, where IAEA EPR-Medical 2024
/// Table 3 starts "very severe" ARS; MULTIBIODOSE red above 2 Gy);</item>
/// <item>the pictures per RC (<see cref="Pictures"/>): RC4 reaches a platelet nadir below the AABB
/// prophylactic trigger (≤ 10 ×10⁹/L, Kaufman et al. 2015); in RC3 a share bleeds spontaneously
/// (METREPOL bloodLoss 3, H3); RC ≤ 2 needs no platelets;</item>
/// <item>radiation ulcers: <see cref="UlcerShare"/> of radiation casualties develop a METREPOL ulcer of
/// degree 3 (the drill's <see cref="DrillSimulator.LocalInjuryShare"/> of local injuries, degrees 1–4
/// uniform, so half reach degree ≥ 3);</item>
/// <item>timing: platelets from day <see cref="FirstPlateletDayH4"/> (H4; the drill model's platelets
/// fall below 20 ×10⁹/L on day 10 at 6 Gy) or <see cref="FirstPlateletDayH3"/> (H3), one transfusion
/// every <see cref="TransfusionIntervalDays"/> days; keratinocyte grafts on day <see cref="GraftDay"/>.</item>
/// </list>
/// </summary>
public sealed record DemandProfile
{
    /// <summary>Width added to an open band's lower edge for its representative dose (Gy).</summary>
    public double OpenBandWidthGy { get; init; } = 2;

    /// <summary>Dose edges (Gy) of RC1 | RC2 | RC3 | RC4: below the first edge RC1 (normal counts grade H1).</summary>
    public IReadOnlyList<double> RcDoseEdgesGy { get; init; } = [2, 3, 6];

    /// <summary>The pictures per RC0…RC4.</summary>
    public IReadOnlyList<IReadOnlyList<ClinicalPicture>> Pictures { get; init; } =
    [
        [new(1, 0, null, null, "no haematopoietic signs")],
        [new(1, 1, null, null, "H1, normal counts")],
        [new(1, 2, 60, null, "H2, platelets 60 ×10⁹/L")],
        [new(0.5, 3, 30, 3, "H3, platelets 30 ×10⁹/L, spontaneous bleeding (bloodLoss 3)"), new(0.5, 3, 30, null, "H3, platelets 30 ×10⁹/L, no bleeding")],
        [new(1, 4, 5, null, "H4, platelet nadir 5 ×10⁹/L")],
    ];

    /// <summary>Share of radiation casualties with a METREPOL ulcer of degree 3 (drill: 3 % local injuries × half of degrees 1–4).</summary>
    public double UlcerShare { get; init; } = DrillSimulator.LocalInjuryShare / 2;

    /// <summary>Day of the first platelet transfusion at H4.</summary>
    public int FirstPlateletDayH4 { get; init; } = 10;

    /// <summary>Day of the first platelet transfusion at H3 (bleeding).</summary>
    public int FirstPlateletDayH3 { get; init; } = 14;

    /// <summary>Days between platelet transfusions (transfused platelets last days, not weeks).</summary>
    public int TransfusionIntervalDays { get; init; } = 3;

    /// <summary>Day keratinocyte grafts are placed (excision and grafting after demarcation).</summary>
    public int GraftDay { get; init; } = 21;

    public static DemandProfile Default { get; } = new();

    /// <summary>The representative dose of a band.</summary>
    public double RepresentativeDoseGy(double from, double? to) => to is { } hi ? (from + hi) / 2 : from + OpenBandWidthGy;

    /// <summary>The RC planned for a dose.</summary>
    public int ResponseCategoryFor(double doseGy)
    {
        var rc = 1;
        foreach (var edge in RcDoseEdgesGy)
        {
            if (doseGy >= edge)
            {
                rc++;
            }
        }

        return Math.Min(rc, 4);
    }

    /// <summary>Problems of the profile, each naming its setting.</summary>
    public IReadOnlyList<FieldError> Problems()
    {
        var errors = new List<FieldError>();
        if (Pictures.Count != 5 || Pictures.Any(p => p.Count == 0 || Math.Abs(p.Sum(x => x.Share) - 1) > 1e-6 || p.Any(x => x.Share < 0 || x.H is < 0 or > 4)))
        {
            errors.Add(new("pictures", "five lists (RC0 to RC4) of pictures whose shares sum to 1"));
        }

        if (RcDoseEdgesGy.Count != 3 || RcDoseEdgesGy.Zip(RcDoseEdgesGy.Skip(1)).Any(p => p.Second <= p.First))
        {
            errors.Add(new("rcDoseEdgesGy", "three ascending dose edges (RC2, RC3, RC4)"));
        }

        if (UlcerShare is < 0 or > 1 || !double.IsFinite(UlcerShare))
        {
            errors.Add(new("ulcerShare", "a share from 0 to 1"));
        }

        foreach (var (name, v) in new[] { ("firstPlateletDayH4", FirstPlateletDayH4), ("firstPlateletDayH3", FirstPlateletDayH3), ("graftDay", GraftDay) })
        {
            if (v is < 0 or > 365)
            {
                errors.Add(new(name, "a day from 0 to 365"));
            }
        }

        if (TransfusionIntervalDays is < 1 or > 30)
        {
            errors.Add(new("transfusionIntervalDays", "1 to 30 days"));
        }

        return errors;
    }

    /// <summary>The figures in words, for the page and the PDF.</summary>
    public IReadOnlyList<string> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            string.Create(c, $"Representative dose of a band: its midpoint; open bands: lower edge + {OpenBandWidthGy:0.#} Gy (center's planning figure)."),
            string.Create(c, $"RC by dose: < {RcDoseEdgesGy[0]:0.#} Gy RC1, < {RcDoseEdgesGy[1]:0.#} Gy RC2, < {RcDoseEdgesGy[2]:0.#} Gy RC3, above RC4 (center's planning figure, anchored on the drill model and IAEA 2024 Table 3)."),
            "Pictures: " + string.Join("; ", Pictures.Select((p, rc) => $"RC{rc}: " + string.Join(", ", p.Select(x => string.Create(c, $"{x.Share:0.##} {x.Label}"))))) + " (center's planning figures).",
            string.Create(c, $"Radiation ulcers (METREPOL ulcer 3): {UlcerShare:0.###} of radiation casualties (drill assumption: 3 % local injuries, half of degree ≥ 3)."),
            string.Create(c, $"Platelets from day {FirstPlateletDayH4} (H4) or {FirstPlateletDayH3} (H3), one transfusion every {TransfusionIntervalDays} days; grafts on day {GraftDay} (center's planning figures)."),
        ];
    }
}
