using Microsoft.Extensions.DependencyInjection;
using RadRegen.Network.Inbox;

namespace RadRegen.Network.Tests;

/// <summary>
/// Three centers (three SQLite databases, three engines in this process) on one real nats-server:
/// they converge; a center cut off keeps working and catches up; nothing is lost or applied twice.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class NetworkEngineTests(NatsServer nats) : IClassFixture<NatsServer>
{
    private static string NewNetwork() => "t" + Guid.NewGuid().ToString("N")[..10];

    [NatsFact]
    public async Task Three_centers_converge_and_know_each_other()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        TestCenter[] all = [a, b, c];
        for (var i = 0; i < 12; i++)
        {
            foreach (var center in all)
            {
                await center.WriteAsync("thing/" + (i % 4), i);
            }
        }

        await ConvergedAsync(all);
        foreach (var center in all)
        {
            var status = await center.StatusAsync();
            Assert.Equal(all.Where(o => o != center).Select(o => o.Code).Order(), status.Centers.Select(s => s.Center.Code).Order());
            Assert.All(status.Centers, s => Assert.Equal("profile", s.Center.KnownBy));
            Assert.All(status.Centers, s => Assert.StartsWith("Center ", s.Center.Name, StringComparison.Ordinal));
            Assert.All(status.Centers, s => Assert.NotNull(s.Lag));
            Assert.Equal(0, status.Outbox.Pending);
            Assert.Equal(0, status.ParkedCount);
            Assert.Equal(LinkStatus.Connected, status.Link?.Status);
            AssertAppliedOnceAndNeverBackwards(center);
        }

        var bSeenByA = (await a.StatusAsync()).Centers.Single(s => s.Center.Code == "W0002").Center;
        Assert.Equal(new RadRegen.Network.Centers.CenterCapabilities(20, true, false, true), bSeenByA.Capabilities);
        Assert.True((await b.StatusAsync()).Centers.Single(s => s.Center.Code == "W0001").Center.Capabilities.BiodosimetryLab);
    }

    [NatsFact]
    public async Task A_center_cut_off_keeps_working_and_catches_up_with_nothing_lost()
    {
        var network = NewNetwork();
        await using var proxy = new TcpProxy(nats.Port);
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", proxy.Url, network);
        TestCenter[] all = [a, b, c];
        await a.WriteAsync("stock/1", 1);
        await c.WriteAsync("shipment/1", 1);
        await ConvergedAsync(all);

        proxy.Cut();
        await Eventually.TrueAsync(async () => (await c.StatusAsync()).Link?.Status == LinkStatus.Disconnected, "C records its link as disconnected");
        for (var i = 0; i < 10; i++)
        {
            await c.WriteAsync("shipment/" + (i % 3), 10 + i);   // C goes on working: its changes wait in its outbox
            await a.WriteAsync("stock/" + (i % 2), 10 + i);      // and the others' changes wait in the stream
        }

        await Task.Delay(300);
        Assert.True(await c.PendingAsync() > 0, "C's events wait in its outbox while it is cut off");
        Assert.False((await b.AppliedFromAsync("W0003")).ContainsKey("shipment/0"), "nothing of C's reaches B while C is cut off");

        proxy.Restore();
        await ConvergedAsync(all);
        Assert.Equal(LinkStatus.Connected, (await c.StatusAsync()).Link?.Status);
        foreach (var center in all)
        {
            AssertAppliedOnceAndNeverBackwards(center);
        }
    }

    [NatsFact]
    public async Task Events_before_the_senders_profile_are_parked_then_applied_when_it_arrives()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        var stranger = new RadRegen.Network.Events.NetworkEnvelope(Guid.NewGuid(), 1, "W0009", RecordingHandler.TestKind, "thing/x", 5,
            DateTimeOffset.UtcNow, "{\"value\":1}");
        var inbox = a.Services.GetRequiredService<NetworkInbox>();
        Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(stranger));
        var parked = (await a.StatusAsync()).RecentParked.Single();
        Assert.Equal(ParkReasons.UnknownCenter, parked.ReasonCode);
        Assert.Contains("W0009", parked.Reason, StringComparison.Ordinal);

        var profile = new RadRegen.Network.Events.NetworkEnvelope(Guid.NewGuid(), 1, "W0009", RadRegen.Network.Events.EventKinds.CenterProfile, "center/W0009", 1,
            DateTimeOffset.UtcNow, new RadRegen.Network.Centers.CenterProfile("W0009", "Late center", "UTC", RadRegen.Network.Centers.CenterCapabilities.None).ToJson());
        Assert.Equal(InboxOutcome.Applied, await inbox.ReceiveAsync(profile));
        Assert.Equal(0, (await a.StatusAsync()).ParkedCount);
        Assert.Equal(5, (await a.AppliedFromAsync("W0009"))["thing/x"]);
        await ConvergedAsync([a, b]);
    }

    internal static async Task ConvergedAsync(IReadOnlyList<TestCenter> centers)
    {
        await Eventually.TrueAsync(async () =>
        {
            foreach (var source in centers)
            {
                if (await source.PendingAsync() > 0)
                {
                    return false;
                }

                var latest = await source.OwnLatestAsync();
                foreach (var other in centers.Where(o => o != source))
                {
                    var applied = await other.AppliedFromAsync(source.Code);
                    if (latest.Count != applied.Count || latest.Any(kv => !applied.TryGetValue(kv.Key, out var v) || v != kv.Value))
                    {
                        return false;
                    }
                }
            }

            return true;
        }, "every center has applied every other center's newest version of every entity, and every outbox is relayed", describe: async () =>
        {
            var text = new System.Text.StringBuilder();
            foreach (var source in centers)
            {
                var status = await source.StatusAsync();
                text.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"{source.Code}: pending {status.Outbox.Pending}, link {status.Link?.Status}, parked {status.ParkedCount}; own [{string.Join(",", (await source.OwnLatestAsync()).Select(kv => kv.Key + "=" + kv.Value))}]");
                foreach (var other in centers.Where(o => o != source))
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture,
                        $"; from {other.Code} [{string.Join(",", (await source.AppliedFromAsync(other.Code)).Select(kv => kv.Key + "=" + kv.Value))}]");
                }

                text.AppendLine();
            }

            return text.ToString();
        });
    }

    internal static void AssertAppliedOnceAndNeverBackwards(TestCenter center)
    {
        var applied = center.Handler.Applied.ToList();
        Assert.Equal(applied.Count, applied.Select(e => e.EventId).Distinct().Count());
        foreach (var entity in applied.GroupBy(e => (e.SourceCenter, e.EntityKey)))
        {
            var versions = entity.Select(e => e.EntityVersion).ToList();
            Assert.Equal(versions.Order(), versions);
        }
    }
}

/// <summary>The NATS server stops and starts again on the same store: nothing relayed before or written during the outage is lost.</summary>
[Trait("Kind", "Integration")]
public sealed class NetworkServerRestartTests(NatsServer nats) : IClassFixture<NatsServer>
{
    [NatsFact]
    public async Task The_server_restarted_loses_nothing()
    {
        var network = "restart";
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        for (var i = 0; i < 5; i++)
        {
            await a.WriteAsync("stock/" + i, i);
        }

        await NetworkEngineTests.ConvergedAsync([a, b]);
        await nats.StopAsync();
        await Eventually.TrueAsync(async () => (await a.StatusAsync()).Link?.Status == LinkStatus.Disconnected, "A records the link as down");
        for (var i = 0; i < 5; i++)
        {
            await a.WriteAsync("stock/" + i, 100 + i);
            await b.WriteAsync("bed/" + i, 100 + i);
        }

        await nats.StartAsync();
        await NetworkEngineTests.ConvergedAsync([a, b]);
        NetworkEngineTests.AssertAppliedOnceAndNeverBackwards(a);
        NetworkEngineTests.AssertAppliedOnceAndNeverBackwards(b);
    }
}
