using System.Globalization;
using System.Runtime.CompilerServices;

namespace RadRegen.Dosimetry.Metrepol;

/// <summary>The four organ systems graded by METREPOL.</summary>
public enum OrganSystem
{
    /// <summary>N: neurovascular.</summary>
    Neurovascular,

    /// <summary>H: haematopoietic.</summary>
    Haematopoietic,

    /// <summary>C: cutaneous.</summary>
    Cutaneous,

    /// <summary>G: gastrointestinal.</summary>
    Gastrointestinal,
}

/// <summary>How a sign is recorded.</summary>
public enum SignScale
{
    /// <summary>The clinician's degree 0–4 against the METREPOL description.</summary>
    Degree,

    /// <summary>A count per litre (×10⁹/L) graded by thresholds.</summary>
    CountPerLitre,

    /// <summary>Episodes per day graded by thresholds.</summary>
    PerDay,

    /// <summary>A finding the clinician records as present (1) or absent (0); present gives degree 4 (the only such sign is initial granulocytosis, H4).</summary>
    Presence,
}

/// <summary>A sign METREPOL grades, with its system, scale and the printed criteria for degrees 1–4.</summary>
/// <param name="Key">Name used in input files (camelCase).</param>
/// <param name="System">Organ system.</param>
/// <param name="Scale">How the value is recorded.</param>
/// <param name="Criteria">Degree 1..4 as printed (index 0 = degree 1).</param>
public sealed record SignDefinition(string Key, OrganSystem System, SignScale Scale, IReadOnlyList<string> Criteria);

/// <summary>The degree one sign gave.</summary>
/// <param name="Key">Sign name.</param>
/// <param name="System">Organ system.</param>
/// <param name="Value">Value as recorded.</param>
/// <param name="Degree">Degree 0–4.</param>
/// <param name="Criterion">The printed criterion that matched (empty for degree 0).</param>
public sealed record GradedSign(string Key, OrganSystem System, double Value, int Degree, string Criterion);

/// <summary>A grading at one time after exposure.</summary>
/// <param name="Day">Days after exposure.</param>
/// <param name="N">Neurovascular degree.</param>
/// <param name="H">Haematopoietic degree; null when no H sign was recorded that time (no blood count, no
/// blood-loss or granulocytosis finding): a day without counts has no H grade, which is not H0.</param>
/// <param name="C">Cutaneous degree.</param>
/// <param name="G">Gastrointestinal degree.</param>
/// <param name="Signs">Every recorded sign with its degree: the evidence.</param>
public sealed record MetrepolGrade(double Day, int N, int? H, int C, int G, IReadOnlyList<GradedSign> Signs)
{
    /// <summary>
    /// Response category RC = the highest of the graded systems (AFRRI Form 331 "N: C: G: H: = RC";
    /// REMM ARS tool: "the highest degree of severity checked for any parameter"). An H not graded
    /// that time does not take part.
    /// </summary>
    public int ResponseCategory => Math.Max(Math.Max(N, H ?? 0), Math.Max(C, G));

    /// <summary>Whether an H sign was recorded, so an H degree exists.</summary>
    public bool HasH => H is not null;

    /// <summary>Whether a blood count (lymphocytes, granulocytes or platelets) was measured that time.</summary>
    public bool HasCounts => Signs.Any(s => MetrepolGrading.IsCount(s.Key));

    /// <summary>The degree of one sign that time; null when it was not recorded.</summary>
    public int? DegreeOf(string key) => Signs.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))?.Degree;

    /// <summary>
    /// Multi-organ injury that time: N4 or G4 (neurovascular or gastrointestinal syndrome), or C4 over a
    /// large area, which the printed METREPOL C criteria state only for erythema degree 4 ("severe,
    /// &gt; 40 % BSA"); the other C4 criteria (blistering, desquamation, ulcer, hair loss) state no area.
    /// Transplant guidance reserves stem-cell therapy for isolated irreversible marrow failure (REMM
    /// HSCT "consider only if marrow recovery is unlikely"; reference/clinical F1 and §4), so
    /// <see cref="Assessment.CombinedAssessment"/> does not make such a person a candidate.
    /// </summary>
    public bool MultiOrganInjury => MetrepolGrading.IsMultiOrganInjury(N, G, DegreeOf("erythema"));

    private string? _code;

    /// <summary>The grading code, for example "N2 H3 C1 G0, day 2", or "N2 H— C1 G0, day 2" without an H grade (formatted once, on first use).</summary>
    public string Code => _code ??= MetrepolGrading.FormatCode(N, H, C, G, Day);
}

