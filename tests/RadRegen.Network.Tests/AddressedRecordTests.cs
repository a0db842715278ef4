using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using RadRegen.Hosting.Network;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Network.Privacy;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Transfers;
using RadRegen.Storage;

namespace RadRegen.Network.Tests;

/// <summary>
/// A record addressed to one center (a patient-transfer record, ADR 0029) on a real nats-server with
/// three centers: it goes sealed on the addressee's own subject, the addressee opens and applies it,
/// the third center never receives it, and what is on the stream does not show the payload. A changed
/// ciphertext, a changed header or another center's signature is parked with the reason, never applied.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class AddressedRecordTests(NatsServer nats) : IClassFixture<NatsServer>
{
    private const string Secret = "HLA-A*02:01 patient P-0042";

    private static string NewNetwork() => "t" + Guid.NewGuid().ToString("N")[..10];

    [NatsFact]
    public async Task A_full_page_of_records_held_for_an_unknown_addressee_never_blocks_the_events_behind_it()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        var held = TestCenter.Fast.BatchSize; // one whole page of the relay, all for a center whose keys nobody knows
        var units = a.Services.GetRequiredService<IUnitOfWorkFactory>();
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            for (var i = 0; i < held; i++)
            {
                await uow.Store<RadRegen.Core.Messaging.IOutbox>().EnqueueAsync(new RadRegen.Core.Messaging.OutboxEvent(
                    RecordingHandler.TestKind, 1, $"to/W0009/held-{i}", JsonSerializer.Serialize(new { secret = Secret })), DateTimeOffset.UtcNow);
            }

            await uow.CommitAsync();
        }

        await a.WriteAsync("public/after-held", 1);
        await Eventually.TrueAsync(() => Task.FromResult(b.Handler.Applied.Any(e => e.EntityKey == "public/after-held")), "the event behind the held page reaches B");
        Assert.True((await a.StatusAsync()).Outbox.Pending >= held, "the held records still wait, never sent in clear");
        Assert.DoesNotContain(b.Handler.Applied, e => e.EntityKey.StartsWith("to/", StringComparison.Ordinal));
    }

    [NatsFact]
    public async Task A_transfer_record_reaches_only_its_addressee_sealed_and_is_applied_there()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        TestCenter[] all = [a, b, c];
        // Everyone knows everyone's profile (and keys) first, as after the transfer request and acceptance.
        await Eventually.TrueAsync(async () => (await Task.WhenAll(all.Select(x => x.StatusAsync()))).All(s => s.Centers.Count == 2), "profiles exchanged");

        var key = "transfer-record/W0002/t-1";
        var units = a.Services.GetRequiredService<IUnitOfWorkFactory>();
        RadRegen.Core.Messaging.OutboxRecord record;
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            record = await uow.Store<RadRegen.Core.Messaging.IOutbox>().EnqueueAsync(new RadRegen.Core.Messaging.OutboxEvent(
                RecordingHandler.TestKind, 1, key, JsonSerializer.Serialize(new { key, secret = Secret })), DateTimeOffset.UtcNow);
            // And one for a center whose keys nobody knows: it is held, never published in clear.
            await uow.Store<RadRegen.Core.Messaging.IOutbox>().EnqueueAsync(new RadRegen.Core.Messaging.OutboxEvent(
                RecordingHandler.TestKind, 1, "transfer-record/W0009/t-9", JsonSerializer.Serialize(new { secret = Secret })), DateTimeOffset.UtcNow);
            await uow.CommitAsync();
        }

        a.Services.GetRequiredService<OutboxRelay>().Wake();
        await a.WriteAsync("public/1", 1); // a shared event after it: once C has that, C would have had the record too
        await Eventually.TrueAsync(() => Task.FromResult(b.Handler.Applied.Any(e => e.EntityKey == key)), "the addressee applies the record");
        await Eventually.TrueAsync(() => Task.FromResult(c.Handler.Applied.Any(e => e.EntityKey == "public/1")), "the third center has the later shared event");

        var applied = b.Handler.Applied.Single(e => e.EntityKey == key);
        Assert.Contains(Secret, applied.PayloadJson, StringComparison.Ordinal); // opened for the handler
        Assert.DoesNotContain(c.Handler.Applied, e => e.EntityKey == key);
        Assert.Equal(0, await CountAsync(c, "SELECT COUNT(*) FROM network_inbox WHERE event_id = @Id", record.EventId));
        Assert.Equal(0, await CountAsync(c, "SELECT COUNT(*) FROM network_parked", record.EventId));
        Assert.Equal(1, (await a.StatusAsync()).Outbox.Pending); // the one for W0009, held

        // On the stream: on B's subject only, sealed (nothing of the payload readable), B's and C's consumers as filtered.
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url.ToString() });
        var js = new NatsJSContext(connection);
        var stream = await js.GetStreamAsync(NetworkWire.Stream(network));
        var raw = await stream.GetAsync(new NATS.Client.JetStream.Models.StreamMsgGetRequest { LastBySubj = NetworkWire.AddressedSubject(network, "W0002", "W0001", RecordingHandler.TestKind) });
        var body = Encoding.UTF8.GetString(raw.Message.Data.Span);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("P-0042", body, StringComparison.Ordinal);
        Assert.Contains(SealedPayload.Format, body, StringComparison.Ordinal);
        var cShared = await js.GetConsumerAsync(NetworkWire.Stream(network), NetworkWire.Consumer("W0003"));
        var cOwn = await js.GetConsumerAsync(NetworkWire.Stream(network), NetworkWire.AddressedConsumer("W0003"));
        Assert.Equal(NetworkWire.Prefix(network) + ".>", cShared.Info.Config.FilterSubject);
        Assert.Equal(NetworkWire.AddressedFilter(network, "W0003"), cOwn.Info.Config.FilterSubject);
        Assert.Equal(0UL, cOwn.Info.Delivered.ConsumerSeq); // nothing was ever addressed to C
        var info = await js.GetStreamAsync(NetworkWire.Stream(network), new NATS.Client.JetStream.Models.StreamInfoRequest { SubjectsFilter = NetworkWire.AddressedPrefix(network) + ".>" });
        Assert.Equal([NetworkWire.AddressedSubject(network, "W0002", "W0001", RecordingHandler.TestKind)], info.Info.State.Subjects!.Keys);
    }

    [NatsFact]
    public async Task A_changed_ciphertext_a_changed_header_or_another_centers_signature_is_parked_with_the_reason()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        TestCenter[] all = [a, b, c];
        await Eventually.TrueAsync(async () => (await Task.WhenAll(all.Select(x => x.StatusAsync()))).All(s => s.Centers.Count == 2), "profiles exchanged");
        var keysOf = (TestCenter x) => x.Services.GetRequiredService<CenterKeyring>().Keys!;
        var inbox = b.Services.GetRequiredService<NetworkInbox>();

        NetworkEnvelope Plain(int version) => new(Guid.NewGuid(), 1, "W0001", RecordingHandler.TestKind, "transfer-record/W0002/t-" + version, version,
            DateTimeOffset.UtcNow, JsonSerializer.Serialize(new { secret = Secret }));
        NetworkEnvelope Sealed(NetworkEnvelope plain, CenterKeys signer) =>
            plain with { PayloadJson = SealedPayload.Seal(plain, "W0002", keysOf(b).Public, signer) };

        // Tampered ciphertext: one byte flipped.
        var good = Sealed(Plain(101), keysOf(a));
        var payload = JsonSerializer.Deserialize<SealedPayload>(good.PayloadJson, NetworkJson.Options)!;
        var cipher = Convert.FromBase64String(payload.Ciphertext);
        cipher[3] ^= 0x40;
        var tampered = good with { EventId = Guid.NewGuid(), PayloadJson = JsonSerializer.Serialize(payload with { Ciphertext = Convert.ToBase64String(cipher) }, NetworkJson.Options) };
        Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(tampered));

        // A header moved to another entity version (the associated data).
        var moved = Sealed(Plain(102), keysOf(a)) with { EntityVersion = 999 };
        Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(moved));

        // Sealed and signed by C, claiming to come from A.
        var forged = Sealed(Plain(103), keysOf(c));
        Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(forged));

        // In clear, as an older RadRegen (or anyone) would send it.
        Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(Plain(104)));

        // Addressed to C: B does not even look at it.
        Assert.Equal(InboxOutcome.NotAddressed, await inbox.ReceiveAsync(Plain(105) with { EntityKey = "transfer-record/W0003/t-105" }));

        // The genuine one opens.
        Assert.Equal(InboxOutcome.Applied, await inbox.ReceiveAsync(Sealed(Plain(106), keysOf(a))));

        await using var read = await b.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        var parked = (await read.Store<INetworkStore>().ParkedAsync(10)).ToDictionary(p => p.Envelope.EntityVersion);
        Assert.Equal(ParkReasons.SealBroken, parked[101].ReasonCode);
        Assert.Contains("signature", parked[101].Reason, StringComparison.Ordinal);
        Assert.Equal(ParkReasons.SealBroken, parked[999].ReasonCode);
        Assert.Equal(ParkReasons.SealBroken, parked[103].ReasonCode);
        Assert.Contains("W0001", parked[103].Reason, StringComparison.Ordinal);
        Assert.Equal(ParkReasons.Unsealed, parked[104].ReasonCode);
        Assert.DoesNotContain(Secret, parked[101].Envelope.PayloadJson, StringComparison.Ordinal); // kept sealed
        Assert.Equal(["transfer-record/W0002/t-106"], b.Handler.Applied.Where(e => e.EntityKey.StartsWith("transfer-record/", StringComparison.Ordinal)).Select(e => e.EntityKey));
    }

    [NatsFact]
    public async Task A_patient_transferred_over_the_network_is_registered_at_the_accepting_center_and_nowhere_else()
    {
        var network = NewNetwork();
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        TestCenter[] all = [a, b, c];
        await Eventually.TrueAsync(async () => (await Task.WhenAll(all.Select(x => x.StatusAsync()))).All(s => s.Centers.Count == 2), "profiles exchanged");
        var physician = new Actor(1, "dr.kato", new HashSet<Role> { Role.Physician });
        var coordinator = new Actor(2, "coord", new HashSet<Role> { Role.Coordinator });

        // A triaged patient at A, with an HLA typing: the identifying record.
        var careA = a.Services.GetRequiredService<CareService>();
        var started = DateTimeOffset.UtcNow.AddDays(-2);
        var incident = await careA.CreateIncidentAsync(coordinator, new NewIncident("INC-0001", "Sterilisation plant source", IncidentKind.LostOrOrphanSource, started, "Plant B", ["Co-60"]));
        var patient = await careA.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-0042", 41, Sex.Male, 78, started.AddMinutes(10), Burns: true, HlaTyping: Typing));
        var exposed = patient.ExposureStart;
        await careA.RecordObservationAsync(physician, patient.Id, ObservationKind.Symptoms, exposed.AddHours(2),
            new ObservationData { VomitingOnsetAt = exposed.AddMinutes(50), Signs = new Dictionary<string, double> { ["nausea"] = 2 } });
        await careA.RecordObservationAsync(physician, patient.Id, ObservationKind.BloodCount, exposed.AddHours(4), new ObservationData { Lymphocytes = 2.0, Granulocytes = 6, Platelets = 250 });
        await careA.RecordObservationAsync(physician, patient.Id, ObservationKind.BloodCount, exposed.AddHours(28), new ObservationData { Lymphocytes = 0.7, Granulocytes = 7, Platelets = 210 });

        var transfers = (TestCenter x) => x.Services.GetRequiredService<TransferService>();
        var t = await transfers(a).RequestAsync(physician, new NewTransfer(patient.Id, "W0002", "BMT", "H4 expected; no BMT bed here"));
        await Eventually.TrueAsync(async () => (await transfers(b).ListAsync(coordinator)).Any(x => x.Id == t.Id), "B knows the request");
        await transfers(b).AcceptAsync(coordinator, t.Id);

        await Eventually.TrueAsync(async () => (await transfers(b).GetAsync(coordinator, t.Id)).ReceivedPatientId is not null, "B registers the transferred patient");
        var received = await b.Services.GetRequiredService<CareService>().GetPatientAsync(coordinator, (await transfers(b).GetAsync(coordinator, t.Id)).ReceivedPatientId!.Value);
        var sent = await careA.GetPatientAsync(coordinator, patient.Id);
        Assert.Equal(("P-0042", sent.Patient.HlaTyping, 3), (received.Patient.Code, received.Patient.HlaTyping, received.Observations.Count));
        await Eventually.TrueAsync(async () => (await transfers(c).GetAsync(coordinator, t.Id)).RecordSentAt is not null, "C learns that the record was sent");

        // C: never received the record's event, knows no such patient; its parked list is empty.
        Assert.Empty(await c.Services.GetRequiredService<CareService>().FindPatientsByCodeAsync(coordinator, "P-0042"));
        Assert.Equal(0, await CountAsync(c, "SELECT COUNT(*) FROM network_inbox WHERE entity_key LIKE 'transfer-record/%'", Guid.Empty));
        Assert.Equal(0, await CountAsync(c, "SELECT COUNT(*) FROM network_parked", Guid.Empty));
        Assert.Equal(1, await CountAsync(b, "SELECT COUNT(*) FROM network_inbox WHERE entity_key LIKE 'transfer-record/%' AND outcome = 'applied'", Guid.Empty));
    }

    private const string Typing = "HLA-A*02:01+HLA-A*24:02^HLA-B*07:02+HLA-B*52:01^HLA-DRB1*15:01+HLA-DRB1*15:02";

    private static async Task<long> CountAsync(TestCenter center, string sql, Guid id)
    {
        await using var connection = await center.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { Id = id.ToString("D") });
    }
}
