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
/// <param name="NoVomitingObservedUntil">With "no vomiting": how long after exposure the person was last seen not to have
/// vomited; "no vomiting" counts only from <see cref="Clinical.VomitingOnset.NoVomitingAfter"/> on (null: unknown, it does not count).</param>
/// <param name="LowestLymphocyteTable">Which published table reads the lowest 48-h lymphocyte count (the center's choice).</param>
public sealed record PersonEvidence(
    string Id,
    DoseEstimate? Cytogenetic = null,
    KineticsEstimate? Kinetics = null,
    double? LowestLymphocytes48h = null,
    TimeSpan? VomitingOnset = null,
    MetrepolSeries? Metrepol = null,
    TimeSpan? NoVomitingObservedUntil = null,
    LowestLymphocyteTable LowestLymphocyteTable = LowestLymphocyteTable.MettlerVoelz2002)
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
/// <param name="MultiOrganInjury">N4, G4 or erythema &gt; 40 % BSA (C4) on any grading: excludes transplant candidacy (<see cref="MetrepolGrade.MultiOrganInjury"/>).</param>
public sealed record AssessmentResult(
    string Id,
    IReadOnlyList<EvidenceLine> Evidence,
    Interval? BasisDoseGy,
    TriageColour? Triage,
    int? ResponseCategory,
    IReadOnlyList<Consideration> Considerations,
    IReadOnlyList<string> Notes,
    bool MultiOrganInjury = false);

/// <summary>
/// Puts every available estimate for one person side by side, most trusted first (cytogenetics over
/// lymphocyte kinetics over blood-count tables over time to vomiting: IAEA 2011 ch. 1 and EPR-Medical
/// 2024 rank the dicentric assay as the reference and TTV as a coarse triage input), gives the
/// MULTIBIODOSE triage colour from the most trusted dose, and lists treatments to consider:
/// myeloid cytokines at ≥ 2 Gy whole-body (REMM "Cytokines for neutropenia"), and regenerative or
/// stem-cell therapy from the haematopoietic syndrome only (REMM "HSCT": consider only if marrow
/// recovery is unlikely; METREPOL/EBMT: H4 without expected autologous recovery): H4 confirmed by
/// severe granulocytopenia (granulocytes &lt; 0.5 ×10⁹/L) on days 5–6, the time from which the ASH
/// figure caption (RITN meeting 2007) says irreversible damage can be assumed; no later fall of the H
/// degree on re-grading with measured counts; and no multi-organ injury (N4, G4 or erythema &gt; 40 %
/// BSA), since transplant is for isolated marrow failure (reference/clinical F1, F11, §4). RC4 from N,
/// G or C alone never makes a candidate. An H4 not confirmed that way (for example lymphocytes
/// &lt; 0.5 on day 1) is a "possible H4": HLA typing may start (REMM: matching takes weeks), with a
/// re-grading on days 5–6, but no product is reserved on it. It advises; the clinician decides.
/// </summary>
public static class CombinedAssessment
{
    /// <summary>Dose at and above which myeloid cytokines are strongly considered (REMM), Gy.</summary>
    public const double CytokineThresholdGy = 2.0;

    /// <summary>First day (after exposure) of the window in which granulocytes confirm H4: "days 5–6" (ASH figure caption, RITN 2007).</summary>
    public const double H4ConfirmationFirstDay = 5;

    /// <summary>End (exclusive) of the confirmation window: day 6 ends at day 7.</summary>
    public const double H4ConfirmationEndDay = 7;

    /// <summary>The treatment text of the stem-cell candidacy (<c>PatientAssessment.RegenerativeCandidate</c> keys on its start).</summary>
    public const string RegenerativeTreatment = "regenerative or stem-cell therapy candidate: start HLA matching and consult a transplant/regenerative-therapy team";

