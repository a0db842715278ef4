using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Messaging;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Shipments;

/// <summary>
/// Two centers, each with its own database and services, on one test clock: A (W0001, the demo
/// bank world: catalogue, donor, line, box, people) sends; B (W0002) requests and receives. The
/// network is simulated the way the engine's consumer delivers: envelopes built from one center's
/// outbox rows, handed to the other's <see cref="INetworkEventHandler"/> in a unit of work.
/// </summary>
public sealed class TwoCenters : IAsyncDisposable
{
    public const string CodeA = "W0001";
    public const string CodeB = "W0002";

    private readonly Dictionary<string, long> _relayed = [];

    private TwoCenters(BankWorld a, TestDatabase dbB, ServiceProvider b)
    {
        A = a;
        DbB = dbB;
        B = b;
    }

    public BankWorld A { get; }

    public ServiceProvider B { get; }

    private TestDatabase DbB { get; }

    public TestClock Clock => A.Clock;

    public ShipmentService ShipmentsA => A.Services.GetRequiredService<ShipmentService>();

    public ShipmentService ShipmentsB => B.GetRequiredService<ShipmentService>();

    public Actor TechB { get; private set; } = null!;

    public Actor QaB { get; private set; } = null!;

    public Actor DoctorB { get; private set; } = null!;

    public Actor CoordinatorB { get; private set; } = null!;

    public BankService BankB => B.GetRequiredService<BankService>();

    private StorageLocation? _boxB;

    /// <summary>A box at B (catalogue, a local line and a −150 °C tank laid down the first time): where QA accepts received vials.</summary>
    public async Task<StorageLocation> BoxBAsync()
    {
        if (_boxB is null)
        {
            await BankB.EnsureCatalogueAsync(BankWorld.System);
            var laid = await BankWorld.LayDownAsync(BankB, TechB, "D-B0001");
            _boxB = await BankB.CreateLocationAsync(TechB, new CreateLocationRequest(laid.Rack.Id, LocationKind.Box, "IN-1", 9, 9));
        }

        return _boxB;
    }

    public static async Task<TwoCenters> CreateAsync(string engine)
    {
        var a = await BankWorld.CreateAsync(engine);
        var db = await TestDatabases.CreateMigratedAsync(engine);
        var settings = RadRegenSettings.ForDemo(db.Target) with { Center = new CenterSettings("Second center", CodeB, TimeZoneInfo.Utc) };
        var services = new ServiceCollection().AddRadRegen(settings).AddTestPasswordHashing();
        services.AddSingleton<IClock>(a.Clock);
        var b = services.BuildServiceProvider();
        var two = new TwoCenters(a, db, b);
        var access = b.GetRequiredService<AccessService>();
        async Task<Actor> User(string name, Role role) =>
            (await access.AddUserAsync(BankWorld.System, name, name, new HashSet<Role> { role }, BankWorld.Password)).ToActor();
        two.TechB = await User("techb", Role.CpcTechnician);
        two.QaB = await User("qab", Role.QaOfficer);
        two.DoctorB = await User("docb", Role.Physician);
        two.CoordinatorB = await User("coordb", Role.Coordinator);
        var qaA = a.Qa;
        await two.ShipmentsA.ConfigureAsync(qaA, 90, 15, "SOP-SHIP-001 rev 3 (test)");
        await two.ShipmentsB.ConfigureAsync(two.QaB, 90, 15, "SOP-SHIP-001 rev 3 (test)");
        return two;
    }

    /// <summary>Delivers every shipment event of <paramref name="from"/> not yet delivered to <paramref name="to"/>; returns how many.</summary>
    public async Task<int> RelayAsync(string from, string to)
    {
        var (source, target) = (Provider(from), Provider(to));
        var key = from + ">" + to;
        var after = _relayed.GetValueOrDefault(key);
        IReadOnlyList<OutboxRecord> rows;
        await using (var read = await source.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read))
        {
            rows = await read.Store<IOutbox>().ListAsync(after, 10_000);
        }

