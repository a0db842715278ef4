using Dapper;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Network;
using RadRegen.Network.Capacity;
using RadRegen.Storage;

namespace RadRegen.Network.Tests;

/// <summary>
/// An older database joins (ADR 0029): a center whose stock and capacity were recorded — and whose
/// outbox rows went elsewhere (relayed to another network, or before it published stock at all) —
/// tells the network its profile, released stock and latest capacity once when its engine starts,
/// in one unit of work, journaled; a second start publishes nothing.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class NetworkJoinTests(NatsServer nats) : IClassFixture<NatsServer>
{
    [NatsFact]
    public async Task An_older_database_publishes_its_stock_capacity_and_profile_once_when_it_joins()
    {
        var network = "t" + Guid.NewGuid().ToString("N")[..10];
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network, start: false);
        var bank = await ShipmentCutOffTests.SendingBank.CreateAsync(a);
        await bank.ReleasedVialsAsync(3);
        var coordinator = await ShipmentCutOffTests.UserAsync(a, "coord", Role.Coordinator);
        await a.Services.GetRequiredService<CapacityService>().ReportAsync(coordinator, new CapacityReport([new BedCount("BMT", 12, 4)]));
        await using (var connection = await a.Services.GetRequiredService<Database>().OpenAsync())
        {
            // Everything it wrote so far went elsewhere: as if relayed to another network, or never told.
            await connection.ExecuteAsync("UPDATE network_outbox SET relayed_at = '2026-01-01T00:00:00.0000000+00:00'");
        }

        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await a.StartAsync();
        await Eventually.TrueAsync(async () => await CountAsync(b, "SELECT COUNT(*) FROM network_stock WHERE source_center = 'W0001' AND available = 3") == 1,
            "B has A's released stock");
        await Eventually.TrueAsync(async () => await CountAsync(b, "SELECT COUNT(*) FROM network_capacity_snapshots WHERE center = 'W0001' AND available = 4") == 1,
            "B has A's capacity");
        Assert.Contains((await b.StatusAsync()).Centers, c => c.Center.Code == "W0001" && c.Center.KnownBy == "profile");
        Assert.Equal(1, await CountAsync(a, "SELECT COUNT(*) FROM network_joins WHERE network = '" + network + "' AND lots = 1 AND capacity = 1"));
        Assert.Equal(1, await CountAsync(a, "SELECT COUNT(*) FROM journal WHERE record_type = 'network' AND action = 'joined'"));

        // Once: a new start (a fresh NetworkJoin, as in a restarted process) publishes nothing more.
        var before = await CountAsync(a, "SELECT COUNT(*) FROM network_outbox");
        var again = new NetworkJoin(a.Services.GetRequiredService<RadRegen.Core.IUnitOfWorkFactory>(), a.Services.GetRequiredService<RadRegen.Core.IClock>(),
            a.Services.GetRequiredService<CenterSettings>(), a.Services.GetRequiredService<RadRegen.Network.Centers.CenterProfilePublisher>(),
            a.Services.GetRequiredService<RadRegen.Bank.Network.StockPublisher>());
        Assert.False(await again.EnsurePublishedAsync(a.Services.GetRequiredService<RadRegenSettings>().Network!));
        Assert.Equal(before, await CountAsync(a, "SELECT COUNT(*) FROM network_outbox"));
    }

    private static async Task<long> CountAsync(TestCenter center, string sql)
    {
        await using var connection = await center.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
