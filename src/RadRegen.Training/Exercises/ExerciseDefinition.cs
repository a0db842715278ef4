using RadRegen.Care.Drill;
using RadRegen.Care.Records;

namespace RadRegen.Training.Exercises;

/// <summary>
/// The tiers of the IAEA ConvEx programme (reference/training/exercises.md): ConvEx-1 tests the
/// communication links and their response times, ConvEx-2 parts of the arrangement (forms, assistance,
/// the complete arrangement over 6–8 h), ConvEx-3 a full-scale scenario over days.
/// </summary>
public enum ExerciseLevel
{
    CommunicationCheck,
    ProcedureDrill,
    FullScenario,
}

/// <summary>What a capability target measures (each computed by <see cref="ExerciseScorer"/>).</summary>
public enum ExerciseMetric
{
    /// <summary>Share of answered victims whose triage colour equals the colour of their true dose.</summary>
    TriageAccuracy,

    /// <summary>Share of victims answered with a response category whose RC equals the true RC (<see cref="AnswerKeyRules"/>).</summary>
    RcAccuracy,

    /// <summary>Share of dose estimates with |z| ≤ 2 (z = (estimate − true dose)/σ).</summary>
    DoseWithinTwoZ,

    /// <summary>Share of dose intervals given that contain the true dose.</summary>
    IntervalCoverage,

    /// <summary>Minutes from the start of the exercise to the first triage answer.</summary>
    MinutesToFirstTriage,

    /// <summary>Minutes from the start until every victim of the exercise has a triage answer.</summary>
    MinutesToCompleteQueue,

    /// <summary>Value of the trainees' allocation under the truth over the value of the reference allocation (same allocator, true doses).</summary>
    AllocationQuality,

    /// <summary>Share of the critical tasks performed (in time).</summary>
    CriticalTasksMet,
}

/// <summary>Whether a target is met at or above, or at or below, its threshold.</summary>
public enum TargetDirection
{
    AtLeast,
    AtMost,
}

/// <summary>An exercise objective and the core capabilities it exercises (HSEEP: every objective maps to ≥ 1 core capability).</summary>
public sealed record Objective(string Code, string Text, IReadOnlyList<string> CoreCapabilities);

/// <summary>A capability target: a performance threshold on one metric (HSEEP "capability target", quantitative).</summary>
public sealed record CapabilityTarget(string Code, string CoreCapability, string Text, ExerciseMetric Metric, TargetDirection Direction, double Threshold)
{
    /// <summary>"≥ 90 %", "≤ 15 min".</summary>
    public string ThresholdText => (Direction == TargetDirection.AtLeast ? "≥ " : "≤ ") + ExerciseFormat.Value(Metric, Threshold);
}

/// <summary>
/// A critical task (HSEEP: how a target is met): an action of the exercise log (<see cref="ExerciseActions"/>)
/// that must be performed, within <paramref name="WithinMinutes"/> of the start when given.
/// </summary>
public sealed record CriticalTask(string Code, string CoreCapability, string Text, string Action, double? WithinMinutes = null);

/// <summary>The simulated incident: the drill simulator's seed, victims, incident kind and dose distribution.</summary>
public sealed record Scenario(int Seed, int Victims, IncidentKind Kind, DrillDoseDistribution Dose, double LabShare = 0.2, int? Vials = null);

/// <summary>What an inject brings.</summary>
public enum InjectKind
{
    /// <summary>Victims of the scenario held back until the inject (they are imported into the drill incident then).</summary>
    NewVictims,

    /// <summary>The laboratory's dicentric counts for the victims it scored (a message the trainees must record).</summary>
    LabResults,

    /// <summary>Vials of a product lost from the drill's simulated bank (a stock shortfall).</summary>
    StockShortfall,
}

/// <summary>A timed inject of the Master Scenario Events List: released when the exercise clock passes <paramref name="AtMinutes"/> after the start.</summary>
public sealed record Inject(int Number, double AtMinutes, InjectKind Kind, string Text, int Victims = 0, string? Product = null, int Vials = 0);