        var handler = target.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.Shipment);
        foreach (var row in rows.Where(r => r.Event.Kind == EventKinds.Shipment))
        {
            await ApplyAsync(to, handler, Envelope(from, row));
        }

        if (rows.Count > 0)
        {
            _relayed[key] = rows[^1].Position;
        }

        return rows.Count(r => r.Event.Kind == EventKinds.Shipment);
    }

    public async Task<IReadOnlyList<OutboxRecord>> OutboxAsync(string center)
    {
        await using var read = await Provider(center).GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        return await read.Store<IOutbox>().ListAsync(0, 10_000);
    }

    public static NetworkEnvelope Envelope(string source, OutboxRecord row) => new(row.EventId, row.Event.SchemaVersion, source, row.Event.Kind,
        row.Event.EntityKey, row.Position, row.OccurredAt, row.Event.PayloadJson);

    public async Task ApplyAsync(string center, INetworkEventHandler handler, NetworkEnvelope envelope)
    {
        await using var uow = await Provider(center).GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
        await handler.ApplyAsync(uow, envelope, CancellationToken.None);
        await uow.CommitAsync();
    }

    public INetworkEventHandler HandlerOf(string center) =>
        Provider(center).GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.Shipment);

    private IServiceProvider Provider(string center) => center == CodeA ? A.Services : center == CodeB ? B : throw new ArgumentOutOfRangeException(nameof(center));

    /// <summary>A shipper at A, registered, qualified <paramref name="qualifiedDaysAgo"/> days ago with <paramref name="holdHours"/> of hold, charged now.</summary>
    public async Task<DryShipper> ShipperAsync(string serial, double holdHours = 240, int qualifiedDaysAgo = 10, bool charge = true)
    {
        await ShipmentsA.RegisterShipperAsync(A.Tech, serial, "Vapour shipper VS-10", Clock.UtcNow.AddDays(-qualifiedDaysAgo), holdHours, "QR-" + serial);
        return charge ? await ShipmentsA.ChargeShipperAsync(A.Tech, serial, null) : (await ShipmentsA.ListShippersAsync(A.Tech)).Single(s => s.Shipper.Serial == serial).Shipper;
    }

    /// <summary>A released lot at A with <paramref name="count"/> vials; their identities.</summary>
    public async Task<IReadOnlyList<VialIdentity>> ReleasedVialsAsync(int count)
    {
        var lot = await A.ReleasedLotAsync(count);
        return [.. (await A.VialsAsync(lot)).Select(v => new VialIdentity(v.Din, v.ProductCode, v.Division))];
    }

    /// <summary>B requests the vials from A, A sees the request, packs into <paramref name="shipper"/>, hands it to the courier; B sees it dispatched.</summary>
    public async Task<string> DispatchedAsync(IReadOnlyList<VialIdentity> vials, string shipper, double transitHours = 48)
    {
        var request = await ShipmentsB.RequestAsync(DoctorB, CodeA, "radiation accident: two ARS patients need MSC-like cells",
            [new RequestLine(vials[0].ProductCode, vials.Count, [])]);
        await RelayAsync(CodeB, CodeA);
        await ShipmentsA.PackAsync(A.Tech, request.Id, shipper, transitHours, vials);
        await ShipmentsA.DispatchAsync(A.Tech, request.Id, "Cryo Courier Ltd (J. Doe)", "TRK-1", BankWorld.Password, null);
        await RelayAsync(CodeA, CodeB);
        return request.Id;
    }

    /// <summary>Logger readings every <paramref name="everyMinutes"/> from <paramref name="from"/> to <paramref name="to"/> at <paramref name="celsius"/>.</summary>
    public static List<LoggerPoint> Series(DateTimeOffset from, DateTimeOffset to, int everyMinutes, double celsius = -185)
    {
        var points = new List<LoggerPoint>();
        for (var t = from; t <= to; t = t.AddMinutes(everyMinutes))
        {
            points.Add(new LoggerPoint(t, celsius));
        }

        return points;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await DbB.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>One <see cref="TwoCenters"/> per engine for a test class (each test uses its own lot, shipper and shipment).</summary>
public sealed class SharedTwoCenters : IAsyncLifetime
{
    private readonly Dictionary<string, Task<TwoCenters>> _worlds = [];

    public Task<TwoCenters> ForAsync(string engine)
    {
        if (!_worlds.TryGetValue(engine, out var world))
        {
            world = TwoCenters.CreateAsync(engine);
            _worlds[engine] = world;
        }

        return world;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var w in _worlds.Values)
        {
            await (await w).DisposeAsync();
        }
    }
}
