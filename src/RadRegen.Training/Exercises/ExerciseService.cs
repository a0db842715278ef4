using System.Globalization;
using System.Text.RegularExpressions;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Csv;
using RadRegen.Core.Journal;

namespace RadRegen.Training.Exercises;

/// <summary>An exercise as its readers see it (the answer key is read apart, by the trainer).</summary>
public sealed record Exercise(long Id, string Code, string Title, long IncidentId, ExerciseDefinition Definition, DateTimeOffset StartedAt, string CreatedBy,
    DateTimeOffset CreatedAt, IReadOnlyList<string> Participants, IReadOnlyList<int> ReleasedInjects)
{
    /// <summary>Minutes on the exercise clock at <paramref name="now"/>.</summary>
    public double MinutesAt(DateTimeOffset now) => Math.Max(0, (now - StartedAt).TotalMinutes);
}

/// <summary>What a new exercise is: its code, title and scenario, and optionally its own HSEEP definition (else <see cref="ExerciseDefinition.Standard"/>).</summary>
public sealed record NewExercise(string Code, string Title, Scenario Scenario, ExerciseDefinition? Definition = null);

/// <summary>A victim as trainees see it: the drill patient and the inject that brought them (no truth).</summary>
public sealed record PlayVictim(string Victim, long? PatientId, int? Inject, bool Released);

/// <summary>Scoring the recorded actions again: the scenario re-simulated from its seed and the score recomputed.</summary>
public sealed record ReplayResult(bool SameTruth, ExerciseScore Recorded, ExerciseScore Replayed, bool SameScore);

