using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Hub;
using RadRegen.Testing;

namespace RadRegen.Network.Tests.Hub;

/// <summary>
/// One center of a test hub network (<see cref="TestNetworkCenter"/>): a hub service bound to its
/// facility code, its coordinator, and the hub's handlers.
/// </summary>
public sealed class HubCenter : TestNetworkCenter
{
    public const string Password = TestWorld.Password;

    private HubCenter(string code, string hub, TestWorld world, Actor coordinator)
        : base(code, world)
    {
        Coordinator = coordinator;
        Options = new HubOptions(code, hub, $"{code.ToLowerInvariant()}.example.org");
        Hub = new HubService(world.Units, world.Clock, world.Get<SignatureService>(), Options);
        Matching = new HubMatching(world.Units, world.Clock, new CapacityOptions(code, CapacityOptions.DefaultStaleAfter));
        Capacity = new CapacityService(world.Units, world.Clock, new CapacityOptions(code, CapacityOptions.DefaultStaleAfter));
        Handlers = [new HubMemberHandler(), new HubRequestHandler(Options), new HubOfferHandler(Options), new CapacitySnapshotHandler(world.Clock)];
    }

    public Actor Coordinator { get; }

    public HubOptions Options { get; }

    public HubService Hub { get; }

    public HubMatching Matching { get; }

    public CapacityService Capacity { get; }

    public override IReadOnlyList<INetworkEventHandler> Handlers { get; }

    public static async Task<HubCenter> OpenAsync(string engine, string code, string hub, DateTimeOffset now)
    {
        var world = await TestWorld.CreateAsync(engine, new TestClock(now));
        var coordinator = await world.UserAsync("coord-" + code.ToLowerInvariant(), Role.Coordinator);
        return new HubCenter(code, hub, world, coordinator);
    }
}

/// <summary>Three centers: A0001 has the hub role, B0002 and C0003 are centers of the network.</summary>
public static class HubNetwork
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    public static async Task<ThreeTestCenters<HubCenter>> OpenAsync(string engine) =>
        new(await HubCenter.OpenAsync(engine, "A0001", "A0001", Now), await HubCenter.OpenAsync(engine, "B0002", "A0001", Now),
            await HubCenter.OpenAsync(engine, "C0003", "A0001", Now));
}

/// <summary>The inputs the hub tests share.</summary>
public static class HubSamples
{
    public static readonly DateOnly From = new(2026, 1, 1);

    public static MemberInput State(string code = "XS-CA") =>
        new(code, "Competent authority of State X", "state-contact-point", "XS", "ca.xs.example", null, []);

    public static MemberInput Center(string code, int bmtBeds, int biodosimetry = 0, string? product = null, int vials = 0) =>
        new(code, $"Center {code}", "collaborating-center", "JP", $"{code.ToLowerInvariant()}.example.org", code,
        [
            new CapabilityInput("medical-support", "bmt-beds", bmtBeds, Terms: "costs borne by the requesting State", ValidFrom: From),
            .. biodosimetry > 0 ? new[] { new CapabilityInput("dose-assessment", "biodosimetry", biodosimetry, Description: "dicentric assay", ValidFrom: From) } : [],
            .. product is not null ? new[] { new CapabilityInput("medical-support", "ipsc-product", vials, product, 40.5, ValidFrom: From) } : [],
        ]);

    public static NewAssistanceRequest Request(string requester = "XS-CA", string label = "restricted", IReadOnlyList<string>? addressees = null, int bmt = 8) =>
        new(requester, "Marrow transplant beds for overexposed workers", "Specialised treatment of 8 patients with H3-H4 haematopoietic syndrome",
            [new LineInput("medical-support", "bmt-beds", bmt), new LineInput("dose-assessment", "biodosimetry", 200, Note: "dicentric; 100 within 48 h")],
            [new PatientInput("red", 3, 8), new PatientInput("yellow", 2, 12)], "Criticality accident at a fuel plant; doses 3-8 Gy", "urgent", label,
            addressees ?? [], 12);

    public static NewAssistanceOffer Offer(string offerer, int beds = 4) =>
        new(offerer, $"{beds} BMT beds and transport advice", [new LineInput("medical-support", "bmt-beds", beds)], "reimbursed at cost", 125000m, "EUR", null);
}
