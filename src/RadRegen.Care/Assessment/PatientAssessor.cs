using System.Globalization;
using RadRegen.Care.Records;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Assessment;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Care.Assessment;

/// <summary>One method's dose for the patient page: the method, the interval and what it rests on.</summary>
public sealed record MethodDose(string Method, double? LowerGy, double? EstimateGy, double? UpperGy, int Rank, string Trust, string Reference)
{
    /// <summary>The estimate lies outside its calibration curve's dose range (cytogenetics; <see cref="EvidenceLine.Extrapolated"/>).</summary>
    public bool Extrapolated { get; init; }
}

/// <summary>A METREPOL grading for one day after exposure, with the signs that gave it.</summary>
/// <param name="H">The H degree; null when no H sign (blood count, blood loss, initial granulocytosis) was recorded that day — not H0.</param>
/// <param name="Signs">The worst recorded value of each sign that day (degree, count ×10⁹/L or episodes per day), by sign key; what needs and gates key on.</param>
public sealed record DayGrade(int Day, int N, int? H, int C, int G, int ResponseCategory, string Code, IReadOnlyList<string> Evidence,
    IReadOnlyDictionary<string, double>? Signs = null)
{
    /// <summary>The worst recorded value of sign <paramref name="key"/> that day; null when it was not recorded.</summary>
    public double? Sign(string key) => Signs is { } s && s.TryGetValue(key, out var v) ? v : null;
}

/// <summary>
/// A patient's assessment at one moment, computed from every observation by
/// <see cref="PatientAssessor"/>. Version n is kept as the current row; every version is on the
/// journal (record <c>patient-assessment</c>).
/// </summary>
public sealed record PatientAssessment(
    long PatientId,
    int Version,
    DateTimeOffset AssessedAt,
    int ObservationCount,
    string? Triage,
    int? ResponseCategory,
    double? BasisDoseGy,
    double? BasisLowerGy,
    double? BasisUpperGy,
    IReadOnlyList<MethodDose> Doses,
    IReadOnlyList<DayGrade> Metrepol,
    IReadOnlyList<Consideration> Considerations,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Whether the evidence suggests regenerative or stem-cell therapy: H4 confirmed by granulocytes on
    /// days 5–6, no recovery on re-grading with measured counts, no multi-organ injury — from the
    /// haematopoietic syndrome only, never from RC4 by N, G or C (<see cref="CombinedAssessment"/>).
    /// </summary>
    public bool RegenerativeCandidate => Considerations.Any(c => c.Treatment.StartsWith("regenerative", StringComparison.Ordinal));

    /// <summary>Whether H4 was graded but not (yet) confirmed by granulocytes on days 5–6: HLA typing may start, nothing is reserved.</summary>
    public bool PossibleH4 => Considerations.Any(c => c.Treatment == CombinedAssessment.PossibleH4Treatment);

    /// <summary>Whether myeloid cytokines are suggested (dose ≥ 2 Gy).</summary>
    public bool CytokineCandidate => Considerations.Any(c => c.Treatment.StartsWith("myeloid", StringComparison.Ordinal));

    /// <summary>
    /// Multi-organ injury: N4 or G4 on any day (neurovascular or gastrointestinal syndrome), or C4 over a
    /// large area (erythema degree 4, "severe, &gt; 40 % BSA", the one C criterion that states an area).
    /// It excludes transplant candidacy and counts toward the expectant tier under scarcity
    /// (reference/clinical F1, §4). The rule is Dosimetry's (<see cref="MetrepolGrade.MultiOrganInjury"/>),
    /// read from the day grades kept with the assessment.
    /// </summary>
    public bool MultiOrganInjury => Metrepol.Any(d => MetrepolGrading.IsMultiOrganInjury(d.N, d.G, d.Sign("erythema")));

    /// <summary>
    /// The worst value of sign <paramref name="key"/> over every graded day: the lowest for a count
    /// (<paramref name="lowest"/>), the highest for a degree; null when it was never recorded.
    /// </summary>
    public double? WorstSign(string key, bool lowest)
    {
        var recorded = Metrepol.Select(d => d.Sign(key)).OfType<double>().ToList();
        return recorded.Count == 0 ? null : lowest ? recorded.Min() : recorded.Max();
    }
}

/// <summary>The center's choices for the assessment (configuration <c>Care:Assessment:*</c>).</summary>
/// <param name="LowestLymphocyteTable">The table that reads the lowest 48-h lymphocyte count (the two published tables disagree, reference/clinical F7).</param>
public sealed record AssessmentOptions(LowestLymphocyteTable LowestLymphocyteTable)
{
    /// <summary>Mettler &amp; Voelz 2002, the table the project used before the choice existed.</summary>
    public static AssessmentOptions Default { get; } = new(LowestLymphocyteTable.MettlerVoelz2002);
}