/// <summary>
/// HSEEP exercises on simulated incidents (issue 15 items 2–5 and 7, ADR 0035). An exercise owns one
/// drill incident of Care, filled by the drill simulator through the victims import — the same
/// engines staff use for real — and an action log; injects are released when the exercise clock
/// (<see cref="IClock"/>) passes them; scores compare the trainees' answers with the simulated truth.
/// </summary>
public sealed partial class ExerciseService(IUnitOfWorkFactory units, IClock clock, CareService care, MassCasualtyService massCasualty,
    PriorityPolicyService policies, ICompatibility compatibility, ScenarioReference? reference = null)
{
    /// <summary>Most victims an exercise simulates (a drill of a large incident uses <c>radregen drill</c>).</summary>
    public const int MaxVictims = 5000;

    /// <summary>Improvement-plan items are due this many days after they are generated unless the trainer changes it (a default, not a rule).</summary>
    public const int DefaultDueDays = 30;

    public static readonly IReadOnlyList<string> ImprovementStatuses = ["open", "in-progress", "done", "dropped"];

    private readonly Lazy<ScenarioReference> _reference = new(() => reference ?? ScenarioReference.Load());

    public async Task<Exercise> CreateAsync(Actor actor, NewExercise input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.TrainingExerciseManage);
        var definition = input.Definition ?? (input.Scenario is null ? null : ExerciseDefinition.Standard(input.Scenario));
        var errors = Validate(input, definition);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var code = input.Code.Trim();
        await using (var check = await units.BeginAsync(WorkMode.Read, ct))
        {
            if (await check.Store<IExerciseStore>().GetByCodeAsync(code, ct) is not null)
            {
                throw new ConflictException($"an exercise with code {code} already exists");
            }
        }

        // The incident lies far enough back that every simulated count (the last on day 10) is in the past.
        var now = clock.UtcNow;
        var start = now.AddHours(-(Care.Drill.DrillSimulator.LastObservationHours + 24));
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        var key = AnswerKeyFor(definition!, start);
        var control = Control(actor);
        var incident = await care.CreateIncidentAsync(control, new NewIncident("EX-" + code, $"DRILL — exercise {code}: {input.Title.Trim()}", definition!.Scenario.Kind, start,
            "simulated (exercise)", ["Co-60"], Drill: true), ct);
        var initial = key.Victims.Where(v => v.Inject is null).Select(v => v.Victim).ToHashSet(StringComparer.Ordinal);
        long id;
        try
        {
            await ImportAsync(control, incident.Id, key, initial, definition.Injects.Any(i => i.Kind == InjectKind.LabResults), ct);
            id = await InsertExerciseAsync(actor, code, input.Title.Trim(), incident, definition, key, now, ct);
        }
        catch (Exception failure)
        {
            // Issue 15 ("nothing is half-written"): the drill incident was opened in its own transaction and the victims
            // import stages and publishes in its own (ADR 0028/0033), all or nothing; when the import or the exercise's
            // record fails, the never-used incident is discarded (journaled) so a failed creation leaves nothing behind.
            // The import's own failure is what the caller hears; a discard that fails too (the database gone) leaves the
            // empty drill incident, as before, and is noted on the exception rather than hiding it.
            try
            {
                await care.DiscardUnusedDrillIncidentAsync(control, incident.Id, $"exercise {code} could not be created", CancellationToken.None);
            }
            catch (Exception discard) when (discard is not OutOfMemoryException)
            {
                failure.Data["discardFailed"] = discard.Message;
            }

            throw;
        }

        return await GetAsync(actor, id, ct);
    }

    /// <summary>The exercise's record, its start in the action log and its journal entry: one unit of work.</summary>
    private async Task<long> InsertExerciseAsync(Actor actor, string code, string title, Incident incident, ExerciseDefinition definition, AnswerKey key,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IExerciseStore>();
        var id = await store.InsertAsync(new ExerciseRow(0, code, title, incident.Id, ExerciseJson.Write(definition), ExerciseJson.Write(key), now,
            actor.UserName, now), ct);
        await store.AppendActionAsync(new ExerciseAction(0, id, now, 0, actor.UserName, ExerciseActions.Start, null, ExerciseJson.Write(new { incident = incident.Code })), ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("exercise", Id(id), "created", new
        {
            code,
            title,
            incident = incident.Code,
            level = definition.Level,
            scenario = new { definition.Scenario.Seed, definition.Scenario.Victims, kind = definition.Scenario.Kind.Name(), dose = definition.Scenario.Dose },
            injects = definition.Injects.Count,
            targets = definition.Targets.Select(t => new { t.Code, metric = ExerciseFormat.Name(t.Metric), t.ThresholdText }),
        }), ct);
        await uow.CommitAsync(ct);
        return id;
    }

    /// <summary>The exercises the actor may read: all for the trainer and the auditor, the assigned ones for a trainee.</summary>
    public async Task<IReadOnlyList<Exercise>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IExerciseStore>();
        var list = new List<Exercise>();
        foreach (var row in await store.ListAsync(ct))
        {
            var exercise = await LoadAsync(store, row, ct);
            if (SeesAll(actor) || exercise.Participants.Contains(actor.UserName, StringComparer.Ordinal))
            {
                list.Add(exercise);
            }
        }

        return list;
    }

    /// <summary>An exercise (by id), after releasing the injects its clock has passed; a trainee not assigned to it is refused with the reason.</summary>
    public async Task<Exercise> GetAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseRead);
        await ReleaseDueAsync(id, ct);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IExerciseStore>();
        var row = await store.GetAsync(id, ct) ?? throw new NotFoundException($"no exercise {id}");
        var exercise = await LoadAsync(store, row, ct);
        Access(actor, exercise);
        return exercise;
    }

    /// <summary>Finds an exercise by id (digits) or code.</summary>
    public async Task<Exercise> FindAsync(Actor actor, string idOrCode, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(idOrCode);
        actor.Demand(Operation.TrainingExerciseRead);
        long id;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = uow.Store<IExerciseStore>();
            var row = (long.TryParse(idOrCode, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? await store.GetAsync(n, ct) : null)
                ?? await store.GetByCodeAsync(idOrCode.Trim(), ct)
                ?? throw new NotFoundException($"no exercise {idOrCode}");
            id = row.Id;
        }

        return await GetAsync(actor, id, ct);
    }

    /// <summary>Assigns a staff account to the exercise as a trainee (one who may play: physician, coordinator or technician).</summary>
    public async Task<Exercise> AssignAsync(Actor actor, long id, string userName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseManage);
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new DomainValidationException("userName", "is required");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IExerciseStore>();
        var row = await store.GetAsync(id, ct) ?? throw new NotFoundException($"no exercise {id}");
        var account = await uow.Store<IUserStore>().FindByNameAsync(userName.Trim(), ct)
            ?? throw new DomainValidationException("userName", $"no account {userName.Trim()}");
        if (!Permissions.Allows(new Actor(account.Id, account.UserName, account.Roles), Operation.TrainingExercisePlay))
        {
            throw new DomainValidationException("userName", $"{account.UserName} has no role that plays an exercise (training.exercise.play needs physician, coordinator or cpc-technician)");
        }

        if ((await store.ListParticipantsAsync(id, ct)).Any(p => p.UserName == account.UserName))
        {
            throw new ConflictException($"{account.UserName} is already assigned to exercise {row.Code}");
        }

        await store.AddParticipantAsync(new ExerciseParticipant(id, account.UserName, actor.UserName, clock.UtcNow), ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("exercise", Id(id), "trainee-assigned", new { trainee = account.UserName }), ct);
        await uow.CommitAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    /// <summary>The victims the trainees see: released ones with their drill patient, and those still to come (no truth).</summary>
    public async Task<IReadOnlyList<PlayVictim>> VictimsAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var exercise = await GetAsync(actor, id, ct);
        var key = await KeyAsync(id, ct);
        Dictionary<string, long> patients;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            // The exercise's own drill incident only: a trainee never reads a real patient here.
            patients = (await uow.Store<ICareStore>().ListPatientsAsync(exercise.IncidentId, ct)).ToDictionary(p => p.Code, p => p.Id, StringComparer.Ordinal);
        }

        return [.. key.Victims.Select(v => new PlayVictim(v.Victim, patients.TryGetValue(v.Victim, out var pid) ? pid : null, v.Inject,
            v.Inject is null || exercise.ReleasedInjects.Contains(v.Inject.Value)))];
    }

    /// <summary>The action log (a trainee reads their own actions and the exercise's own entries).</summary>
    public async Task<IReadOnlyList<ExerciseAction>> ActionsAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var exercise = await GetAsync(actor, id, ct);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var all = await uow.Store<IExerciseStore>().ListActionsAsync(exercise.Id, ct);
        return SeesAll(actor) ? all : [.. all.Where(a => a.User == actor.UserName || !ExerciseActions.Trainee.Contains(a.Kind))];
    }

    /// <summary>Records a trainee's triage of a released victim (colour, RC, dose and interval), with the time on the exercise clock.</summary>
    public async Task<ExerciseAction> TriageAsync(Actor actor, long id, TriageAnswer answer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var exercise = await PlayerAsync(actor, id, ct);
        var key = await KeyAsync(id, ct);
        var clean = ValidateAnswer(answer, key, exercise, "");
        return await AppendAsync(actor, exercise, ExerciseActions.Triage, clean.Victim, clean, ct);
    }

    /// <summary>Acknowledges a released inject (a critical task of the standard exercise).</summary>
    public async Task<ExerciseAction> AcknowledgeAsync(Actor actor, long id, int inject, CancellationToken ct = default)
    {
        var exercise = await PlayerAsync(actor, id, ct);
        var found = exercise.Definition.Injects.FirstOrDefault(i => i.Number == inject) ?? throw new DomainValidationException("inject", $"exercise {exercise.Code} has no inject {inject}");
        if (!exercise.ReleasedInjects.Contains(inject))
        {
            throw new RuleViolationException($"inject {inject} of exercise {exercise.Code} is not released yet (at {found.AtMinutes:0.#} min; the clock is at {exercise.MinutesAt(clock.UtcNow):0.#} min)");
        }

        return await AppendAsync(actor, exercise, ExerciseActions.Acknowledge, inject.ToString(CultureInfo.InvariantCulture), new InjectNote(inject, found.Text), ct);
    }

    /// <summary>
    /// Runs the allocation on the drill incident over the drill's simulated stock (the bank less the
    /// released shortfalls) — the same engine as for real — and records its requests and allotments.
    /// </summary>
    public async Task<(ExerciseAction Action, AllocationRun Run)> AllocateAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var exercise = await PlayerAsync(actor, id, ct);
        var key = await KeyAsync(id, ct);
        var stock = DrillStock.At(exercise.Definition, key, exercise.ReleasedInjects.ToHashSet());
        var policy = (await policies.CurrentAsync(actor, ct)).Policy;
        var run = await massCasualty.AllocateAsync(actor, exercise.IncidentId, new ListInventory(stock, clock.UtcNow, drill: true), compatibility, key.TransportLimits, policy, null, ct);
        var play = new AllocationPlay(
            [.. run.Requests.Select(r => new PlayedRequest(r.Id, r.PatientCode, r.ProductType, r.Vials, r.HlaTyping, r.ContainsImmuneCells, r.WindowHours))],
            [.. run.Result.Outcomes.SelectMany(o => o.Allotments.Select(a => new PlayedAllotment(o.Request.PatientCode, o.Request.ProductType, a.VialIds, a.Compatibility)))],
            System.Text.Json.JsonSerializer.Serialize(policy, PriorityPolicyService.Json));
        var action = await AppendAsync(actor, exercise, ExerciseActions.Allocate, null, play, ct);
        return (action, run);
    }

    /// <summary>The truth per victim: the trainer's (and auditor's) only.</summary>
    public async Task<(Exercise Exercise, AnswerKey Key)> AnswerKeyAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseAnswerKey);
        var exercise = await GetAsync(actor, id, ct);
        return (exercise, await KeyAsync(id, ct));
    }

    /// <summary>
    /// The score: the team's (everyone's actions) for the trainer and the auditor; a trainee reads only
    /// their own — asking for another's, or for the team's, is refused with the reason.
    /// </summary>
    public async Task<ExerciseScore> ScoreAsync(Actor actor, long id, string? trainee = null, CancellationToken ct = default)
    {
        var exercise = await GetAsync(actor, id, ct);
        if (!actor.May(Operation.TrainingExerciseAnswerKey))
        {
            if (trainee is not null && !string.Equals(trainee, actor.UserName, StringComparison.Ordinal))
            {
                throw new ForbiddenException($"a trainee reads only their own score in exercise {exercise.Code}, not {trainee}'s (training.exercise.answer-key needs the role trainer)");
            }

            trainee = actor.UserName;
        }

        var key = await KeyAsync(id, ct);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var actions = await uow.Store<IExerciseStore>().ListActionsAsync(id, ct);
        return ExerciseScorer.Score(exercise.Definition, key, actions, trainee, compatibility);
    }

    /// <summary>Scores answers given as a file (victim, colour, rc, dose; no times): answers for victims not in the exercise are refused, naming them.</summary>
    public async Task<ExerciseScore> ScoreAnswersAsync(Actor actor, long id, IReadOnlyList<TriageAnswer> answers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var (exercise, key) = await AnswerKeyAsync(actor, id, ct);
        var unknown = answers.Where(a => key.Find(a.Victim) is null).Select(a => a.Victim).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainValidationException("victim", $"not in exercise {exercise.Code}: {string.Join(", ", unknown.Take(20))}{(unknown.Count > 20 ? $" and {unknown.Count - 20} more" : "")}");
        }

        var twice = answers.GroupBy(a => a.Victim, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new DomainValidationException("victim", $"answered more than once: {string.Join(", ", twice.Take(20))}");
        }

        var actions = answers.Select((a, i) => new ExerciseAction(i + 1, id, exercise.StartedAt, 0, "file", ExerciseActions.Triage, a.Victim, ExerciseJson.Write(a))).ToList();
        return ExerciseScorer.Score(exercise.Definition, key, actions, null, compatibility, timed: false);
    }

    /// <summary>
    /// Replays the exercise: re-simulates the scenario from its seed, checks the truth is the one stored,
    /// and scores the recorded actions against it — the same score as the recorded one (issue 15 item 5).
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var (exercise, key) = await AnswerKeyAsync(actor, id, ct);
        var again = AnswerKeyFor(exercise.Definition, key.ScenarioStart);
        var sameTruth = again.Victims.SequenceEqual(key.Victims) && again.Bank.SequenceEqual(key.Bank) && again.VictimsCsv == key.VictimsCsv;
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var actions = await uow.Store<IExerciseStore>().ListActionsAsync(id, ct);
        var recorded = ExerciseScorer.Score(exercise.Definition, key, actions, null, compatibility);
        var replayed = ExerciseScorer.Score(exercise.Definition, again, actions, null, compatibility);
        return new ReplayResult(sameTruth, recorded, replayed, ExerciseJson.Write(recorded) == ExerciseJson.Write(replayed));
    }

    /// <summary>The improvement plan (HSEEP IP) of an exercise.</summary>
    public async Task<IReadOnlyList<ImprovementItem>> ImprovementPlanAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var exercise = await GetAsync(actor, id, ct);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IExerciseStore>().ListImprovementsAsync(exercise.Id, ct);
    }

    /// <summary>
    /// Generates an improvement-plan item for every capability target the team did not meet (not rated
    /// P) that has none yet: the corrective action names the target, its value and threshold; owner the
    /// exercise's creator, due in <see cref="DefaultDueDays"/> days, status open — then editable.
    /// </summary>
    public async Task<IReadOnlyList<ImprovementItem>> GenerateImprovementPlanAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseManage);
        var score = await ScoreAsync(actor, id, null, ct);
        var exercise = await GetAsync(actor, id, ct);
        var now = clock.UtcNow;
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IExerciseStore>();
        var existing = (await store.ListImprovementsAsync(id, ct)).Select(i => i.TargetCode).ToHashSet(StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var rating in score.Targets.Where(r => !r.Met && !existing.Contains(r.Target.Code)))
        {
            var item = new ImprovementItem(0, id, rating.Target.Code, AfterActionReport.CorrectiveAction(rating), exercise.CreatedBy,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(DefaultDueDays), "open", actor.UserName, now, 1);
            await store.InsertImprovementAsync(item, ct);
            added.Add(rating.Target.Code);
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("exercise", Id(id), "improvement-plan-generated", new { targets = added }), ct);
        var list = await store.ListImprovementsAsync(id, ct);
        await uow.CommitAsync(ct);
        return list;
    }

    /// <summary>Edits an improvement-plan item (action, owner, due, status), if nobody changed it since <paramref name="expectedVersion"/>.</summary>
    public async Task<ImprovementItem> UpdateImprovementAsync(Actor actor, long id, long itemId, string action, string owner, DateOnly due, string status, int expectedVersion,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExerciseManage);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(action))
        {
            errors.Add(new("action", "is required"));
        }

        if (string.IsNullOrWhiteSpace(owner))
        {
            errors.Add(new("owner", "is required"));
        }

        if (!ImprovementStatuses.Contains(status ?? ""))
        {
            errors.Add(new("status", "one of " + string.Join(", ", ImprovementStatuses)));
        }

        new InputLimits(errors).Text("action", action, Limits.Title).Text("owner", owner, Limits.ShortName);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IExerciseStore>();
        var item = (await store.ListImprovementsAsync(id, ct)).FirstOrDefault(i => i.Id == itemId) ?? throw new NotFoundException($"no improvement item {itemId} in exercise {id}");
        var updated = item with { Action = action.Trim(), Owner = owner.Trim(), Due = due, Status = status!, UpdatedBy = actor.UserName, UpdatedAt = clock.UtcNow, Version = item.Version + 1 };
        if (!await store.UpdateImprovementAsync(updated, expectedVersion, ct))
        {
            throw new ConflictException($"improvement item {itemId} was changed by someone else; reload it");
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("exercise", Id(id), "improvement-item-updated",
            new { item = itemId, target = item.TargetCode, updated.Action, updated.Owner, due = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), updated.Status }), ct);
        await uow.CommitAsync(ct);
        return updated;
    }

    /// <summary>The after-action report and improvement plan as a report document (page and PDF draw the same).</summary>
    public async Task<Core.Reporting.ReportDocument> ReportAsync(Actor actor, long id, CancellationToken ct = default)
    {
        var exercise = await GetAsync(actor, id, ct);
        var score = await ScoreAsync(actor, id, null, ct);
        var plan = await ImprovementPlanAsync(actor, id, ct);
        return AfterActionReport.Build(exercise, score, plan, clock.UtcNow);
    }

    // ------------------------------------------------------------------------------------------

    private AnswerKey AnswerKeyFor(ExerciseDefinition definition, DateTimeOffset start)
    {
        var sim = _reference.Value.Simulate(definition.Scenario, start);
        // Victims brought by a new-victims inject: the last ones of the scenario, in inject order.
        var injectOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Stack<string>(sim.Victims.Select(v => v.Code));
        foreach (var inject in definition.Injects.Where(i => i.Kind == InjectKind.NewVictims).OrderBy(i => i.Number))
        {
            for (var k = 0; k < inject.Victims && queue.Count > 0; k++)
            {
                injectOf[queue.Pop()] = inject.Number;
            }
        }

        var lab = new List<LabResult>();
        foreach (var r in CsvReading.Records(new StringReader(sim.VictimsCsv), new CsvReadOptions("scenario")).Skip(1))
        {
            if (r.Fields[14].Length > 0)
            {
                lab.Add(new LabResult(r.Fields[0], DateTimeOffset.Parse(r.Fields[7], CultureInfo.InvariantCulture),
                    int.Parse(r.Fields[14], CultureInfo.InvariantCulture), int.Parse(r.Fields[15], CultureInfo.InvariantCulture)));
            }
        }

        return new AnswerKey(
            [.. sim.Victims.Select(v => new VictimTruth(v.Code, v.TrueDoseGy, AnswerKeyRules.ColourFor(v.TrueDoseGy), AnswerKeyRules.RcFor(v.TrueDoseGy),
                injectOf.TryGetValue(v.Code, out var n) ? n : null))],
            sim.VictimsCsv, sim.Bank, sim.TransportLimits, lab, start);
    }

    /// <summary>Imports the given victims' rows of the scenario into the drill incident (without the laboratory's counts when a lab-results inject brings them).</summary>
    private async Task ImportAsync(Actor control, long incidentId, AnswerKey key, IReadOnlySet<string> victims, bool withoutLab, CancellationToken ct)
    {
        if (victims.Count == 0)
        {
            return;
        }

        var text = CsvOutput.ToText(csv =>
        {
            var first = true;
            foreach (var r in CsvReading.Records(new StringReader(key.VictimsCsv), new CsvReadOptions("scenario")))
            {
                if (first)
                {
                    csv.Header(r.Fields);
                    first = false;
                    continue;
                }

                if (victims.Contains(r.Fields[0]))
                {
                    var fields = r.Fields.ToArray();
                    if (withoutLab)
                    {
                        fields[14] = "";
                        fields[15] = "";
                    }

                    csv.Values(fields).EndRow();
                }
            }
        });
        var parsed = await massCasualty.ParseAsync(control, incidentId, new StringReader(text), _reference.Value.Spec, "exercise scenario", ct);
        await massCasualty.ImportAsync(control, incidentId, parsed, ct);
    }

    /// <summary>Releases every inject the exercise clock has passed: each once, recorded in the action log at its time.</summary>
    private async Task ReleaseDueAsync(long id, CancellationToken ct)
    {
        ExerciseRow row;
        IReadOnlyList<ExerciseAction> actions;
        await using (var read = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = read.Store<IExerciseStore>();
            row = await store.GetAsync(id, ct) ?? throw new NotFoundException($"no exercise {id}");
            actions = await store.ListActionsAsync(id, ct);
        }

        var definition = ExerciseJson.Read<ExerciseDefinition>(row.Definition);
        var released = Released(actions);
        var minutes = Math.Max(0, (clock.UtcNow - row.StartedAt).TotalMinutes);
        var due = definition.Injects.Where(i => i.AtMinutes <= minutes && !released.Contains(i.Number)).OrderBy(i => i.AtMinutes).ThenBy(i => i.Number).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var key = ExerciseJson.Read<AnswerKey>(row.AnswerKey);
        var control = Actor.System("exercise-clock", Role.Coordinator);
        foreach (var inject in due)
        {
            if (inject.Kind == InjectKind.NewVictims)
            {
                try
                {
                    await ImportAsync(control, row.IncidentId, key, key.Victims.Where(v => v.Inject == inject.Number).Select(v => v.Victim).ToHashSet(StringComparer.Ordinal),
                        definition.Injects.Any(i => i.Kind == InjectKind.LabResults), ct);
                }
                catch (ConflictException)
                {
                    continue; // released a moment ago by another request
                }
            }

            await using var uow = await units.BeginAsync(WorkMode.Write, ct);
            var store = uow.Store<IExerciseStore>();
            if (Released(await store.ListActionsAsync(id, ct)).Contains(inject.Number))
            {
                continue;
            }

            var text = inject.Kind == InjectKind.LabResults ? inject.Text + " " + LabText(key) : inject.Text;
            await store.AppendActionAsync(new ExerciseAction(0, id, row.StartedAt.AddMinutes(inject.AtMinutes), inject.AtMinutes, control.UserName, ExerciseActions.InjectReleased,
                inject.Number.ToString(CultureInfo.InvariantCulture), ExerciseJson.Write(new InjectNote(inject.Number, text))), ct);
            await uow.Journal.AppendAsync(control.UserName, new JournalRecord("exercise", Id(id), "inject-released",
                new { inject = inject.Number, kind = inject.Kind, atMinutes = inject.AtMinutes, inject.Text }), ct);
            await uow.CommitAsync(ct);
        }
    }

    private static string LabText(AnswerKey key) => key.LabResults.Count == 0
        ? "No sample was scored."
        : string.Join("; ", key.LabResults.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Victim}: {l.Dicentrics} dicentrics in {l.Cells} cells (sampled {l.SampledAt:yyyy-MM-dd HH:mm} UTC)")));

    private static HashSet<int> Released(IReadOnlyList<ExerciseAction> actions) =>
        [.. actions.Where(a => a.Kind == ExerciseActions.InjectReleased).Select(a => int.Parse(a.Subject!, CultureInfo.InvariantCulture))];

    private async Task<AnswerKey> KeyAsync(long id, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var row = await uow.Store<IExerciseStore>().GetAsync(id, ct) ?? throw new NotFoundException($"no exercise {id}");
        return ExerciseJson.Read<AnswerKey>(row.AnswerKey);
    }

    private async Task<Exercise> PlayerAsync(Actor actor, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingExercisePlay);
        var exercise = await GetAsync(actor, id, ct);
        if (!exercise.Participants.Contains(actor.UserName, StringComparer.Ordinal))
        {
            throw new ForbiddenException($"{actor.UserName} is not a trainee of exercise {exercise.Code}: only its assigned trainees play it");
        }

        return exercise;
    }

    private async Task<ExerciseAction> AppendAsync<T>(Actor actor, Exercise exercise, string kind, string? subject, T payload, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var action = new ExerciseAction(0, exercise.Id, now, exercise.MinutesAt(now), actor.UserName, kind, subject, ExerciseJson.Write(payload));
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var actionId = await uow.Store<IExerciseStore>().AppendActionAsync(action, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("exercise", Id(exercise.Id), kind, new { subject, minutes = Math.Round(action.Minutes, 3), payload }), ct);
        await uow.CommitAsync(ct);
        return action with { Id = actionId };
    }

    private static async Task<Exercise> LoadAsync(IExerciseStore store, ExerciseRow row, CancellationToken ct)
    {
        var participants = await store.ListParticipantsAsync(row.Id, ct);
        var actions = await store.ListActionsAsync(row.Id, ct);
        return new Exercise(row.Id, row.Code, row.Title, row.IncidentId, ExerciseJson.Read<ExerciseDefinition>(row.Definition), row.StartedAt, row.CreatedBy, row.CreatedAt,
            [.. participants.Select(p => p.UserName)], [.. Released(actions).Order()]);
    }

    private static bool SeesAll(Actor actor) => actor.May(Operation.TrainingExerciseAnswerKey) || actor.May(Operation.TrainingExerciseManage);

    private static void Access(Actor actor, Exercise exercise)
    {
        if (!SeesAll(actor) && !exercise.Participants.Contains(actor.UserName, StringComparer.Ordinal))
        {
            throw new ForbiddenException($"{actor.UserName} is not a trainee of exercise {exercise.Code}: a trainee sees only the exercises assigned to them");
        }
    }

    /// <summary>The trainer's exercise creates and fills its drill incident with the coordinator's care operations, in the trainer's name (ADR 0035).</summary>
    private static Actor Control(Actor actor) => new(actor.UserId, actor.UserName, new HashSet<Role> { Role.Coordinator });

    private static TriageAnswer ValidateAnswer(TriageAnswer answer, AnswerKey key, Exercise exercise, string prefix)
    {
        var errors = new List<FieldError>();
        var truth = key.Find(answer.Victim ?? "");
        if (truth is null)
        {
            errors.Add(new(prefix + "victim", $"{answer.Victim} is not a victim of exercise {exercise.Code}"));
        }
        else if (truth.Inject is { } n && !exercise.ReleasedInjects.Contains(n))
        {
            errors.Add(new(prefix + "victim", $"{answer.Victim} has not arrived yet"));
        }

        var colour = answer.Colour?.Trim().ToLowerInvariant();
        if (colour is { Length: 0 })
        {
            colour = null;
        }

        if (colour is not null && !ExerciseScorer.ColourLabels.Contains(colour))
        {
            errors.Add(new(prefix + "colour", "green, yellow or red"));
        }

        if (answer.Rc is { } rc && rc is < 1 or > 4)
        {
            errors.Add(new(prefix + "rc", "1–4 (METREPOL response category)"));
        }

        CheckDose(errors, prefix + "dose", answer.DoseGy);
        CheckDose(errors, prefix + "lower", answer.LowerGy);
        CheckDose(errors, prefix + "upper", answer.UpperGy);
        if ((answer.LowerGy is null) != (answer.UpperGy is null))
        {
            errors.Add(new(prefix + "lower", "give both ends of the interval, or neither"));
        }
        else if (answer.LowerGy > answer.UpperGy)
        {
            errors.Add(new(prefix + "lower", "must not exceed upper"));
        }

        if (colour is null && answer.Rc is null && answer.DoseGy is null)
        {
            errors.Add(new(prefix + "colour", "give a colour, an RC or a dose"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return answer with { Victim = truth!.Victim, Colour = colour };
    }

    private static void CheckDose(List<FieldError> errors, string field, double? dose)
    {
        if (dose is { } d && (!double.IsFinite(d) || d < 0 || d > 100))
        {
            errors.Add(new(field, "a dose in Gy, 0–100"));
        }
    }

    private static List<FieldError> Validate(NewExercise input, ExerciseDefinition? definition)
    {
        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(input.Code ?? ""))
        {
            errors.Add(new("code", "1–24 letters, digits, '-' or '_' (e.g. EX-2026-01)"));
        }

        if (string.IsNullOrWhiteSpace(input.Title))
        {
            errors.Add(new("title", "is required"));
        }

        new InputLimits(errors).Text("title", input.Title, Limits.Title);
        if (definition is null)
        {
            errors.Add(new("scenario", "is required"));
            return errors;
        }

        var s = definition.Scenario;
        if (s.Victims is < 1 or > MaxVictims)
        {
            errors.Add(new("victims", $"1–{MaxVictims}"));
        }

        if (s.Dose is null || !(s.Dose.MedianGy > 0 && s.Dose.MedianGy <= 20) || !(s.Dose.GeometricSdLog >= 0 && s.Dose.GeometricSdLog <= 3) || !(s.Dose.CapGy > 0 && s.Dose.CapGy <= 50))
        {
            errors.Add(new("dose", "median 0–20 Gy, geometric SD (log) 0–3, cap 0–50 Gy"));
        }

        if (s.LabShare is < 0 or > 1)
        {
            errors.Add(new("labShare", "0–1"));
        }

        if (s.Vials is < 1 or > 100_000)
        {
            errors.Add(new("vials", "1–100,000"));
        }

        if (!(definition.SigmaGy > 0 && definition.SigmaGy <= 10))
        {
            errors.Add(new("sigmaGy", "a σ in Gy, above 0 and at most 10"));
        }

        if (definition.Injects.Select(i => i.Number).Distinct().Count() != definition.Injects.Count)
        {
            errors.Add(new("injects", "numbers must differ"));
        }

        foreach (var i in definition.Injects)
        {
            var f = $"injects[{i.Number}]";
            if (!(i.AtMinutes >= 0 && i.AtMinutes <= 60 * 24 * 14))
            {
                errors.Add(new(f + ".atMinutes", "0 to 14 days in minutes"));
            }

            if (i.Kind == InjectKind.NewVictims && i.Victims < 1)
            {
                errors.Add(new(f + ".victims", "at least 1"));
            }

            if (i.Kind == InjectKind.StockShortfall && (string.IsNullOrWhiteSpace(i.Product) || i.Vials < 1))
            {
                errors.Add(new(f + ".product", "a product and at least 1 vial"));
            }
        }

        if (definition.Injects.Where(i => i.Kind == InjectKind.NewVictims).Sum(i => i.Victims) >= s.Victims)
        {
            errors.Add(new("injects", "the new-victims injects must leave at least one victim present at the start"));
        }

        foreach (var t in definition.Targets)
        {
            var minutes = ExerciseFormat.IsMinutes(t.Metric);
            if (minutes ? !(t.Threshold > 0 && t.Threshold <= 60 * 24 * 14) : !(t.Threshold >= 0 && t.Threshold <= 1))
            {
                errors.Add(new($"targets[{t.Code}].threshold", minutes ? "minutes, above 0" : "a share, 0–1"));
            }
        }

        var capabilities = definition.Objectives.SelectMany(o => o.CoreCapabilities).ToHashSet(StringComparer.Ordinal);
        foreach (var o in definition.Objectives.Where(o => o.CoreCapabilities.Count == 0))
        {
            errors.Add(new($"objectives[{o.Code}]", "maps to no core capability (HSEEP: every objective maps to at least one)"));
        }

        foreach (var t in definition.Targets.Where(t => !capabilities.Contains(t.CoreCapability)))
        {
            errors.Add(new($"targets[{t.Code}].coreCapability", $"{t.CoreCapability} is no objective's core capability"));
        }

        foreach (var c in definition.CriticalTasks.Where(c => !ExerciseActions.Trainee.Contains(c.Action)))
        {
            errors.Add(new($"criticalTasks[{c.Code}].action", "one of " + string.Join(", ", ExerciseActions.Trainee)));
        }

        return errors;
    }

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,24}$")]
    private static partial Regex CodePattern();
}