/// <summary>
/// An exercise in HSEEP terms (reference/training/exercises.md): objectives → core capabilities →
/// capability targets with thresholds → critical tasks, on a simulated scenario with timed injects.
/// </summary>
/// <param name="SigmaGy">
/// σ of the dose z-score. The interlaboratory z of Biodose Tools (reference/training/exercises.md) is
/// z = (x − x_ref)/√(s*² + u_ref²) with u_ref = 0 for a known dose; a drill has one estimate per victim,
/// not a robust SD across laboratories, so σ is set per exercise (a fitness-for-purpose choice).
/// </param>
public sealed record ExerciseDefinition(
    ExerciseLevel Level,
    IReadOnlyList<Objective> Objectives,
    IReadOnlyList<CapabilityTarget> Targets,
    IReadOnlyList<CriticalTask> CriticalTasks,
    Scenario Scenario,
    IReadOnlyList<Inject> Injects,
    double SigmaGy)
{
    /// <summary>
    /// σ for the dose z-score when the trainer sets none: 0.5 Gy, a drill assumption the trainer may
    /// change (no published proficiency σ for a single person's triage dose estimate was found).
    /// </summary>
    public const double DefaultSigmaGy = 0.5;

    /// <summary>
    /// A standard medical-management exercise: the targets issue 15's brief gives as examples (triage
    /// accuracy ≥ 90 %, first triage ≤ 15 min) and the others of <see cref="ExerciseMetric"/>, each a
    /// trainer's choice to edit — not published standards.
    /// </summary>
    public static ExerciseDefinition Standard(Scenario scenario, IReadOnlyList<Inject>? injects = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        const string Triage = "Mass-casualty triage";
        const string Dose = "Biodosimetry and dose assessment";
        const string Allocate = "Allocation of scarce cell products";
        return new ExerciseDefinition(
            ExerciseLevel.FullScenario,
            [
                new("O1", "Triage every victim to the colour of their dose and grade their METREPOL response category.", [Triage]),
                new("O2", "Estimate each victim's whole-body dose with an interval that holds the true dose.", [Dose]),
                new("O3", "Allocate the scarce cell products to the victims who gain most, after a stock shortfall.", [Allocate]),
            ],
            [
                new("T1", Triage, "Triage colours agree with the true dose", ExerciseMetric.TriageAccuracy, TargetDirection.AtLeast, 0.9),
                new("T2", Triage, "METREPOL response categories agree with the truth", ExerciseMetric.RcAccuracy, TargetDirection.AtLeast, 0.8),
                new("T3", Triage, "First victim triaged", ExerciseMetric.MinutesToFirstTriage, TargetDirection.AtMost, 15),
                new("T4", Triage, "Every victim triaged", ExerciseMetric.MinutesToCompleteQueue, TargetDirection.AtMost, 120),
                new("T5", Dose, "Dose estimates within 2 σ of the true dose", ExerciseMetric.DoseWithinTwoZ, TargetDirection.AtLeast, 0.8),
                new("T6", Dose, "Dose intervals hold the true dose", ExerciseMetric.IntervalCoverage, TargetDirection.AtLeast, 0.9),
                new("T7", Allocate, "Allocation worth as much as the reference allocation", ExerciseMetric.AllocationQuality, TargetDirection.AtLeast, 0.9),
                new("T8", Allocate, "Critical tasks performed", ExerciseMetric.CriticalTasksMet, TargetDirection.AtLeast, 1),
            ],
            [
                new("C1", Triage, "Triage the first victim within 15 minutes", ExerciseActions.Triage, 15),
                new("C2", Allocate, "Acknowledge the stock shortfall", ExerciseActions.Acknowledge),
                new("C3", Allocate, "Run the allocation on the drill's stock", ExerciseActions.Allocate),
            ],
            scenario,
            injects ?? StandardInjects(scenario),
            DefaultSigmaGy);
    }

    /// <summary>The standard Master Scenario Events List: a tenth of the victims arrive at 30 min, lab results at 45 min, a quarter of the platelets lost at 60 min.</summary>
    public static IReadOnlyList<Inject> StandardInjects(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var late = scenario.Victims >= 10 ? scenario.Victims / 10 : 0;
        var vials = scenario.Vials ?? Math.Max(20, scenario.Victims / 5);
        var list = new List<Inject>();
        if (late > 0)
        {
            list.Add(new(list.Count + 1, 30, InjectKind.NewVictims, $"{late} more victims arrive from the scene.", Victims: late));
        }

        list.Add(new(list.Count + 1, 45, InjectKind.LabResults, "The cytogenetics laboratory reports its dicentric counts (50-cell triage mode)."));
        list.Add(new(list.Count + 1, 60, InjectKind.StockShortfall, "A storage tank failed: platelet vials are lost.",
            Product: Care.Allocation.PriorityPolicy.Default.HaematopoieticProduct, Vials: Math.Max(1, vials / 8)));
        return list;
    }
}

