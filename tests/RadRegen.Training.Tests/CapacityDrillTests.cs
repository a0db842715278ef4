using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Testing;
using RadRegen.Training.CapacityDrill;

namespace RadRegen.Training.Tests;

/// <summary>One center of a test network with the capacity drill's service and handlers bound to its code.</summary>
public sealed class DrillCenter : TestNetworkCenter
{
    private DrillCenter(string code, TestWorld world, IReadOnlySet<string> known)
        : base(code, world)
    {
        var membership = new NetworkMembership(code, known);
        Drills = new CapacityDrillService(world.Units, world.Clock, membership);
        Handlers = [new CapacityDrillHandler(membership), new DrillAnswerHandler()];
    }

    public CapacityDrillService Drills { get; }

    public override IReadOnlyList<INetworkEventHandler> Handlers { get; }

    public static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    public static async Task<DrillCenter> OpenAsync(string engine, string code, params string[] known) =>
        new(code, await TestWorld.CreateAsync(engine, new TestClock(Now)), new HashSet<string>(known, StringComparer.Ordinal));

    public static async Task<ThreeTestCenters<DrillCenter>> ThreeAsync(string engine)
    {
        string[] all = ["A0001", "B0002", "C0003"];
        return new(await OpenAsync(engine, "A0001", all), await OpenAsync(engine, "B0002", all), await OpenAsync(engine, "C0003", all));
    }
}

/// <summary>The network capacity drill (issue 15 item 6) across three centers, envelopes from each outbox applied by the handlers.</summary>
public class CapacityDrillTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_lead_sees_each_centers_time_to_report_and_shortfall_and_who_never_answered(string engine)
    {
        await using var net = await DrillCenter.ThreeAsync(engine);
        var trainer = await net.A.World.UserAsync("trainer1", Role.Trainer);
        var coordB = await net.B.World.UserAsync("coord-b", Role.Coordinator);
        var drill = await net.A.Drills.StartAsync(trainer, new NewCapacityDrill("TTX 2026 surge", 300, "BMT"));
        Assert.Equal("A0001-1", drill.Id);
        Assert.Equal(drill.StartedAt + CapacityDrillService.DefaultAnswerWithin, drill.DeadlineAt);
        await net.SettleAsync();

        // B is asked and answers after 12 minutes: 120 beds, 180 of the 300 accepted; C never answers.
        Assert.Single(await net.B.Drills.ListAsync(coordB));
        net.B.Clock.Advance(TimeSpan.FromMinutes(12));
        var answer = await net.B.Drills.AnswerAsync(coordB, drill.Id, new DrillAnswerInput(120, 180, "surge ward opened"));
        await Assert.ThrowsAsync<ConflictException>(() => net.B.Drills.AnswerAsync(coordB, drill.Id, new DrillAnswerInput(120, 180)));
        await net.SettleAsync();

        net.A.Clock.Advance(TimeSpan.FromMinutes(45));
        var result = await net.A.Drills.ResultAsync(trainer, drill.Id);
        var b = result.Centers.Single(c => c.Answer.Center == "B0002");
        Assert.Equal(TimeSpan.FromMinutes(12), b.TimeToReport);
        Assert.Equal(120, b.Answer.BedsAvailable);
        Assert.Equal(120, b.Shortfall);
        Assert.False(b.Late);
        var c = result.Centers.Single(x => x.Answer.Center == "C0003");
        Assert.Null(c.TimeToReport);
        Assert.Equal(300, c.Shortfall);
        Assert.Equal(["C0003"], result.NeverAnswered);
        Assert.Equal(600, result.QuotaTotal);
        Assert.Equal(180, result.AcceptedTotal);
        Assert.Equal(420, result.ShortfallTotal);
        Assert.False(result.Open);
        Assert.Equal(answer.AnsweredAt, b.Answer.AnsweredAt);

        // Nothing of the drill is real capacity: no snapshot at any center.
        foreach (var center in net.All)
        {
            await using var uow = await center.World.Units.BeginAsync(WorkMode.Read);
            Assert.Empty(await uow.Store<ICapacityStore>().ListSnapshotsAsync(CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_drill_cannot_start_without_a_network_and_bad_answers_are_refused(string engine)
    {
        await using var alone = await DrillCenter.OpenAsync(engine, "A0001");
        var trainer = await alone.World.UserAsync("trainer1", Role.Trainer);
        Assert.False(alone.Drills.NetworkConfigured);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => alone.Drills.StartAsync(trainer, new NewCapacityDrill("x", 10)));
        Assert.Contains("no network of centers is configured", refused.Message, StringComparison.Ordinal);

        await using var net = await DrillCenter.ThreeAsync(engine);
        var lead = await net.A.World.UserAsync("coord-a", Role.Coordinator);
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => net.A.Drills.StartAsync(lead, new NewCapacityDrill("", 0, "ward", ["Z9999"])));
        Assert.Equal(new HashSet<string> { "reference", "quota", "bedType", "centers[0]" }, bad.Errors.Select(e => e.Field).ToHashSet());
        var admin = await net.A.World.UserAsync("admin1", Role.Admin);
        await Assert.ThrowsAsync<ForbiddenException>(() => net.A.Drills.StartAsync(admin, new NewCapacityDrill("x", 10)));

        // Only C is asked: B stores nothing and cannot answer.
        var drill = await net.A.Drills.StartAsync(lead, new NewCapacityDrill("comms check", 5, null, ["C0003"]));
        await net.SettleAsync();
        var coordB = await net.B.World.UserAsync("coord-b", Role.Coordinator);
        Assert.Empty(await net.B.Drills.ListAsync(coordB));
        await Assert.ThrowsAsync<NotFoundException>(() => net.B.Drills.AnswerAsync(coordB, drill.Id, new DrillAnswerInput(1, 1)));
        var coordC = await net.C.World.UserAsync("coord-c", Role.Coordinator);
        var over = await Assert.ThrowsAsync<DomainValidationException>(() => net.C.Drills.AnswerAsync(coordC, drill.Id, new DrillAnswerInput(null, 6)));
        Assert.Equal(new HashSet<string> { "bedsAvailable", "accepted" }, over.Errors.Select(e => e.Field).ToHashSet());

        // A forged answer (a center answering for another) is refused by the handler.
        var forged = new NetworkEnvelope(Guid.NewGuid(), DrillAnswerPayload.SchemaVersion, "B0002", CapacityDrillEvents.Answer,
            DrillAnswerPayload.EntityKey(drill.Id, "C0003"), 1, DrillCenter.Now,
            System.Text.Json.JsonSerializer.Serialize(new DrillAnswerPayload(drill.Id, "C0003", 5, 5, DrillCenter.Now, "x", null), NetworkJson.Options));
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => net.A.ApplyAsync(forged));
        Assert.Equal("center", ex.Errors.Single().Field);
    }
}
