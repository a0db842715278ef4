using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Network.Inbox;

/// <summary>One other center as the status shows it: identity, capabilities, last event applied and lag.</summary>
/// <param name="Lag">now − the occurred time of the last event applied from it (null before any).</param>
/// <param name="DeliveryDelay">For that event, applied here − occurred there.</param>
public sealed record CenterStatus(NetworkCenter Center, TimeSpan? Lag, TimeSpan? DeliveryDelay);

/// <summary>
/// The network as this center sees it (<c>radregen network status</c>, <c>/network</c>): its own
/// membership, the link, the outbox, the centers seen and the parked events.
/// </summary>
/// <param name="Center">This center's code ("" when it has none).</param>
/// <param name="Joined">Whether this process's configuration joins a network (<c>Network:Url</c>).</param>
/// <param name="Link">The link as the server's engine last recorded it; null when no engine ever ran on this database.</param>
public sealed record NetworkStatus(
    string Center,
    bool Joined,
    DateTimeOffset At,
    LinkState? Link,
    OutboxSummary Outbox,
    IReadOnlyList<CenterStatus> Centers,
    long ParkedCount,
    IReadOnlyList<ParkedEvent> RecentParked);

/// <summary>Reads the <see cref="NetworkStatus"/> from the database (one read-only unit of work).</summary>
public sealed class NetworkStatusReader(IUnitOfWorkFactory units, IClock clock, NetworkMembership membership)
{
    /// <summary>How many parked events the status lists (the count is of all).</summary>
    public const int RecentParkedLimit = 50;

    public async Task<NetworkStatus> ReadAsync(Actor actor, bool joined, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<INetworkStore>();
        var now = clock.UtcNow;
        var centers = await store.CentersAsync(ct);
        return new NetworkStatus(
            membership.Center,
            joined,
            now,
            await store.LinkAsync(ct),
            await store.OutboxSummaryAsync(ct),
            [.. centers.Select(c => new CenterStatus(c, c.Lag(now), c.DeliveryDelay))],
            await store.ParkedCountAsync(ct),
            await store.ParkedAsync(RecentParkedLimit, ct));
    }
}
