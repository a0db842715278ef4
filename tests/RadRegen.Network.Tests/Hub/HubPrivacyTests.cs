using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Network;
using RadRegen.Network.Events;
using RadRegen.Network.Hub;
using RadRegen.Network.Privacy;
using RadRegen.Storage;
using static RadRegen.Network.Tests.Hub.HubSamples;

namespace RadRegen.Network.Tests.Hub;

/// <summary>
/// Hub messages honour their label on the wire (ADR 0032, amended): on a real nats-server with three
/// centers, a restricted request addressed to one center goes sealed on that center's own subject only,
/// the third center never receives it and the stream holds none of its text in clear; a public request
/// still reaches every center on the shared subject.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class HubPrivacyTests(NatsServer nats) : IClassFixture<NatsServer>
{
    private const string Password = "correct horse battery";
    private const string Secret = "Criticality at plant Q-17, 4 workers";

    [NatsFact]
    public async Task A_restricted_request_reaches_only_its_addressee_sealed_and_a_public_one_reaches_every_center()
    {
        var network = "t" + Guid.NewGuid().ToString("N")[..10];
        await using var a = await TestCenter.CreateAsync("W0001", nats.Url, network);
        await using var b = await TestCenter.CreateAsync("W0002", nats.Url, network);
        await using var c = await TestCenter.CreateAsync("W0003", nats.Url, network);
        TestCenter[] all = [a, b, c];
        await Eventually.TrueAsync(async () => (await Task.WhenAll(all.Select(x => x.StatusAsync()))).All(s => s.Centers.Count == 2), "profiles exchanged");

        var coordinators = new Dictionary<string, Actor>();
        foreach (var x in all)
        {
            coordinators[x.Code] = (await x.Services.GetRequiredService<AccessService>().AddUserAsync(Actor.LocalOperator("test"), "coord", "coord",
                new HashSet<Role> { Role.Coordinator }, Password)).ToActor();
        }

        HubService HubOf(TestCenter x) => x.Services.GetRequiredService<HubService>();
        await HubOf(a).DeclareMemberAsync(coordinators["W0001"], State());
        foreach (var x in all)
        {
            await HubOf(x).DeclareMemberAsync(coordinators[x.Code], HubSamples.Center(x.Code, 4));
        }

        await Eventually.TrueAsync(async () => (await HubOf(a).ListMembersAsync(coordinators["W0001"])).Count == 4, "A knows every member");

        var restricted = (await HubOf(a).CreateRequestAsync(coordinators["W0001"], Request(addressees: ["W0002"]) with { Subject = Secret }, Password)).Request;
        var open = (await HubOf(a).CreateRequestAsync(coordinators["W0001"], Request(label: "public"), Password)).Request;
        Assert.Equal(["W0001", "W0002"], restricted.Audience);

        await Eventually.TrueAsync(async () => (await HubOf(b).ListRequestsAsync(coordinators["W0002"])).Count == 2, "B has both requests");
        await Eventually.TrueAsync(async () => (await HubOf(c).ListRequestsAsync(coordinators["W0003"])).Count == 1, "C has the public request");
        Assert.Equal(open.Id, (await HubOf(c).ListRequestsAsync(coordinators["W0003"])).Single().Request.Id);
        Assert.Equal(Secret, (await HubOf(b).GetRequestAsync(coordinators["W0002"], restricted.Id)).Request.Subject);

        // C never received the restricted request: nothing in its inbox, nothing parked, its own consumer delivered nothing.
        Assert.Equal(0, await CountAsync(c, $"SELECT COUNT(*) FROM network_inbox WHERE entity_key LIKE '%hub-request/{restricted.Id}'"));
        Assert.Equal(1, await CountAsync(c, $"SELECT COUNT(*) FROM network_inbox WHERE entity_key = 'hub-request/{open.Id}'"));
        Assert.Equal(0, await CountAsync(c, "SELECT COUNT(*) FROM network_parked"));
        Assert.Equal(1, await CountAsync(b, $"SELECT COUNT(*) FROM network_inbox WHERE entity_key = '{Addressing.To("W0002", HubEvents.RequestKey(restricted.Id))}' AND outcome = 'applied'"));

        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url.ToString() });
        var js = new NatsJSContext(connection);
        var cOwn = await js.GetConsumerAsync(NetworkWire.Stream(network), NetworkWire.AddressedConsumer("W0003"));
        Assert.Equal(0UL, cOwn.Info.Delivered.ConsumerSeq);

        // The stream: the restricted request is only on B's addressed subject and never in clear anywhere.
        var stream = await js.GetStreamAsync(NetworkWire.Stream(network));
        var sealedOnB = 0;
        for (var seq = stream.Info.State.FirstSeq; seq <= stream.Info.State.LastSeq; seq++)
        {
            var message = (await stream.GetAsync(new StreamMsgGetRequest { Seq = seq })).Message;
            var body = Encoding.UTF8.GetString(message.Data.Span);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            if (body.Contains(restricted.Id, StringComparison.Ordinal))
            {
                Assert.Equal(NetworkWire.AddressedSubject(network, "W0002", "W0001", EventKinds.HubRequest), message.Subject);
                Assert.Contains(SealedPayload.Format, body, StringComparison.Ordinal);
                sealedOnB++;
            }
        }

        Assert.Equal(1, sealedOnB);
    }

    private static async Task<long> CountAsync(TestCenter center, string sql)
    {
        await using var connection = await center.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
