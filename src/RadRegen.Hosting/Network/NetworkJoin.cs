using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Centers;
using RadRegen.Network.Inbox;

namespace RadRegen.Hosting.Network;

/// <summary>
/// A center that starts with a network for the first time tells it what it already has (ADR 0029):
/// an older database that had stock, capacity and a profile before it joined — or that was in
/// another network — would otherwise stay silent about them until each changed. Once per network
/// (<c>network_joins</c>), in one unit of work: the profile (first, so it precedes the rest), every
/// released lot's stock, this center's latest capacity snapshots, journaled; so it happens once
/// whatever crashes, and two server processes starting together publish it once.
/// </summary>
public sealed class NetworkJoin(IUnitOfWorkFactory units, IClock clock, CenterSettings center, CenterProfilePublisher profiles,
    RadRegen.Bank.Network.StockPublisher stock)
{
    private volatile bool _done;

    /// <summary>Publishes this center's whole state to <paramref name="network"/> unless it was; returns whether it did.</summary>
    public async Task<bool> EnsurePublishedAsync(NetworkSettings network, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_done)
        {
            return false; // the relay asks at each round: one look at the database per process
        }

        await using (var read = await units.BeginAsync(WorkMode.Read, ct))
        {
            if (await read.Store<INetworkStore>().JoinedAsync(network.Name, ct) is not null)
            {
                _done = true;
                return false;
            }
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<INetworkStore>();
        var now = clock.UtcNow;
        await profiles.EnsurePublishedAsync(uow, new CenterProfile(network.Center, center.Name, center.TimeZone.Id, center.Capabilities), force: true, ct);
        var lots = await stock.PublishAllAsync(uow, ct);
        var capacity = await RadRegen.Network.Capacity.CapacityService.EnqueueLatestAsync(uow, network.Center, now, ct);
        if (!await store.RecordJoinAsync(network.Name, network.Center, now, lots, capacity, ct))
        {
            _done = true;
            return false; // another process of this center did it first; this unit of work is rolled back
        }

        await uow.Journal.AppendAsync("system", new JournalRecord("network", network.Name, "joined",
            new { center = network.Center, url = network.Url.ToString().TrimEnd('/'), lots, capacity }), ct);
        await uow.CommitAsync(ct);
        _done = true;
        return true;
    }
}
