using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Core.Csv;
using RadRegen.Training.Exercises;

namespace RadRegen.Cli.Training;

/// <summary><c>radregen exercise create | answer-key | score</c>: HSEEP exercises on simulated incidents (issue 15 item 8, ADR 0035).</summary>
internal static class ExerciseCommands
{
    /// <summary>The command line acts as the trainer: it builds exercises and reads answers and scores.</summary>
    private static Actor Trainer => CliDatabase.OperatorAs(Role.Trainer);

    public static Command Create()
    {
        var exercise = new Command("exercise", "HSEEP exercises on simulated incidents: create one, read its answer key, score answers against the truth.");

        var victims = new Option<int>("--victims") { Description = "How many victims to simulate.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same scenario).", Required = true };
        var kind = new Option<string?>("--kind") { Description = "Incident kind: reactor-accident, criticality, lost-or-orphan-source, radiological-dispersal-device (default) or nuclear-detonation." };
        var code = new Option<string?>("--code") { Description = "Exercise code (default EX-<seed>-<time>)." };
        var title = new Option<string?>("--title") { Description = "Exercise title." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var create = new Command("create", "Create an exercise: simulate the scenario, open its drill incident and import the victims present at the start. Prints the victims' observations, never the truth.")
            { victims, seed, kind, code, title, db, json };
        CliAction.Set(create, async (parse, ct) =>
        {
            var k = parse.GetValue(kind) is { } text ? IncidentKinds.Parse(text, "--kind") : IncidentKind.RadiologicalDispersalDevice;
            var n = parse.GetValue(victims);
            if (n is < 1 or > ExerciseService.MaxVictims)
            {
                throw new CliInputException($"--victims: must be between 1 and {ExerciseService.MaxVictims}");
            }

            var s = parse.GetValue(seed);
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var service = services.GetRequiredService<ExerciseService>();
            var exerciseCode = parse.GetValue(code) ?? string.Create(CultureInfo.InvariantCulture, $"EX-{s}-{DateTimeOffset.UtcNow:yyMMddHHmmss}");
            var created = await service.CreateAsync(Trainer, new NewExercise(exerciseCode, parse.GetValue(title) ?? $"Exercise, {n} victims, seed {s}",
                new Scenario(s, n, k, DrillDoseDistribution.Default)), ct);
            var (_, key) = await service.AnswerKeyAsync(Trainer, created.Id, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    exercise = ExerciseJsonOut(created),
                    victims = Observations(key, created),
                });
            }
            else
            {
                var o = parse.InvocationConfiguration.Output;
                o.WriteLine($"created exercise {created.Code} (id {created.Id}): {created.Definition.Scenario.Victims} victims, seed {s}, drill incident id {created.IncidentId}");
                o.WriteLine($"injects: {string.Join("; ", created.Definition.Injects.Select(i => $"{i.Number} at {i.AtMinutes:0.#} min: {i.Text}"))}");
            }

            return ExitCodes.Ok;
        });
        exercise.Add(create);

        var keyId = new Option<string>("--exercise") { Description = "Exercise id or code.", Required = true };
        var keyDb = CommonOptions.Database();
        var keyJson = CommonOptions.Json();
        var answerKey = new Command("answer-key", "The truth per victim (trainer): true dose, triage colour and METREPOL response category.") { keyId, keyDb, keyJson };
        CliAction.Set(answerKey, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, keyDb, DatabaseUse.Read, ct);
            var service = services.GetRequiredService<ExerciseService>();
            var found = await service.FindAsync(Trainer, parse.GetValue(keyId)!, ct);
            var (ex, key) = await service.AnswerKeyAsync(Trainer, found.Id, ct);
            if (parse.GetValue(keyJson))
            {
                CliAction.WriteJson(parse, new
                {
                    exercise = ExerciseJsonOut(ex),
                    rcBoundsGy = AnswerKeyRules.RcBoundsGy,
                    victims = key.Victims.Select(v => new { victim = v.Victim, doseGy = Math.Round(v.DoseGy, 4), colour = v.Colour, rc = v.Rc, inject = v.Inject }),
                });
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["victim", "dose Gy", "colour", "RC", "inject"],
                    key.Victims.Select(v => (IReadOnlyList<string>)[v.Victim, v.DoseGy.ToString("0.###", CultureInfo.InvariantCulture), v.Colour, $"RC{v.Rc}",
                        v.Inject?.ToString(CultureInfo.InvariantCulture) ?? ""]));
            }

            return ExitCodes.Ok;
        });
        exercise.Add(answerKey);

        var scoreId = new Option<string>("--exercise") { Description = "Exercise id or code.", Required = true };
        var answers = new Option<string>("--answers") { Description = "Answers CSV with the header victim,colour,rc,dose (optional lower,upper).", Required = true };
        var scoreDb = CommonOptions.Database();
        var scoreJson = CommonOptions.Json();
        var score = new Command("score", "Score answers against the truth: triage colour and RC accuracy (confusion matrices), dose z-scores and interval coverage; each capability target rated, and overall.")
            { scoreId, answers, scoreDb, scoreJson };
        CliAction.Set(score, async (parse, ct) =>
        {
            var path = parse.GetValue(answers)!;
            if (!File.Exists(path))
            {
                throw new CliInputException($"--answers: no file {path}");
            }

            IReadOnlyList<TriageAnswer> read;
            await using (var stream = File.OpenRead(path))
            {
                using var reader = await CsvReading.DecodeAsync(stream, Path.GetFileName(path), ct);
                read = AnswersCsv.Read(reader, Path.GetFileName(path));
            }

            await using var services = await CliDatabase.OpenAsync(parse, scoreDb, DatabaseUse.Read, ct);
            var service = services.GetRequiredService<ExerciseService>();
            var found = await service.FindAsync(Trainer, parse.GetValue(scoreId)!, ct);
            var result = await service.ScoreAnswersAsync(Trainer, found.Id, read, ct);
            if (parse.GetValue(scoreJson))
            {
                CliAction.WriteJson(parse, new { exercise = ExerciseJsonOut(found), score = ExerciseScoreJson.Of(result) });
            }
            else
            {
                var o = parse.InvocationConfiguration.Output;
                TextTable.Write(o, ["metric", "value", "items", "how"],
                    result.Metrics.Select(m => (IReadOnlyList<string>)[m.Name, ExerciseFormat.Value(m.Metric, m.Value), m.N.ToString(CultureInfo.InvariantCulture), m.Detail]));
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall: {result.Overall * 100:0.#} % of capability targets met; rating {result.OverallRating}"));
            }

            return ExitCodes.Ok;
        });
        exercise.Add(score);
        return exercise;
    }

    internal static object ExerciseJsonOut(Exercise e) => new
    {
        id = e.Id,
        code = e.Code,
        title = e.Title,
        drill = true,
        incidentId = e.IncidentId,
        level = e.Definition.Level,
        seed = e.Definition.Scenario.Seed,
        victims = e.Definition.Scenario.Victims,
        kind = e.Definition.Scenario.Kind.Name(),
        startedAt = e.StartedAt,
        injects = e.Definition.Injects,
        targets = e.Definition.Targets.Select(t => new { t.Code, t.CoreCapability, t.Text, metric = ExerciseFormat.Name(t.Metric), t.Direction, t.Threshold }),
    };

    /// <summary>The victims' observations as the simulator wrote them (the rows of the victims file, no truth), grouped by victim.</summary>
    private static IEnumerable<object> Observations(AnswerKey key, Exercise exercise)
    {
        var records = CsvReading.ReadAll(new StringReader(key.VictimsCsv), new CsvReadOptions("scenario"));
        var header = records[0].Fields;
        var arrivals = key.Victims.ToDictionary(v => v.Victim, v => v.Inject, StringComparer.Ordinal);
        return records.Skip(1).GroupBy(r => r.Fields[0], StringComparer.Ordinal).Select(g => new
        {
            victim = g.Key,
            arrivesWithInject = arrivals[g.Key],
            observations = g.Select(r => header.Select((h, i) => (h, v: r.Fields[i])).Where(p => p.h != "patient" && p.v.Length > 0)
                .Where(p => !(exercise.Definition.Injects.Any(i => i.Kind == InjectKind.LabResults) && p.h is "cells" or "aberrations"))
                .ToDictionary(p => p.h, p => p.v)),
        });
    }
}
