using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Cli.Infrastructure;
using RadRegen.Dosimetry.Assessment;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Matching;
using RadRegen.Storage;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using Spectre.Console;

namespace RadRegen.Cli.Care;

/// <summary><c>radregen drill</c>: the whole mass-casualty pipeline on a simulated incident.</summary>
internal static class DrillCommand
{
    public static Command Create()
    {
        var victims = new Option<int>("--victims") { Description = "How many victims to simulate.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same incident).", DefaultValueFactory = _ => 1 };
        var vials = new Option<int?>("--vials") { Description = "Vials in the simulated bank (default: victims / 5, at least 20)." };
        var labShare = new Option<double>("--lab-share") { Description = "Share of victims whose blood the laboratory scores (50-cell triage mode).", DefaultValueFactory = _ => 0.2 };
        var db = CommonOptions.Database();
        db.Description = "Database to run the drill in (default: a throwaway SQLite file, removed afterwards).";
        var json = CommonOptions.Json();
        var drill = new Command("drill", "Simulate an incident and run import → assessment → triage → allocation end to end, with a summary.") { victims, seed, vials, labShare, db, json };
        CliAction.Set(drill, async (parse, ct) =>
        {
            var n = parse.GetValue(victims);
            if (n is < 1 or > 1_000_000)
            {
                throw new CliInputException("--victims: must be between 1 and 1,000,000");
            }

            var share = parse.GetValue(labShare);
            if (share is < 0 or > 1)
            {
                throw new CliInputException("--lab-share: must be between 0 and 1");
            }

            var asJson = parse.GetValue(json);
            var bar = !asJson && !Console.IsOutputRedirected && parse.InvocationConfiguration.Output == Console.Out;
            var stages = new List<(string Stage, double Seconds)>();
            string? tempDir = null;
            var target = parse.GetValue(db) ?? Environment.GetEnvironmentVariable(CliDatabase.EnvironmentVariable);
            if (target is null)
            {
                tempDir = Directory.CreateTempSubdirectory("radregen-drill-").FullName;
                target = Path.Combine(tempDir, "drill.db");
            }

            try
            {
                DrillReport? report = null;
                async Task Run(Action<string, double> progress)
                {
                    report = await RunAsync(DatabaseTarget.Parse(target, "--database"), n, parse.GetValue(seed), parse.GetValue(vials), share, stages, progress, ct);
                }

                if (bar)
                {
                    await AnsiConsole.Progress().AutoClear(true).StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("drill", maxValue: 100);
                        await Run((stage, pct) =>
                        {
                            task.Description = stage;
                            task.Value = pct;
                        });
                    });
                }
                else
                {
                    await Run((_, _) => { });
                }

                Write(parse, asJson, report!, stages);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                if (tempDir is not null)
                {
                    try
                    {
                        Directory.Delete(tempDir, true);
                    }
                    catch (IOException)
                    {
                        // a leftover temp folder is harmless
                    }
                }
            }

            return ExitCodes.Ok;
        });
        return drill;
    }

    private sealed record DrillReport(
        string Incident, int Victims, int Seed, Dictionary<string, int> ByColour, Dictionary<string, int> ByRc, int Requests, int VialsRequested,
        int VialsInStock, int VialsAllocated, int RequestsFullyMet, int RequestsUnmet, double TotalValue, string Algorithm,
        int TriageAgreement, int TriageAssessable, int UnderTriagedRed, int OverTriagedGreen);

    private static async Task<DrillReport> RunAsync(DatabaseTarget target, int n, int seed, int? vials, double labShare,
        List<(string, double)> stages, Action<string, double> progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        void Stage(string name, double pct)
        {
            stages.Add((name, watch.Elapsed.TotalSeconds));
            watch.Restart();
            progress(name, pct);
        }

        progress("simulating", 0);
        var haplotypes = ReadHaplotypes();
        var curve = FitCurve();
        // Far enough back that every simulated count (the last on day 10) is in the past.
        var start = DateTimeOffset.UtcNow.AddHours(-(DrillSimulator.LastObservationHours + 24));
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, 0, 0, TimeSpan.Zero);
        var sim = new DrillSimulator(seed).Simulate(n, start, haplotypes, curve, labShare, 30, vials);
        Stage("simulate", 10);

        // A drill is simulated data: it runs as the demo center, never under the installation's facility code.
        await using var services = new ServiceCollection().AddRadRegen(RadRegenSettings.ForDemo(target)).BuildServiceProvider();
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        var actor = CliDatabase.Coordinator;
        var care = services.GetRequiredService<CareService>();
        var mc = services.GetRequiredService<MassCasualtyService>();
        var code = string.Create(CultureInfo.InvariantCulture, $"DRILL-{seed}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}");
        var incident = await care.CreateIncidentAsync(actor, new NewIncident(code, $"Drill, {n} victims, seed {seed}", IncidentKind.RadiologicalDispersalDevice, start, "simulated", ["Co-60"], Drill: true), ct);
        var spec = new CurveSpec("Barquinero et al. 1995 (fitted by the drill)", "dicentric", "lq", curve.C, curve.Alpha, curve.Beta,
            [[curve.Covariance[0, 0], curve.Covariance[0, 1], curve.Covariance[0, 2]], [curve.Covariance[1, 0], curve.Covariance[1, 1], curve.Covariance[1, 2]], [curve.Covariance[2, 0], curve.Covariance[2, 1], curve.Covariance[2, 2]]]);
        progress("parse", 15);
        var parsed = await mc.ParseAsync(actor, incident.Id, new StringReader(sim.VictimsCsv), spec, "drill.csv", ct);
        Stage("parse", 25);
        var summary = await mc.ImportAsync(actor, incident.Id, parsed, ct);
        Stage("import + assess", 75);
        var queue = await mc.QueueAsync(actor, incident.Id, null, ct);
        Stage("triage", 80);
        var run = await mc.AllocateAsync(actor, incident.Id, new ListInventory(sim.Bank, DateTimeOffset.UtcNow, drill: true), new HlaCompatibility(new HlaMatcher(MatchOptions.Default)), sim.TransportLimits, null, null, ct);
        Stage("allocate", 100);

        var truth = sim.Victims.ToDictionary(v => v.Code, v => v.TrueDoseGy, StringComparer.Ordinal);
        var assessed = queue.Where(q => q.Assessment?.Triage is not null).ToList();
        var agree = assessed.Count(q => q.Assessment!.Triage == Triage.ColourFor(truth[q.Patient.Code]).ToString().ToLowerInvariant());
        var underRed = assessed.Count(q => Triage.ColourFor(truth[q.Patient.Code]) == TriageColour.Red && q.Assessment!.Triage == "green");
        var overGreen = assessed.Count(q => Triage.ColourFor(truth[q.Patient.Code]) == TriageColour.Green && q.Assessment!.Triage == "red");
        return new DrillReport(
            incident.Code, summary.Patients, seed,
            queue.GroupBy(q => q.Assessment?.Triage ?? "unassessed").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            queue.GroupBy(q => q.Assessment?.ResponseCategory is { } rc ? $"RC{rc}" : "not graded").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            run.Requests.Count, run.Result.VialsRequested, run.VialsInStock, run.Result.VialsAllocated,
            run.Result.Outcomes.Count(o => o.Unmet == 0), run.Result.Outcomes.Count(o => o.Allocated == 0), run.Result.TotalValue, run.Result.Algorithm,
            agree, assessed.Count, underRed, overGreen);
    }

    private static void Write(ParseResult parse, bool json, DrillReport r, List<(string Stage, double Seconds)> stages)
    {
        if (json)
        {
            CliAction.WriteJson(parse, new
            {
                incident = r.Incident,
                victims = r.Victims,
                seed = r.Seed,
                byColour = r.ByColour,
                byResponseCategory = r.ByRc,
                requests = r.Requests,
                vialsRequested = r.VialsRequested,
                vialsInStock = r.VialsInStock,
                vialsAllocated = r.VialsAllocated,
                requestsFullyMet = r.RequestsFullyMet,
                requestsUnmet = r.RequestsUnmet,
                totalValue = r.TotalValue,
                algorithm = r.Algorithm,
                triageAgreementWithTrueDose = r.TriageAssessable == 0 ? (double?)null : (double)r.TriageAgreement / r.TriageAssessable,
                trueRedTriagedGreen = r.UnderTriagedRed,
                trueGreenTriagedRed = r.OverTriagedGreen,
                stages = stages.Select(s => new { stage = s.Stage, seconds = s.Seconds }),
                totalSeconds = stages.Sum(s => s.Seconds),
            });
            return;
        }

        var o = parse.InvocationConfiguration.Output;
        o.WriteLine($"drill {r.Incident}: {r.Victims} victims (seed {r.Seed})");
        o.WriteLine("by triage colour: " + string.Join(", ", r.ByColour.Select(k => $"{k.Key} {k.Value}")));
        o.WriteLine("by METREPOL RC:   " + string.Join(", ", r.ByRc.Select(k => $"{k.Key} {k.Value}")));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"triage colour equals the simulated true dose's colour for {r.TriageAgreement} of {r.TriageAssessable}; true red triaged green: {r.UnderTriagedRed}; true green triaged red: {r.OverTriagedGreen}"));
        o.WriteLine($"requests: {r.Requests} for {r.VialsRequested} vials; bank {r.VialsInStock} vials; allocated {r.VialsAllocated}; fully met {r.RequestsFullyMet}; unmet {r.RequestsUnmet}");
        o.WriteLine($"allocation: {r.Algorithm}");
        TextTable.Write(o, ["stage", "seconds"], stages.Select(s => (IReadOnlyList<string>)[s.Stage, s.Seconds.ToString("0.000", CultureInfo.InvariantCulture)])
            .Append([ "total", stages.Sum(s => s.Seconds).ToString("0.000", CultureInfo.InvariantCulture) ]));
    }

    private static List<DrillHaplotype> ReadHaplotypes()
    {
        using var stream = typeof(DrillCommand).Assembly.GetManifestResourceStream("drill/HEGL_CAU.csv")!;
        using var reader = new StreamReader(stream);
        var set = HaplotypeFrequencyReader.Read(reader, "HEGL_CAU.csv");
        return [.. set.Haplotypes.Select(h => new DrillHaplotype([.. h.Haplotype.Alleles.Select(a => a.ToString(true))], h.Frequency))];
    }

    private static CalibrationCurve FitCurve()
    {
        using var stream = typeof(DrillCommand).Assembly.GetManifestResourceStream("drill/count-data-barquinero-1995.csv")!;
        using var reader = new StreamReader(stream);
        var table = CountTableParser.Parse(reader, "count-data-barquinero-1995.csv");
        return CurveFitter.Fit(table.Rows, CurveModel.LinearQuadratic, Assay.Dicentric).Curve;
    }
}
