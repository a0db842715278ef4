using System.Globalization;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;

namespace RadRegen.Training.Exercises;

/// <summary>Rows: the truth; columns: the answer (the last column "none" counts victims answered without this item).</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<int>> Counts);

/// <summary>One metric's value (null: not observed), over <paramref name="N"/> items, with how it was computed.</summary>
public sealed record MetricScore(ExerciseMetric Metric, double? Value, int N, string Detail)
{
    public string Name => ExerciseFormat.Name(Metric);
}

/// <summary>
/// A capability target rated against its threshold on the HSEEP scale: P performed without challenges
/// (met), S with some challenges (missed by at most <see cref="ExerciseScorer.SomeChallengesShare"/> of the
/// threshold), M with major challenges (missed by more), U unable to be performed (not observed).
/// </summary>
public sealed record TargetRating(CapabilityTarget Target, double? Value, bool Met, string Rating, string Observation);

/// <summary>Whether a critical task was performed, and when.</summary>
public sealed record TaskResult(CriticalTask Task, bool Met, double? AtMinutes);

/// <summary>One dose estimate against the true dose.</summary>
public sealed record DoseScore(string Victim, double TrueGy, double EstimateGy, double Z, bool? Covered);

/// <summary>The score of an exercise (the whole team, or one trainee's own actions).</summary>
public sealed record ExerciseScore(
    string? Trainee,
    int Victims,
    int Answered,
    IReadOnlyList<MetricScore> Metrics,
    IReadOnlyList<TargetRating> Targets,
    ConfusionMatrix Colours,
    ConfusionMatrix ResponseCategories,
    IReadOnlyList<DoseScore> Doses,
    IReadOnlyList<TaskResult> Tasks,
    double Overall,
    string OverallRating)
{
    public MetricScore Metric(ExerciseMetric metric) => Metrics.Single(m => m.Metric == metric);
}

/// <summary>
/// Scores an exercise against its truth: a pure function of the definition, the answer key and the
/// action log, so scoring the recorded actions again (a replay) gives the same score.
/// </summary>
public static class ExerciseScorer
{
    /// <summary>
    /// A target missed by at most this share of its threshold is rated S, more is M — the project's
    /// reading of HSEEP's "some" and "major" challenges for a numeric target (HSEEP prints no number).
    /// </summary>
    public const double SomeChallengesShare = 0.1;

    public static readonly IReadOnlyList<string> ColourLabels = ["green", "yellow", "red"];
    public static readonly IReadOnlyList<string> RcLabels = ["RC1", "RC2", "RC3", "RC4"];

    /// <summary>Scores the actions of <paramref name="trainee"/> (null: everyone's); <paramref name="timed"/> false for answers from a file, which carry no times.</summary>
    public static ExerciseScore Score(ExerciseDefinition definition, AnswerKey key, IReadOnlyList<ExerciseAction> actions, string? trainee,
        ICompatibility compatibility, bool timed = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(actions);
        var mine = actions.Where(a => trainee is null || string.Equals(a.User, trainee, StringComparison.Ordinal)).OrderBy(a => a.Id).ToList();
        var answers = new Dictionary<string, (TriageAnswer Answer, double Minutes)>(StringComparer.OrdinalIgnoreCase);
        double? firstTriage = null, complete = null;
        foreach (var a in mine.Where(a => a.Kind == ExerciseActions.Triage))
        {
            var answer = ExerciseJson.Read<TriageAnswer>(a.Payload);
            answers[answer.Victim] = (answer, a.Minutes);
            firstTriage ??= a.Minutes;
            if (complete is null && answers.Count == key.Victims.Count)
            {
                complete = a.Minutes;
            }
        }

        if (!timed)
        {
            firstTriage = null;
            complete = null;
        }

        var metrics = new List<MetricScore>();
        var (colourMatrix, colourMetric) = Colours(key, answers.Values.Select(v => v.Answer));
        var (rcMatrix, rcMetric) = Rcs(key, answers.Values.Select(v => v.Answer));
        var doses = Doses(key, answers.Values.Select(v => v.Answer), definition.SigmaGy);
        metrics.Add(colourMetric);
        metrics.Add(rcMetric);
        metrics.Add(new MetricScore(ExerciseMetric.DoseWithinTwoZ, doses.Count == 0 ? null : (double)doses.Count(d => Math.Abs(d.Z) <= 2) / doses.Count, doses.Count,
            doses.Count == 0 ? "no dose estimate" : string.Create(CultureInfo.InvariantCulture,
                $"z = (estimate − true dose)/σ, σ = {definition.SigmaGy:0.###} Gy; mean z {doses.Average(d => d.Z):0.##}, mean |z| {doses.Average(d => Math.Abs(d.Z)):0.##}")));
        var intervals = doses.Where(d => d.Covered is not null).ToList();
        metrics.Add(new MetricScore(ExerciseMetric.IntervalCoverage, intervals.Count == 0 ? null : (double)intervals.Count(d => d.Covered == true) / intervals.Count, intervals.Count,
            intervals.Count == 0 ? "no dose interval given" : $"{intervals.Count(d => d.Covered == true)} of {intervals.Count} intervals hold the true dose"));
        metrics.Add(new MetricScore(ExerciseMetric.MinutesToFirstTriage, firstTriage, answers.Count > 0 ? 1 : 0,
            !timed ? "answers from a file carry no times" : firstTriage is null ? "no triage recorded in play" : "minutes from the start to the first triage answer"));
        metrics.Add(new MetricScore(ExerciseMetric.MinutesToCompleteQueue, complete, answers.Count,
            !timed ? "answers from a file carry no times" : complete is null ? $"{answers.Count} of {key.Victims.Count} victims triaged" : $"all {key.Victims.Count} victims triaged"));
        metrics.Add(Allocation(definition, key, mine, actions, compatibility));
        var tasks = definition.CriticalTasks.Select(t =>
        {
            var done = mine.FirstOrDefault(a => a.Kind == t.Action && (t.WithinMinutes is not { } w || a.Minutes <= w));
            return new TaskResult(t, done is not null, done?.Minutes);
        }).ToList();
        metrics.Add(new MetricScore(ExerciseMetric.CriticalTasksMet, tasks.Count == 0 ? null : (double)tasks.Count(t => t.Met) / tasks.Count, tasks.Count,
            $"{tasks.Count(t => t.Met)} of {tasks.Count} critical tasks performed"));

        var ratings = definition.Targets.Select(t => Rate(t, metrics.Single(m => m.Metric == t.Metric))).ToList();
        var overall = ratings.Count == 0 ? 0 : (double)ratings.Count(r => r.Met) / ratings.Count;
        var worst = ratings.Count == 0 ? "U" : ratings.Select(r => r.Rating).OrderBy(r => "PSMU".IndexOf(r, StringComparison.Ordinal)).Last();
        return new ExerciseScore(trainee, key.Victims.Count, answers.Count, metrics, ratings, colourMatrix, rcMatrix, doses, tasks, overall, worst);
    }

