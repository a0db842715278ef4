using Dapper;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Network.Shipments;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Network.Tests;

/// <summary>
/// Issue 13 item 7, "a center cut off during a shipment and reconnected", over a real nats-server:
/// three centers (A sends, B requests and receives, C looks on); B is cut off behind a loopback
/// proxy while A hands the shipper to the courier with a signature. A keeps working; on reconnect B
/// sees the dispatched shipment and receives it; A sees the receipt. Every shipment event reaches
/// its counterpart once: nothing lost, nothing applied twice (inbox rows and journal entries counted).
/// </summary>
[Trait("Kind", "Integration")]
public sealed class ShipmentCutOffTests(NatsServer nats) : IClassFixture<NatsServer>
{
    private const string Password = TestWorld.Password;

    [NatsFact]
    public async Task A_receiver_cut_off_while_the_sender_dispatches_receives_after_reconnect_and_the_sender_sees_the_receipt()
    {
        var network = "t" + Guid.NewGuid().ToString("N")[..10];
        await using var proxy = new TcpProxy(nats.Port);
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", proxy.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        var bank = await SendingBank.CreateAsync(a);
        var shipmentsA = a.Services.GetRequiredService<ShipmentService>();
        var shipmentsB = b.Services.GetRequiredService<ShipmentService>();
        var techB = await UserAsync(b, "techb", Role.CpcTechnician);
        var doctorB = await UserAsync(b, "docb", Role.Physician);
        var qaB = await UserAsync(b, "qab", Role.QaOfficer);
        var techC = await UserAsync(c, "techc", Role.CpcTechnician);
        await shipmentsA.ConfigureAsync(bank.Qa, 90, 15, "SOP-SHIP-001 rev 3 (test)");
        await shipmentsB.ConfigureAsync(qaB, 90, 15, "SOP-SHIP-001 rev 3 (test)");
        await shipmentsA.RegisterShipperAsync(bank.Tech, "DS-CUT", "Vapour shipper VS-10", DateTimeOffset.UtcNow.AddDays(-10), 240, "QR-DS-CUT");
        await shipmentsA.ChargeShipperAsync(bank.Tech, "DS-CUT", null);
        var vials = await bank.ReleasedVialsAsync(2);

        // B requests over the network; A packs once it has the request; B sees the packing.
        var id = (await shipmentsB.RequestAsync(doctorB, "W0001", "radiation accident: two ARS patients need MSC-like cells",
            [new RequestLine(vials[0].ProductCode, 2, [])])).Id;
        await Eventually.TrueAsync(async () => await StateAsync(shipmentsA, bank.Tech, id) == ShipmentState.Requested, "A sees B's request");
        await shipmentsA.PackAsync(bank.Tech, id, "DS-CUT", 48, vials);
        await Eventually.TrueAsync(async () => await StateAsync(shipmentsB, techB, id) == ShipmentState.Packed, "B sees the shipment packed");

        // B is cut off; A hands the shipper to the courier, signed, and goes on working.
        proxy.Cut();
        await Eventually.TrueAsync(async () => (await b.StatusAsync()).Link?.Status == LinkStatus.Disconnected, "B records its link as disconnected");
        var dispatchedAt = DateTimeOffset.UtcNow;
        var dispatched = await shipmentsA.DispatchAsync(bank.Tech, id, "Cryo Courier Ltd (J. Doe)", "TRK-CUT", Password, null);
        Assert.Equal(ShipmentState.Dispatched, dispatched.State);
        Assert.True(Assert.Single(dispatched.Sender.HandOffs).SignatureId > 0);
        Assert.Equal(VialStatus.Shipped, (await bank.Bank.FindVialAsync(bank.Tech, vials[0].Din, vials[0].ProductCode, vials[0].Division)).Status);
        await shipmentsA.RegisterShipperAsync(bank.Tech, "DS-NEXT", "Vapour shipper VS-10", DateTimeOffset.UtcNow.AddDays(-1), 240, "QR-DS-NEXT");
        await Eventually.TrueAsync(async () => await a.PendingAsync() == 0, "A's dispatch is relayed to the stream while B is away");
        await Task.Delay(300);
        Assert.Equal(ShipmentState.Packed, await StateAsync(shipmentsB, techB, id));
        Assert.True(await b.PendingAsync() == 0, "B wrote nothing while cut off");

        // B reconnects: it sees the dispatch, reads the logger and receives the set shipped.
        proxy.Restore();
        await Eventually.TrueAsync(async () => await StateAsync(shipmentsB, techB, id) == ShipmentState.Dispatched, "B sees the dispatch after reconnecting");
        await shipmentsB.ImportLoggerAsync(techB, id, Series(dispatchedAt.AddMinutes(-1), DateTimeOffset.UtcNow), "test");
        var received = await shipmentsB.ReceiveAsync(techB, id, vials, "Cryo Courier Ltd (J. Doe)", null, Password, null);
        Assert.True(received.State == ShipmentState.Received, $"{received.State}: {received.Receiver.TemperatureStatus} {received.Receiver.TemperatureDetail}");
        Assert.Equal(TemperatureStatus.Ok, received.Receiver.TemperatureStatus);
        Assert.Equal(["courier Cryo Courier Ltd (J. Doe)", "W0002 techb"], received.Custody.Select(h => h.To));
        Assert.Equal(2, (await shipmentsB.ReceivedStockAsync(techB)).Count(r => r.ShipmentId == id));
        await Eventually.TrueAsync(async () => await StateAsync(shipmentsA, bank.Tech, id) == ShipmentState.Received, "A sees the receipt");
        await ConvergedAsync([a, b, c]);

        // Nothing lost, nothing applied twice: each side's events reached the other once, each applied
        // event left one journal entry, and C (not a party) holds no shipment.
        await AssertDeliveredOnceAsync(from: a, to: b, id);
        await AssertDeliveredOnceAsync(from: b, to: a, id);
        Assert.Empty(await c.Services.GetRequiredService<ShipmentService>().ListAsync(techC));
        foreach (var center in new[] { a, b, c })
        {
            Assert.Equal(0, (await center.StatusAsync()).ParkedCount);
        }
    }

