using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Hosting;
using RadRegen.Network.Centers;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Network.Tests;

/// <summary>
/// The consumer's rules without NATS: an event log delivered in any order with any duplicates ends
/// in the same state, applied once each, never older over newer (the property test); events of an
/// unknown kind, schema version or center, or refused by their handler, are parked with the reason.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class InboxTests
{
    private const string Here = "W0001";
    private const string There = "W0002";

    private sealed class Center(TestDatabase db, ServiceProvider services, RecordingHandler handler) : IAsyncDisposable
    {
        public ServiceProvider Services => services;

        public RecordingHandler Handler => handler;

        public NetworkInbox Inbox => services.GetRequiredService<NetworkInbox>();

        public async Task<Dictionary<string, long>> VersionsAsync()
        {
            await using var connection = await services.GetRequiredService<Database>().OpenAsync();
            return (await connection.QueryAsync<(string Key, long Version)>("SELECT entity_key, version FROM network_entity_versions WHERE source_center = @S",
                new { S = There })).ToDictionary(r => r.Key, r => r.Version);
        }

        public async Task<long> CountAsync(string table)
        {
            await using var connection = await services.GetRequiredService<Database>().OpenAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM " + table); // a table name of this test, not input
        }

        public Task<NetworkStatus> StatusAsync() =>
            services.GetRequiredService<NetworkStatusReader>().ReadAsync(Core.Access.Actor.LocalOperator("test"), joined: false);

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static async Task<Center> CenterAsync(bool knowsThere = true, string engine = "sqlite")
    {
        var db = await TestDatabases.CreateMigratedAsync(engine);
        var services = new ServiceCollection().AddRadRegen(Hosting.Configuration.RadRegenSettings.ForDemo(db.Target));
        var handler = new RecordingHandler();
        services.AddSingleton<INetworkEventHandler>(handler);
        services.AddSingleton(new NetworkMembership(Here, knowsThere ? new HashSet<string> { There } : new HashSet<string>()));
        return new Center(db, services.BuildServiceProvider(), handler);
    }

    private static NetworkEnvelope Event(string key, long version, int schema = 1, string kind = RecordingHandler.TestKind, string source = There,
        string? payload = null) =>
        new(Guid.NewGuid(), schema, source, kind, key, version, DateTimeOffset.UtcNow.AddSeconds(-version), payload ?? $"{{\"key\":\"{key}\",\"v\":{version}}}");

    [Fact]
    public void Any_order_and_any_duplicates_of_an_event_log_give_the_same_state_applied_once_never_backwards()
    {
        // A log of one source: entity keys 0..2, each event a later outbox position (its version).
        var logs = Gen.Choose(0, 2).ListOf().Where(l => l.Count > 0 && l.Count <= 12)
            .Select(keys => keys.Select((k, i) => Event("thing/" + k, i + 1)).ToArray());
        var deliveries =
            from log in logs
            from duplicates in Gen.Elements(log).ListOf().Select(d => d.Take(6).ToArray())
            from order in Gen.Shuffle(log.Concat(duplicates).ToArray())
            select (Log: log, Order: order);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Arb.From(deliveries), run =>
            Task.Run(async () =>
            {
                await using var center = await CenterAsync();
                foreach (var envelope in run.Order)
                {
                    await center.Inbox.ReceiveAsync(envelope);
                }

                var newest = run.Log.GroupBy(e => e.EntityKey).ToDictionary(g => g.Key, g => g.Max(e => e.EntityVersion));
                var versions = await center.VersionsAsync();
                var applied = center.Handler.Applied.ToList();
                var perEntityIncreasing = applied.GroupBy(e => e.EntityKey)
                    .All(g => g.Select(e => e.EntityVersion).SequenceEqual(g.Select(e => e.EntityVersion).Order().Distinct()));
                return newest.Count == versions.Count
                    && newest.All(kv => versions[kv.Key] == kv.Value)
                    && applied.Select(e => e.EventId).Distinct().Count() == applied.Count
                    && perEntityIncreasing
                    && applied.GroupBy(e => e.EntityKey).All(g => g.Last().EntityVersion == newest[g.Key])
                    && await center.CountAsync("network_inbox") == run.Log.Length;
            }).GetAwaiter().GetResult()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Unknown_schema_version_unknown_kind_and_unknown_center_are_parked_with_the_reason_and_nothing_applied(string engine)
    {
        await using var center = await CenterAsync(knowsThere: false, engine);
        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(Event("thing/1", 1)));
        var profile = new CenterProfile(There, "There", "UTC", CenterCapabilities.None);
        Assert.Equal(InboxOutcome.Applied, await center.Inbox.ReceiveAsync(
            Event(CenterProfile.EntityKey(There), 2, kind: EventKinds.CenterProfile, payload: profile.ToJson())));
        // The event parked for its unknown center was received again once the center was known.
        Assert.Single(center.Handler.Applied);

        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(Event("thing/2", 3, schema: 9)));
        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(Event("thing/3", 4, kind: "weather.report")));
        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(Event("thing/4", 5, source: "W0077")));
        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(Event("thing/5", 6, payload: "{\"refuse\":true}")));
        var refusedAgain = Event("thing/5", 7, payload: "{\"refuse\":true}");
        Assert.Equal(InboxOutcome.Parked, await center.Inbox.ReceiveAsync(refusedAgain));
        Assert.Equal(InboxOutcome.Duplicate, await center.Inbox.ReceiveAsync(refusedAgain));

        var status = await center.StatusAsync();
        Assert.Equal(5, status.ParkedCount);
        var reasons = status.RecentParked.ToDictionary(p => p.Envelope.EntityKey + "@" + p.Envelope.EntityVersion, p => (p.ReasonCode, p.Reason));
        Assert.Equal(ParkReasons.UnknownSchemaVersion, reasons["thing/2@3"].ReasonCode);
        Assert.Contains("schema version 9", reasons["thing/2@3"].Reason, StringComparison.Ordinal);
        Assert.Equal(ParkReasons.UnknownKind, reasons["thing/3@4"].ReasonCode);
        Assert.Contains("weather.report", reasons["thing/3@4"].Reason, StringComparison.Ordinal);
        Assert.Equal(ParkReasons.UnknownCenter, reasons["thing/4@5"].ReasonCode);
        Assert.Equal(ParkReasons.Refused, reasons["thing/5@6"].ReasonCode);
        Assert.Contains("payload.refuse", reasons["thing/5@6"].Reason, StringComparison.Ordinal);

        // Nothing of the parked events was applied, not even the refused handler's own write.
        Assert.Single(center.Handler.Applied);
        Assert.Equal(1, await center.CountAsync("network_link"));
        Assert.DoesNotContain("thing/5", (await center.VersionsAsync()).Keys);
        Assert.Equal("There", status.Centers.Single().Center.Name);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_older_version_after_a_newer_one_is_recorded_as_superseded_and_not_applied(string engine)
    {
        await using var center = await CenterAsync(engine: engine);
        var older = Event("thing/1", 3);
        var newer = Event("thing/1", 8);
        Assert.Equal(InboxOutcome.Applied, await center.Inbox.ReceiveAsync(newer));
        Assert.Equal(InboxOutcome.Superseded, await center.Inbox.ReceiveAsync(older));
        Assert.Equal(InboxOutcome.Duplicate, await center.Inbox.ReceiveAsync(newer));
        Assert.Equal(InboxOutcome.Own, await center.Inbox.ReceiveAsync(Event("thing/9", 1, source: Here)));
        Assert.Equal(newer.EventId, Assert.Single(center.Handler.Applied).EventId);
        Assert.Equal(8, (await center.VersionsAsync())["thing/1"]);
    }
}