    /// <summary>Rates a target against its threshold (see <see cref="TargetRating"/>).</summary>
    public static TargetRating Rate(CapabilityTarget target, MetricScore metric)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.Value is not { } v)
        {
            return new TargetRating(target, null, false, "U", $"{target.Text}: not observed ({metric.Detail}); target {target.ThresholdText}");
        }

        var met = target.Direction == TargetDirection.AtLeast ? v >= target.Threshold - 1e-12 : v <= target.Threshold + 1e-12;
        var miss = Math.Abs(v - target.Threshold) / Math.Max(Math.Abs(target.Threshold), 1e-9);
        var rating = met ? "P" : miss <= SomeChallengesShare ? "S" : "M";
        return new TargetRating(target, v, met, rating,
            $"{target.Text}: {ExerciseFormat.Value(target.Metric, v)} against a target of {target.ThresholdText} ({metric.Detail})");
    }

    private static (ConfusionMatrix, MetricScore) Colours(AnswerKey key, IEnumerable<TriageAnswer> answers)
    {
        var counts = ColourLabels.Select(_ => new int[ColourLabels.Count + 1]).ToArray();
        int n = 0, right = 0;
        foreach (var a in answers)
        {
            var truth = key.Find(a.Victim)!;
            var row = IndexOf(ColourLabels, truth.Colour);
            var col = a.Colour is null ? ColourLabels.Count : IndexOf(ColourLabels, a.Colour);
            counts[row][col]++;
            if (a.Colour is not null)
            {
                n++;
                right += row == col ? 1 : 0;
            }
        }

        return (new ConfusionMatrix([.. ColourLabels, "none"], [.. counts.Select(r => (IReadOnlyList<int>)r)]),
            new MetricScore(ExerciseMetric.TriageAccuracy, n == 0 ? null : (double)right / n, n, $"{right} of {n} colours equal the true dose's colour"));
    }

    private static (ConfusionMatrix, MetricScore) Rcs(AnswerKey key, IEnumerable<TriageAnswer> answers)
    {
        var counts = RcLabels.Select(_ => new int[RcLabels.Count + 1]).ToArray();
        int n = 0, right = 0;
        foreach (var a in answers)
        {
            var truth = key.Find(a.Victim)!;
            var col = a.Rc is { } rc ? rc - 1 : RcLabels.Count;
            counts[truth.Rc - 1][col]++;
            if (a.Rc is not null)
            {
                n++;
                right += a.Rc == truth.Rc ? 1 : 0;
            }
        }

        return (new ConfusionMatrix([.. RcLabels, "none"], [.. counts.Select(r => (IReadOnlyList<int>)r)]),
            new MetricScore(ExerciseMetric.RcAccuracy, n == 0 ? null : (double)right / n, n, $"{right} of {n} response categories equal the true RC"));
    }

    private static List<DoseScore> Doses(AnswerKey key, IEnumerable<TriageAnswer> answers, double sigma) =>
        [.. answers.Where(a => a.DoseGy is not null).Select(a =>
        {
            var truth = key.Find(a.Victim)!;
            var est = a.DoseGy!.Value;
            bool? covered = a.LowerGy is { } lo && a.UpperGy is { } hi ? truth.DoseGy >= lo && truth.DoseGy <= hi : null;
            return new DoseScore(truth.Victim, truth.DoseGy, est, (est - truth.DoseGy) / sigma, covered);
        }).OrderBy(d => d.Victim, StringComparer.Ordinal)];

    /// <summary>
    /// The trainees' last allocation, valued under the truth, over the reference allocation: the same
    /// allocator (<see cref="Allocator"/>) on the same requests and the same drill stock, each request
    /// weighted by the expected benefit of the victim's TRUE dose and RC (the policy the allocation used).
    /// Both valued as the allocator's objective: Σ benefit × compatibility over every vial given.
    /// </summary>
    private static MetricScore Allocation(ExerciseDefinition definition, AnswerKey key, List<ExerciseAction> mine, IReadOnlyList<ExerciseAction> all,
        ICompatibility compatibility)
    {
        var last = mine.LastOrDefault(a => a.Kind == ExerciseActions.Allocate);
        if (last is null)
        {
            return new MetricScore(ExerciseMetric.AllocationQuality, null, 0, "no allocation run in play");
        }

        var play = ExerciseJson.Read<AllocationPlay>(last.Payload);
        var policy = System.Text.Json.JsonSerializer.Deserialize<PriorityPolicy>(play.Policy, PriorityPolicyService.Json) ?? PriorityPolicy.Default;
        var weights = key.Victims.ToDictionary(v => v.Victim, v => TrueBenefit(policy, v), StringComparer.OrdinalIgnoreCase);
        var released = all.Where(a => a.Kind == ExerciseActions.InjectReleased && a.Id < last.Id).Select(a => ExerciseJson.Read<InjectNote>(a.Payload).Inject).ToHashSet();
        var stock = DrillStock.At(definition, key, released);
        var requests = play.Requests.Select(r => new AllocationRequest(r.Id, r.Victim, r.Product, r.Vials, Math.Max(weights.GetValueOrDefault(r.Victim), 1e-9), r.Hla,
            r.ImmuneCells, weights.GetValueOrDefault(r.Victim), "true dose and RC", r.WindowHours)).ToList();
        var reference = Allocator.Allocate(requests, stock, compatibility, key.TransportLimits, policy.RemoteCost);
        var referenceValue = reference.Outcomes.Sum(o => o.Allotments.Sum(a => a.VialIds.Count * a.Compatibility * weights.GetValueOrDefault(o.Request.PatientCode)));
        var value = play.Allotments.Sum(a => a.VialIds.Count * a.Compatibility * weights.GetValueOrDefault(a.Victim));
        var quality = referenceValue <= 1e-12 ? 1 : Math.Min(1, value / referenceValue);
        return new MetricScore(ExerciseMetric.AllocationQuality, quality, play.Requests.Count, string.Create(CultureInfo.InvariantCulture,
            $"value under the truth {value:0.###} of the reference allocation's {referenceValue:0.###} ({requests.Count} requests, {stock.Count} drill vials)"));
    }

    /// <summary>The policy's expected benefit for a victim's true dose and RC (<see cref="PriorityPolicy.ExpectedBenefit"/>).</summary>
    public static double TrueBenefit(PriorityPolicy policy, VictimTruth truth)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(truth);
        var assessment = new PatientAssessment(0, 0, DateTimeOffset.UnixEpoch, 0, truth.Colour, truth.Rc, truth.DoseGy, truth.DoseGy, truth.DoseGy, [], [], [], []);
        return policy.ExpectedBenefit(assessment).Benefit;
    }

    private static int IndexOf(IReadOnlyList<string> labels, string value)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "not a label");
    }
}

/// <summary>The drill's simulated stock at a moment: the simulated bank less the vials lost at the stock-shortfall injects released by then.</summary>
public static class DrillStock
{
    public static IReadOnlyList<StockVial> At(ExerciseDefinition definition, AnswerKey key, IReadOnlySet<int> releasedInjects)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(releasedInjects);
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var inject in definition.Injects.Where(i => i.Kind == InjectKind.StockShortfall && releasedInjects.Contains(i.Number)).OrderBy(i => i.Number))
        {
            // The vials lost are the first of the product in vial order: deterministic, so a replay loses the same ones.
            foreach (var v in key.Bank.Where(v => v.ProductType == inject.Product && !lost.Contains(v.Id)).OrderBy(v => v.Id, StringComparer.Ordinal).Take(inject.Vials).ToList())
            {
                lost.Add(v.Id);
            }
        }

        return [.. key.Bank.Where(v => !lost.Contains(v.Id))];
    }
}