/// <summary>A series of gradings of one person over days.</summary>
/// <param name="Id">Person identifier.</param>
/// <param name="Grades">Gradings in time order.</param>
public sealed record MetrepolSeries(string Id, IReadOnlyList<MetrepolGrade> Grades)
{
    /// <summary>The highest RC over the series.</summary>
    public int MaxResponseCategory => Grades.Count == 0 ? 0 : Grades.Max(g => g.ResponseCategory);

    /// <summary>The highest H degree over the series; null when H was never graded.</summary>
    public int? MaxH => Grades.Max(g => g.H);

    /// <summary>Multi-organ injury on any grading (see <see cref="MetrepolGrade.MultiOrganInjury"/>).</summary>
    public bool MultiOrganInjury => Grades.Any(g => g.MultiOrganInjury);

    /// <summary>
    /// Signs of autologous haematopoietic recovery: after the last grading that reached the highest H
    /// degree, a later re-grading on measured counts has a lower H degree. A re-grading must measure
    /// again every count that reached the peak degree (if the peak came from granulocytes, the later
    /// grading has granulocytes; if it came from no count at all, the later grading has some count):
    /// a day with symptoms only, or with a different count, has no H grade for the peak's signs and
    /// says nothing about recovery (METREPOL re-grading; reference/clinical F2).
    /// </summary>
    public bool HaematopoieticRecovery
    {
        get
        {
            if (MaxH is not { } peak)
            {
                return false;
            }

            var at = -1;
            for (var i = 0; i < Grades.Count; i++)
            {
                if (Grades[i].H == peak)
                {
                    at = i;
                }
            }

            var peakCounts = Grades[at].Signs.Where(s => MetrepolGrading.IsCount(s.Key) && s.Degree == peak).Select(s => s.Key).ToList();
            return Grades.Skip(at + 1).Any(g => g.H < peak && g.HasCounts && peakCounts.All(k => g.DegreeOf(k) is not null));
        }
    }
}

