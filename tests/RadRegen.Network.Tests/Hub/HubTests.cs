using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Messaging;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Hub;
using RadRegen.Testing;
using static RadRegen.Network.Tests.Hub.HubSamples;

namespace RadRegen.Network.Tests.Hub;

/// <summary>The international hub (issue 14) between three centers, each with its own database; envelopes built from each center's outbox.</summary>
[Trait("Kind", "Integration")]
public sealed class HubTests
{
    private const string Pw = HubCenter.Password;

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static async Task<ThreeTestCenters<HubCenter>> NetworkWithMembersAsync(string engine)
    {
        var net = await HubNetwork.OpenAsync(engine);
        await net.A.Hub.DeclareMemberAsync(net.A.Coordinator, State());
        await net.A.Hub.DeclareMemberAsync(net.A.Coordinator, Center("A0001", 2));
        await net.B.Hub.DeclareMemberAsync(net.B.Coordinator, Center("B0002", 10, biodosimetry: 150));
        await net.C.Hub.DeclareMemberAsync(net.C.Coordinator, Center("C0003", 6, product: "S1234", vials: 30));
        await net.SettleAsync();
        return net;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_registry_is_searchable_by_area_kind_day_and_words_and_every_center_learns_it(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        foreach (var c in net.All)
        {
            var members = await c.Hub.ListMembersAsync(c.Coordinator);
            Assert.Equal(["A0001", "B0002", "C0003", "XS-CA"], members.Select(m => m.Code));
        }

        var bmt = await net.C.Hub.SearchAsync(net.C.Coordinator, new CapabilitySearch(Area: "medical-support", Kind: "bmt-beds"));
        Assert.Equal(["B0002", "C0003", "A0001"], bmt.Select(x => x.Member.Code)); // most beds first
        var dicentric = await net.C.Hub.SearchAsync(net.C.Coordinator, new CapabilitySearch(Text: "dicentric"));
        Assert.Equal(("B0002", CapabilityKind.BiodosimetrySamplesPerWeek, 150), (dicentric.Single().Member.Code, dicentric.Single().Capability.Kind, dicentric.Single().Capability.Quantity));
        Assert.Empty(await net.C.Hub.SearchAsync(net.C.Coordinator, new CapabilitySearch(Kind: "bmt-beds", ValidOn: new DateOnly(2025, 12, 31))));
        var ipsc = (await net.A.Hub.SearchAsync(net.A.Coordinator, new CapabilitySearch(Kind: "ipsc-product"))).Single();
        Assert.Equal(("S1234", 40.5), (ipsc.Capability.ProductType, ipsc.Capability.HlaCoveragePercent));

        // Only the center that keeps a member may change it, here and over the network.
        var ex = await Assert.ThrowsAsync<RuleViolationException>(() => net.A.Hub.DeclareMemberAsync(net.A.Coordinator, Center("B0002", 99)));
        Assert.Contains("kept by center B0002", ex.Message, StringComparison.Ordinal);
        var forged = (await net.C.OutboxAsync()).First(r => r.Event.Kind == EventKinds.HubMember);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => net.A.ApplyAsync(HubCenter.Envelope("B0002", forged)));
        Assert.Equal("source", refused.Errors[0].Field);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_declarations_name_the_field_and_rule_and_write_nothing(string engine)
    {
        await using var net = await HubNetwork.OpenAsync(engine);
        var before = (await net.A.OutboxAsync()).Count;
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => net.A.Hub.DeclareMemberAsync(net.A.Coordinator,
            new MemberInput("X", "", "embassy", "Japan", null, "nope",
            [
                new CapabilityInput("cooking", "experts", 2, ValidFrom: HubSamples.From),
                new CapabilityInput("dose-assessment", "bmt-beds", 0, ValidFrom: HubSamples.From),
                new CapabilityInput("medical-support", "ipsc-product", 3, ValidFrom: new DateOnly(2026, 5, 1), ValidUntil: new DateOnly(2026, 4, 1)),
            ])));
        var fields = ex.Errors.Select(e => e.Field).ToList();
        Assert.Equal(["code", "name", "kind", "country", "center", "capabilities[0].area", "capabilities[1].kind", "capabilities[1].quantity",
            "capabilities[2].productType", "capabilities[2].validUntil"], fields);
        Assert.Contains("not a coded capability area", ex.Errors.Single(e => e.Field == "capabilities[0].area").Message, StringComparison.Ordinal);
        Assert.Equal(before, (await net.A.OutboxAsync()).Count);
        await Assert.ThrowsAsync<ForbiddenException>(() => net.A.Hub.DeclareMemberAsync(Actor.LocalOperator("t", Role.Physician), State()));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_request_goes_through_offer_accept_commit_deliver_close_signed_at_each_step_and_converges(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        var a = net.A;
        var b = net.B;
        var view = await a.Hub.CreateRequestAsync(a.Coordinator, Request(addressees: ["B0002"]), Pw);
        var id = view.Request.Id;
        Assert.Equal((HubState.Requested, "RequestResource"), (view.State, view.State.EdxlRmMessage()));
        Assert.Equal(["A0001", "B0002"], view.Request.Audience);
        Assert.Equal(HubNetwork.Now.AddHours(12), view.AnswerDue);
        Assert.Equal(["to/B0002/hub-request/" + id], (await a.OutboxAsync()).Select(r => r.Event.EntityKey).Where(k => k.Contains("hub-request/", StringComparison.Ordinal)));
        await net.SettleAsync();

        // Restricted: B (an addressee's center) receives it (sealed on its own subject); C never does.
        Assert.Single(await b.Hub.ListRequestsAsync(b.Coordinator));
        Assert.Empty(await net.C.Hub.ListRequestsAsync(net.C.Coordinator));

        var offer = await b.Hub.OfferAsync(b.Coordinator, id, Offer("B0002"), Pw);
        Assert.Equal(HubState.Offered, offer.State);
        var early = await Assert.ThrowsAsync<RuleViolationException>(() => b.Hub.CommitAsync(b.Coordinator, offer.Id, Pw));
        Assert.StartsWith("state: offer", early.Message, StringComparison.Ordinal);
        Assert.Contains("needs it accepted", early.Message, StringComparison.Ordinal);
        await net.SettleAsync();
        Assert.Equal(HubState.Offered, (await a.Hub.GetRequestAsync(a.Coordinator, id)).State);
        var wrongSide = await Assert.ThrowsAsync<RuleViolationException>(() => b.Hub.AcceptAsync(b.Coordinator, offer.Id, Pw));
        Assert.Contains("only the requesting side A0001", wrongSide.Message, StringComparison.Ordinal);

        await a.Hub.AcceptAsync(a.Coordinator, offer.Id, Pw);
        await net.SettleAsync();
        await b.Hub.CommitAsync(b.Coordinator, offer.Id, Pw);
        await net.SettleAsync();
        Assert.Equal(HubState.Committed, (await a.Hub.GetRequestAsync(a.Coordinator, id)).State);
        await Assert.ThrowsAsync<RuleViolationException>(() => a.Hub.CloseRequestAsync(a.Coordinator, id, Pw));
        await b.Hub.DeliverAsync(b.Coordinator, offer.Id, Pw);
        await net.SettleAsync();
        var closed = await a.Hub.CloseRequestAsync(a.Coordinator, id, Pw);
        Assert.Equal(HubState.Closed, closed.State);
        await net.SettleAsync();

        foreach (var c in new[] { a, b })
        {
            var v = await c.Hub.GetRequestAsync(c.Coordinator, id);
            Assert.Equal(HubState.Closed, v.State);
            var o = v.Offers.Single();
            Assert.Equal((HubState.Closed, 125000m, "EUR"), (o.State, o.CostAmount, o.CostCurrency));
            Assert.NotNull(o.AcceptedAt);
            Assert.NotNull(o.DeliveredAt);
        }

        // Every step signed by the coordinator who took it, at the center that took it.
        var auditor = Actor.LocalOperator("t", Role.Auditor);
        Assert.Equal(["requested assistance", "closed request"], (await a.World.Audit.SignaturesAsync(auditor, "hub-request", id)).Select(s => s.Meaning));
        Assert.Equal(["accepted offer"], (await a.World.Audit.SignaturesAsync(auditor, "hub-offer", offer.Id)).Select(s => s.Meaning));
        Assert.Equal(["offered assistance", "committed resources", "delivered assistance"],
            (await b.World.Audit.SignaturesAsync(auditor, "hub-offer", offer.Id)).Select(s => s.Meaning));

        // No offer against a closed request.
        var late = await Assert.ThrowsAsync<RuleViolationException>(() => b.Hub.OfferAsync(b.Coordinator, id, Offer("B0002"), Pw));
        Assert.Contains("needs an open request", late.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_wrong_password_or_bad_request_writes_nothing(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        var a = net.A;
        var outbox = (await a.OutboxAsync()).Count;
        await Assert.ThrowsAsync<ForbiddenException>(() => a.Hub.CreateRequestAsync(a.Coordinator, Request(), "wrong password"));
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => a.Hub.CreateRequestAsync(a.Coordinator,
            new NewAssistanceRequest("XS-CA", "s", "scope", [new LineInput("weather", "experts", 1), new LineInput("medical-support", "biodosimetry", 5)],
                [new PatientInput("blue", 7, 0)], null, "whenever", "secret", ["NOBODY"], 0), Pw));
        Assert.Equal(["lines[0].area", "lines[1].kind", "patients[0].triage", "patients[0].responseCategory", "patients[0].count", "urgency", "confidentiality",
            "answerWithinHours"], bad.Errors.Select(e => e.Field));
        var unknown = await Assert.ThrowsAsync<DomainValidationException>(() => a.Hub.CreateRequestAsync(a.Coordinator, Request(addressees: ["NOBODY"]), Pw));
        Assert.Equal("addressees[0]", unknown.Errors.Single().Field);
        Assert.Equal(outbox, (await a.OutboxAsync()).Count);
        Assert.Empty(await a.Hub.ListRequestsAsync(a.Coordinator));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Several_offers_meet_one_request_and_a_release_ends_them_all(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        var (a, b, c) = (net.A, net.B, net.C);
        var id = (await a.Hub.CreateRequestAsync(a.Coordinator, Request(label: "members"), Pw)).Request.Id;
        // Members-only: one copy per member center of A's registry, addressed (sealed by the engine), none on the shared subject.
        Assert.Equal(["to/B0002/hub-request/" + id, "to/C0003/hub-request/" + id],
            (await a.OutboxAsync()).Select(r => r.Event.EntityKey).Where(k => k.EndsWith("hub-request/" + id, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        await net.SettleAsync();
        var fromB = await b.Hub.OfferAsync(b.Coordinator, id, Offer("B0002", 4), Pw);
        var fromC = await c.Hub.OfferAsync(c.Coordinator, id, Offer("C0003", 4), Pw);
        await net.SettleAsync();
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainValidationException>(() => c.Hub.WithdrawAsync(c.Coordinator, fromC.Id, null, Pw))).Errors[0].Field);
        await a.Hub.AcceptAsync(a.Coordinator, fromB.Id, Pw);
        await a.Hub.AcceptAsync(a.Coordinator, fromC.Id, Pw);
        await net.SettleAsync();
        await b.Hub.CommitAsync(b.Coordinator, fromB.Id, Pw);
        await net.SettleAsync();
        Assert.Equal(HubState.Accepted, (await a.Hub.GetRequestAsync(a.Coordinator, id)).State); // the least advanced accepted offer
        await c.Hub.WithdrawAsync(c.Coordinator, fromC.Id, "beds needed at home", Pw);
        await net.SettleAsync();
        var withdrawn = await a.Hub.GetRequestAsync(a.Coordinator, id);
        Assert.Equal(HubState.Committed, withdrawn.State); // the withdrawn offer no longer counts
        Assert.Equal(("beds needed at home", HubState.Released), (withdrawn.Offers.Single(o => o.Id == fromC.Id).ReleaseReason, withdrawn.Offers.Single(o => o.Id == fromC.Id).State));
        await Assert.ThrowsAsync<DomainValidationException>(() => a.Hub.ReleaseRequestAsync(a.Coordinator, id, " ", Pw));
        var released = await a.Hub.ReleaseRequestAsync(a.Coordinator, id, "patients evacuated elsewhere", Pw);
        Assert.Equal(HubState.Released, released.State);
        Assert.All(released.Offers, o => Assert.Equal(HubState.Released, o.State));
        await net.SettleAsync();
        foreach (var center in net.All)
        {
            var v = await center.Hub.GetRequestAsync(center.Coordinator, id);
            Assert.Equal(HubState.Released, v.State);
            Assert.Equal(("patients evacuated elsewhere", HubState.Released), (v.Offers.Single(o => o.Id == fromB.Id).ReleaseReason, v.Offers.Single(o => o.Id == fromB.Id).State));
        }

        await Assert.ThrowsAsync<RuleViolationException>(() => b.Hub.DeliverAsync(b.Coordinator, fromB.Id, Pw));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_answer_timer_shows_a_request_overdue_until_the_first_offer(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        var id = (await net.A.Hub.CreateRequestAsync(net.A.Coordinator, Request(label: "public"), Pw)).Request.Id;
        net.A.Clock.Advance(TimeSpan.FromHours(11));
        var v = await net.A.Hub.GetRequestAsync(net.A.Coordinator, id);
        Assert.Equal((false, TimeSpan.FromHours(1)), (v.Overdue, v.AnswerRemaining));
        net.A.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await net.A.Hub.GetRequestAsync(net.A.Coordinator, id)).Overdue);
        await net.SettleAsync();
        await net.B.Hub.OfferAsync(net.B.Coordinator, id, Offer("B0002"), Pw);
        await net.SettleAsync();
        var answered = await net.A.Hub.GetRequestAsync(net.A.Coordinator, id);
        Assert.Equal((false, (DateTimeOffset?)HubNetwork.Now), (answered.Overdue, answered.AnsweredAt));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Matching_ranks_members_by_declared_and_live_capacity_with_reasons(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        // B declares 10 BMT beds but reports only 3 free now; C declares 6 and reports none.
        await net.B.Capacity.ReportAsync(net.B.Coordinator, new CapacityReport([new BedCount("BMT", 12, 3)]));
        await net.SettleAsync();
        var id = (await net.A.Hub.CreateRequestAsync(net.A.Coordinator, Request(bmt: 6), Pw)).Request.Id;
        var ranked = await net.A.Matching.MatchAsync(net.A.Coordinator, id);
        Assert.Equal(["B0002", "C0003", "A0001"], ranked.Select(m => m.Member.Code));
        var b = ranked[0];
        var bmt = b.Lines.Single(l => l.Line == 0);
        Assert.Equal((10, (int?)3, 3, 0.5), (bmt.Declared, bmt.Live, bmt.Usable, bmt.Coverage));
        Assert.Contains(bmt.Reasons, r => r.Contains("reports 3 BMT beds available", StringComparison.Ordinal));
        Assert.Equal(0.625, b.Score); // (beds 3 of 6 + biodosimetry 150 of 200) / 2 lines
        var c = ranked[1];
        Assert.Equal((6, (int?)null, 1.0), (c.Lines.Single().Declared, c.Lines.Single().Live, c.Lines.Single().Coverage));
        Assert.Contains(c.Lines.Single().Reasons, r => r.Contains("has reported no BMT capacity", StringComparison.Ordinal));
        Assert.DoesNotContain(ranked, m => m.Member.Code == "XS-CA"); // the requester
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_member_sees_what_its_label_allows(string engine)
    {
        await using var net = await NetworkWithMembersAsync(engine);
        var a = net.A;
        var restricted = (await a.Hub.CreateRequestAsync(a.Coordinator, Request(addressees: ["B0002"]), Pw)).Request.Id;
        a.Clock.Advance(TimeSpan.FromMinutes(1));
        var members = (await a.Hub.CreateRequestAsync(a.Coordinator, Request(label: "members"), Pw)).Request.Id;
        a.Clock.Advance(TimeSpan.FromMinutes(1));
        var open = (await a.Hub.CreateRequestAsync(a.Coordinator, Request(label: "public"), Pw)).Request.Id;
        Assert.Equal(3, (await a.Hub.ListRequestsAsync(a.Coordinator)).Count); // the hub's own users see what it keeps
        Assert.Equal([open, members, restricted], (await a.Hub.ListRequestsAsync(a.Coordinator, asMember: "B0002")).Select(v => v.Request.Id));
        Assert.Equal([open, members], (await a.Hub.ListRequestsAsync(a.Coordinator, asMember: "C0003")).Select(v => v.Request.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => a.Hub.GetRequestAsync(a.Coordinator, restricted, "C0003"));
        await Assert.ThrowsAsync<DomainValidationException>(() => a.Hub.ListRequestsAsync(a.Coordinator, asMember: "NOBODY"));

        // A restricted offer: the requester and its offerer only.
        await net.SettleAsync();
        await net.C.Hub.OfferAsync(net.C.Coordinator, members, Offer("C0003") with { Confidentiality = "restricted" }, Pw);
        await net.SettleAsync();
        Assert.Single((await a.Hub.GetRequestAsync(a.Coordinator, members, "XS-CA")).Offers);
        Assert.Empty((await a.Hub.GetRequestAsync(a.Coordinator, members, "B0002")).Offers);
        Assert.Empty((await net.B.Hub.GetRequestAsync(net.B.Coordinator, members)).Offers); // restricted offer: B is not in its audience

        // Exports honour the same rule.
        var noOne = await Assert.ThrowsAsync<RuleViolationException>(() => a.Hub.ExportIrixAsync(a.Coordinator, members, null));
        Assert.StartsWith("for:", noOne.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => a.Hub.ExportIrixAsync(a.Coordinator, restricted, "C0003"));
        var (xml, _) = await a.Hub.ExportIrixAsync(a.Coordinator, open, null);
        Assert.Contains("<id:Confidentiality>public</id:Confidentiality>", xml, StringComparison.Ordinal);
    }
}
