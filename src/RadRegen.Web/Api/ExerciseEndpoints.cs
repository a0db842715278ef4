using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Csv;
using RadRegen.Core.Reporting;
using RadRegen.Training.Exercises;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// HSEEP exercises on simulated incidents (<c>/api/v1/training/exercises</c>; issue 15 items 2–5 and 7,
/// ADR 0035). Every response carries <c>drill: true</c>; the role checks (a trainee reads only the
/// exercises assigned to them and their own score) live in <see cref="ExerciseService"/>.
/// </summary>
public static class ExerciseEndpoints
{
    public sealed record CreateInput(string? Code, string? Title, int? Victims, int? Seed, string? Kind, double? MedianDoseGy, double? GeometricSdLog, int? Vials);

    public sealed record TraineeInput(string? UserName);

    public sealed record TriageInput(string? Victim, string? Colour, int? Rc, double? DoseGy, double? LowerGy, double? UpperGy);

    public sealed record ImprovementInput(string? Action, string? Owner, DateOnly? Due, string? Status, int? Version);

    public static IEndpointRouteBuilder MapExerciseApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/training/exercises").RequireAuthorization().WithTags("training: exercises");
        g.MapGet("", List).WithName("ListExercises").Demands(Operation.TrainingExerciseRead).WithSummary("Exercises: all for the trainer and the auditor, the assigned ones for a trainee.");
        g.MapPost("", Create).WithName("CreateExercise").Demands(Operation.TrainingExerciseManage)
            .WithSummary("Creates an exercise on a simulated incident (code, title, victims, seed, kind, optional medianDoseGy, geometricSdLog, vials) with the standard HSEEP targets and injects; 400 names each bad field.");
        g.MapGet("/{id:long}", Get).WithName("GetExercise").Demands(Operation.TrainingExerciseRead).WithSummary("One exercise (releases the injects its clock has passed); another's drill is 403 with the reason.");
        g.MapGet("/{id:long}/victims", Victims).WithName("ListExerciseVictims").Demands(Operation.TrainingExerciseRead).WithSummary("The victims (released or to come) and their drill patients; no truth.");
        g.MapGet("/{id:long}/actions", Actions).WithName("ListExerciseActions").Demands(Operation.TrainingExerciseRead).WithSummary("The action log with times (a trainee: their own actions and the released injects).");
        g.MapPost("/{id:long}/trainees", Assign).WithName("AssignExerciseTrainee").Demands(Operation.TrainingExerciseManage).WithSummary("Assigns a staff account (physician, coordinator or cpc-technician) as a trainee.");
        g.MapPost("/{id:long}/triage", Triage).WithName("TriageExerciseVictim").Demands(Operation.TrainingExercisePlay)
            .WithSummary("A trainee's triage of a released victim: colour, rc, doseGy, optional lowerGy/upperGy; recorded with its time.");
        g.MapPost("/{id:long}/injects/{inject}/acknowledge", Acknowledge).WithName("AcknowledgeExerciseInject").Demands(Operation.TrainingExercisePlay).WithSummary("Acknowledges a released inject.");
        g.MapPost("/{id:long}/allocate", Allocate).WithName("AllocateExercise").Demands(Operation.TrainingExercisePlay)
            .WithSummary("Runs the allocation on the drill incident over the drill's simulated stock (never the real bank) and records it.");
        g.MapGet("/{id:long}/answer-key", AnswerKey).WithName("GetExerciseAnswerKey").Demands(Operation.TrainingExerciseAnswerKey).WithSummary("The truth per victim (trainer): dose, colour, RC.");
        g.MapGet("/{id:long}/score", Score).WithName("GetExerciseScore").Demands(Operation.TrainingExerciseRead)
            .WithSummary("The score against the truth: the team's (trainer; ?trainee= for one) or the trainee's own; another trainee's is 403.");
        g.MapPost("/{id:long}/score", ScoreAnswers).WithName("ScoreExerciseAnswers").Demands(Operation.TrainingExerciseAnswerKey).Accepts<string>("text/csv")
            .WithSummary("Scores an answers CSV (victim,colour,rc,dose; optional lower,upper); victims not in the exercise are a 400 naming them.");
        g.MapGet("/{id:long}/replay", Replay).WithName("ReplayExercise").Demands(Operation.TrainingExerciseAnswerKey)
            .WithSummary("Re-simulates the scenario from its seed and re-scores the recorded actions: the same truth and the same score.");
        g.MapGet("/{id:long}/improvement-plan", Plan).WithName("GetExerciseImprovementPlan").Demands(Operation.TrainingExerciseRead).WithSummary("The improvement plan (action, owner, due, status).");
        g.MapPost("/{id:long}/improvement-plan", GeneratePlan).WithName("GenerateExerciseImprovementPlan").Demands(Operation.TrainingExerciseManage)
            .WithSummary("Generates an item for every capability target not met that has none yet.");
        g.MapPut("/{id:long}/improvement-plan/{item}", UpdateItem).WithName("UpdateExerciseImprovementItem").Demands(Operation.TrainingExerciseManage)
            .WithSummary("Edits an item: action, owner, due, status (open, in-progress, done, dropped), version (409 when changed meanwhile).");
        g.MapGet("/{id:long}/report.pdf", Report).WithName("GetExerciseReport").Demands(Operation.TrainingExerciseRead)
            .WithSummary("The after-action report and improvement plan as PDF (the report renderer; DRILL banner).");
        return app;
    }

    public static object ExerciseResponse(Exercise e, DateTimeOffset now) => new
    {
        id = e.Id,
        code = e.Code,
        title = e.Title,
        drill = true,
        incidentId = e.IncidentId,
        incidentUrl = $"/care/incidents/{e.IncidentId}",
        level = e.Definition.Level.ToString(),
        scenario = new { e.Definition.Scenario.Seed, e.Definition.Scenario.Victims, kind = e.Definition.Scenario.Kind.Name(), dose = e.Definition.Scenario.Dose },
        startedAt = e.StartedAt,
        clockMinutes = Math.Round(e.MinutesAt(now), 2),
        createdBy = e.CreatedBy,
        trainees = e.Participants,
        objectives = e.Definition.Objectives,
        targets = e.Definition.Targets.Select(t => new { t.Code, t.CoreCapability, t.Text, metric = ExerciseFormat.Name(t.Metric), direction = t.Direction.ToString(), t.Threshold, thresholdText = t.ThresholdText }),
        criticalTasks = e.Definition.CriticalTasks,
        injects = e.Definition.Injects.Select(i => new { i.Number, i.AtMinutes, kind = i.Kind.ToString(), i.Text, i.Victims, i.Product, i.Vials, released = e.ReleasedInjects.Contains(i.Number) }),
        sigmaGy = e.Definition.SigmaGy,
    };

    private static async Task<Ok<object>> List(HttpContext http, ExerciseService service, IClock clock, CancellationToken ct) =>
        TypedResults.Ok<object>((await service.ListAsync(http.Actor(), ct)).Select(e => ExerciseResponse(e, clock.UtcNow)));

    private static async Task<Created<object>> Create(CreateInput input, HttpContext http, ExerciseService service, IClock clock, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (input.Victims is null)
        {
            errors.Add(new("victims", "is required"));
        }

        if (input.Seed is null)
        {
            errors.Add(new("seed", "is required"));
        }

        var kind = IncidentKind.RadiologicalDispersalDevice;
        if (input.Kind is { Length: > 0 } k)
        {
            try
            {
                kind = IncidentKinds.Parse(k, "kind");
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var dose = new DrillDoseDistribution(input.MedianDoseGy ?? DrillDoseDistribution.Default.MedianGy, input.GeometricSdLog ?? DrillDoseDistribution.Default.GeometricSdLog,
            DrillDoseDistribution.Default.CapGy);
        var e = await service.CreateAsync(http.Actor(), new NewExercise(input.Code ?? "", input.Title ?? "", new Scenario(input.Seed!.Value, input.Victims!.Value, kind, dose, Vials: input.Vials)), ct);
        return TypedResults.Created($"/api/v1/training/exercises/{e.Id}", ExerciseResponse(e, clock.UtcNow));
    }

    private static async Task<Ok<object>> Get(long id, HttpContext http, ExerciseService service, IClock clock, CancellationToken ct) =>
        TypedResults.Ok(ExerciseResponse(await service.GetAsync(http.Actor(), id, ct), clock.UtcNow));

    private static async Task<Ok<object>> Victims(long id, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Ok<object>(new { drill = true, victims = await service.VictimsAsync(http.Actor(), id, ct) });

    private static async Task<Ok<object>> Actions(long id, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Ok<object>(new { drill = true, actions = await service.ActionsAsync(http.Actor(), id, ct) });

    private static async Task<Ok<object>> Assign(long id, TraineeInput input, HttpContext http, ExerciseService service, IClock clock, CancellationToken ct) =>
        TypedResults.Ok(ExerciseResponse(await service.AssignAsync(http.Actor(), id, input.UserName ?? "", ct), clock.UtcNow));

    private static async Task<Created<ExerciseAction>> Triage(long id, TriageInput input, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var a = await service.TriageAsync(http.Actor(), id, new TriageAnswer(input.Victim ?? "", input.Colour, input.Rc, input.DoseGy, input.LowerGy, input.UpperGy), ct);
        return TypedResults.Created($"/api/v1/training/exercises/{id}/actions", a);
    }

    private static async Task<Created<ExerciseAction>> Acknowledge(long id, string inject, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Created($"/api/v1/training/exercises/{id}/actions", await service.AcknowledgeAsync(http.Actor(), id, Number(inject, "inject"), ct));

    /// <summary>A route number, parsed here (not by a route constraint) so a bad one is a 400 naming it, after the role check.</summary>
    private static int Number(string text, string field) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new DomainValidationException(field, "a whole number");

    private static async Task<Ok<object>> Allocate(long id, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var (action, run) = await service.AllocateAsync(http.Actor(), id, ct);
        return TypedResults.Ok<object>(new
        {
            drill = true,
            action,
            requests = run.Requests.Count,
            vialsRequested = run.Result.VialsRequested,
            vialsAllocated = run.Result.VialsAllocated,
            vialsInStock = run.VialsInStock,
            allotments = run.Result.Outcomes.Where(o => o.Allocated > 0).Select(o => new { victim = o.Request.PatientCode, product = o.Request.ProductType, vials = o.Allotments.SelectMany(a => a.VialIds) }),
        });
    }

    private static async Task<Ok<object>> AnswerKey(long id, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var (e, key) = await service.AnswerKeyAsync(http.Actor(), id, ct);
        return TypedResults.Ok<object>(new
        {
            drill = true,
            exercise = e.Code,
            rcBoundsGy = AnswerKeyRules.RcBoundsGy,
            victims = key.Victims.Select(v => new { victim = v.Victim, doseGy = Math.Round(v.DoseGy, 4), colour = v.Colour, rc = v.Rc, inject = v.Inject }),
        });
    }

    private static async Task<Ok<object>> Score(long id, string? trainee, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Ok(ExerciseScoreJson.Of(await service.ScoreAsync(http.Actor(), id, trainee, ct)));

    private static async Task<Ok<object>> ScoreAnswers(long id, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        using var reader = await CsvReading.DecodeAsync(http.Request.Body, "answers", ct);
        var answers = AnswersCsv.Read(reader, "answers");
        return TypedResults.Ok(ExerciseScoreJson.Of(await service.ScoreAnswersAsync(http.Actor(), id, answers, ct)));
    }

    private static async Task<Ok<object>> Replay(long id, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var r = await service.ReplayAsync(http.Actor(), id, ct);
        return TypedResults.Ok<object>(new { drill = true, sameTruth = r.SameTruth, sameScore = r.SameScore, recorded = ExerciseScoreJson.Of(r.Recorded), replayed = ExerciseScoreJson.Of(r.Replayed) });
    }

    private static async Task<Ok<IReadOnlyList<ImprovementItem>>> Plan(long id, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ImprovementPlanAsync(http.Actor(), id, ct));

    private static async Task<Ok<IReadOnlyList<ImprovementItem>>> GeneratePlan(long id, HttpContext http, ExerciseService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GenerateImprovementPlanAsync(http.Actor(), id, ct));

    private static async Task<Ok<ImprovementItem>> UpdateItem(long id, string item, ImprovementInput input, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (input.Due is null)
        {
            errors.Add(new("due", "is required (yyyy-MM-dd)"));
        }

        if (input.Version is null)
        {
            errors.Add(new("version", "is required"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return TypedResults.Ok(await service.UpdateImprovementAsync(http.Actor(), id, Number(item, "item"), input.Action ?? "", input.Owner ?? "", input.Due!.Value, input.Status ?? "", input.Version!.Value, ct));
    }

    private static async Task<IResult> Report(long id, HttpContext http, ExerciseService service, CancellationToken ct)
    {
        var document = await service.ReportAsync(http.Actor(), id, ct);
        var renderer = http.RequestServices.GetService<IReportRenderer>();
        if (renderer is null)
        {
            return TypedResults.Problem("no PDF renderer is installed in this build (IReportRenderer); the report's content is on /training/exercises/" + id + "/score",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.File(renderer.Render(document), renderer.ContentType, $"aar-{id}.pdf");
    }
}