/// <summary>
/// Turns a patient's observations into the evidence <see cref="CombinedAssessment"/> takes, and
/// returns its result in the form the care pages and the journal keep. Rules (each from
/// <c>RadRegen.Dosimetry</c>, which cites the sources):
/// <list type="bullet">
/// <item>cytogenetics: the latest cytogenetic result, read from its curve by its method (Merkle 83/83
/// by default; IAEA 2011 §9.7.3), with the Lea–Catcheside G for exposures longer than 0 h (t0 = 2 h);</item>
/// <item>lymphocyte kinetics (Goans et al. 1997): the lymphocyte counts, of which
/// <see cref="LymphocyteKinetics.Estimate"/> uses only those within the first 8 h (the published
/// window) and notes the others;</item>
/// <item>lowest lymphocytes within 48 h: only once a count at 24 h or later exists (before that the
/// minimum is not known), read with the center's table (<see cref="AssessmentOptions"/>: Mettler &amp;
/// Voelz 2002 or IAEA 2024 Table 6), which the evidence names;</item>
/// <item>time to vomiting (IAEA EPR-Medical 2024 Table 3): the earliest onset recorded, or "no
/// vomiting" when recorded and no onset is — counted only when the latest "no vomiting" was recorded
/// at least <see cref="VomitingOnset.NoVomitingAfter"/> after exposure, otherwise a note says it is too early;</item>
/// <item>METREPOL (Fliedner et al. 2001): observations grouped by day after exposure (day 0 = the
/// first 24 h); per day the worst value of each sign (highest degree; lowest count); vital signs
/// map to the N signs <c>fever</c> (38–40 °C degree 2, &gt; 40 °C degree 3; the duration that makes
/// degree 4 is not derivable from one reading) and <c>hypotension</c> (systolic &lt; 100 or
/// diastolic &lt; 70 degree 2; &lt; 90/60 degree 3; systolic &lt; 80 degree 4 only when it persists
/// on two readings the same day; HR &gt; 100 with normal pressure degree 1).</item>
/// </list>
/// </summary>
public static class PatientAssessor
{
    /// <summary>Assesses <paramref name="patient"/> from <paramref name="observations"/> (any order), with the center's <paramref name="options"/> (defaults when null).</summary>
    /// <param name="previousTriage">The colour of the previous assessment: an extrapolated cytogenetic estimate cannot by itself lower it.</param>
    /// <param name="memo">Results already computed for the same inputs in this batch (an import's victims), or null.</param>
    public static PatientAssessment Assess(Patient patient, IReadOnlyList<Observation> observations, int version, DateTimeOffset now, AssessmentOptions? options = null,
        string? previousTriage = null, AssessmentMemo? memo = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(observations);
        options ??= AssessmentOptions.Default;
        var ordered = observations.OrderBy(o => o.ObservedAt).ThenBy(o => o.Id).ToList();
        var start = patient.ExposureStart;
        double Hours(DateTimeOffset t) => (t - start).TotalHours;
        var notes = new List<string>();

        DoseEstimate? cyto = null;
        (double, double)? calibrated = null;
        if (ordered.LastOrDefault(o => o.Kind == ObservationKind.Cytogenetics) is { } cg)
        {
            cyto = memo is null ? Cytogenetic(patient, cg.Data) : memo.Cytogenetic(patient, cg.Data);
            if (cg.Data.Curve is { CalibratedToGy: { } to } spec)
            {
                calibrated = (spec.CalibratedFromGy ?? 0, to);
            }
        }

        KineticsEstimate? kinetics = null;
        var counts = ordered.Where(o => o.Kind == ObservationKind.BloodCount && o.Data.Lymphocytes is > 0)
            .Select(o => new LymphocyteSample(Hours(o.ObservedAt), o.Data.Lymphocytes!.Value)).ToList();
        counts = LastPerTime(counts);
        if (counts.Count >= 2)
        {
            try
            {
                kinetics = LymphocyteKinetics.Estimate(counts);
            }
            catch (DosimetryInputException ex)
            {
                notes.Add("lymphocyte kinetics: " + ex.Message);
            }
        }

        double? lowest48 = null;
        var within48 = ordered.Where(o => o.Kind == ObservationKind.BloodCount && o.Data.Lymphocytes is not null && Hours(o.ObservedAt) <= 48).ToList();
        if (within48.Count > 0 && within48.Any(o => Hours(o.ObservedAt) >= 24))
        {
            lowest48 = within48.Min(o => o.Data.Lymphocytes!.Value);
        }

        TimeSpan? vomiting = null;
        TimeSpan? noVomitingUntil = null;
        var onsets = ordered.Where(o => o.Kind == ObservationKind.Symptoms && o.Data.VomitingOnsetAt is not null).Select(o => o.Data.VomitingOnsetAt!.Value - start).ToList();
        if (onsets.Count > 0)
        {
            vomiting = onsets.Min();
        }
        else if (ordered.LastOrDefault(o => o.Kind == ObservationKind.Symptoms && o.Data.NoVomiting == true) is { } none)
        {
            vomiting = TimeSpan.MaxValue;
            noVomitingUntil = none.ObservedAt - start;
        }

        var days = GradeDays(ordered, start);
        MetrepolSeries? series = days.Count > 0 ? new MetrepolSeries(patient.Code, [.. days.Select(d => d.Grade)]) : null;

        var result = CombinedAssessment.Assess(new PersonEvidence(patient.Code, cyto, kinetics, lowest48, vomiting, series, noVomitingUntil, options.LowestLymphocyteTable)
        {
            CytogeneticCalibratedRange = calibrated,
            PreviousTriage = Enum.TryParse<TriageColour>(previousTriage, ignoreCase: true, out var prev) ? prev : null,
        });
        var doses = result.Evidence.Select(e => new MethodDose(e.Source, Finite(e.DoseGy.Lower), Finite(e.DoseGy.Estimate), Finite(e.DoseGy.Upper), e.Rank, e.Trust, e.Reference) { Extrapolated = e.Extrapolated }).ToList();
        if (patient.CombinedInjury)
        {
            notes.Add("Combined injury (" + string.Join(" and ", new[] { patient.Burns ? "burns" : null, patient.Trauma ? "trauma" : null }.Where(s => s is not null)) + "): worse prognosis at any dose; REMM advises cytokines at lower doses with combined injury. Lymphocyte counts are perturbed by trauma (Mettler & Voelz 2002).");
        }

        if (patient.AgeYears < 18)
        {
            notes.Add("Child: lymphocyte reference ranges are higher and the Goans kinetics are not validated in children (REMM).");
        }

        notes.AddRange(result.Notes);
        return new PatientAssessment(
            patient.Id,
            version,
            now,
            observations.Count,
            result.Triage?.ToString().ToLowerInvariant(),
            result.ResponseCategory,
            result.BasisDoseGy is { } b ? Finite(b.Estimate) : null,
            result.BasisDoseGy is { } bl ? Finite(bl.Lower) : null,
            result.BasisDoseGy is { } bu ? Finite(bu.Upper) : null,
            doses,
            [.. days.Select(d => new DayGrade(d.Day, d.Grade.N, d.Grade.H, d.Grade.C, d.Grade.G, d.Grade.ResponseCategory, MetrepolGrading.FormatCode(d.Grade.N, d.Grade.H, d.Grade.C, d.Grade.G, d.Day),
                [.. d.Grade.Signs.Where(s => s.Degree > 0).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:0.###} → {SystemLetter(s.System)}{s.Degree} ({s.Criterion})"))],
                d.Grade.Signs.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal)))],
            result.Considerations,
            notes);
    }

