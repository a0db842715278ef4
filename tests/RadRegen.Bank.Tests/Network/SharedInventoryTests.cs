using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Model;
using RadRegen.Bank.Network;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;
using RadRegen.Network.Inventory;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Network;

/// <summary>
/// The shared inventory (issue 13 item 2, ADR 0023): what the bank publishes on each change of its
/// available stock, that no donor identity leaves, and two centers (two databases) converging when
/// the second applies envelopes made from the first's outbox rows, as the network consumer would.
/// </summary>
[Trait("Kind", "Integration")]
public class SharedInventoryTests
{
    /// <summary>The code the first center's events carry in these tests (the worlds themselves both run as the demo center W0001).</summary>
    private const string Remote = "W0002";

    /// <summary>Shares the world line's haplotype (A24-B52-DR15) on one chromosome: HvG 0.</summary>
    private const string MatchingPatient = "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05";

    /// <summary>Carries none of the line's antigens: HvG 3, more than the matcher accepts.</summary>
    private const string DistantPatient = "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*04:01";

    private static readonly string[] PayloadFields =
        ["stockRef", "productCode", "productName", "containsImmuneCells", "hlaGl", "haplotype", "available", "earliestExpiry", "latestExpiry", "sites", "shareable", "updatedAt"];

    public static TheoryData<string> Engines => TestDatabases.Engines;

