using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Training.Exercises;

namespace RadRegen.Training.Tests.Exercises;

/// <summary>
/// Exercises end to end on the database (issue 15 items 2–5, 7 and the bad-input rules): a 50-victim
/// scenario, injects on a test clock, trainee play, scoring against the truth, replay, roles, and drill
/// data kept apart from real records.
/// </summary>
[Trait("Kind", "Integration")]
public class ExerciseServiceTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private static readonly Actor Trainer = new(1, "trainer.ito", new HashSet<Role> { Role.Trainer });

    private static Scenario Fifty => new(7, 50, IncidentKind.RadiologicalDispersalDevice, DrillDoseDistribution.Default);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_exercise_is_played_scored_against_the_truth_and_replays_to_the_same_score(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine, new TestClock(Now));
        var service = w.Get<ExerciseService>();
        var doctor = await w.UserAsync("dr.sato", Role.Physician);
        var coordinator = await w.UserAsync("coord.abe", Role.Coordinator);

        var exercise = await service.CreateAsync(Trainer, new NewExercise("EX-1", "Dirty bomb at the station", Fifty));
        Assert.Equal([1, 2, 3], exercise.Definition.Injects.Select(i => i.Number));
        var incident = await w.Care.GetIncidentAsync(Trainer, exercise.IncidentId);
        Assert.True(incident.Drill);
        Assert.StartsWith("DRILL", incident.Title, StringComparison.Ordinal);
        Assert.Equal(45, (await w.Care.ListPatientsAsync(Trainer, incident.Id)).Count); // 5 arrive with inject 1

        await service.AssignAsync(Trainer, exercise.Id, doctor.UserName);
        await service.AssignAsync(Trainer, exercise.Id, coordinator.UserName);
        var (_, key) = await service.AnswerKeyAsync(Trainer, exercise.Id);
        Assert.Equal(50, key.Victims.Count);

        // Bad input: an unreleased victim, a colour, another's drill.
        var early = key.Victims.First(v => v.Inject == 1);
        var notYet = await Assert.ThrowsAsync<DomainValidationException>(() => service.TriageAsync(doctor, exercise.Id, new TriageAnswer(early.Victim, "red", 3, 4)));
        Assert.Contains("has not arrived yet", notYet.Message, StringComparison.Ordinal);
        var colour = await Assert.ThrowsAsync<DomainValidationException>(() => service.TriageAsync(doctor, exercise.Id, new TriageAnswer(key.Victims[0].Victim, "blue", 3, 4)));
        Assert.Equal("colour", colour.Errors.Single().Field);

        // The doctor triages everyone present at minute 10 with the truth, the rest after the inject at 30 min.
        w.Clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var v in key.Victims.Where(v => v.Inject is null))
        {
            await service.TriageAsync(doctor, exercise.Id, new TriageAnswer(v.Victim, v.Colour, v.Rc, v.DoseGy, v.DoseGy * 0.8, v.DoseGy * 1.2));
        }

        w.Clock.Advance(TimeSpan.FromMinutes(21)); // 31 min: inject 1 (new victims) is due
        var later = await service.GetAsync(doctor, exercise.Id);
        Assert.Equal([1], later.ReleasedInjects);
        Assert.Equal(50, (await w.Care.ListPatientsAsync(Trainer, incident.Id)).Count);
        foreach (var v in key.Victims.Where(v => v.Inject is not null))
        {
            await service.TriageAsync(doctor, exercise.Id, new TriageAnswer(v.Victim, v.Colour, v.Rc, v.DoseGy));
        }

        w.Clock.Advance(TimeSpan.FromMinutes(30)); // 61 min: the lab results and the shortfall
        await service.AcknowledgeAsync(coordinator, exercise.Id, 3);
        var (allocation, run) = await service.AllocateAsync(coordinator, exercise.Id);
        Assert.True(run.Incident!.Drill);
        Assert.Equal(ExerciseActions.Allocate, allocation.Kind);

        var team = await service.ScoreAsync(Trainer, exercise.Id);
        Assert.Equal(1, team.Metric(ExerciseMetric.TriageAccuracy).Value);
        Assert.Equal(1, team.Metric(ExerciseMetric.RcAccuracy).Value);
        Assert.Equal(1, team.Metric(ExerciseMetric.DoseWithinTwoZ).Value);
        Assert.Equal(10, team.Metric(ExerciseMetric.MinutesToFirstTriage).Value!.Value, 6);
        Assert.Equal(31, team.Metric(ExerciseMetric.MinutesToCompleteQueue).Value!.Value, 6);
        Assert.NotNull(team.Metric(ExerciseMetric.AllocationQuality).Value);
        Assert.InRange(team.Metric(ExerciseMetric.AllocationQuality).Value!.Value, 0, 1);
        Assert.Equal(1, team.Metric(ExerciseMetric.CriticalTasksMet).Value);

        // A trainee reads their own score only.
        var mine = await service.ScoreAsync(doctor, exercise.Id);
        Assert.Equal("dr.sato", mine.Trainee);
        Assert.Null(mine.Metric(ExerciseMetric.AllocationQuality).Value); // the coordinator allocated
        var other = await Assert.ThrowsAsync<ForbiddenException>(() => service.ScoreAsync(doctor, exercise.Id, "coord.abe"));
        Assert.Contains("only their own score", other.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => service.AnswerKeyAsync(doctor, exercise.Id));

        // Replay: the seed gives the same truth, the recorded actions the same score.
        var replay = await service.ReplayAsync(Trainer, exercise.Id);
        Assert.True(replay.SameTruth);
        Assert.True(replay.SameScore);
        Assert.Equal(ExerciseJson.Write(team), ExerciseJson.Write(replay.Replayed));

        // Every action is journaled with its time.
        var actions = await service.ActionsAsync(Trainer, exercise.Id);
        Assert.Equal(3, actions.Count(a => a.Kind == ExerciseActions.InjectReleased));
        Assert.Equal(50, actions.Count(a => a.Kind == ExerciseActions.Triage));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Roles_after_action_report_and_improvement_plan(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine, new TestClock(Now));
        var service = w.Get<ExerciseService>();
        var doctor = await w.UserAsync("dr.sato", Role.Physician);
        var stranger = await w.UserAsync("dr.mori", Role.Physician);
        var exercise = await service.CreateAsync(Trainer, new NewExercise("EX-2", "Small", Fifty with { Victims = 12 }));
        await service.AssignAsync(Trainer, exercise.Id, doctor.UserName);

        // Another's drill: refused with the reason; the list shows only one's own.
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => service.GetAsync(stranger, exercise.Id));
        Assert.Contains("not a trainee of exercise EX-2", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await service.ListAsync(stranger));
        Assert.Single(await service.ListAsync(doctor));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.TriageAsync(stranger, exercise.Id, new TriageAnswer("V-00001", "green", 1, 0.2)));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.CreateAsync(doctor, new NewExercise("EX-3", "x", Fifty)));
        var notPlayer = await Assert.ThrowsAsync<DomainValidationException>(() => service.AssignAsync(Trainer, exercise.Id, "nobody"));
        Assert.Contains("no account nobody", notPlayer.Message, StringComparison.Ordinal);

        // Answers for victims not in the exercise: refused, naming them.
        var unknown = await Assert.ThrowsAsync<DomainValidationException>(() => service.ScoreAnswersAsync(Trainer, exercise.Id,
            [new TriageAnswer("V-00001", "green", 1, 0.3), new TriageAnswer("V-99999", "red", 4, 8), new TriageAnswer("X-1", null, 1, null)]));
        Assert.Contains("not in exercise EX-2: V-99999, X-1", unknown.Message, StringComparison.Ordinal);

        // Nothing played: every target but none met; the plan is generated from the unmet targets, then edited.
        var plan = await service.GenerateImprovementPlanAsync(Trainer, exercise.Id);
        Assert.Equal(exercise.Definition.Targets.Count, plan.Count);
        Assert.All(plan, i => Assert.Equal(("open", "trainer.ito"), (i.Status, i.Owner)));
        Assert.Equal(plan.Count, (await service.GenerateImprovementPlanAsync(Trainer, exercise.Id)).Count); // not twice
        var item = plan[0];
        var edited = await service.UpdateImprovementAsync(Trainer, exercise.Id, item.Id, "Triage refresher for the night shift", "dr.sato",
            new DateOnly(2026, 12, 31), "in-progress", item.Version);
        Assert.Equal(2, edited.Version);
        await Assert.ThrowsAsync<ConflictException>(() => service.UpdateImprovementAsync(Trainer, exercise.Id, item.Id, "x", "y", new DateOnly(2026, 12, 31), "done", item.Version));
        var status = await Assert.ThrowsAsync<DomainValidationException>(() => service.UpdateImprovementAsync(Trainer, exercise.Id, item.Id, "x", "y", new DateOnly(2026, 12, 31), "closed", 2));
        Assert.Equal("status", status.Errors.Single().Field);

        var report = await service.ReportAsync(Trainer, exercise.Id);
        Assert.Equal(AfterActionReport.DrillBanner, report.Banner);
        Assert.Contains("EX-2", report.Title, StringComparison.Ordinal);
        Assert.Equal(["Exercise overview", "Objectives and core capabilities", "Capability targets", "Strengths", "Areas for improvement", "Metrics against the truth",
            "Triage colour: truth (rows) against answer (columns)", "METREPOL response category: truth (rows) against answer (columns)", "Critical tasks", "Improvement plan"],
            report.Sections.Select(s => s.Heading));
        var ip = Assert.IsType<Core.Reporting.ReportTable>(report.Sections[^1].Blocks.Single());
        Assert.Contains(ip.Rows, r => r[1] == "Triage refresher for the night shift" && r[4] == "in-progress");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Drill_patients_and_drill_stock_never_meet_real_ones(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine, new TestClock(Now));
        var physician = new Actor(2, "dr.kato", new HashSet<Role> { Role.Physician });
        var coordinator = new Actor(3, "coord", new HashSet<Role> { Role.Coordinator });
        var vials = await TherapySeed.ReleasedVialsAsync(w.Services, 2);
        var real = await w.Care.CreateIncidentAsync(coordinator, new NewIncident("INC-1", "Real", IncidentKind.LostOrOrphanSource, Now.AddDays(-2), "here", ["Cs-137"]));
        var drill = await w.Care.CreateIncidentAsync(coordinator, new NewIncident("DRL-1", "Drill", IncidentKind.LostOrOrphanSource, Now.AddDays(-2), "here", ["Cs-137"], Drill: true));
        var patient = new NewPatient("P-1", 40, Sex.Female, 60, Now.AddDays(-2), HlaTyping: TherapySeed.MatchingPatient);
        await w.Care.RegisterPatientAsync(physician, real.Id, patient);
        var drillPatient = await w.Care.RegisterPatientAsync(physician, drill.Id, patient);
        await w.Care.RegisterPatientAsync(physician, drill.Id, patient with { Code = "P-2" });

        // A drill patient offered real stock: refused with the reason.
        var therapy = w.Get<TherapyService>();
        var request = await therapy.RequestAsync(physician, drillPatient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        var matches = await Assert.ThrowsAsync<RuleViolationException>(() => therapy.MatchesAsync(physician, request.Id));
        Assert.Contains("P-1 is a drill patient (incident DRL-1): the bank's real stock is never offered to or reserved for a drill patient", matches.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => therapy.ReserveAsync(physician, request.Id, [vials[0].Id]));
        await Assert.ThrowsAsync<RuleViolationException>(() => therapy.ReserveBestAsync(physician, request.Id));

        // A drill allocated from the real bank, or a real incident from drill stock: refused.
        var mc = w.Get<MassCasualtyService>();
        var realStock = w.Get<IProductInventory>();
        var allocate = await Assert.ThrowsAsync<RuleViolationException>(() => mc.AllocateAsync(coordinator, drill.Id, realStock, HlaCompatibility.Default));
        Assert.Contains("is a drill: its simulated patients are never allocated real stock", allocate.Message, StringComparison.Ordinal);
        var drillStock = new ListInventory([new StockVial("VIAL-1", "S9105", "L", null, "S", Now.AddDays(90))], Now, drill: true);
        var reverse = await Assert.ThrowsAsync<RuleViolationException>(() => mc.AllocateAsync(coordinator, real.Id, drillStock, HlaCompatibility.Default));
        Assert.Contains("is real: a drill's simulated stock is never allocated to real patients", reverse.Message, StringComparison.Ordinal);

        // Real counts exclude drill patients.
        Assert.Equal((1L, 2L), await w.Care.CountPatientsAsync(physician));
    }
}