/// <summary>
/// METREPOL grading (Fliedner, Friesecke &amp; Beyrer 2001, "Medical Management of Radiation Accidents:
/// Manual on the Acute Radiation Syndrome", BIR, London): each organ system N, H, C, G gets degree 0–4,
/// the worst of its signs; RC is the highest of the four at that time and is repeated over days.
/// H criteria from the ASH table "Grades of hematopoietic response to radiation" (modified from
/// Dainiak and Fliedner et al.), in ×10⁹/L: lymphocytes ≥ 1.5 / 1–1.5 / 0.5–1 / &lt; 0.5; granulocytes
/// ≥ 2 / 1–2 / 0.5–1 / &lt; 0.5 or initial granulocytosis; platelets ≥ 100 / 50–100 / 20–50 / &lt; 20 for degrees 1..4 (a count in
/// the H1 band, which includes the normal range, is degree 1 as printed). N, C and G criteria as
/// reproduced from the METREPOL tables (reference/dosimetry/methods.md marks them as not yet checked against the primary
/// text). Signs without thresholds are recorded as the clinician's degree 0–4.
/// <para>
/// "Initial granulocytosis" (ASH Table 2, granulocytes H4) is a sign the clinician records
/// (<c>initialGranulocytosis</c> = 1), not a threshold: the table prints no count or day for it, and the
/// reference range it gives (granulocytes 4–9 ×10⁹/L) marks a raised count, not the granulocytosis
/// that signals H4 (stress and trauma raise early counts too). A count above 9 ×10⁹/L in the first
/// days only prompts the clinician (<see cref="GranulocyteReferenceUpper"/>).
/// </para>
/// <para>
/// No infection row: the ASH version has none; the original METREPOL table may have one (local, no
/// antibiotics … sepsis with i.v. antibiotics), but that is from memory and the primary manual is not
/// available ([U] in reference/clinical F5), so no grade is built on it until the primary is checked
/// (ADR 0014).
/// </para>
/// </summary>
public static class MetrepolGrading
{
    private static readonly SignDefinition[] Definitions =
    [
        // N: neurovascular
        new("nausea", OrganSystem.Neurovascular, SignScale.Degree, ["mild", "moderate", "intense", "excruciating"]),
        new("vomiting", OrganSystem.Neurovascular, SignScale.Degree, ["occasional, 1/d", "intermittent, 2–5/d", "persistent, 6–10/d", "refractory, > 10/d"]),
        new("vomitingPerDay", OrganSystem.Neurovascular, SignScale.PerDay, ["1/d", "2–5/d", "6–10/d", "> 10/d"]),
        new("anorexia", OrganSystem.Neurovascular, SignScale.Degree, ["able to eat", "intake decreased", "intake minimal", "parenteral nutrition"]),
        new("fatigue", OrganSystem.Neurovascular, SignScale.Degree, ["able to work", "impaired work ability", "needs assistance for ADL", "cannot perform ADL"]),
        new("fever", OrganSystem.Neurovascular, SignScale.Degree, ["< 38 °C", "38–40 °C", "> 40 °C for < 24 h", "> 40 °C for > 24 h"]),
        new("headache", OrganSystem.Neurovascular, SignScale.Degree, ["minimal", "moderate", "intense", "excruciating"]),
        new("hypotension", OrganSystem.Neurovascular, SignScale.Degree, ["HR > 100/min, BP > 100/70", "BP < 100/70", "BP < 90/60, transient", "BP < 80/?, persistent"]),
        new("neurologicalDeficits", OrganSystem.Neurovascular, SignScale.Degree, ["barely detectable", "easily detectable", "prominent", "life-threatening, loss of consciousness"]),
        new("cognitiveDeficits", OrganSystem.Neurovascular, SignScale.Degree, ["minor loss", "moderate loss", "major impairment", "complete impairment"]),

        // H: haematopoietic
        new("lymphocytes", OrganSystem.Haematopoietic, SignScale.CountPerLitre, ["≥ 1.5 ×10⁹/L", "1–1.5 ×10⁹/L", "0.5–1 ×10⁹/L", "< 0.5 ×10⁹/L"]),
        new("granulocytes", OrganSystem.Haematopoietic, SignScale.CountPerLitre, ["≥ 2 ×10⁹/L", "1–2 ×10⁹/L", "0.5–1 ×10⁹/L", "< 0.5 ×10⁹/L"]),
        new("platelets", OrganSystem.Haematopoietic, SignScale.CountPerLitre, ["≥ 100 ×10⁹/L", "50–100 ×10⁹/L", "20–50 ×10⁹/L", "< 20 ×10⁹/L"]),
        new("bloodLoss", OrganSystem.Haematopoietic, SignScale.Degree, ["petechiae, easy bruising, normal Hb", "mild, < 10 % Hb decrease", "gross, 10–20 % Hb decrease", "spontaneous bleeding or > 20 % Hb decrease"]),
        new("initialGranulocytosis", OrganSystem.Haematopoietic, SignScale.Presence, ["—", "—", "—", "initial granulocytosis (ASH Table 2, granulocytes H4)"]),

        // C: cutaneous
        new("erythema", OrganSystem.Cutaneous, SignScale.Degree, ["minimal, transient", "moderate, < 10 % BSA", "marked, 10–40 % BSA", "severe, > 40 % BSA"]),
        new("itching", OrganSystem.Cutaneous, SignScale.Degree, ["pruritus", "slight, intermittent pain", "moderate, persistent pain", "severe, persistent pain"]),
        new("swelling", OrganSystem.Cutaneous, SignScale.Degree, ["present, asymptomatic", "symptomatic, tension", "secondary dysfunction", "total dysfunction"]),
        new("blistering", OrganSystem.Cutaneous, SignScale.Degree, ["rare, sterile fluid", "rare, haemorrhage", "bullae, sterile fluid", "bullae, haemorrhage"]),
        new("desquamation", OrganSystem.Cutaneous, SignScale.Degree, ["absent", "patchy dry", "patchy moist", "confluent moist"]),
        new("ulcer", OrganSystem.Cutaneous, SignScale.Degree, ["absent", "epidermal only", "dermal", "subcutaneous, muscle or bone involvement"]),
        new("hairLoss", OrganSystem.Cutaneous, SignScale.Degree, ["thinning, not striking", "patchy, visible", "complete, probably reversible", "complete, probably irreversible"]),
        new("onycholysis", OrganSystem.Cutaneous, SignScale.Degree, ["absent", "partial", "partial", "complete"]),

        // G: gastrointestinal
        new("diarrhoea", OrganSystem.Gastrointestinal, SignScale.Degree, ["2–3 stools/d", "4–6 stools/d", "7–9 stools/d", "≥ 10 stools/d"]),
        new("stoolsPerDay", OrganSystem.Gastrointestinal, SignScale.PerDay, ["2–3/d", "4–6/d", "7–9/d", "≥ 10/d"]),
        new("stoolConsistency", OrganSystem.Gastrointestinal, SignScale.Degree, ["bulky", "loose", "loose", "watery"]),
        new("gutBleeding", OrganSystem.Gastrointestinal, SignScale.Degree, ["occult", "intermittent", "persistent", "persistent, large amount"]),
        new("abdominalPain", OrganSystem.Gastrointestinal, SignScale.Degree, ["minimal", "moderate", "intense", "excruciating"]),
    ];