    /// <summary>The dose estimate of one cytogenetic result.</summary>
    public static DoseEstimate Cytogenetic(Patient patient, ObservationData data)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(data);
        var curve = ObservationRules.ToCurve(data.Curve!);
        var row = data.Distribution is { } dist
            ? CountRow.FromDistribution(patient.Code, null, dist)
            : CountRow.FromTotals(patient.Code, null, data.Cells!.Value, data.Aberrations!.Value);
        var options = patient.ExposureHours > 0 ? new EstimationOptions(ProtractionG: Protraction.G(patient.ExposureHours)) : EstimationOptions.Default;
        return (data.Method ?? "merkle83").ToUpperInvariant() switch
        {
            "MERKLE95" => WholeBodyEstimator.Merkle(curve, row, 0.95, 0.95, options),
            "DELTA" => WholeBodyEstimator.Delta(curve, row, 0.95, options),
            "DOLPHIN" => PartialBodyEstimator.Dolphin(curve, row, 0.95, options),
            _ => WholeBodyEstimator.Merkle(curve, row, 0.83, 0.83, options),
        };
    }

    /// <summary>
    /// The last sample of each time, in the order each time first appears: what
    /// <c>GroupBy(time).Select(g =&gt; g.Last())</c> gives, without a lookup and a group per sample
    /// (a victim has about ten counts; docs/performance.md, imports3).
    /// </summary>
    private static List<LymphocyteSample> LastPerTime(List<LymphocyteSample> samples)
    {
        var result = new List<LymphocyteSample>(samples.Count);
        foreach (var s in samples)
        {
            var at = result.FindIndex(r => EqualityComparer<double>.Default.Equals(r.HoursAfterExposure, s.HoursAfterExposure));
            if (at >= 0)
            {
                result[at] = s;
            }
            else
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="ordered"/> (time order) in runs of the same day after <paramref name="start"/>:
    /// the day of a later observation is never earlier, so each day is one run, in day order — the
    /// groups <c>GroupBy(day).OrderBy(day)</c> gives, without its lookup (docs/performance.md, imports3).
    /// </summary>
    private static IEnumerable<(int Key, ArraySegment<Observation> Items)> DayRuns(List<Observation> ordered, DateTimeOffset start)
    {
        var items = ordered.ToArray();
        var from = 0;
        for (var i = 1; i <= items.Length; i++)
        {
            var day = Day(items[from]);
            if (i == items.Length || Day(items[i]) != day)
            {
                yield return (day, new ArraySegment<Observation>(items, from, i - from));
                from = i;
            }
        }

        int Day(Observation o) => (int)Math.Floor((o.ObservedAt - start).TotalHours / 24);
    }

    private static List<(int Day, MetrepolGrade Grade)> GradeDays(List<Observation> ordered, DateTimeOffset start)
    {
        var result = new List<(int, MetrepolGrade)>();
        foreach (var group in DayRuns(ordered, start))
        {
            var signs = new Dictionary<string, double>(StringComparer.Ordinal);
            void Worst(string key, double value, bool lowerIsWorse)
            {
                if (!signs.TryGetValue(key, out var old) || (lowerIsWorse ? value < old : value > old))
                {
                    signs[key] = value;
                }
            }

            var lowPressureReadings = 0;
            foreach (var o in group.Items)
            {
                if (o.Data.Signs is { } s)
                {
                    foreach (var (k, v) in s)
                    {
                        Worst(k, v, false);
                    }
                }

                if (o.Kind == ObservationKind.BloodCount)
                {
                    if (o.Data.Lymphocytes is { } l)
                    {
                        Worst("lymphocytes", l, true);
                    }

                    if (o.Data.Granulocytes is { } g)
                    {
                        Worst("granulocytes", g, true);
                    }

                    if (o.Data.Platelets is { } p)
                    {
                        Worst("platelets", p, true);
                    }
                }

                if (o.Kind == ObservationKind.Vitals)
                {
                    if (o.Data.TemperatureC is { } t && t >= 38)
                    {
                        Worst("fever", t > 40 ? 3 : 2, false);
                    }

                    var sys = o.Data.SystolicMmHg;
                    var dia = o.Data.DiastolicMmHg;
                    if (sys is < 80)
                    {
                        lowPressureReadings++;
                    }

                    var degree = sys is < 80 ? 3 : (sys is < 90 || dia is < 60) ? 3 : (sys is < 100 || dia is < 70) ? 2 : o.Data.HeartRatePerMin is > 100 ? 1 : 0;
                    if (degree > 0)
                    {
                        Worst("hypotension", degree, false);
                    }
                }
            }

            if (lowPressureReadings >= 2)
            {
                signs["hypotension"] = 4;
            }

            if (signs.Count > 0)
            {
                result.Add((group.Key, MetrepolGrading.Grade(group.Key, signs)));
            }
        }

        return result;
    }

    private static char SystemLetter(OrganSystem s) => s switch
    {
        OrganSystem.Neurovascular => 'N',
        OrganSystem.Haematopoietic => 'H',
        OrganSystem.Cutaneous => 'C',
        _ => 'G',
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>
/// What a batch of assessments can share: the dose estimate of a cytogenetic result depends only
/// on the curve, the counts, the method and the exposure's duration, not on whose it is (but for
/// its case id), and a mass-casualty file repeats the same counts on the same curve many times
/// (each Merkle estimate tabulates the curve's confidence bands anew). Thread-safe; one per batch.
/// </summary>
public sealed class AssessmentMemo
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(CurveSpec Curve, long Cells, long Aberrations, string? Method, double ExposureHours), DoseEstimate> _cytogenetic = new();

    /// <summary>As <see cref="PatientAssessor.Cytogenetic"/>, computed once per distinct input (totals only; a distribution is computed each time).</summary>
    public DoseEstimate Cytogenetic(Patient patient, ObservationData data)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Distribution is not null || data.Curve is null || data.Cells is not { } cells || data.Aberrations is not { } aberrations)
        {
            return PatientAssessor.Cytogenetic(patient, data);
        }

        var estimate = _cytogenetic.GetOrAdd((data.Curve, cells, aberrations, data.Method, patient.ExposureHours), _ => PatientAssessor.Cytogenetic(patient, data));
        return estimate.Id == patient.Code ? estimate : estimate with { Id = patient.Code };
    }
}
