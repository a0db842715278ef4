using System.Collections.Concurrent;
using Dapper;
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
using RadRegen.Testing;

namespace RadRegen.Network.Tests;

/// <summary>
/// A test kind of event: the whole state of a test entity. Its handler records every application,
/// so a test can say that no event was applied twice and that no entity went back to an older version.
/// A payload with <c>"refuse": true</c> is refused (a <see cref="DomainValidationException"/>) after
/// the handler wrote its record, to show that nothing of a refused event stays.
/// </summary>
public sealed class RecordingHandler : INetworkEventHandler
{
    public const string TestKind = "test.state";

    public ConcurrentQueue<NetworkEnvelope> Applied { get; } = new();

    public string Kind => TestKind;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { 1 };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        // A write of the handler's own in the same transaction: a refused event must leave none of it.
        await ((SqlUnitOfWork)unitOfWork).Session.ExecuteAsync(
            "INSERT INTO network_link (id, url, state, changed_at) VALUES (@Id, 'handler', 'connected', 'x')",
            new { Id = 1000 + Applied.Count + Random.Shared.Next(1_000_000) }, cancellationToken);
        if (envelope.PayloadJson.Contains("\"refuse\":true", StringComparison.Ordinal))
        {
            throw new DomainValidationException("payload.refuse", "this test payload is refused");
        }

        Applied.Enqueue(envelope);
    }
}

/// <summary>One center: its own SQLite database, services and (when started) network engine, in this process.</summary>
public sealed class TestCenter : IAsyncDisposable
{
    /// <summary>The engine's pace in tests: quick reconnects and retries, so a fault test takes seconds.</summary>
    public static readonly NetworkEngineOptions Fast = NetworkEngineOptions.Default with
    {
        ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(300),
        RetryMaxDelay = TimeSpan.FromMilliseconds(300),
        ContactPersistInterval = TimeSpan.FromMilliseconds(200),
        AckWait = TimeSpan.FromSeconds(2),
        PullExpires = TimeSpan.FromSeconds(1),
    };

    private readonly TestDatabase _db;
    private bool _started;

    private TestCenter(string code, TestDatabase db, ServiceProvider services, RecordingHandler handler)
    {
        Code = code;
        _db = db;
        Services = services;
        Handler = handler;
    }

    public string Code { get; }

    public ServiceProvider Services { get; }

    public RecordingHandler Handler { get; }

    public static async Task<TestCenter> CreateAsync(string code, Uri url, string network, bool start = true, IReadOnlySet<string>? known = null,
        Func<NetworkSettings, NetworkSettings>? configure = null)
    {
        var db = await TestDatabases.CreateMigratedAsync("sqlite");
        var capabilities = new CenterCapabilities(code.Length * 4, true, code.EndsWith('1'), true);
        var settings = RadRegenSettings.ForDemo(db.Target) with
        {
            Center = new CenterSettings("Center " + code, code, TimeZoneInfo.Utc) { Capabilities = capabilities },
            Network = new NetworkSettings(url, code, network, known ?? new HashSet<string>())
            {
                // Beside the database, in its own temporary folder: each center its own keys (ADR 0029).
                KeyFile = Path.ChangeExtension(db.Target.SqliteFile!, NetworkSettings.DefaultKeyFileSuffix),
            },
        };
        if (configure is not null)
        {
            settings = settings with { Network = configure(settings.Network!) };
        }

        var handler = new RecordingHandler();
        var services = new ServiceCollection().AddRadRegen(settings).AddRadRegenNetworkEngine(settings, Fast);
        services.AddSingleton<INetworkEventHandler>(handler);
        var center = new TestCenter(code, db, services.BuildServiceProvider(), handler);
        await center.Services.GetRequiredService<CenterProfilePublisher>().EnsurePublishedAsync(
            new CenterProfile(code, "Center " + code, "UTC", capabilities));
        if (start)
        {
            await center.StartAsync();
        }

        return center;
    }

    public async Task StartAsync()
    {
        await Services.GetRequiredService<OutboxRelay>().StartAsync(CancellationToken.None);
        await Services.GetRequiredService<NetworkConsumer>().StartAsync(CancellationToken.None);
        _started = true;
    }

    /// <summary>Writes the whole state of <paramref name="key"/> to the outbox in one unit of work, as a domain change would.</summary>
    public async Task<OutboxRecord> WriteAsync(string key, int value)
    {
        var units = Services.GetRequiredService<IUnitOfWorkFactory>();
        await using var uow = await units.BeginAsync(WorkMode.Write);
        var record = await uow.Store<IOutbox>().EnqueueAsync(
            new OutboxEvent(RecordingHandler.TestKind, 1, key, $"{{\"key\":\"{key}\",\"value\":{value}}}"), DateTimeOffset.UtcNow);
        await uow.CommitAsync();
        if (_started)
        {
            Services.GetRequiredService<OutboxRelay>().Wake();
        }

        return record;
    }

    /// <summary>Per entity key of this center's test events, its newest position (what the others must end with).</summary>
    public async Task<Dictionary<string, long>> OwnLatestAsync()
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.QueryAsync<(string Key, long Version)>(
                "SELECT entity_key, MAX(position) FROM network_outbox WHERE kind = @Kind GROUP BY entity_key", new { Kind = RecordingHandler.TestKind }))
            .ToDictionary(r => r.Key, r => r.Version);
    }

    /// <summary>Per entity key of <paramref name="source"/>'s test events, the version this center applied.</summary>
    public async Task<Dictionary<string, long>> AppliedFromAsync(string source)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.QueryAsync<(string Key, long Version)>(
                "SELECT entity_key, version FROM network_entity_versions WHERE source_center = @Source AND entity_key NOT LIKE 'center/%'",
                new { Source = source }))
            .ToDictionary(r => r.Key, r => r.Version);
    }

    public async Task<long> PendingAsync()
    {
        await using var uow = await Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        return (await uow.Store<INetworkStore>().OutboxSummaryAsync()).Pending;
    }

    public Task<NetworkStatus> StatusAsync() =>
        Services.GetRequiredService<NetworkStatusReader>().ReadAsync(RadRegen.Core.Access.Actor.LocalOperator("test"), joined: true);

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Services.GetRequiredService<NetworkConsumer>().StopAsync(CancellationToken.None);
            await Services.GetRequiredService<OutboxRelay>().StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>Waiting for a network to settle.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double seconds = 15, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {seconds} s: {what}" + (describe is null ? "" : Environment.NewLine + await describe()));
            }

            await Task.Delay(25);
        }
    }
}
