using System.Globalization;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Estimation;
using RadRegen.Dosimetry.Metrepol;
using System.Runtime.CompilerServices;

namespace RadRegen.Dosimetry.Assessment;

/// <summary>What is known about one person; every part is optional.</summary>
/// <param name="Id">Person identifier.</param>
/// <param name="Cytogenetic">A cytogenetic dose estimate (dicentrics, micronuclei or translocations).</param>
/// <param name="Kinetics">Lymphocyte depletion kinetics.</param>
/// <param name="LowestLymphocytes48h">Lowest lymphocyte count within 48 h, ×10⁹/L.</param>
/// <param name="VomitingOnset">Time to onset of vomiting; <see cref="TimeSpan.MaxValue"/> for "no vomiting".</param>
/// <param name="Metrepol">METREPOL gradings over days.</param>
public sealed record PersonEvidence(
    string Id,
    DoseEstimate? Cytogenetic = null,
    KineticsEstimate? Kinetics = null,
    double? LowestLymphocytes48h = null,
    TimeSpan? VomitingOnset = null,
    MetrepolSeries? Metrepol = null)
{
    /// <summary>
    /// The dose range the cytogenetic curve was calibrated over (lowest and highest calibration dose,
    /// Gy); null when the curve does not record it. An estimate outside it is an extrapolation.
    /// </summary>
    public (double FromGy, double ToGy)? CytogeneticCalibratedRange { get; init; }

    /// <summary>The triage colour the person had before this evidence (an extrapolated estimate cannot by itself lower it).</summary>
    public TriageColour? PreviousTriage { get; init; }
}

/// <summary>One line of evidence, ranked by how far to trust it (1 = most).</summary>
/// <param name="Rank">Trust rank: 1 cytogenetics, 2 lymphocyte kinetics, 3 lowest 48-h lymphocytes, 4 time to vomiting.</param>
/// <param name="Source">What the evidence is.</param>
/// <param name="DoseGy">The dose with its interval (for bands: lower, representative, upper).</param>
/// <param name="Trust">How far to trust it, in words.</param>
/// <param name="Reference">Where the method comes from.</param>
public sealed record EvidenceLine(int Rank, string Source, Interval DoseGy, string Trust, string Reference)
{
    /// <summary>
    /// The estimate lies outside the dose range its calibration curve was fitted over: the curve's
    /// shape there is assumed, not measured (IAEA EPR-Biodosimetry 2011 §9.7: doses are read from the
    /// calibrated range; ISO 19238 asks the curve to cover the doses to be estimated).
    /// </summary>
    public bool Extrapolated { get; init; }
}

/// <summary>A treatment the evidence suggests considering, with the reasons.</summary>
/// <param name="Treatment">The treatment.</param>
/// <param name="Reasons">The evidence that triggers it.</param>
/// <param name="Reference">The guidance it follows.</param>
public sealed record Consideration(string Treatment, IReadOnlyList<string> Reasons, string Reference);

/// <summary>The combined assessment of one person: advice, never a decision.</summary>
/// <param name="Id">Person identifier.</param>
/// <param name="Evidence">Every available estimate, most trusted first.</param>
/// <param name="BasisDoseGy">The dose the triage colour is based on (from the most trusted evidence); null without dose evidence.</param>
/// <param name="Triage">Triage colour; null without dose evidence.</param>
/// <param name="ResponseCategory">Highest METREPOL RC observed, if graded.</param>
/// <param name="Considerations">Treatments to consider, each with its evidence.</param>
/// <param name="Notes">Caveats, disagreements between lines of evidence, and the reminder that the clinician decides.</param>
public sealed record AssessmentResult(
    string Id,
    IReadOnlyList<EvidenceLine> Evidence,
    Interval? BasisDoseGy,
    TriageColour? Triage,
    int? ResponseCategory,
    IReadOnlyList<Consideration> Considerations,
    IReadOnlyList<string> Notes);

/// <summary>
/// Puts every available estimate for one person side by side, most trusted first (cytogenetics over
/// lymphocyte kinetics over blood-count tables over time to vomiting: IAEA 2011 ch. 1 and EPR-Medical
/// 2024 rank the dicentric assay as the reference and TTV as a coarse triage input), gives the
/// MULTIBIODOSE triage colour from the most trusted dose, and lists treatments to consider:
/// myeloid cytokines at ≥ 2 Gy whole-body (REMM "Cytokines for neutropenia"), regenerative or
/// stem-cell therapy at H4 / RC4 without signs of autologous recovery (REMM "HSCT"; METREPOL).
/// It advises; the clinician decides.
/// </summary>
public static class CombinedAssessment
{
    /// <summary>Dose at and above which myeloid cytokines are strongly considered (REMM), Gy.</summary>
    public const double CytokineThresholdGy = 2.0;

