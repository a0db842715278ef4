using RadRegen.Core;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;
using RadRegen.Network.Privacy;

namespace RadRegen.Testing;

/// <summary>
/// One center of a test network without a NATS server: a database of its own (a <see cref="TestWorld"/>)
/// and the event handlers it applies. <see cref="DeliverAsync"/> plays the engine's part: it turns this
/// center's new outbox rows into envelopes and applies them at others, one unit of work each, and, as
/// the engine does (ADR 0029), never hands a row addressed to one center to another. The inbox's
/// versioning and parking are the engine's own tests' matter (tests/RadRegen.Network.Tests).
/// </summary>
public abstract class TestNetworkCenter(string code, TestWorld world) : IAsyncDisposable
{
    private readonly Dictionary<string, long> _delivered = new(StringComparer.Ordinal);

    public string Code { get; } = code;

    public TestWorld World { get; } = world;

    public TestClock Clock => World.Clock;

    /// <summary>The handlers this center applies others' events with (one per kind).</summary>
    public abstract IReadOnlyList<INetworkEventHandler> Handlers { get; }

    /// <summary>The envelope the engine would send for <paramref name="record"/> from <paramref name="source"/>.</summary>
    public static NetworkEnvelope Envelope(string source, OutboxRecord record) => NetworkEnvelope.Of(source, record);

    public async Task<IReadOnlyList<OutboxRecord>> OutboxAsync(long after = 0)
    {
        await using var uow = await World.Units.BeginAsync(WorkMode.Read);
        return await uow.Store<IOutbox>().ListAsync(after, 10_000);
    }

    /// <summary>Applies one envelope in its own unit of work, as the consumer does.</summary>
    public async Task ApplyAsync(NetworkEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var handler = Handlers.Single(h => h.Kind == envelope.Kind);
        Assert.Contains(envelope.SchemaVersion, handler.SchemaVersions);
        await using var uow = await World.Units.BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, envelope, CancellationToken.None);
        await uow.CommitAsync();
    }

    /// <summary>Delivers this center's outbox rows not yet delivered to each of <paramref name="to"/>, in order; returns how many rows moved.</summary>
    public async Task<int> DeliverAsync(params TestNetworkCenter[] to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var count = 0;
        foreach (var center in to)
        {
            var rows = await OutboxAsync(_delivered.GetValueOrDefault(center.Code));
            foreach (var r in rows)
            {
                if (Addressing.AddresseeOf(r.Event.EntityKey) is not { } addressee || addressee == center.Code)
                {
                    await center.ApplyAsync(Envelope(Code, r));
                }

                _delivered[center.Code] = r.Position;
            }

            count += rows.Count;
        }

        return count;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return World.DisposeAsync();
    }
}

/// <summary>Three centers of one test network (A0001, B0002, C0003).</summary>
public sealed class ThreeTestCenters<TCenter>(TCenter a, TCenter b, TCenter c) : IAsyncDisposable
    where TCenter : TestNetworkCenter
{
    public TCenter A { get; } = a;

    public TCenter B { get; } = b;

    public TCenter C { get; } = c;

    public TCenter[] All => [A, B, C];

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
