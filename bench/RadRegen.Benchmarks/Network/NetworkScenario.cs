using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Messaging;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Network;
using RadRegen.Network.Centers;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Storage;

namespace RadRegen.Benchmarks.Network;

/// <summary>
/// Issue 13, "Measure": two centers (SQLite files) on a local nats-server started here, with the
/// product's engine and pacing (NetworkEngineOptions.Default).
/// 1. Latency: events committed one by one at A (10 ms apart), time from A's commit to B's apply (p50/p95/max; target ≤ 1 s on loopback).
/// 2. Throughput: N events committed at A in units of 100 as fast as it goes, events/s until all applied at B.
/// 3. Catch-up: B stopped while A writes N events; time from B's restart until all applied.
/// </summary>
public static class NetworkScenario
{
    private const string Kind = "bench.state";

    private sealed class Handler : INetworkEventHandler
    {
        public ConcurrentDictionary<Guid, long> Applied { get; } = new();

        public string Kind => NetworkScenario.Kind;

        public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { 1 };

        public Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
        {
            Applied[envelope.EventId] = Stopwatch.GetTimestamp();
            return Task.CompletedTask;
        }
    }

    private sealed class Center(ServiceProvider services) : IAsyncDisposable
    {
        public ServiceProvider Services => services;

        public static async Task<Center> StartAsync(string dir, string code, Uri url, Handler handler)
        {
            var target = DatabaseTarget.Parse(Path.Combine(dir, code + ".db"));
            var settings = RadRegenSettings.ForDemo(target) with
            {
                Center = new CenterSettings("Bench " + code, code, TimeZoneInfo.Utc),
                Network = new NetworkSettings(url, code, "bench", new HashSet<string>()),
            };
            var collection = new ServiceCollection().AddRadRegen(settings).AddRadRegenNetworkEngine(settings);
            collection.AddSingleton<INetworkEventHandler>(handler);
            var provider = collection.BuildServiceProvider();
            await provider.GetRequiredService<Migrator>().MigrateAsync();
            await provider.GetRequiredService<CenterProfilePublisher>().EnsurePublishedAsync(new CenterProfile(code, "Bench " + code, "UTC", CenterCapabilities.None));
            await provider.GetRequiredService<OutboxRelay>().StartAsync(CancellationToken.None);
            await provider.GetRequiredService<NetworkConsumer>().StartAsync(CancellationToken.None);
            return new Center(provider);
        }

        /// <summary>Commits <paramref name="count"/> events in one unit of work; returns their ids and the commit's timestamp.</summary>
        public async Task<(IReadOnlyList<Guid> Ids, long CommittedAt)> WriteAsync(int count, int from)
        {
            await using var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
            var ids = new List<Guid>(count);
            for (var i = 0; i < count; i++)
            {
                var n = from + i;
                ids.Add((await uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(Kind, 1, "thing/" + (n % 500), $"{{\"n\":{n}}}"), DateTimeOffset.UtcNow)).EventId);
            }

            await uow.CommitAsync();
            return (ids, Stopwatch.GetTimestamp());
        }

        public async Task<long> PendingAsync()
        {
            await using var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
            return (await uow.Store<INetworkStore>().OutboxSummaryAsync()).Pending;
        }

        public async ValueTask DisposeAsync()
        {
            await services.GetRequiredService<NetworkConsumer>().StopAsync(CancellationToken.None);
            await services.GetRequiredService<OutboxRelay>().StopAsync(CancellationToken.None);
            await services.DisposeAsync();
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var latencyEvents = int.Parse(Arg(args, "--events") ?? "500", CultureInfo.InvariantCulture);
        var bulk = int.Parse(Arg(args, "--bulk") ?? "10000", CultureInfo.InvariantCulture);
        var binary = Arg(args, "--nats-server") ?? (File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server");
        var dir = Path.Combine(Path.GetTempPath(), "rr-network-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var port = FreePort();
        using var nats = Process.Start(new ProcessStartInfo(binary, ["-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", Path.Combine(dir, "nats"), "--server_name", "bench"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("nats-server did not start");
        try
        {
            await WaitForPortAsync(port);
            var url = new Uri($"nats://127.0.0.1:{port}");
            Console.WriteLine($"nats-server on {url}; SQLite in {dir}; {Environment.ProcessorCount} cores");
            var handlerA = new Handler();
            var handlerB = new Handler();
            await using var a = await Center.StartAsync(dir, "W0001", url, handlerA);
            var b = await Center.StartAsync(dir, "W0002", url, handlerB);

            // 1. Latency, one event at a time.
            var committed = new Dictionary<Guid, long>();
            for (var i = 0; i < latencyEvents; i++)
            {
                var (ids, at) = await a.WriteAsync(1, i);
                committed[ids[0]] = at;
                await Task.Delay(10);
            }

            await UntilAsync(() => committed.Keys.All(handlerB.Applied.ContainsKey), TimeSpan.FromSeconds(60));
            var latencies = committed.Select(kv => Stopwatch.GetElapsedTime(kv.Value, handlerB.Applied[kv.Key]).TotalMilliseconds).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency commit at A → applied at B, {latencies.Count} events: p50 {Percentiles.NearestRank(latencies, 0.50):0.0} ms, p95 {Percentiles.NearestRank(latencies, 0.95):0.0} ms, max {latencies[^1]:0.0} ms"));

            // 2. Throughput through outbox, stream and inbox.
            var ids2 = new List<Guid>();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < bulk; i += 100)
            {
                ids2.AddRange((await a.WriteAsync(Math.Min(100, bulk - i), 100_000 + i)).Ids);
            }

            await UntilAsync(() => ids2.All(handlerB.Applied.ContainsKey), TimeSpan.FromMinutes(10));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput: {bulk} events committed at A and applied at B in {seconds:0.00} s = {bulk / seconds:0} events/s"));

            // 3. Catch-up: B is down while A writes; then B starts again on its database.
            await b.DisposeAsync();
            var ids3 = new List<Guid>();
            for (var i = 0; i < bulk; i += 100)
            {
                ids3.AddRange((await a.WriteAsync(Math.Min(100, bulk - i), 200_000 + i)).Ids);
            }

            await UntilAsync(() => a.PendingAsync().GetAwaiter().GetResult() == 0, TimeSpan.FromMinutes(10));
            start = Stopwatch.GetTimestamp();
            b = await Center.StartAsync(dir, "W0002", url, handlerB);
            await UntilAsync(() => ids3.All(handlerB.Applied.ContainsKey), TimeSpan.FromMinutes(10));
            seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"catch-up: {bulk} events missed while B was down, applied {seconds:0.00} s after B restarted ({bulk / seconds:0} events/s)"));
            await b.DisposeAsync();
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


    private static async Task UntilAsync(Func<bool> done, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"not done within {limit}");
            }

            await Task.Delay(5);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 500; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException("nats-server is not listening");
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
