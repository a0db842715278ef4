using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Hla.Frequencies;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Demo;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Benchmarks.Care;

/// <summary>
/// Issue 12, item 4: a victims import of N (100,000) simulated victims through the real
/// <see cref="MassCasualtyService"/> (parse, assess, write) while a second task makes vial
/// reservations through <see cref="TherapyService"/> in a loop (request → reserve → cancel, so a
/// few vials serve every round) and records each reservation's latency. Targets: the import
/// (parse + import) ≤ 10 s on SQLite, ≤ 15 s on PostgreSQL; every reservation during it succeeds,
/// p99 ≤ 1 s. Exit 0 only when every reservation succeeded, the import wrote every victim and the
/// journal verifies.
/// </summary>
public static class ImportScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var database = Arg(args, "--database") ?? Path.Combine(Path.GetTempPath(), $"rr-import-{Guid.NewGuid():N}.db");
        var victims = int.Parse(Arg(args, "--victims") ?? "100000", CultureInfo.InvariantCulture);
        var seed = int.Parse(Arg(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
        // Enough for the whole import on a loaded machine (one every 100 ms): 600 ran out before the end at load 25.
        var reservations = int.Parse(Arg(args, "--reservations") ?? "600", CultureInfo.InvariantCulture);
        // Assessing threads (MassCasualtyService.ImportAssessmentThreads); the product's default when absent.
        var threads = Arg(args, "--import-threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : (int?)null;
        // Victims per staged chunk (MassCasualtyService.ImportChunkVictims); the product's default when absent.
        var chunk = Arg(args, "--chunk") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : (int?)null;
        var target = DatabaseTarget.Parse(database);
        Console.WriteLine($"{target.Description}; {victims:N0} victims, seed {seed}; {Environment.ProcessorCount} cores; load {Load()}");

        var services = new ServiceCollection().AddRadRegen(RadRegenSettings.ForDemo(target)).BuildServiceProvider();
        await using (services)
        {
            await RadRegenSetup.PrepareAsync(services, DemoData.None);
            var care = services.GetRequiredService<CareService>();
            var mc = services.GetRequiredService<MassCasualtyService>();
            mc.ImportAssessmentThreads = threads ?? mc.ImportAssessmentThreads;
            mc.ImportChunkVictims = chunk ?? mc.ImportChunkVictims;
            Console.WriteLine($"assessing threads: {mc.ImportAssessmentThreads}; victims per chunk: {mc.ImportChunkVictims}");
            var therapy = services.GetRequiredService<TherapyService>();
            var access = services.GetRequiredService<AccessService>();
            var admin = Actor.LocalOperator("bench");
            var tag = $"I{DateTimeOffset.UtcNow:HHmmss}";
            var watch = Stopwatch.StartNew();

            // The stock, the people who reserve it, and one open request per reservation to make.
            watch.Restart();
            // A lot has at most 260 vials and the seed's box 81 places: lots of 75 from lines of their own.
            var vials = new List<RadRegen.Bank.Model.Vial>();
            for (var lot = 0; vials.Count < reservations; lot++)
            {
                vials.AddRange(await TherapySeed.ReleasedVialsAsync(services, 75, $"{tag}{(char)('A' + lot)}"));
            }

            var doctor = (await access.AddUserAsync(admin, "doctor-" + tag.ToLowerInvariant(), "Bench doctor", new HashSet<Role> { Role.Physician }, "bench password 1234")).ToActor();
            var coordinator = (await access.AddUserAsync(admin, "coord-" + tag.ToLowerInvariant(), "Bench coordinator", new HashSet<Role> { Role.Coordinator }, "bench password 1234")).ToActor();
            // The drill's counts run to day 10: start far enough back that none is in the future.
            var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddDays(-11), TimeSpan.Zero);
            var ward = await care.CreateIncidentAsync(doctor, new NewIncident($"W-{tag}", "Bench ward", IncidentKind.Criticality, start, "ward", ["Co-60"]));
            var patient = await care.RegisterPatientAsync(doctor, ward.Id, new NewPatient("P-1", 40, Sex.Male, 70, start, HlaTyping: TherapySeed.MatchingPatient));
            var requests = new List<long>();
            for (var i = 0; i < reservations; i++)
            {
                requests.Add((await therapy.RequestAsync(doctor, patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"))).Id);
            }

            Console.WriteLine($"set up {vials.Count} released vials and {requests.Count} open requests in {watch.Elapsed.TotalSeconds:F1} s");

            // The victims file, simulated as the drill does (20 % with dicentric counts).
            watch.Restart();
            var curve = FitCurve();
            var sim = new DrillSimulator(seed).Simulate(victims, start, ReadHaplotypes(), curve, 0.2, 30, 1000);
            var spec = new CurveSpec("Barquinero et al. 1995 (fitted by the bench)", "dicentric", "lq", curve.C, curve.Alpha, curve.Beta,
                [[curve.Covariance[0, 0], curve.Covariance[0, 1], curve.Covariance[0, 2]], [curve.Covariance[1, 0], curve.Covariance[1, 1], curve.Covariance[1, 2]], [curve.Covariance[2, 0], curve.Covariance[2, 1], curve.Covariance[2, 2]]]);
            Console.WriteLine($"simulated {victims:N0} victims ({sim.VictimsCsv.Length / 1e6:F1} MB of CSV) in {watch.Elapsed.TotalSeconds:F1} s");
            var incident = await care.CreateIncidentAsync(doctor, new NewIncident($"MC-{tag}", "Bench mass casualty", IncidentKind.RadiologicalDispersalDevice, start, "simulated", ["Co-60"]));

            // Reservations arrive every Interval whether or not the earlier ones are done (an open loop,
            // as requests from many users would); those before the import warm the path up (not counted).
            var rounds = new List<Round>();
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var loop = Task.Run(() => ReserveLoopAsync(therapy, coordinator, requests, vials, clock, rounds, stop.Token));
            await Task.Delay(1500);

            var importStart = clock.Elapsed;
            var phases = new Phases(clock);
            var startCpu = Cpu.Now();
            // As the API, the CLI and the incident page import a file: streamed (ADR 0042), the parser
            // reading the last victims while the first are assessed and staged.
            // --whole: the file parsed whole first, then imported (ParseAsync + ImportAsync), for comparison.
            var summary = args.Contains("--whole")
                ? await mc.ImportAsync(doctor, incident.Id, await mc.ParseAsync(doctor, incident.Id, new StringReader(sim.VictimsCsv), spec, "bench.csv"), phases)
                : await mc.ImportCsvAsync(doctor, incident.Id, sim.VictimsCsv, spec, "bench.csv", phases);
            var importEnd = clock.Elapsed;
            var endCpu = Cpu.Now();
            await Task.Delay(1500);
            await stop.CancelAsync();
            await loop;

            var during = rounds.Where(r => r.End > importStart && r.Start < importEnd).ToList();
            var failed = during.Where(r => r.Error is not null).ToList();
            var reserve = during.Where(r => r.Error is null).Select(r => (r.End - r.Start).TotalMilliseconds).Order().ToList();
            Console.WriteLine($"import: check {(phases.Checked - importStart).TotalSeconds:F2} s, "
                + $"parse + assess + stage in {phases.Chunks} chunks {(phases.Prepared - phases.Checked).TotalSeconds:F2} s, publish transaction {(phases.Written - phases.Prepared).TotalSeconds:F2} s; "
                + $"total {(importEnd - importStart).TotalSeconds:F2} s ({summary.Patients:N0} patients, {summary.Observations:N0} observations, {summary.Assessed:N0} assessed)");
            // CPU time of the whole process (the reservations' share included) and GC pauses, per phase:
            // comparable across runs on a loaded machine where wall-clock times are not.
            Console.WriteLine($"CPU (process, s) / GC pause (s) / allocated (GB): check {phases.CheckedCpu - startCpu}, "
                + $"parse + assess + stage {phases.PreparedCpu - phases.CheckedCpu}, publish {phases.WrittenCpu - phases.PreparedCpu}; total {endCpu - startCpu}; "
                + $"heap after {GC.GetTotalMemory(false) / 1e6:F0} MB, gen0/1/2 collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
            Console.WriteLine($"reservations during the import (one every {Interval.TotalMilliseconds:F0} ms): {during.Count}, {failed.Count} failed"
                + $"{(rounds.Count >= requests.Count ? " (ran out of requests)" : "")}; latency p50 {Percentiles.NearestRank(reserve, 0.50):F1} ms, p95 {Percentiles.NearestRank(reserve, 0.95):F1} ms, "
                + $"p99 {Percentiles.NearestRank(reserve, 0.99):F1} ms, max {Percentiles.NearestRank(reserve, 1):F1} ms");
            // Which phase the waits belong to: reservations that started during it.
            foreach (var (name, from, to) in new[] { ("parse + assess + stage", phases.Checked, phases.Prepared), ("publish", phases.Prepared, phases.Written) })
            {
                var inPhase = during.Where(r => r.Error is null && r.Start >= from && r.Start < to).Select(r => (r.End - r.Start).TotalMilliseconds).Order().ToList();
                Console.WriteLine($"  started during {name}: {inPhase.Count}; p50 {Percentiles.NearestRank(inPhase, 0.50):F1} ms, p99 {Percentiles.NearestRank(inPhase, 0.99):F1} ms, max {Percentiles.NearestRank(inPhase, 1):F1} ms");
            }

            foreach (var f in failed.Take(5))
            {
                Console.WriteLine($"  failed at {f.Start.TotalSeconds:F2} s: {f.Error}");
            }

            var audit = services.GetRequiredService<AuditService>();
            watch.Restart();
            var verification = await audit.VerifyAsync(admin);
            Console.WriteLine($"journal: {(verification.IsIntact ? "intact" : "BROKEN at " + verification.FirstBrokenSequence)} ({verification.Verified:N0} entries, verified in {watch.Elapsed.TotalSeconds:F1} s); load {Load()}");
            return failed.Count == 0 && summary.Patients == victims && verification.IsIntact ? 0 : 1;
        }
    }

    /// <summary>Time between two reservations.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private sealed record Round(TimeSpan Start, TimeSpan End, string? Error);

    /// <summary>Records when the import reaches each phase.</summary>
    private sealed class Phases(Stopwatch clock) : IProgress<VictimImportPhase>
    {
        public Cpu CheckedCpu { get; private set; }

        public Cpu PreparedCpu { get; private set; }

        public Cpu WrittenCpu { get; private set; }

        public TimeSpan Checked { get; private set; }

        public int Chunks { get; private set; }

        public TimeSpan Prepared { get; private set; }

        public TimeSpan Written { get; private set; }

        public void Report(VictimImportPhase value)
        {
            switch (value)
            {
                case VictimImportPhase.Checked: (Checked, CheckedCpu) = (clock.Elapsed, Cpu.Now()); break;
                case VictimImportPhase.Prepared: (Prepared, PreparedCpu) = (clock.Elapsed, Cpu.Now()); break;
                case VictimImportPhase.ChunkStaged: Chunks++; break;
                default: (Written, WrittenCpu) = (clock.Elapsed, Cpu.Now()); break;
            }
        }
    }

    /// <summary>The process's CPU time and the GC's total pause time at one moment.</summary>
    private readonly record struct Cpu(TimeSpan Processor, TimeSpan GcPause, long Allocated)
    {
        public static Cpu Now() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

        public static Cpu operator -(Cpu a, Cpu b) => new(a.Processor - b.Processor, a.GcPause - b.GcPause, a.Allocated - b.Allocated);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Processor.TotalSeconds:F2}/{GcPause.TotalSeconds:F2}/{Allocated / 1e9:F2}");
    }

    private static async Task ReserveLoopAsync(TherapyService therapy, Actor coordinator, IReadOnlyList<long> requests, IReadOnlyList<RadRegen.Bank.Model.Vial> vials,
        Stopwatch clock, List<Round> rounds, CancellationToken stop)
    {
        var running = new List<Task>();
        for (var i = 0; i < requests.Count && !stop.IsCancellationRequested; i++)
        {
            var (request, vial) = (requests[i], vials[i].Id);
            running.Add(Task.Run(async () =>
            {
                var start = clock.Elapsed;
                string? error = null;
                try
                {
                    await therapy.ReserveAsync(coordinator, request, [vial]);
                }
                catch (Exception ex)
                {
                    error = $"{ex.GetType().Name}: {ex.Message}";
                }

                lock (rounds)
                {
                    rounds.Add(new Round(start, clock.Elapsed, error));
                }
            }, CancellationToken.None));
            var next = Interval * (i + 1);
            if (next > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(next - clock.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(running);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static List<DrillHaplotype> ReadHaplotypes()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Data", "HEGL_CAU.csv"));
        var set = HaplotypeFrequencyReader.Read(reader, "HEGL_CAU.csv");
        return [.. set.Haplotypes.Select(h => new DrillHaplotype([.. h.Haplotype.Alleles.Select(a => a.ToString(true))], h.Frequency))];
    }

    private static CalibrationCurve FitCurve()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Data", "count-data-barquinero-1995.csv"));
        var table = CountTableParser.Parse(reader, "count-data-barquinero-1995.csv");
        return CurveFitter.Fit(table.Rows, CurveModel.LinearQuadratic, Assay.Dicentric).Curve;
    }
}
