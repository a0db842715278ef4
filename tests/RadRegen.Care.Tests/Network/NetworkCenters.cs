using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Transfers;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Network;

/// <summary>
/// One center of a test network (<see cref="TestNetworkCenter"/>) with the capacity and transfer
/// services and handlers bound to its facility code.
/// </summary>
public sealed class NetworkCenter : TestNetworkCenter
{
    private NetworkCenter(string code, TestWorld world)
        : base(code, world)
    {
        var options = new CapacityOptions(code, CapacityOptions.DefaultStaleAfter);
        Capacity = new CapacityService(world.Units, world.Clock, options);
        Transfers = new TransferService(world.Units, world.Clock, options);
        Handlers = [new CapacitySnapshotHandler(world.Clock), new PatientTransferHandler(world.Care, options, world.Clock)];
    }

    public CareService Care => World.Care;

    public CapacityService Capacity { get; }

    public TransferService Transfers { get; }

    public override IReadOnlyList<INetworkEventHandler> Handlers { get; }

    public static async Task<NetworkCenter> OpenAsync(string engine, string code, DateTimeOffset now) =>
        new(code, await TestWorld.CreateAsync(engine, new TestClock(now)));
}

/// <summary>Three centers of one test network.</summary>
public static class ThreeCenters
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    public static async Task<ThreeTestCenters<NetworkCenter>> OpenAsync(string engine) =>
        new(await NetworkCenter.OpenAsync(engine, "A0001", Now), await NetworkCenter.OpenAsync(engine, "B0002", Now), await NetworkCenter.OpenAsync(engine, "C0003", Now));
}
