using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Messaging;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Transfers;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Network;

/// <summary>
/// One center of a test network: a database of its own (a <see cref="TestWorld"/>) with the capacity
/// and transfer services and handlers bound to its facility code. <see cref="DeliverAsync"/> plays the
/// engine's part: it turns one center's new outbox rows into envelopes and applies them at others.
/// </summary>
public sealed class NetworkCenter : IAsyncDisposable
{
    private readonly Dictionary<string, long> _delivered = new(StringComparer.Ordinal);

    private NetworkCenter(string code, TestWorld world)
    {
        Code = code;
        World = world;
        var options = new CapacityOptions(code, CapacityOptions.DefaultStaleAfter);
        Capacity = new CapacityService(world.Units, world.Clock, options);
        Transfers = new TransferService(world.Units, world.Clock, options);
        Handlers = [new CapacitySnapshotHandler(world.Clock), new PatientTransferHandler(world.Care, options, world.Clock)];
    }

    public string Code { get; }

    public TestWorld World { get; }

    public CareService Care => World.Care;

    public CapacityService Capacity { get; }

    public TransferService Transfers { get; }

    public IReadOnlyList<INetworkEventHandler> Handlers { get; }

    public TestClock Clock => World.Clock;

    public static async Task<NetworkCenter> OpenAsync(string engine, string code, DateTimeOffset now) =>
        new(code, await TestWorld.CreateAsync(engine, new TestClock(now)));

    public async Task<IReadOnlyList<OutboxRecord>> OutboxAsync(long after = 0)
    {
        await using var uow = await World.Units.BeginAsync(WorkMode.Read);
        return await uow.Store<IOutbox>().ListAsync(after, 10_000);
    }

    public static NetworkEnvelope Envelope(string source, OutboxRecord r) =>
        NetworkEnvelope.Of(source, r);

    /// <summary>Applies one envelope in its own unit of work, as the consumer does.</summary>
    public async Task ApplyAsync(NetworkEnvelope envelope)
    {
        var handler = Handlers.Single(h => h.Kind == envelope.Kind);
        Assert.Contains(envelope.SchemaVersion, handler.SchemaVersions);
        await using var uow = await World.Units.BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, envelope, CancellationToken.None);
        await uow.CommitAsync();
    }

    /// <summary>Delivers this center's outbox rows not yet delivered to each of <paramref name="to"/>, in order; returns how many per center.</summary>
    public async Task<int> DeliverAsync(params NetworkCenter[] to)
    {
        var count = 0;
        foreach (var center in to)
        {
            var rows = await OutboxAsync(_delivered.GetValueOrDefault(center.Code));
            foreach (var r in rows)
            {
                await center.ApplyAsync(Envelope(Code, r));
                _delivered[center.Code] = r.Position;
            }

            count += rows.Count;
        }

        return count;
    }

    public ValueTask DisposeAsync() => World.DisposeAsync();
}

/// <summary>Three centers of one test network.</summary>
public sealed class ThreeCenters : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private ThreeCenters(NetworkCenter a, NetworkCenter b, NetworkCenter c) => (A, B, C) = (a, b, c);

    public NetworkCenter A { get; }

    public NetworkCenter B { get; }

    public NetworkCenter C { get; }

    public NetworkCenter[] All => [A, B, C];

    public static async Task<ThreeCenters> OpenAsync(string engine) =>
        new(await NetworkCenter.OpenAsync(engine, "A0001", Now), await NetworkCenter.OpenAsync(engine, "B0002", Now), await NetworkCenter.OpenAsync(engine, "C0003", Now));

    /// <summary>Every center delivers its new events to the two others, until nothing new moves (a handler may enqueue in reply).</summary>
    public async Task SettleAsync()
    {
        for (var round = 0; round < 10; round++)
        {
            var moved = 0;
            foreach (var from in All)
            {
                moved += await from.DeliverAsync([.. All.Where(c => c != from)]);
            }

            if (moved == 0)
            {
                return;
            }
        }

        Assert.Fail("the network did not settle in 10 rounds");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in All)
        {
            await c.DisposeAsync();
        }
    }
}