    [Fact]
    public void The_bank_publishes_the_kind_the_network_names() =>
        Assert.Equal(EventKinds.InventoryStock, StockPublisher.Kind);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Each_change_of_available_stock_enqueues_the_lots_whole_state_and_nothing_that_identifies_the_donor(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(4);
        await w.PassAllAsync(lot);
        Assert.Empty(await StockEventsAsync(w.World));

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        var released = Assert.Single(await StockEventsAsync(w.World));
        Assert.Equal(StockPublisher.EntityKey(lot.Id), released.Event.EntityKey);
        Assert.Equal(StockPublisher.SchemaVersion, released.Event.SchemaVersion);
        var state = Payload(released);
        Assert.Equal(("S9102", 4, true), (state.ProductCode, state.Available, state.Shareable));
        Assert.Equal(w.Donor.HlaGl, state.HlaGl);
        Assert.Equal(lot.ExpiresAt, state.EarliestExpiry);
        Assert.Equal([new StockSite("CPC", 4, lot.ExpiresAt, lot.ExpiresAt)], state.Sites);

        var vials = await w.VialsAsync(lot);
        await w.Bank.ReserveAsync(w.Physician, vials[0].Id, "patient P-1");
        Assert.Equal(3, Payload((await StockEventsAsync(w.World))[^1]).Available);
        await w.Bank.CancelReservationAsync(w.Physician, vials[0].Id, "not needed");
        Assert.Equal(4, Payload((await StockEventsAsync(w.World))[^1]).Available);
        await w.Bank.DiscardAsync(w.Tech, vials[1].Id, "cracked", BankWorld.Password);
        Assert.Equal(3, Payload((await StockEventsAsync(w.World))[^1]).Available);
        await w.Bank.ReserveAsync(w.Physician, vials[2].Id, "patient P-2");
        Assert.Equal(2, Payload((await StockEventsAsync(w.World))[^1]).Available);

        // Shipping a reserved vial does not change what is available: nothing new to tell.
        var before = (await StockEventsAsync(w.World)).Count;
        await w.Bank.ShipAsync(w.Tech, vials[2].Id, "Hospital A");
        Assert.Equal(before, (await StockEventsAsync(w.World)).Count);

        // A released vial moving is told (the state counts vials by site).
        await w.Bank.MoveAsync(w.Tech, vials[3].Id, w.Box.Id, 9, 9, "re-racked");
        Assert.Equal(before + 1, (await StockEventsAsync(w.World)).Count);

        // Past its expiry the lot's stock is gone.
        w.Clock.Advance(lot.ExpiresAt - w.Clock.UtcNow + TimeSpan.FromDays(1));
        await w.Bank.ExpireDueAsync(w.Tech);
        var expired = Payload((await StockEventsAsync(w.World))[^1]);
        Assert.Equal((0, null, null), (expired.Available, expired.EarliestExpiry, expired.LatestExpiry));
        Assert.Empty(expired.Sites);

        foreach (var e in await StockEventsAsync(w.World))
        {
            AssertNothingIdentifying(e.Event.PayloadJson, w, lot, vials);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_excursion_and_a_consent_withdrawal_take_the_stock_out_and_returning_to_use_brings_it_back(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(3);
        var quarantined = await w.LotAsync(2);
        var opened = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -120, null, false);
        Assert.Equal(0, Payload((await StockEventsAsync(w.World))[^1]).Available);

        // The excursion flagged the quarantined lot's vials too, but a lot QA never released is never told.
        Assert.DoesNotContain(await StockEventsAsync(w.World), e => e.Event.EntityKey == StockPublisher.EntityKey(quarantined.Id));
        await w.Bank.ResolveExcursionAsync(w.Qa, opened.Excursion!.Id, ExcursionOutcomes.ReturnedToUse, "LN2 topped up within minutes", BankWorld.Password);
        Assert.Equal(3, Payload((await StockEventsAsync(w.World))[^1]).Available);

        await w.Bank.WithdrawConsentAsync(w.Tech, w.Donor.Id, "donor asked");
        var last = (await StockEventsAsync(w.World))[^1];
        Assert.Equal((StockPublisher.EntityKey(lot.Id), 0), (last.Event.EntityKey, Payload(last).Available));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_second_center_applying_the_first_centers_events_converges_and_a_count_of_zero_hides_the_stock(string engine)
    {
        await using var a = await BankWorld.CreateAsync(engine);
        await using var b = await TestWorld.CreateAsync(engine);
        var doctor = await b.UserAsync("doc-b", Role.Physician);
        var search = Search(b, new Dictionary<string, double> { [Remote] = 6 });
        var handler = b.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.InventoryStock);
        long applied = 0;
        async Task SyncAsync()
        {
            foreach (var r in await StockEventsAsync(a.World, applied))
            {
                await using var uow = await b.Units.BeginAsync(WorkMode.Write);
                await handler.ApplyAsync(uow, Envelope(r), CancellationToken.None);
                await uow.CommitAsync();
                applied = r.Position;
            }
        }

        var lot = await a.ReleasedLotAsync(4);
        await SyncAsync();
        var row = Assert.Single((await search.SearchAsync(doctor, new NetworkInventorySearch("s9102"))).Items);
        Assert.Equal((Remote, false, 4, 6.0, true), (row.Center, row.Own, row.Available, row.TransportHours, row.Shareable));
        Assert.Equal("at W0002, ~6 h transport", row.Where);
        Assert.Equal(a.Donor.HlaGl, row.HlaGl);

        // The same state as the first center computes for itself.
        var own = Assert.Single(await a.Services.GetRequiredService<StockPublisher>().CurrentAsync());
        Assert.Equal((own.StockRef, own.Available, own.EarliestExpiry), (row.StockRef, row.Available, row.EarliestExpiry));

        var vials = await a.VialsAsync(lot);
        await a.Bank.ReserveAsync(a.Physician, vials[0].Id, "P-1");
        await a.Bank.ReserveAsync(a.Physician, vials[1].Id, "P-2");
        await SyncAsync();
        Assert.Equal(2, Assert.Single((await search.SearchAsync(doctor, new NetworkInventorySearch())).Items).Available);

        // Compatibility with a patient, through the therapy matching's compatibility.
        var match = Assert.Single((await search.SearchAsync(doctor, new NetworkInventorySearch(CompatibleWith: MatchingPatient))).Items);
        Assert.Equal(1.0, match.Compatibility);
        Assert.Empty((await search.SearchAsync(doctor, new NetworkInventorySearch(CompatibleWith: DistantPatient))).Items);
        Assert.Empty((await search.SearchAsync(doctor, new NetworkInventorySearch("S9101"))).Items);

        await a.Bank.ReserveAsync(a.Physician, vials[2].Id, "P-3");
        await a.Bank.DiscardAsync(a.Tech, vials[3].Id, "cracked", BankWorld.Password);
        await SyncAsync();
        Assert.Equal(0, (await search.SearchAsync(doctor, new NetworkInventorySearch())).Total);
        await using (var uow = await b.Units.BeginAsync(WorkMode.Read))
        {
            var kept = await uow.Store<INetworkStockStore>().FindAsync(Remote, StockPublisher.EntityKey(lot.Id), CancellationToken.None);
            Assert.Equal((0, applied), (kept!.State.Available, kept.Version));
        }

        // Given back, it shows again.
        await a.Bank.CancelReservationAsync(a.Physician, vials[2].Id, "patient improved");
        await SyncAsync();
        Assert.Equal(1, Assert.Single((await search.SearchAsync(doctor, new NetworkInventorySearch())).Items).Available);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Publishing_all_stock_brings_a_joining_center_to_the_same_state(string engine)
    {
        await using var a = await BankWorld.CreateAsync(engine);
        await using var b = await TestWorld.CreateAsync(engine);
        await a.ReleasedLotAsync(2);
        await a.ReleasedLotAsync(3);
        var position = (await StockEventsAsync(a.World))[^1].Position;
        Assert.Equal(2, await a.Services.GetRequiredService<StockPublisher>().PublishAllAsync());
        var handler = new InventoryStockHandler(b.Get<IClock>());
        foreach (var r in await StockEventsAsync(a.World, position))
        {
            await using var uow = await b.Units.BeginAsync(WorkMode.Write);
            await handler.ApplyAsync(uow, Envelope(r), CancellationToken.None);
            await uow.CommitAsync();
        }

        var auditor = await b.UserAsync("audit-b", Role.Auditor);
        var page = await Search(b, new Dictionary<string, double>()).SearchAsync(auditor, new NetworkInventorySearch());
        Assert.Equal([2, 3], page.Items.Select(i => i.Available).Order());
        Assert.All(page.Items, i => Assert.Equal("at W0002, transport time unknown", i.Where));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_search_lists_this_centers_own_stock_refuses_bad_input_and_the_roles_without_the_permission(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        await w.ReleasedLotAsync(2);
        var search = w.Services.GetRequiredService<NetworkInventoryService>();
        var own = Assert.Single((await search.SearchAsync(w.Auditor, new NetworkInventorySearch())).Items);
        Assert.Equal(("W0001", true, 0.0, "here"), (own.Center, own.Own, own.TransportHours, own.Where));

        var badHla = await Assert.ThrowsAsync<DomainValidationException>(() => search.SearchAsync(w.Physician, new NetworkInventorySearch(CompatibleWith: "A*99:99:99:99:99")));
        Assert.Equal("compatibleWith", badHla.Errors[0].Field);
        var badProduct = await Assert.ThrowsAsync<DomainValidationException>(() => search.SearchAsync(w.Physician, new NetworkInventorySearch("S91;02")));
        Assert.Equal("product", badProduct.Errors[0].Field);
        var badPage = await Assert.ThrowsAsync<DomainValidationException>(() => search.SearchAsync(w.Physician, new NetworkInventorySearch(Page: 0)));
        Assert.Equal("page", badPage.Errors[0].Field);

        var admin = await w.World.UserAsync("admin-x", Role.Admin);
        var trainer = await w.World.UserAsync("trainer-x", Role.Trainer);
        await Assert.ThrowsAsync<ForbiddenException>(() => search.SearchAsync(admin, new NetworkInventorySearch()));
        await Assert.ThrowsAsync<ForbiddenException>(() => search.SearchAsync(trainer, new NetworkInventorySearch()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_handler_refuses_a_payload_it_cannot_accept_and_writes_nothing(string engine)
    {
        await using var b = await TestWorld.CreateAsync(engine);
        var state = RemoteState(b, 2);
        var good = RemoteEnvelope(state);
        var handler = new InventoryStockHandler(b.Get<IClock>());
        (NetworkEnvelope Envelope, string Field)[] bad =
        [
            (good with { PayloadJson = "not json" }, "payload"),
            (good with { PayloadJson = "null" }, "payload"),
            (good with { EntityKey = "stock/lot-999" }, "stockRef"),
            (good with { PayloadJson = (state with { Available = 5 }).ToJson() }, "sites"),
            (good with { PayloadJson = (state with { Available = -1, Sites = [] }).ToJson() }, "available"),
            (good with { PayloadJson = (state with { ProductCode = "" }).ToJson() }, "productCode"),
        ];
        foreach (var (envelope, field) in bad)
        {
            await using var uow = await b.Units.BeginAsync(WorkMode.Write);
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => handler.ApplyAsync(uow, envelope, CancellationToken.None));
            Assert.Equal(field, refused.Errors[0].Field);
        }

        await using (var read = await b.Units.BeginAsync(WorkMode.Read))
        {
            Assert.Empty(await read.Store<INetworkStockStore>().ListAvailableAsync(null, CancellationToken.None));
        }

        await using (var uow = await b.Units.BeginAsync(WorkMode.Write))
        {
            await handler.ApplyAsync(uow, good, CancellationToken.None);
            await uow.CommitAsync();
        }

        await using var after = await b.Units.BeginAsync(WorkMode.Read);
        var kept = Assert.Single(await after.Store<INetworkStockStore>().ListAvailableAsync("S9102", CancellationToken.None));
        Assert.Equal((Remote, "stock/lot-7", 2, 7L), (kept.SourceCenter, kept.EntityKey, kept.State.Available, kept.Version));
        Assert.Equal(state.Sites, kept.State.Sites);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_therapy_request_shows_other_centers_compatible_shareable_stock_with_its_transport_time(string engine)
    {
        await using var b = await BankWorld.CreateAsync(engine);
        await using (var uow = await b.World.Units.BeginAsync(WorkMode.Write))
        {
            await new InventoryStockHandler(b.World.Get<IClock>()).ApplyAsync(uow, RemoteEnvelope(RemoteState(b.World, 3) with { HlaGl = b.Donor.HlaGl }), CancellationToken.None);
            await uow.CommitAsync();
        }

        var care = b.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(b.Physician, new NewIncident("INC-N1", "Test", IncidentKind.Criticality, b.Clock.UtcNow.AddHours(-6), "Plant", ["U-235"]));
        var patient = await care.RegisterPatientAsync(b.Physician, incident.Id,
            new NewPatient("P-0001", 40, Sex.Male, 70, b.Clock.UtcNow.AddHours(-6), HlaTyping: MatchingPatient));
        var request = await b.Services.GetRequiredService<TherapyService>().RequestAsync(b.Physician, patient.Id, new NewTherapyRequest("S9102", 2, "urgent", "Hospital B"));

        var offers = await Search(b.World, new Dictionary<string, double> { [Remote] = 4.5 }).RemoteOffersAsync(b.Physician, request.Id);
        var offer = Assert.Single(offers.Offers);
        Assert.Equal(("at W0002, ~4.5 h transport", 3, 1.0), (offer.Where, offer.Available, offer.Compatibility));
        Assert.Equal(2, offers.VialsNeeded);
        var trainer = await b.World.UserAsync("trainer-b", Role.Trainer);
        await Assert.ThrowsAsync<ForbiddenException>(() => Search(b.World, new Dictionary<string, double>()).RemoteOffersAsync(trainer, request.Id));
    }

    /// <summary>A search at <paramref name="world"/> with its own transport times (the world's services are the demo center's).</summary>
    private static NetworkInventoryService Search(TestWorld world, IReadOnlyDictionary<string, double> hours) =>
        new(world.Units, world.Get<IClock>(), world.Get<StockPublisher>(), world.Get<IHlaTyping>(), world.Get<ICompatibility>(),
            new NetworkInventoryOptions("W0001", "RadRegen demo center", hours));

    /// <summary>A state as another center would send it.</summary>
    private static StockPayload RemoteState(TestWorld world, int available)
    {
        var now = world.Get<IClock>().UtcNow;
        return new StockPayload("lot-7", "S9102", "MSC-like", false, "A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02", null, available,
            now.AddDays(60), now.AddDays(90), [new StockSite("Main CPC", available, now.AddDays(60), now.AddDays(90))], true, now);
    }

    private static NetworkEnvelope RemoteEnvelope(StockPayload state) =>
        new(Guid.NewGuid(), StockPublisher.SchemaVersion, Remote, EventKinds.InventoryStock, "stock/" + state.StockRef, 7, state.UpdatedAt, state.ToJson());

    private static async Task<List<OutboxRecord>> StockEventsAsync(TestWorld world, long after = 0)
    {
        await using var uow = await world.Units.BeginAsync(WorkMode.Read);
        return [.. (await uow.Store<IOutbox>().ListAsync(after, 10_000)).Where(r => r.Event.Kind == StockPublisher.Kind)];
    }

    /// <summary>The envelope the network consumer would hand the second center for an outbox row of the first.</summary>
    private static NetworkEnvelope Envelope(OutboxRecord r) =>
        NetworkEnvelope.Of(Remote, r);

    private static StockPayload Payload(OutboxRecord r) => Payload(r.Event.PayloadJson);

    private static StockPayload Payload(string json) => StockPayload.FromJson(json)!;

    private static void AssertNothingIdentifying(string json, BankWorld w, Lot lot, IReadOnlyList<Vial> vials)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(PayloadFields.Order(), doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
        foreach (var secret in new[] { w.Donor.Code, w.Line.Code, lot.LotNumber, lot.Din, w.Wcb.Code, w.Mcb.Code }.Concat(vials.Select(v => v.Identity)))
        {
            Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
        }
    }
}
