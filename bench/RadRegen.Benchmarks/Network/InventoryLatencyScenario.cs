using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Network;
using RadRegen.Network.Centers;
using RadRegen.Network.Inventory;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Benchmarks.Network;

/// <summary>
/// Issue 13, "Measure": time from a vial's release at one center to its appearance in another's
/// search (p50/p95; target ≤ 1 s on loopback). Two centers (SQLite files) on a local nats-server
/// started here, with the product's engine, pacing (NetworkEngineOptions.Default) and event
/// handlers: A releases lots one at a time (QC passed, QA's signed release: the bank's own path,
/// which enqueues the <c>inventory.stock</c> event in the release's unit of work); B's physician
/// searches the network inventory (<see cref="NetworkInventoryService"/>) every
/// <c>--poll-ms</c> until A's lot shows with all its vials. Measured from the release's return at A
/// to the first search at B that shows it (the poll interval bounds the overshoot).
/// </summary>
public static class InventoryLatencyScenario
{
    private const string Password = "correct horse battery";

    private const string Product = "S9102";

    public static async Task<int> RunAsync(string[] args)
    {
        var lots = int.Parse(Arg(args, "--lots") ?? "50", CultureInfo.InvariantCulture);
        var vials = int.Parse(Arg(args, "--vials") ?? "4", CultureInfo.InvariantCulture);
        var pollMs = int.Parse(Arg(args, "--poll-ms") ?? "10", CultureInfo.InvariantCulture);
        var binary = Arg(args, "--nats-server") ?? (File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server");
        var dir = Path.Combine(Path.GetTempPath(), "rr-netinv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var port = NetworkScenario.FreePort();
        using var nats = Process.Start(new ProcessStartInfo(binary, ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", Path.Combine(dir, "nats"), "--server_name", "bench"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("nats-server did not start");
        try
        {
            await NetworkScenario.WaitForPortAsync(port);
            var url = new Uri($"nats://127.0.0.1:{port}");
            Console.WriteLine($"nats-server on {url}; SQLite in {dir}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");
            await using var a = await StartAsync(dir, "W0001", url);
            await using var b = await StartAsync(dir, "W0002", url);
            var bank = a.GetRequiredService<BankService>();
            var (tech, qa, wcb, rack) = await SetUpBankAsync(a);
            StorageLocation? box = null;
            var lotsPerBox = 81 / vials;
            var physicianB = await UserAsync(b, "docb", Role.Physician);
            var inventoryB = b.GetRequiredService<NetworkInventoryService>();

            var latencies = new List<double>(lots);
            for (var i = 0; i < lots; i++)
            {
                if (i % lotsPerBox == 0)
                {
                    box = await bank.CreateLocationAsync(tech, new CreateLocationRequest(rack.Id, LocationKind.Box, "B" + (i / lotsPerBox + 1).ToString(CultureInfo.InvariantCulture), 9, 9));
                }

                var lot = await bank.CreateLotAsync(tech, new CreateLotRequest(Product, wcb.Id, vials, BoxId: box!.Id));
                await BankWorld.PassAllAsync(bank, tech, lot.Id);
                await bank.ReleaseLotAsync(qa, lot.Id, Password);
                var released = Stopwatch.GetTimestamp();
                var stockRef = "lot-" + lot.Id.ToString(CultureInfo.InvariantCulture);
                var deadline = released + (30 * Stopwatch.Frequency);
                while (true)
                {
                    var page = await inventoryB.SearchAsync(physicianB, new NetworkInventorySearch(Product, PageSize: 500));
                    if (page.Items.Any(r => r.Center == "W0001" && r.StockRef == stockRef && r.Available == vials))
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(released).TotalMilliseconds);
                        break;
                    }

                    if (Stopwatch.GetTimestamp() > deadline)
                    {
                        throw new TimeoutException($"{stockRef} released at W0001 did not appear in W0002's search within 30 s");
                    }

                    await Task.Delay(pollMs);
                }
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"release at A → in B's network inventory search, {latencies.Count} lots of {vials} vials (poll {pollMs} ms): p50 {Percentiles.NearestRank(latencies, 0.50):0.0} ms, p95 {Percentiles.NearestRank(latencies, 0.95):0.0} ms, max {latencies[^1]:0.0} ms; load average after {LoadAverage()}"));
            return 0;
        }
        finally
        {
            nats.Kill(entireProcessTree: true);
            await nats.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<ServiceProvider> StartAsync(string dir, string code, Uri url)
    {
        var target = DatabaseTarget.Parse(Path.Combine(dir, code + ".db"));
        var settings = RadRegenSettings.ForDemo(target) with
        {
            Center = new CenterSettings("Bench " + code, code, TimeZoneInfo.Utc),
            Network = new NetworkSettings(url, code, "bench", new HashSet<string>()),
        };
        var provider = new ServiceCollection().AddRadRegen(settings).AddRadRegenNetworkEngine(settings).BuildServiceProvider();
        await provider.GetRequiredService<Migrator>().MigrateAsync();
        await provider.GetRequiredService<CenterProfilePublisher>().EnsurePublishedAsync(new CenterProfile(code, "Bench " + code, "UTC", CenterCapabilities.None));
        await provider.GetRequiredService<OutboxRelay>().StartAsync(CancellationToken.None);
        await provider.GetRequiredService<NetworkConsumer>().StartAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>The sending center's bank as the tests' BankWorld lays it down: catalogue, a technician and QA, a donor, line, MCB, WCB and a rack (9×9 boxes go in it as lots fill them).</summary>
    private static async Task<(Actor Tech, Actor Qa, CellBank Wcb, StorageLocation Rack)> SetUpBankAsync(ServiceProvider center)
    {
        var bank = center.GetRequiredService<BankService>();
        await bank.EnsureCatalogueAsync(TestWorld.System);
        var tech = await UserAsync(center, "tech1", Role.CpcTechnician);
        var qa = await UserAsync(center, "qa1", Role.QaOfficer);
        var laid = await BankWorld.LayDownAsync(bank, tech, "D-BENCH0001");
        return (tech, qa, laid.Wcb, laid.Rack);
    }

    private static async Task<Actor> UserAsync(ServiceProvider center, string name, Role role) =>
        (await center.GetRequiredService<AccessService>().AddUserAsync(TestWorld.System, name, name, new HashSet<Role> { role }, Password)).ToActor();

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";


    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