    /// <summary>Assesses one person.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static AssessmentResult Assess(PersonEvidence person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var evidence = new List<EvidenceLine>();
        var notes = new List<string>();

        if (person.Cytogenetic is { Dose: { } cyto } c)
        {
            var extrapolated = person.CytogeneticCalibratedRange is { } range && (cyto.Estimate > range.ToGy || cyto.Estimate < range.FromGy);
            evidence.Add(new EvidenceLine(1, $"cytogenetics ({Describe(c.Method)}){(extrapolated ? " — extrapolated" : "")}", cyto,
                extrapolated ? "low: extrapolated beyond the calibrated dose range" : "highest: the reference biodosimetry method", "IAEA EPR-Biodosimetry 2011")
            { Extrapolated = extrapolated });
            if (extrapolated)
            {
                var (from, to) = person.CytogeneticCalibratedRange!.Value;
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Extrapolation: the cytogenetic dose {cyto.Estimate:F2} Gy lies outside the curve's calibrated range {from:0.###}–{to:0.###} Gy; the curve's shape there is assumed, not measured (IAEA EPR-Biodosimetry 2011 §9.7). Confirm with a curve that covers this dose."));
            }
            notes.AddRange(c.Warnings.Select(w => "cytogenetics: " + w));
            if (c.Method is EstimationMethod.Dolphin or EstimationMethod.MixedPoisson)
            {
                notes.Add("The cytogenetic dose is the dose to the irradiated part of the body"
                    + (c.BodyFraction is { } bf ? string.Create(CultureInfo.InvariantCulture, $" (fraction {bf.Estimate:F2}, {bf.Lower:F2}–{bf.Upper:F2})") : string.Empty)
                    + ", not a whole-body dose; the triage colour and the ≥ 2 Gy threshold (REMM: whole-body or significant partial-body) are applied to it.");
            }
        }
        else if (person.Cytogenetic is { } notEstimable)
        {
            notes.Add($"cytogenetics ({Describe(notEstimable.Method)}) not estimable: {string.Join(" ", notEstimable.Warnings)}");
        }

        if (person.Kinetics is { Dose: { } kd } k)
        {
            evidence.Add(new EvidenceLine(2, string.Create(CultureInfo.InvariantCulture, $"lymphocyte depletion kinetics (K = {k.K:F3}/d)"), kd, k.WithinValidity ? "moderate: a first approximation" : "low: outside the validity of the model", "Goans et al. 1997, Health Phys 72:513"));
        }
        else if (person.Kinetics is { } kn)
        {
            notes.Add("lymphocyte kinetics: " + string.Join(" ", kn.Warnings));
        }

        if (person.LowestLymphocytes48h is { } alc)
        {
            var band = LowestLymphocytes.Band(alc);
            evidence.Add(new EvidenceLine(3, string.Create(CultureInfo.InvariantCulture, $"lowest lymphocyte count within 48 h ({alc:0.###} ×10⁹/L)"), BandInterval(band), "low to moderate: a table band", band.Source));
        }

        if (person.VomitingOnset is { } onset)
        {
            var band = VomitingOnset.Band(onset == TimeSpan.MaxValue ? null : onset);
            evidence.Add(new EvidenceLine(4, $"time to vomiting ({band.Label})", BandInterval(band), "lowest: a coarse triage input (95 % CI about D/4 to 4D)", band.Source));
        }

        evidence.Sort((a, b) => a.Rank.CompareTo(b.Rank));
        Interval? basis = evidence.Count > 0 ? evidence[0].DoseGy : null;
        TriageColour? colour = basis is { } bd ? Triage.ColourFor(bd.Estimate) : null;
        if (colour is { } own && evidence[0].Extrapolated)
        {
            // An extrapolated estimate cannot by itself lower a triage colour (issue 11, item 7):
            // the colour stays at the highest of its own, the other evidence's and the previous one.
            var floor = evidence.Skip(1).Where(e => !e.Extrapolated).Select(e => (TriageColour?)Triage.ColourFor(e.DoseGy.Estimate))
                .Append(person.PreviousTriage).Max();
            if (floor is { } f && f > own)
            {
                colour = f;
                notes.Add($"The triage colour stays {f.ToString().ToLowerInvariant()}: the extrapolated cytogenetic estimate alone ({own.ToString().ToLowerInvariant()}) cannot lower it; confirm with a curve that covers this dose.");
            }
        }

