using RadRegen.Care.Allocation;
using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Training.Exercises;

namespace RadRegen.Training.Tests.Exercises;

/// <summary>Scoring against the truth, without a database (issue 15 item 4).</summary>
[Trait("Kind", "Unit")]
public class ExerciseScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private static readonly AnswerKey Key = new(
        [
            new("V-1", 0.5, "green", 1, null),
            new("V-2", 1.5, "yellow", 1, null),
            new("V-3", 3.0, "red", 2, null),
            new("V-4", 7.0, "red", 4, 1),
        ],
        "", [], new Dictionary<string, int>(), [], Start);

    private static readonly ExerciseDefinition Definition =
        ExerciseDefinition.Standard(new Scenario(1, 4, IncidentKind.RadiologicalDispersalDevice, DrillDoseDistribution.Default), []);

    private static ExerciseAction Triage(int id, double minutes, string user, TriageAnswer a) =>
        new(id, 1, Start.AddMinutes(minutes), minutes, user, ExerciseActions.Triage, a.Victim, ExerciseJson.Write(a));

    [Fact]
    public void Truth_rules_give_colour_by_the_projects_triage_rule_and_rc_by_the_named_bands()
    {
        Assert.Equal("green", AnswerKeyRules.ColourFor(0.99));
        Assert.Equal("yellow", AnswerKeyRules.ColourFor(2));
        Assert.Equal("red", AnswerKeyRules.ColourFor(2.01));
        Assert.Equal([1, 2, 3, 4, 4], new[] { 1.9, 2, 4.5, 6, 15 }.Select(AnswerKeyRules.RcFor));
    }

    [Fact]
    public void Perfect_answers_score_one_and_times_come_from_the_log()
    {
        var actions = Key.Victims.Select((v, i) => Triage(i + 1, 5 + (10 * i), "dr.a", new TriageAnswer(v.Victim, v.Colour, v.Rc, v.DoseGy, v.DoseGy - 0.1, v.DoseGy + 0.1))).ToList();
        var s = ExerciseScorer.Score(Definition, Key, actions, null, HlaCompatibility.Default);
        Assert.Equal(1, s.Metric(ExerciseMetric.TriageAccuracy).Value);
        Assert.Equal(1, s.Metric(ExerciseMetric.RcAccuracy).Value);
        Assert.Equal(1, s.Metric(ExerciseMetric.DoseWithinTwoZ).Value);
        Assert.Equal(1, s.Metric(ExerciseMetric.IntervalCoverage).Value);
        Assert.Equal(5, s.Metric(ExerciseMetric.MinutesToFirstTriage).Value);
        Assert.Equal(35, s.Metric(ExerciseMetric.MinutesToCompleteQueue).Value);
        Assert.Null(s.Metric(ExerciseMetric.AllocationQuality).Value); // no allocation played
        Assert.Equal("U", s.Targets.Single(t => t.Target.Metric == ExerciseMetric.AllocationQuality).Rating);
        Assert.Equal("P", s.Targets.Single(t => t.Target.Metric == ExerciseMetric.TriageAccuracy).Rating);
        Assert.Equal(4, s.Colours.Counts.Sum(r => r.Sum()));
        Assert.Equal([1, 0, 0, 0], s.Colours.Counts[0]);
    }

    [Fact]
    public void Wrong_answers_fill_the_confusion_matrices_and_the_z_scores()
    {
        List<ExerciseAction> actions =
        [
            Triage(1, 20, "dr.a", new("V-1", "green", 1, 0.5)),
            Triage(2, 21, "dr.a", new("V-2", "green", 1, 0.5)), // under-triaged yellow, dose 1 Gy low: z = -2
            Triage(3, 22, "dr.a", new("V-3", "yellow", 3, 1.0)), // z = -4
            Triage(4, 23, "dr.b", new("V-4", "red", 4, 7.0)),
            Triage(5, 24, "dr.a", new("V-1", "yellow", null, null)), // the later answer counts
        ];
        var s = ExerciseScorer.Score(Definition, Key, actions, "dr.a", HlaCompatibility.Default);
        Assert.Equal(3, s.Answered); // dr.b's answer is not dr.a's
        Assert.Equal(0, s.Metric(ExerciseMetric.TriageAccuracy).Value);
        Assert.Equal(1, s.Colours.Counts[0][1]); // true green answered yellow
        Assert.Equal(1, s.Colours.Counts[1][0]); // true yellow answered green
        Assert.Equal(1, s.Colours.Counts[2][1]); // true red answered yellow
        Assert.Equal(1, s.ResponseCategories.Counts[0][4]); // V-1: no RC given in the last answer
        Assert.Equal(0.5, s.Metric(ExerciseMetric.RcAccuracy).Value);
        Assert.Equal([-2.0, -4.0], s.Doses.Select(d => Math.Round(d.Z, 9)));
        Assert.Equal(0.5, s.Metric(ExerciseMetric.DoseWithinTwoZ).Value);
        Assert.Null(s.Metric(ExerciseMetric.IntervalCoverage).Value);
        Assert.Equal(20, s.Metric(ExerciseMetric.MinutesToFirstTriage).Value);
        Assert.Null(s.Metric(ExerciseMetric.MinutesToCompleteQueue).Value);
        Assert.Equal("M", s.Targets.Single(t => t.Target.Code == "T1").Rating);
        Assert.Equal("M", s.OverallRating == "U" ? "M" : s.OverallRating);
        Assert.True(s.Overall < 1);
    }

    [Fact]
    public void A_target_missed_narrowly_is_S_and_far_is_M()
    {
        var target = new CapabilityTarget("T", "C", "t", ExerciseMetric.TriageAccuracy, TargetDirection.AtLeast, 0.9);
        Assert.Equal("P", ExerciseScorer.Rate(target, new MetricScore(ExerciseMetric.TriageAccuracy, 0.9, 10, "")).Rating);
        Assert.Equal("S", ExerciseScorer.Rate(target, new MetricScore(ExerciseMetric.TriageAccuracy, 0.85, 10, "")).Rating);
        Assert.Equal("M", ExerciseScorer.Rate(target, new MetricScore(ExerciseMetric.TriageAccuracy, 0.5, 10, "")).Rating);
        var time = new CapabilityTarget("T", "C", "t", ExerciseMetric.MinutesToFirstTriage, TargetDirection.AtMost, 15);
        Assert.Equal("P", ExerciseScorer.Rate(time, new MetricScore(ExerciseMetric.MinutesToFirstTriage, 14, 1, "")).Rating);
        Assert.Equal("S", ExerciseScorer.Rate(time, new MetricScore(ExerciseMetric.MinutesToFirstTriage, 16, 1, "")).Rating);
        Assert.Equal("U", ExerciseScorer.Rate(time, new MetricScore(ExerciseMetric.MinutesToFirstTriage, null, 0, "")).Rating);
    }

    [Fact]
    public void Answers_csv_reads_through_the_one_reader_and_names_bad_cells()
    {
        var read = AnswersCsv.Read(new StringReader("victim,colour,rc,dose,lower,upper\nV-1,green,1,0.5,0.2,0.8\nV-2,,RC2,,,\n"), "a.csv");
        Assert.Equal(new TriageAnswer("V-1", "green", 1, 0.5, 0.2, 0.8), read[0]);
        Assert.Equal(new TriageAnswer("V-2", null, 2, null, null, null), read[1]);
        var bad = Assert.Throws<DomainValidationException>(() => AnswersCsv.Read(new StringReader("victim,colour,rc,dose\nV-1,blue,7,-1\n"), "a.csv"));
        Assert.Contains(bad.Errors, e => e.Field == "a.csv row 2, column colour");
        Assert.Contains(bad.Errors, e => e.Field.EndsWith("column rc", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Field.EndsWith("column dose", StringComparison.Ordinal));
        var header = Assert.Throws<DomainValidationException>(() => AnswersCsv.Read(new StringReader("victim,colour\nV-1,green\n"), "a.csv"));
        Assert.Contains("rc, dose", header.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stock_shortfall_removes_the_first_vials_of_the_product_once_released()
    {
        var key = Key with
        {
            Bank =
            [
                new StockVial("VIAL-2", "P", "L", null, "S", Start.AddDays(90)),
                new StockVial("VIAL-1", "P", "L", null, "S", Start.AddDays(90)),
                new StockVial("VIAL-3", "K", "L", null, "S", Start.AddDays(90)),
            ],
        };
        var definition = Definition with { Injects = [new Inject(1, 60, InjectKind.StockShortfall, "lost", Product: "P", Vials: 1)] };
        Assert.Equal(3, DrillStock.At(definition, key, new HashSet<int>()).Count);
        Assert.Equal(["VIAL-2", "VIAL-3"], DrillStock.At(definition, key, new HashSet<int> { 1 }).Select(v => v.Id));
    }
}