/// <summary>The relay's side of the outbox: pending rows by position, marked once acknowledged.</summary>
[Trait("Kind", "Integration")]
public sealed class OutboxRelayStoreTests
{
    [Theory]
    [MemberData(nameof(InboxTests.Engines), MemberType = typeof(InboxTests))]
    public async Task Pending_rows_are_listed_by_position_and_only_acknowledged_ones_are_marked(string engine)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        await using var services = new ServiceCollection().AddRadRegen(Hosting.Configuration.RadRegenSettings.ForDemo(db.Target)).BuildServiceProvider();
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        var at = DateTimeOffset.UtcNow;
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            for (var i = 0; i < 3; i++)
            {
                await uow.Store<Core.Messaging.IOutbox>().EnqueueAsync(new Core.Messaging.OutboxEvent("test.state", 1, "thing/" + i, "{}"), at.AddSeconds(i));
            }

            await uow.CommitAsync();
        }

        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<INetworkStore>();
            var pending = await store.PendingAsync(10);
            Assert.Equal(["thing/0", "thing/1", "thing/2"], pending.Select(p => p.Event.EntityKey));
            await store.MarkRelayedAsync([pending[0].Position, pending[2].Position], at.AddMinutes(1));
            await uow.CommitAsync();
        }

        await using (var uow = await units.BeginAsync(WorkMode.Read))
        {
            var store = uow.Store<INetworkStore>();
            Assert.Equal("thing/1", Assert.Single(await store.PendingAsync(10)).Event.EntityKey);
            var summary = await store.OutboxSummaryAsync();
            Assert.Equal(3, summary.Total);
            Assert.Equal(1, summary.Pending);
            Assert.Equal(at.AddSeconds(1), summary.OldestPendingAt);
            Assert.Equal(at.AddMinutes(1), summary.LastRelayedAt);
        }
    }
}

/// <summary>Migration 0020's columns and table on each engine (ADR 0029): a center's public keys, the link's last error, the joins.</summary>
[Trait("Kind", "Integration")]
public sealed class NetworkPrivacyStoreTests
{
    [Theory]
    [MemberData(nameof(InboxTests.Engines), MemberType = typeof(InboxTests))]
    public async Task Keys_the_links_error_and_a_join_are_stored_and_a_join_is_recorded_once(string engine)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        await using var services = new ServiceCollection().AddRadRegen(Hosting.Configuration.RadRegenSettings.ForDemo(db.Target)).BuildServiceProvider();
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        using var keys = RadRegen.Network.Privacy.CenterKeys.Create();
        var at = DateTimeOffset.UtcNow;
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<INetworkStore>();
            await store.SaveProfileAsync(new CenterProfile("W0002", "B", "UTC", CenterCapabilities.None) { Keys = keys.Public }, 4);
            await store.SaveProfileAsync(new CenterProfile("W0003", "C", "UTC", CenterCapabilities.None), 5);
            await store.SaveLinkAsync(new LinkState("nats://127.0.0.1:4222", LinkStatus.Disconnected, at, null) { LastError = "refused" });
            Assert.Null(await store.JoinedAsync("net"));
            Assert.True(await store.RecordJoinAsync("net", "W0001", at, 2, 1));
            Assert.False(await store.RecordJoinAsync("net", "W0001", at, 2, 1));
            await uow.CommitAsync();
        }

        await using (var uow = await units.BeginAsync(WorkMode.Read))
        {
            var store = uow.Store<INetworkStore>();
            Assert.Equal(keys.Public, await store.CenterKeysAsync("W0002"));
            Assert.Null(await store.CenterKeysAsync("W0003"));
            Assert.Null(await store.CenterKeysAsync("W0009"));
            Assert.Equal("refused", (await store.LinkAsync())?.LastError);
            Assert.NotNull(await store.JoinedAsync("net"));
        }
    }
}
