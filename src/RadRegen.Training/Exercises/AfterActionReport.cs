using System.Globalization;
using RadRegen.Core.Reporting;

namespace RadRegen.Training.Exercises;

/// <summary>
/// The after-action report and improvement plan (HSEEP AAR/IP, template HSEEP-IP01): overview,
/// objectives and core capabilities, each capability target with its rating and observation,
/// strengths and areas for improvement, the metrics against the truth, and the improvement plan
/// (corrective action, owner, due date, status). A drill document: the banner says so.
/// </summary>
public static class AfterActionReport
{
    public const string DrillBanner = "DRILL — simulated incident, not a real emergency";

    /// <summary>The corrective action generated for a target not met (then editable).</summary>
    public static string CorrectiveAction(TargetRating rating)
    {
        ArgumentNullException.ThrowIfNull(rating);
        var what = rating.Target.Metric switch
        {
            ExerciseMetric.TriageAccuracy => "review the triage colour rules (docs/clinical-rules.md) with the team and re-drill triage",
            ExerciseMetric.RcAccuracy => "review METREPOL grading of the haematological syndrome with worked cases",
            ExerciseMetric.DoseWithinTwoZ => "practise dose estimation from lymphocyte kinetics and dicentric counts against known doses",
            ExerciseMetric.IntervalCoverage => "practise stating dose intervals (the assessment's basis interval) rather than point estimates",
            ExerciseMetric.MinutesToFirstTriage => "rehearse the first minutes: who opens the queue and triages first",
            ExerciseMetric.MinutesToCompleteQueue => "add triage staff or split the queue; rehearse with more victims",
            ExerciseMetric.AllocationQuality => "review the priority policy and the allocation page; compare the team's allocation with the reference",
            ExerciseMetric.CriticalTasksMet => "walk through the critical tasks missed and assign who performs each",
            _ => "review and repeat",
        };
        return $"{rating.Target.Code} {rating.Target.Text} ({ExerciseFormat.Value(rating.Target.Metric, rating.Value)} against {rating.Target.ThresholdText}, rated {rating.Rating}): {what}.";
    }

    public static ReportDocument Build(Exercise exercise, ExerciseScore score, IReadOnlyList<ImprovementItem> plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(plan);
        var d = exercise.Definition;
        var s = d.Scenario;
        string Pct(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
        var sections = new List<ReportSection>
        {
            new("Exercise overview", [new ReportFacts([
                new("Exercise", $"{exercise.Code} — {exercise.Title}"),
                new("Level", d.Level switch { ExerciseLevel.CommunicationCheck => "communication check (ConvEx-1 tier)", ExerciseLevel.ProcedureDrill => "procedure drill (ConvEx-2 tier)", _ => "full scenario (ConvEx-3 tier)" }),
                new("Scenario", string.Create(CultureInfo.InvariantCulture, $"{s.Victims} simulated victims, seed {s.Seed}, {s.Kind}, dose log-normal median {s.Dose.MedianGy:0.##} Gy, geometric SD e^{s.Dose.GeometricSdLog:0.##}")),
                new("Started", exercise.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
                new("Trainees", exercise.Participants.Count == 0 ? "none assigned" : string.Join(", ", exercise.Participants)),
                new("Victims answered", $"{score.Answered} of {score.Victims}"),
                new("Overall", $"{Pct(score.Overall)} of capability targets met; overall rating {score.OverallRating}"),
            ])]),
            new("Objectives and core capabilities", [new ReportTable(["Objective", "Text", "Core capabilities"],
                [.. d.Objectives.Select(o => (IReadOnlyList<string>)[o.Code, o.Text, string.Join("; ", o.CoreCapabilities)])])]),
            new("Capability targets", [new ReportTable(["Target", "Core capability", "Threshold", "Result", "Rating"],
                [.. score.Targets.Select(r => (IReadOnlyList<string>)[$"{r.Target.Code} {r.Target.Text}", r.Target.CoreCapability, r.Target.ThresholdText,
                    ExerciseFormat.Value(r.Target.Metric, r.Value), r.Rating])]) { Caption = "HSEEP ratings: P performed without challenges, S with some, M with major challenges, U unable to be performed (not observed)." }]),
            new("Strengths", [.. Observations(score.Targets.Where(r => r.Met))]),
            new("Areas for improvement", [.. Observations(score.Targets.Where(r => !r.Met))]),
            new("Metrics against the truth", [new ReportTable(["Metric", "Value", "Items", "How"],
                [.. score.Metrics.Select(m => (IReadOnlyList<string>)[m.Name, ExerciseFormat.Value(m.Metric, m.Value), m.N.ToString(CultureInfo.InvariantCulture), m.Detail])])]),
            new("Triage colour: truth (rows) against answer (columns)", [Matrix(score.Colours)]),
            new("METREPOL response category: truth (rows) against answer (columns)", [Matrix(score.ResponseCategories)]),
            new("Critical tasks", [new ReportTable(["Task", "Action", "Performed", "At"],
                [.. score.Tasks.Select(t => (IReadOnlyList<string>)[$"{t.Task.Code} {t.Task.Text}", t.Task.Action, t.Met ? "yes" : "no",
                    t.AtMinutes is { } m ? m.ToString("0.#", CultureInfo.InvariantCulture) + " min" : "—"])])]),
            new("Improvement plan", plan.Count == 0
                ? [new ReportParagraph("No improvement item yet: the trainer generates them from the targets not met, then edits them.")]
                : [new ReportTable(["Target", "Corrective action", "Owner", "Due", "Status"],
                    [.. plan.Select(i => (IReadOnlyList<string>)[i.TargetCode, i.Action, i.Owner, i.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), i.Status])])]),
        };
        return new ReportDocument($"After-action report and improvement plan — {exercise.Code}", sections)
        {
            Subtitle = exercise.Title,
            Banner = DrillBanner,
            GeneratedAt = now,
            GeneratedAtText = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        };
    }

    private static IEnumerable<ReportBlock> Observations(IEnumerable<TargetRating> ratings)
    {
        var list = ratings.ToList();
        return list.Count == 0 ? [new ReportParagraph("None.")] : list.Select(r => (ReportBlock)new ReportParagraph($"{r.Target.Code} ({r.Rating}): {r.Observation}"));
    }

    private static ReportTable Matrix(ConfusionMatrix m) =>
        new(["truth \\ answer", .. m.Labels], [.. m.Counts.Select((row, i) => (IReadOnlyList<string>)[m.Labels[i], .. row.Select(c => c.ToString(CultureInfo.InvariantCulture))])]);
}
