using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Training.CapacityDrill;

namespace RadRegen.Network.Tests;

/// <summary>The network capacity drill (issue 15 item 6, ADR 0034) over a real nats-server: three centers, the drill and the answers travel as drill.* events.</summary>
public sealed class CapacityDrillNatsTests(NatsServer nats) : IClassFixture<NatsServer>
{
    [NatsFact]
    public async Task A_drill_reaches_the_centers_asked_and_the_lead_sees_each_answer_timed_and_who_never_answered()
    {
        var network = "t" + Guid.NewGuid().ToString("N")[..10];
        var known = new HashSet<string>(["W0001", "W0002", "W0003"], StringComparer.Ordinal);
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network, known: known);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network, known: known);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network, known: known);
        var trainer = new Actor(1, "trainer1", new HashSet<Role> { Role.Trainer });
        var coordinator = new Actor(2, "coord1", new HashSet<Role> { Role.Coordinator });
        var lead = a.Services.GetRequiredService<CapacityDrillService>();
        var drill = await lead.StartAsync(trainer, new NewCapacityDrill("Surge TTX", 300, "BMT"));
        Wake(a);

        var atB = b.Services.GetRequiredService<CapacityDrillService>();
        await Eventually.TrueAsync(async () => (await atB.ListAsync(coordinator)).Any(d => d.Id == drill.Id), "B hears of the drill");
        await Eventually.TrueAsync(async () => (await c.Services.GetRequiredService<CapacityDrillService>().ListAsync(coordinator)).Any(d => d.Id == drill.Id), "C hears of the drill");
        var answer = await atB.AnswerAsync(coordinator, drill.Id, new DrillAnswerInput(40, 250));
        Wake(b);

        await Eventually.TrueAsync(async () => (await lead.ResultAsync(trainer, drill.Id)).Centers.Single(x => x.Answer.Center == "W0002").Answer.Answered,
            "the lead hears B's answer");
        var result = await lead.ResultAsync(trainer, drill.Id);
        var fromB = result.Centers.Single(x => x.Answer.Center == "W0002");
        Assert.Equal(answer.AnsweredAt!.Value - drill.StartedAt, fromB.TimeToReport);
        Assert.Equal(50, fromB.Shortfall);
        Assert.Equal(["W0003"], result.NeverAnswered);
        Assert.Equal(350, result.ShortfallTotal);
        foreach (var center in new[] { a, b, c })
        {
            Assert.Equal(0, (await center.StatusAsync()).ParkedCount);
        }
    }

    private static void Wake(TestCenter center) => center.Services.GetRequiredService<RadRegen.Hosting.Network.OutboxRelay>().Wake();
}