/// <summary>The kinds of action the exercise log records (and critical tasks name).</summary>
public static class ExerciseActions
{
    public const string Start = "start";
    public const string InjectReleased = "inject-released";
    public const string Triage = "triage";
    public const string Allocate = "allocate";
    public const string Acknowledge = "acknowledge";
    public const string Note = "note";

    /// <summary>The actions a trainee records (the others the exercise itself writes).</summary>
    public static IReadOnlyList<string> Trainee { get; } = [Triage, Allocate, Acknowledge, Note];
}

/// <summary>How metric values read (fractions as per cent, times in minutes).</summary>
public static class ExerciseFormat
{
    public static bool IsMinutes(ExerciseMetric metric) => metric is ExerciseMetric.MinutesToFirstTriage or ExerciseMetric.MinutesToCompleteQueue;

    public static string Value(ExerciseMetric metric, double? value) => value is not { } v
        ? "not observed"
        : IsMinutes(metric)
            ? v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " min"
            : (v * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %";

    /// <summary>"triage-accuracy".</summary>
    public static string Name(ExerciseMetric metric) => metric switch
    {
        ExerciseMetric.TriageAccuracy => "triage-accuracy",
        ExerciseMetric.RcAccuracy => "rc-accuracy",
        ExerciseMetric.DoseWithinTwoZ => "dose-within-2z",
        ExerciseMetric.IntervalCoverage => "interval-coverage",
        ExerciseMetric.MinutesToFirstTriage => "minutes-to-first-triage",
        ExerciseMetric.MinutesToCompleteQueue => "minutes-to-complete-queue",
        ExerciseMetric.AllocationQuality => "allocation-quality",
        ExerciseMetric.CriticalTasksMet => "critical-tasks-met",
        _ => metric.ToString(),
    };
}

/// <summary>
/// A score as the API and <c>radregen exercise score --json</c> both write it (one shape, ADR 0035): marked
/// <c>drill</c>, every metric with its n, every target with its rating, the confusion matrices, the doses and
/// the critical tasks.
/// </summary>
public static class ExerciseScoreJson
{
    public static object Of(ExerciseScore s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new
        {
            drill = true,
            trainee = s.Trainee,
            victims = s.Victims,
            answered = s.Answered,
            overall = s.Overall,
            overallRating = s.OverallRating,
            metrics = s.Metrics.Select(m => new { metric = m.Name, value = m.Value, n = m.N, detail = m.Detail }),
            targets = s.Targets.Select(t => new { target = t.Target.Code, metric = ExerciseFormat.Name(t.Target.Metric), threshold = t.Target.ThresholdText, value = t.Value, met = t.Met, rating = t.Rating, observation = t.Observation }),
            colourConfusion = s.Colours,
            rcConfusion = s.ResponseCategories,
            doses = s.Doses,
            criticalTasks = s.Tasks.Select(t => new { task = t.Task.Code, text = t.Task.Text, met = t.Met, atMinutes = t.AtMinutes }),
        };
    }
}