    /// <summary>The treatment text of a possible, not yet confirmed H4.</summary>
    public const string PossibleH4Treatment = "HLA typing may start: possible H4, re-grade granulocytes on days 5–6 before any stem-cell candidacy (no product is reserved on it)";

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
            evidence.Add(new EvidenceLine(2, string.Create(CultureInfo.InvariantCulture, $"lymphocyte depletion kinetics (K = {k.K:F3}/d, counts within the first 8 h)"), kd, k.WithinValidity ? "moderate: a first approximation" : "low: outside the validity of the model", "Goans et al. 1997, Health Phys 72:513"));
            if (k.CountsOutsideWindow > 0)
            {
                notes.AddRange(k.Warnings.Where(w => w.Contains("are not used", StringComparison.Ordinal)).Select(w => "lymphocyte kinetics: " + w));
            }
        }
        else if (person.Kinetics is { } kn)
        {
            notes.Add("lymphocyte kinetics: " + string.Join(" ", kn.Warnings));
        }

        if (person.LowestLymphocytes48h is { } alc)
        {
            var band = LowestLymphocytes.Band(alc, person.LowestLymphocyteTable);
            var table = person.LowestLymphocyteTable == LowestLymphocyteTable.Iaea2024 ? "IAEA 2024 Table 6" : "Mettler & Voelz 2002";
            evidence.Add(new EvidenceLine(3, string.Create(CultureInfo.InvariantCulture, $"lowest lymphocyte count within 48 h ({alc:0.###} ×10⁹/L; {table}: {band.Label})"), BandInterval(band), "low to moderate: a table band", band.Source));
        }

        if (person.VomitingOnset is { } onset)
        {
            if (onset != TimeSpan.MaxValue)
            {
                var band = VomitingOnset.Band(onset);
                evidence.Add(new EvidenceLine(4, $"time to vomiting ({band.Label})", BandInterval(band), "lowest: a coarse triage input (95 % CI about D/4 to 4D)", band.Source));
            }
            else if (VomitingOnset.NoVomitingCounts(person.NoVomitingObservedUntil))
            {
                var band = VomitingOnset.Band(null);
                evidence.Add(new EvidenceLine(4, string.Create(CultureInfo.InvariantCulture, $"time to vomiting ({band.Label}; none until {person.NoVomitingObservedUntil!.Value.TotalHours:0.#} h after exposure)"), BandInterval(band), "lowest: a coarse triage input (95 % CI about D/4 to 4D)", band.Source));
            }
            else
            {
                notes.Add(VomitingOnset.TooEarlyNote(person.NoVomitingObservedUntil));
            }
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
        var multiOrgan = false;
        if (person.Metrepol is { Grades.Count: > 0 } series)
        {
            multiOrgan = series.MultiOrganInjury;
            Metrepol(series, considerations, notes);
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
        return new AssessmentResult(person.Id, evidence, basis, colour, rc, considerations, notes, multiOrgan);
    }

    /// <summary>The METREPOL notes and the candidacy from the haematopoietic syndrome (rules in the class summary).</summary>
    private static void Metrepol(MetrepolSeries series, List<Consideration> considerations, List<string> notes)
    {
        var c = CultureInfo.InvariantCulture;
        var latest = series.Grades[^1];
        notes.Add($"METREPOL: latest {latest.Code} → RC{latest.ResponseCategory}; highest RC{series.MaxResponseCategory}.");
        if (!latest.HasH)
        {
            notes.Add("No H grade on the latest grading (no blood count that day): a day without counts is not H0 and says nothing about marrow recovery.");
        }

        foreach (var g in series.Grades.Where(g => g.Day < H4ConfirmationFirstDay && g.DegreeOf("initialGranulocytosis") is not 4))
        {
            if (g.Signs.FirstOrDefault(s => s.Key == "granulocytes") is { Value: > MetrepolGrading.GranulocyteReferenceUpper } high)
            {
                notes.Add(string.Create(c, $"Granulocytes {high.Value:0.##} ×10⁹/L on day {g.Day:0.##}, above the reference range (4–9 ×10⁹/L, ASH Table 2): if the clinician judges this the initial granulocytosis of ASH Table 2 (granulocytes H4), record the sign initialGranulocytosis; the count alone is not graded H4."));
                break;
            }
        }

        var multi = series.Grades.Where(g => g.MultiOrganInjury).ToList();
        if (multi.Count > 0)
        {
            var first = multi[0];
            var which = new List<string>();
            if (first.N >= 4) { which.Add("N4"); }
            if (first.G >= 4) { which.Add("G4"); }
            if (first.DegreeOf("erythema") >= 4) { which.Add("C4 erythema > 40 % BSA"); }
            notes.Add($"Multi-organ injury ({string.Join(", ", which)} on {first.Code}): transplant or regenerative-therapy candidacy is excluded — stem-cell therapy is for isolated irreversible marrow failure (REMM HSCT; METREPOL/EBMT); under scarcity this counts toward the expectant tier.");
        }

        var maxH = series.MaxH;
        if (series.MaxResponseCategory >= 4 && maxH is not 4)
        {
            notes.Add("RC4 comes from N, C or G, not from H: stem-cell or regenerative candidacy follows the haematopoietic syndrome only, so it is not suggested.");
        }

        if (maxH is not 4)
        {
            return;
        }

        if (series.HaematopoieticRecovery)
        {
            notes.Add("H4 was reached but a later re-grading on measured counts is lower: autologous recovery is under way; stem-cell therapy is not suggested.");
            return;
        }

        if (multi.Count > 0)
        {
            return;
        }

        var confirmation = series.Grades
            .Where(g => g.Day >= H4ConfirmationFirstDay && g.Day < H4ConfirmationEndDay)
            .Select(g => (Grade: g, Granulocytes: g.Signs.FirstOrDefault(s => s.Key == "granulocytes")))
            .FirstOrDefault(x => x.Granulocytes is { Degree: 4 });
        if (confirmation.Granulocytes is { } gran)
        {
            var reasons = new List<string>
            {
                string.Create(c, $"H4 confirmed: granulocytes {gran.Value:0.###} ×10⁹/L (< 0.5) on day {confirmation.Grade.Day:0.##}; severe granulocytopenia on days 5–6 means irreversible haematopoietic damage can be assumed (ASH figure caption, RITN 2007)"),
                "no fall of the H degree on a later re-grading with measured counts",
                "no multi-organ injury (no N4, G4 or erythema > 40 % BSA)",
            };
            reasons.AddRange(series.Grades.Select(g => g.Code));
            considerations.Add(new Consideration(RegenerativeTreatment, reasons, "REMM HSCT guidance (consider only if marrow recovery is unlikely); METREPOL/EBMT: H4 without expected autologous recovery; ASH (Weinstock et al. 2008, Blood 111:5440) figure caption: H4 from granulocytes on days 5–6"));
            return;
        }

        var h4 = series.Grades.First(g => g.H == 4);
        var from = string.Join(", ", h4.Signs.Where(s => s.System == OrganSystem.Haematopoietic && s.Degree == 4).Select(s => s.Key));
        var possible = new List<string>
        {
            string.Create(c, $"H4 from {from} on day {h4.Day:0.##}"),
            latest.Day < H4ConfirmationEndDay
                ? "irreversibility is read from the granulocyte course on days 5–6 (ASH figure caption, RITN 2007): re-grade granulocytes then"
                : "no granulocyte count < 0.5 ×10⁹/L on days 5–6 was recorded: the clinician judges irreversibility from the granulocyte course (ASH figure caption, RITN 2007)",
        };
        possible.AddRange(series.Grades.Select(g => g.Code));
        considerations.Add(new Consideration(PossibleH4Treatment, possible, "ASH (Weinstock et al. 2008, Blood 111:5440) figure caption: H4 from severe granulocytopenia on days 5–6; REMM HSCT: HLA matching takes weeks"));
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
