using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Messaging;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Hub;
using RadRegen.Network.Privacy;
using RadRegen.Testing;

namespace RadRegen.Network.Tests.Hub;

/// <summary>
/// One center of a test hub network: its own database (a <see cref="TestWorld"/>), a hub service bound to
/// its facility code and the hub's handlers; <see cref="DeliverAsync"/> plays the engine: it turns this
/// center's new outbox rows into envelopes and applies them at others, one unit of work each.
/// </summary>
public sealed class HubCenter : IAsyncDisposable
{
    public const string Password = TestWorld.Password;

    private readonly Dictionary<string, long> _delivered = new(StringComparer.Ordinal);

    private HubCenter(string code, string hub, TestWorld world, Actor coordinator)
    {
        Code = code;
        World = world;
        Coordinator = coordinator;
        Options = new HubOptions(code, hub, $"{code.ToLowerInvariant()}.example.org");
        Hub = new HubService(world.Units, world.Clock, world.Get<SignatureService>(), Options);
        Matching = new HubMatching(world.Units, world.Clock, new CapacityOptions(code, CapacityOptions.DefaultStaleAfter));
        Capacity = new CapacityService(world.Units, world.Clock, new CapacityOptions(code, CapacityOptions.DefaultStaleAfter));
        Handlers = [new HubMemberHandler(), new HubRequestHandler(Options), new HubOfferHandler(Options), new CapacitySnapshotHandler(world.Clock)];
    }

    public string Code { get; }

    public TestWorld World { get; }

    public Actor Coordinator { get; }

    public HubOptions Options { get; }

    public HubService Hub { get; }

    public HubMatching Matching { get; }

    public CapacityService Capacity { get; }

    public IReadOnlyList<INetworkEventHandler> Handlers { get; }

    public TestClock Clock => World.Clock;

    public static async Task<HubCenter> OpenAsync(string engine, string code, string hub, DateTimeOffset now)
    {
        var world = await TestWorld.CreateAsync(engine, new TestClock(now));
        var coordinator = await world.UserAsync("coord-" + code.ToLowerInvariant(), Role.Coordinator);
        return new HubCenter(code, hub, world, coordinator);
    }

    public async Task<IReadOnlyList<OutboxRecord>> OutboxAsync(long after = 0)
    {
        await using var uow = await World.Units.BeginAsync(WorkMode.Read);
        return await uow.Store<IOutbox>().ListAsync(after, 10_000);
    }

    public static NetworkEnvelope Envelope(string source, OutboxRecord r) =>
        NetworkEnvelope.Of(source, r);

    public async Task ApplyAsync(NetworkEnvelope envelope)
    {
        var handler = Handlers.Single(h => h.Kind == envelope.Kind);
        Assert.Contains(envelope.SchemaVersion, handler.SchemaVersions);
        await using var uow = await World.Units.BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, envelope, CancellationToken.None);
        await uow.CommitAsync();
    }

    public async Task<int> DeliverAsync(params HubCenter[] to)
    {
        var count = 0;
        foreach (var center in to)
        {
            var rows = await OutboxAsync(_delivered.GetValueOrDefault(center.Code));
            foreach (var r in rows)
            {
                // As the engine: a row addressed to another center (ADR 0029, 0032) never reaches this one.
                if (Addressing.AddresseeOf(r.Event.EntityKey) is { } addressee && addressee != center.Code)
                {
                    _delivered[center.Code] = r.Position;
                    continue;
                }

                await center.ApplyAsync(Envelope(Code, r));
                _delivered[center.Code] = r.Position;
            }

            count += rows.Count;
        }

        return count;
    }

    public ValueTask DisposeAsync() => World.DisposeAsync();
}

/// <summary>Three centers: A0001 has the hub role, B0002 and C0003 are centers of the network.</summary>
public sealed class HubNetwork : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    private HubNetwork(HubCenter a, HubCenter b, HubCenter c) => (A, B, C) = (a, b, c);

    public HubCenter A { get; }

    public HubCenter B { get; }

    public HubCenter C { get; }

    public HubCenter[] All => [A, B, C];

    public static async Task<HubNetwork> OpenAsync(string engine) =>
        new(await HubCenter.OpenAsync(engine, "A0001", "A0001", Now), await HubCenter.OpenAsync(engine, "B0002", "A0001", Now),
            await HubCenter.OpenAsync(engine, "C0003", "A0001", Now));

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