        if (basis is { } b0 && colour is { } col && (Triage.ColourFor(b0.Lower) != col || Triage.ColourFor(double.IsInfinity(b0.Upper) ? 1e9 : b0.Upper) != col))
        {
            notes.Add($"The interval of the basis dose spans more than one triage colour ({Triage.ColourFor(b0.Lower).ToString().ToLowerInvariant()} to {Triage.ColourFor(double.IsInfinity(b0.Upper) ? 1e9 : b0.Upper).ToString().ToLowerInvariant()}).");
        }

        // Disagreement between lines of evidence: intervals that do not overlap.
        for (var i = 0; i < evidence.Count; i++)
        {
            for (var j = i + 1; j < evidence.Count; j++)
            {
                if (evidence[i].DoseGy.Upper < evidence[j].DoseGy.Lower || evidence[j].DoseGy.Upper < evidence[i].DoseGy.Lower)
                {
                    notes.Add($"{evidence[i].Source} and {evidence[j].Source} disagree (their ranges do not overlap); the more trusted one is used, but check both.");
                }
            }
        }

        var considerations = new List<Consideration>();
        var cytokineReasons = new List<string>();
        if (basis is { } bb && bb.Estimate >= CytokineThresholdGy)
        {
            cytokineReasons.Add(string.Create(CultureInfo.InvariantCulture, $"estimated whole-body dose {bb.Estimate:F2} Gy ≥ 2 Gy ({evidence[0].Source})"));
        }
        else if (basis is { } bu && bu.Upper >= CytokineThresholdGy)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"A dose ≥ 2 Gy is not excluded (upper limit {bu.Upper:F2} Gy): repeat the assessment as evidence arrives."));
        }

        int? rc = person.Metrepol is { Grades.Count: > 0 } m ? m.MaxResponseCategory : null;
        if (person.Metrepol is { Grades.Count: > 0 } series)
        {
            var latest = series.Grades[^1];
            notes.Add($"METREPOL: latest {latest.Code} → RC{latest.ResponseCategory}; highest RC{series.MaxResponseCategory}.");
            var h4 = series.MaxH >= 4;
            var rc4 = series.MaxResponseCategory >= 4;
            if ((h4 || rc4) && !series.HaematopoieticRecovery)
            {
                var reasons = new List<string>();
                if (h4)
                {
                    reasons.Add("H4 (irreversible haematopoietic damage is possible)");
                }

                if (rc4)
                {
                    reasons.Add("RC4");
                }

                reasons.Add("no sign of autologous haematopoietic recovery in the gradings so far");
                reasons.AddRange(series.Grades.Select(g => g.Code));
                considerations.Add(new Consideration("regenerative or stem-cell therapy candidate: start HLA matching and consult a transplant/regenerative-therapy team", reasons, "REMM HSCT guidance; METREPOL (Fliedner et al. 2001): H4 without expected autologous recovery"));
            }
            else if ((h4 || rc4) && series.HaematopoieticRecovery)
            {
                notes.Add("H4/RC4 was reached but the H degree has since fallen: autologous recovery is under way; stem-cell therapy is not suggested.");
            }
        }

        if (cytokineReasons.Count > 0)
        {
            considerations.Insert(0, new Consideration("myeloid cytokines (G-CSF): strongly consider starting as soon as possible", cytokineReasons, "REMM, Cytokines for neutropenia: exposure likely ≥ 2 Gy whole-body"));
        }

        if (evidence.Count == 0)
        {
            notes.Add("No dose evidence: no triage colour can be given.");
        }

        notes.Add("This assessment advises; the treating clinician decides. The evidence is listed above.");
        return new AssessmentResult(person.Id, evidence, basis, colour, rc, considerations, notes);
    }

    private static Interval BandInterval(DoseBand band) =>
        new(band.LowerGy, band.Representative, band.UpperGy ?? double.PositiveInfinity);

    private static string Describe(EstimationMethod method) => method switch
    {
        EstimationMethod.Merkle83 => "whole body, Merkle 83/83",
        EstimationMethod.Merkle95 => "whole body, Merkle 95/95",
        EstimationMethod.Delta => "whole body, delta method",
        EstimationMethod.Dolphin => "partial body, Dolphin",
        _ => "heterogeneous, mixed Poisson",
    };
}