    private static readonly Dictionary<string, SignDefinition> ByKey =
        Definitions.ToDictionary(d => d.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Upper end of the granulocyte reference range, 9 ×10⁹/L (ASH Table 2, reference ranges). A count above
    /// it in the first days is shown to the clinician as a possible initial granulocytosis; it is not graded.
    /// </summary>
    public const double GranulocyteReferenceUpper = 9.0;

    /// <summary>Every sign the grading knows, with its printed criteria.</summary>
    public static IReadOnlyList<SignDefinition> Signs => Definitions;

    /// <summary>Grades one observation.</summary>
    /// <param name="day">Days after exposure (≥ 0).</param>
    /// <param name="signs">Sign name → value (degree 0–4, count ×10⁹/L, or episodes per day).</param>
    /// <param name="where">Where the observation comes from, for error messages.</param>
    /// <exception cref="DosimetryInputException">An unknown sign or a value outside its scale.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static MetrepolGrade Grade(double day, IReadOnlyDictionary<string, double> signs, string where = "observation")
    {
        ArgumentNullException.ThrowIfNull(signs);
        if (!(day >= 0) || double.IsInfinity(day))
        {
            throw new DosimetryInputException($"{where}: day", $"must be ≥ 0 days after exposure (got {day})");
        }

        var graded = new List<GradedSign>();
        int n = 0, c = 0, g = 0;
        int? h = null;
        foreach (var (key, value) in signs)
        {
            if (!ByKey.TryGetValue(key, out var def))
            {
                throw new DosimetryInputException($"{where}: sign \"{key}\"", $"is not a METREPOL sign; known signs: {string.Join(", ", Definitions.Select(d => d.Key))}");
            }

            var degree = DegreeOf(def, value, where);
            graded.Add(new GradedSign(def.Key, def.System, value, degree, degree > 0 ? def.Criteria[degree - 1] : string.Empty));
            switch (def.System)
            {
                case OrganSystem.Neurovascular: n = Math.Max(n, degree); break;
                case OrganSystem.Haematopoietic: h = Math.Max(h ?? 0, degree); break;
                case OrganSystem.Cutaneous: c = Math.Max(c, degree); break;
                default: g = Math.Max(g, degree); break;
            }
        }

        return new MetrepolGrade(day, n, h, c, g, graded);
    }

    /// <summary>Grades a series; days must be strictly increasing.</summary>
    /// <exception cref="DosimetryInputException">Days out of order, or a bad sign.</exception>
    public static MetrepolSeries GradeSeries(string id, IReadOnlyList<(double Day, IReadOnlyDictionary<string, double> Signs)> observations, string source = "signs")
    {
        ArgumentNullException.ThrowIfNull(observations);
        var grades = new List<MetrepolGrade>();
        for (var i = 0; i < observations.Count; i++)
        {
            var where = $"{source} {id} observation {i + 1}";
            if (i > 0 && observations[i].Day <= observations[i - 1].Day)
            {
                throw new DosimetryInputException($"{where}: day", $"observations must be in increasing time order (day {observations[i].Day.ToString(CultureInfo.InvariantCulture)} follows day {observations[i - 1].Day.ToString(CultureInfo.InvariantCulture)})");
            }

            grades.Add(Grade(observations[i].Day, observations[i].Signs, where));
        }

        return new MetrepolSeries(id, grades);
    }

    /// <summary>Whether the sign is a measured blood count (lymphocytes, granulocytes, platelets).</summary>
    public static bool IsCount(string key) =>
        ByKey.TryGetValue(key, out var def) && def.Scale == SignScale.CountPerLitre;

    /// <summary>The rule of <see cref="MetrepolGrade.MultiOrganInjury"/>: N4, G4, or erythema degree 4 ("severe, &gt; 40 % BSA").</summary>
    public static bool IsMultiOrganInjury(int n, int g, double? erythemaDegree) => n >= 4 || g >= 4 || erythemaDegree >= 4;

    /// <summary>The grading code "N2 H3 C1 G0, day 2"; "H—" when H was not graded.</summary>
    /// <remarks>
    /// A whole day (every day an assessment grades) is written as an integer: the same text as the
    /// custom format <c>0.##</c>, which is parsed at every call and was most of this method's cost in
    /// an import that grades about a million days. A test compares both.
    /// </remarks>
    public static string FormatCode(int n, int? h, int c, int g, double day)
    {
        var dayText = day >= 0 && day < int.MaxValue && day == Math.Floor(day) && !double.IsNegative(day)
            ? ((int)day).ToString(CultureInfo.InvariantCulture)
            : day.ToString("0.##", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"N{n} H{(h is { } hv ? hv.ToString(CultureInfo.InvariantCulture) : "—")} C{c} G{g}, day {dayText}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DegreeOf(SignDefinition def, double value, string where)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new DosimetryInputException($"{where}: sign \"{def.Key}\"", "must be a number");
        }

        switch (def.Scale)
        {
            case SignScale.Degree:
                if (value is < 0 or > 4 || value != Math.Floor(value))
                {
                    throw new DosimetryInputException($"{where}: sign \"{def.Key}\"", $"{value.ToString(CultureInfo.InvariantCulture)} is outside its scale: a degree 0, 1, 2, 3 or 4");
                }

                return (int)value;

            case SignScale.Presence:
                if (value is not (0 or 1))
                {
                    throw new DosimetryInputException($"{where}: sign \"{def.Key}\"", $"{value.ToString(CultureInfo.InvariantCulture)} is outside its scale: 1 (present) or 0 (absent)");
                }

                return value == 1 ? 4 : 0;

            case SignScale.PerDay:
                if (value < 0 || value != Math.Floor(value))
                {
                    throw new DosimetryInputException($"{where}: sign \"{def.Key}\"", $"{value.ToString(CultureInfo.InvariantCulture)} is outside its scale: a whole number of episodes per day ≥ 0");
                }

                return def.Key == "vomitingPerDay"
                    ? value switch { 0 => 0, 1 => 1, <= 5 => 2, <= 10 => 3, _ => 4 }
                    : value switch { < 2 => 0, <= 3 => 1, <= 6 => 2, <= 9 => 3, _ => 4 };

            default:
                if (value < 0)
                {
                    throw new DosimetryInputException($"{where}: sign \"{def.Key}\"", $"{value.ToString(CultureInfo.InvariantCulture)} is outside its scale: a count ≥ 0 ×10⁹/L");
                }

                var (t1, t2, t3) = def.Key switch
                {
                    "lymphocytes" => (1.5, 1.0, 0.5),
                    "granulocytes" => (2.0, 1.0, 0.5),
                    _ => (100.0, 50.0, 20.0),
                };
                return value >= t1 ? 1 : value >= t2 ? 2 : value >= t3 ? 3 : 4;
        }
    }
}