    /// <summary>Every outbox relayed, and every center holds every other's newest version of every entity (all kinds, not only the test kind).</summary>
    private static Task ConvergedAsync(IReadOnlyList<TestCenter> centers) => Eventually.TrueAsync(async () =>
    {
        foreach (var source in centers)
        {
            if (await source.PendingAsync() > 0)
            {
                return false;
            }

            Dictionary<string, long> latest;
            await using (var connection = await source.Services.GetRequiredService<Database>().OpenAsync())
            {
                latest = (await connection.QueryAsync<(string Key, long Version)>(
                        "SELECT entity_key, MAX(position) FROM network_outbox WHERE entity_key NOT LIKE 'center/%' GROUP BY entity_key"))
                    .ToDictionary(r => r.Key, r => r.Version);
            }

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
    }, "every center has applied every other center's newest version of every entity, and every outbox is relayed");

    private static async Task<ShipmentState?> StateAsync(ShipmentService service, Actor actor, string id)
    {
        try
        {
            return (await service.GetAsync(actor, id)).State;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static async Task AssertDeliveredOnceAsync(TestCenter from, TestCenter to, string id)
    {
        var side = from.Code == "W0001" ? "sender" : "receiver";
        IReadOnlyList<OutboxRecord> outbox;
        await using (var read = await from.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read))
        {
            outbox = await read.Store<IOutbox>().ListAsync(0, 10_000);
        }

        var sent = outbox.Where(r => r.Event.EntityKey == $"shipment/{id}/{side}").Select(r => r.EventId.ToString()).Order().ToList();
        Assert.NotEmpty(sent);
        await using var connection = await to.Services.GetRequiredService<Database>().OpenAsync();
        var inbox = (await connection.QueryAsync<(string EventId, string Outcome)>(
            "SELECT event_id, outcome FROM network_inbox WHERE source_center = @Source AND entity_key = @Key",
            new { Source = from.Code, Key = $"shipment/{id}/{side}" })).ToList();
        Assert.Equal(sent, inbox.Select(r => r.EventId).Order().ToList());

        await using var uow = await to.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        var journal = await uow.Journal.QueryAsync(new JournalQuery(RecordType: "shipment", RecordId: id, User: "network:" + from.Code, PageSize: 100));
        Assert.Equal(inbox.Count(r => r.Outcome == "applied"), journal.Entries.Count);
        Assert.All(inbox, r => Assert.Contains(r.Outcome, new[] { "applied", "superseded" }));
    }

    internal static async Task<Actor> UserAsync(TestCenter center, string name, Role role) =>
        (await center.Services.GetRequiredService<AccessService>().AddUserAsync(TestWorld.System, name, name, new HashSet<Role> { role }, Password)).ToActor();

    private static List<LoggerPoint> Series(DateTimeOffset from, DateTimeOffset to)
    {
        var points = new List<LoggerPoint>();
        for (var t = from; t < to; t = t.AddSeconds(30))
        {
            points.Add(new LoggerPoint(t, -185));
        }

        points.Add(new LoggerPoint(to, -186)); // read out as the courier hands over: the trip (seconds here) has a reading
        return points;
    }

    /// <summary>
    /// The sending center's bank on a <see cref="TestCenter"/>'s services, set up as
    /// <see cref="BankWorld"/> sets up its own (catalogue, people, donor, line, banks, a box) but on
    /// the system clock the network engine runs on.
    /// </summary>
    internal sealed class SendingBank
    {
        private SendingBank(BankService bank, Actor tech, Actor qa, CellBank wcb, StorageLocation box)
        {
            Bank = bank;
            Tech = tech;
            Qa = qa;
            Wcb = wcb;
            Box = box;
        }

        public BankService Bank { get; }

        public Actor Tech { get; }

        public Actor Qa { get; }

        private CellBank Wcb { get; }

        private StorageLocation Box { get; }

        public static async Task<SendingBank> CreateAsync(TestCenter center)
        {
            var bank = center.Services.GetRequiredService<BankService>();
            await bank.EnsureCatalogueAsync(TestWorld.System);
            var tech = await UserAsync(center, "tech1", Role.CpcTechnician);
            var qa = await UserAsync(center, "qa1", Role.QaOfficer);
            var laid = await BankWorld.LayDownAsync(bank, tech);
            var box = await bank.CreateLocationAsync(tech, new CreateLocationRequest(laid.Rack.Id, LocationKind.Box, "B1", 9, 9));
            return new SendingBank(bank, tech, qa, laid.Wcb, box);
        }

        /// <summary>A released lot of the MSC-like product (every QC test passed, released by QA with a signature); its vials.</summary>
        public async Task<IReadOnlyList<VialIdentity>> ReleasedVialsAsync(int count)
        {
            var lot = await Bank.CreateLotAsync(Tech, new CreateLotRequest("S9102", Wcb.Id, count, BoxId: Box.Id));
            await BankWorld.PassAllAsync(Bank, Tech, lot.Id);
            await Bank.ReleaseLotAsync(Qa, lot.Id, Password);
            return [.. (await Bank.GetLotAsync(TestWorld.System, lot.Id)).Vials.Select(v => new VialIdentity(v.Din, v.ProductCode, v.Division))];
        }
    }
}
