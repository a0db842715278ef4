using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Messaging;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Allocation;
using RadRegen.Network.Events;
using RadRegen.Network.Shipments;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Network;

/// <summary>
/// Two centers, two databases (issue 13 item 2, ADR 0030): W0001 (a bank with a released lot) tells
/// the network its stock; W0002 (no stock of its own, a patient who needs it) applies those events,
/// allocates, and turns the remote part into a shipment request; W0001 applies W0002's shipment
/// event and sees a request it may accept or decline, with nothing reserved until it packs.
/// Envelopes are built from each center's outbox rows, as the network consumer would deliver them.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class AllocationShipmentTests : CareTestBase
{
    private const string Owner = "W0001";
    private const string Here = "W0002";

    /// <summary>Shares the bank world line's haplotype (A24-B52-DR15): HvG 0.</summary>
    private const string MatchingPatient = "HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:05";

    private static NetworkEnvelope Envelope(string source, OutboxRecord r) =>
        NetworkEnvelope.Of(source, r);

    private static async Task<IReadOnlyList<OutboxRecord>> OutboxAsync(IServiceProvider services, string kind)
    {
        await using var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        return [.. (await uow.Store<IOutbox>().ListAsync(0, 10_000)).Where(r => r.Event.Kind == kind)];
    }

    /// <summary>Applies every event of <paramref name="kind"/> in <paramref name="from"/>'s outbox at <paramref name="to"/>, one unit of work each.</summary>
    private static async Task DeliverAsync(IServiceProvider from, string source, IServiceProvider to, string kind)
    {
        var handler = to.GetServices<INetworkEventHandler>().Single(h => h.Kind == kind);
        foreach (var row in await OutboxAsync(from, kind))
        {
            await using var uow = await to.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
            await handler.ApplyAsync(uow, Envelope(source, row), CancellationToken.None);
            await uow.CommitAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_remote_part_of_an_allocation_becomes_a_request_the_owner_sees_with_nothing_reserved(string engine)
    {
        await using var owner = await BankWorld.CreateAsync(engine);
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        var settings = RadRegenSettings.ForDemo(db.Target) with
        {
            Center = new CenterSettings("Second center", Here, TimeZoneInfo.Utc),
            SharedInventory = new SharedInventorySettings(true, new Dictionary<string, double> { [Owner] = 6 }),
        };
        var services = new ServiceCollection().AddRadRegen(settings);
        services.AddSingleton<IClock>(owner.Clock);
        await using var here = services.BuildServiceProvider();

        // The owner releases a lot of 4; its stock event reaches this center.
        var lot = await owner.ReleasedLotAsync(4);
        await DeliverAsync(owner.Services, Owner, here, EventKinds.InventoryStock);

        // A patient here with platelets 8 ×10⁹/L (a transfusion due now: the 24 h window); the product is the bank world's S9102.
        var care = here.GetRequiredService<CareService>();
        var now = owner.Clock.UtcNow;
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident("INC-NET") with { StartedAt = now.AddDays(-2) });
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient("P-0001") with { ExposureStart = incident.StartedAt.AddMinutes(10), HlaTyping = MatchingPatient });
        await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, now.AddHours(-1),
            new ObservationData { Lymphocytes = 0.9, Granulocytes = 2, Platelets = 8 });
        var policy = PriorityPolicy.Default with { HaematopoieticProduct = "S9102" };

        var run = await here.GetRequiredService<MassCasualtyService>().AllocateAsync(Coordinator, incident.Id, here.GetRequiredService<IProductInventory>(),
            HlaCompatibility.Default, policy: policy, remote: here.GetRequiredService<IRemoteStock>());
        var allotment = run.Result.Outcomes.Single().Allotments.Single();
        Assert.Equal(new RemoteSource(Owner, $"lot-{lot.Id}", 6), allotment.Remote);
        Assert.Equal(4, allotment.VialIds.Count);
        Assert.Equal((0, 4), (run.VialsInStock, run.RemoteVials));

        // Only the coordinator turns it into requests; a physician is refused and nothing is sent.
        var shipments = here.GetRequiredService<AllocationShipments>();
        await Assert.ThrowsAsync<ForbiddenException>(() => shipments.RequestAsync(Physician, run));
        Assert.Empty(await OutboxAsync(here, EventKinds.Shipment));

        var result = await shipments.RequestAsync(Coordinator, run);
        var sent = Assert.Single(result.Requested);
        Assert.Equal((Owner, "S9102", 4, 1), (sent.Center, sent.Lines.Single().ProductCode, sent.Lines.Single().Count, sent.Patients));
        Assert.Equal(new Dictionary<string, int> { [$"lot-{lot.Id}"] = 4 }, sent.StockRefs);
        Assert.DoesNotContain("P-0001", sent.Reason, StringComparison.Ordinal);

        // Pressing again asks nothing twice while the request is open.
        var again = await shipments.RequestAsync(Coordinator, run);
        Assert.Empty(again.Requested);
        Assert.Contains(sent.ShipmentId, Assert.Single(again.Skipped), StringComparison.Ordinal);

        // The owner learns of the request only through this center's event, and has reserved nothing.
        var stockEventsBefore = (await OutboxAsync(owner.Services, EventKinds.InventoryStock)).Count;
        await DeliverAsync(here, Here, owner.Services, EventKinds.Shipment);
        var incoming = await owner.Services.GetRequiredService<ShipmentService>().GetAsync(owner.Tech, sent.ShipmentId);
        Assert.Equal((ShipmentSide.Sender, ShipmentState.Requested, Here), (incoming.Side, incoming.State, incoming.Counterpart));
        Assert.Contains($"lot-{lot.Id} ×4", incoming.Shipment.Request.Reason, StringComparison.Ordinal);
        Assert.StartsWith(AllocationShipments.ReasonPrefix + "INC-NET:", incoming.Shipment.Request.Reason, StringComparison.Ordinal);
        Assert.All(await owner.VialsAsync(lot), v => Assert.Equal(VialStatus.Released, v.Status));
        Assert.Equal(stockEventsBefore, (await OutboxAsync(owner.Services, EventKinds.InventoryStock)).Count);
    }
}
