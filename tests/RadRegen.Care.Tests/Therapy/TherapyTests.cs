using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Therapy;

/// <summary>Therapy requests over a real bank on each engine: ranking, atomic reservation, dispatch, administration, follow-up.</summary>
[Trait("Kind", "Integration")]
public class TherapyTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    /// <summary>Heterozygous patient sharing one haplotype (A24-B52-DR15) with the world's homozygous line.</summary>
    private const string PatientHla = "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05";

    private sealed record Scene(BankWorld World, TherapyService Therapy, Actor Doctor, Actor Coordinator, Patient Patient, IReadOnlyList<Vial> Matching,
        IReadOnlyList<Vial> Mismatched);

    private static async Task<Scene> SceneAsync(BankWorld w, int vials = 3)
    {
        var care = w.Services.GetRequiredService<CareService>();
        var access = w.Services.GetRequiredService<AccessService>();
        var coordinator = (await access.AddUserAsync(BankWorld.System, "coord1", "coord1", new HashSet<Role> { Role.Coordinator }, BankWorld.Password)).ToActor();
        var incident = await care.CreateIncidentAsync(w.Physician, new NewIncident("INC-T1", "Test", IncidentKind.Criticality, w.Clock.UtcNow.AddHours(-6), "Plant", ["U-235"]));
        var patient = await care.RegisterPatientAsync(w.Physician, incident.Id,
            new NewPatient("P-0001", 40, Sex.Male, 70, w.Clock.UtcNow.AddHours(-6), HlaTyping: PatientHla));
        var matching = await w.VialsAsync(await w.ReleasedLotAsync(vials));

        // A second, HLA-distant homozygous line (A33-B44-DR13): six HvG mismatches for the patient.
        var donor = await w.Bank.RegisterDonorAsync(w.Tech, BankWorld.Eligible("D-TEST0002") with { HlaGl = "A*33:03+A*33:03^B*44:03+B*44:03^DRB1*13:02+DRB1*13:02" });
        var line = await w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-L002", donor.Id, "episomal plasmid", "clone 1", 12));
        var mcb = await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-L002-MCB", CellBankKind.Mcb, line.Id, null, 15, 200));
        var wcb = await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-L002-WCB1", CellBankKind.Wcb, line.Id, mcb.Id, 18, 300));
        var lot = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", wcb.Id, 2, BoxId: w.Box.Id));
        await w.PassAllAsync(lot);
        var mismatched = await w.VialsAsync(await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
        return new Scene(w, w.Services.GetRequiredService<TherapyService>(), w.Physician, coordinator, patient, matching, mismatched);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_request_turns_dose_per_kg_into_vials_and_offers_only_acceptable_lines_best_first(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w);

        // 2×10⁶ cells/kg × 70 kg = 140 ×10⁶ cells; a vial holds 100 ×10⁶: 2 vials.
        var request = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("s9102", 2, "urgent", "Hospital A"));
        Assert.Equal(2, request.VialsNeeded);
        Assert.Equal(140, request.TotalDose, 9);
        Assert.Equal(TherapyStatus.Open, request.Status);

        var matches = await s.Therapy.MatchesAsync(s.Doctor, request.Id);
        Assert.False(matches.GraftVersusHostCounted);
        Assert.Equal(s.Matching.Select(v => v.Id).Order(), matches.Offers.Select(o => o.VialId).Order());
        Assert.All(matches.Offers, o => Assert.Equal(1.0, o.Compatibility));
        Assert.All(matches.Offers, o => Assert.Equal("CPC", o.Site));
        Assert.Equal([1, 2, 3], matches.Offers.Select(o => o.Rank));
        var excluded = Assert.Single(matches.Excluded);
        Assert.Equal("RR-L002", excluded.LineCode);
        Assert.Equal(2, excluded.Vials);
        Assert.StartsWith("HvG ", excluded.Reason, StringComparison.Ordinal);
        Assert.Contains("A*33:03", excluded.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Graft_versus_host_counts_when_the_product_contains_immune_cells(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w, vials: 1);
        var msc = await w.Bank.GetProductAsync(BankWorld.System, "S9102");
        await w.Bank.SaveProductAsync(w.Qa, msc with { Code = "S9199", Name = "Test immune-cell product", ContainsImmuneCells = true }, null, "test");
        var lot = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9199", w.Wcb.Id, 1, BoxId: w.Box.Id));
        await w.PassAllAsync(lot);
        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);

        var request = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9199", 1, "routine", "Hospital A"));
        var matches = await s.Therapy.MatchesAsync(s.Doctor, request.Id);
        Assert.True(matches.GraftVersusHostCounted);
        var offer = Assert.Single(matches.Offers);

        // HvG 0 (the line's haplotype is one of the patient's), GvH 3 (the patient's other haplotype): 1/((1+0)(1+3)).
        Assert.Equal(0.25, offer.Compatibility, 12);
        Assert.Contains("GvH 3", offer.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_requests_name_the_field_and_write_nothing(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w, vials: 1);
        var before = await w.JournalCountAsync();

        var unknown = await Assert.ThrowsAsync<DomainValidationException>(() => s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9999", 2, "urgent", "H")));
        Assert.Contains(unknown.Errors, e => e.Field == "productCode" && e.Message.Contains("S9102", StringComparison.Ordinal));
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", -1, "soon", "")));
        Assert.Equal(["dose", "urgency", "treatingCenter"], bad.Errors.Select(e => e.Field));
        var unit = await Assert.ThrowsAsync<DomainValidationException>(() => s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 2_000_000, "urgent", "H")));
        Assert.Contains("check the dose and its unit", Assert.Single(unit.Errors).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => s.Therapy.RequestAsync(s.Doctor, 999_999, new NewTherapyRequest("S9102", 2, "urgent", "H")));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Therapy.RequestAsync(w.Qa, s.Patient.Id, new NewTherapyRequest("S9102", 2, "urgent", "H")));
        Assert.Equal(before, await w.JournalCountAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Reserving_the_top_match_holds_it_in_the_bank_and_it_is_no_longer_offered_to_others(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w);
        var first = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 2, "emergency", "Hospital A"));
        var top = (await s.Therapy.MatchesAsync(s.Doctor, first.Id)).Offers.Take(2).Select(o => o.VialId).ToList();

        var record = await s.Therapy.ReserveBestAsync(s.Doctor, first.Id);
        Assert.Equal(TherapyStatus.Reserved, record.Request.Status);
        Assert.Equal(top, record.Vials.Select(v => v.VialId));
        foreach (var id in top)
        {
            var vial = (await w.Bank.GetVialAsync(BankWorld.System, id)).Lineage.Vial;
            Assert.Equal(VialStatus.Reserved, vial.Status);
            Assert.Contains("P-0001", vial.ReservedFor, StringComparison.Ordinal);
        }

        var second = await s.Therapy.RequestAsync(s.Coordinator, s.Patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital B"));
        var offers = (await s.Therapy.MatchesAsync(s.Coordinator, second.Id)).Offers;
        Assert.DoesNotContain(offers, o => top.Contains(o.VialId));
        Assert.Single(offers);

        // Someone who read the offers before the reservation and tries a taken vial: 409, nothing written.
        var journal = await w.JournalCountAsync();
        var taken = await Assert.ThrowsAsync<ConflictException>(() => s.Therapy.ReserveAsync(s.Coordinator, second.Id, [top[0]]));
        Assert.Contains("reserved by someone else", taken.Message, StringComparison.Ordinal);
        Assert.Equal(journal, await w.JournalCountAsync());
        Assert.Empty((await s.Therapy.GetAsync(s.Coordinator, second.Id)).Vials);

        // An HLA-unacceptable vial is refused with the reason.
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => s.Therapy.ReserveAsync(s.Coordinator, second.Id, [s.Mismatched[0].Id]));
        Assert.Contains("not HLA-acceptable", refused.Message, StringComparison.Ordinal);

        var entries = await JournalAsync(w, "therapy-request", first.Id);
        Assert.Equal(["requested", "reserved"], entries.Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Two_prescribers_racing_for_the_last_vial_one_wins_the_other_gets_409(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w, vials: 1);
        var a = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "A"));
        var b = await s.Therapy.RequestAsync(s.Coordinator, s.Patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "B"));
        var vial = s.Matching[0].Id;
        var results = await Task.WhenAll(
            Try(() => s.Therapy.ReserveAsync(s.Doctor, a.Id, [vial])),
            Try(() => s.Therapy.ReserveAsync(s.Coordinator, b.Id, [vial])));
        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is ConflictException);
        var held = (await s.Therapy.GetAsync(s.Doctor, a.Id)).VialsHeld + (await s.Therapy.GetAsync(s.Doctor, b.Id)).VialsHeld;
        Assert.Equal(1, held);

        static async Task<Exception?> Try(Func<Task> f)
        {
            try
            {
                await f();
                return null;
            }
            catch (Exception ex) when (ex is ConflictException or RuleViolationException)
            {
                return ex;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Dispatch_receipt_signed_administration_and_follow_up(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w);
        var request = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        await Assert.ThrowsAsync<RuleViolationException>(() => s.Therapy.DispatchAsync(w.Tech, request.Id));
        var reserved = await s.Therapy.ReserveBestAsync(s.Doctor, request.Id);
        var vialId = reserved.Vials[0].VialId;
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Therapy.DispatchAsync(w.Physician, request.Id));

        var dispatched = await s.Therapy.DispatchAsync(w.Tech, request.Id);
        Assert.Equal(TherapyStatus.Dispatched, dispatched.Request.Status);
        var shipment = Assert.Single(dispatched.Shipments);
        Assert.Equal("Hospital A", shipment.Destination);
        Assert.Equal(shipment.Id, dispatched.Vials[0].ShipmentId);
        Assert.Equal(VialStatus.Shipped, (await w.Bank.GetVialAsync(BankWorld.System, vialId)).Lineage.Vial.Status);

        await Assert.ThrowsAsync<RuleViolationException>(() => s.Therapy.AdministerAsync(s.Doctor, request.Id, BankWorld.Password, null));
        w.Clock.Advance(TimeSpan.FromHours(3));
        var received = await s.Therapy.ReceiveAsync(s.Doctor, request.Id, null);
        Assert.NotNull(Assert.Single(received.Shipments).ReceivedAt);

        var journal = await w.JournalCountAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => s.Therapy.AdministerAsync(s.Doctor, request.Id, "wrong password", null));
        Assert.Equal(TherapyStatus.Received, (await s.Therapy.GetAsync(s.Doctor, request.Id)).Request.Status);
        Assert.Equal(VialStatus.Received, (await w.Bank.GetVialAsync(BankWorld.System, vialId)).Lineage.Vial.Status);
        Assert.True(await w.JournalCountAsync() <= journal + 1, "a failed signature writes at most its own refusal");

        w.Clock.Advance(TimeSpan.FromMinutes(30));
        var given = await s.Therapy.AdministerAsync(s.Doctor, request.Id, BankWorld.Password, "i.v. over 30 min");
        Assert.Equal(TherapyStatus.Administered, given.Request.Status);
        Assert.Equal(w.Clock.UtcNow, given.Vials[0].AdministeredAt);
        Assert.Equal(VialStatus.Administered, (await w.Bank.GetVialAsync(BankWorld.System, vialId)).Lineage.Vial.Status);
        var signatures = await w.Services.GetRequiredService<AuditService>().SignaturesAsync(w.Auditor, "therapy-request", CareService_Id(request.Id));
        Assert.Equal("administered", Assert.Single(signatures).Meaning);

        var early = await Assert.ThrowsAsync<DomainValidationException>(() =>
            s.Therapy.RecordFollowUpAsync(s.Doctor, request.Id, w.Clock.UtcNow.AddHours(-1), "improved", null));
        Assert.Equal("observedAt", Assert.Single(early.Errors).Field);
        var badOutcome = await Assert.ThrowsAsync<DomainValidationException>(() =>
            s.Therapy.RecordFollowUpAsync(s.Doctor, request.Id, w.Clock.UtcNow, "cured-forever", null));
        Assert.Contains("adverse-event", Assert.Single(badOutcome.Errors).Message, StringComparison.Ordinal);
        w.Clock.Advance(TimeSpan.FromDays(7));
        var f = await s.Therapy.RecordFollowUpAsync(s.Doctor, request.Id, w.Clock.UtcNow, "adverse-event", "fever 38.5 °C day 2");
        Assert.Equal(FollowUpOutcome.AdverseEvent, f.Outcome);
        Assert.Single((await s.Therapy.GetAsync(s.Doctor, request.Id)).FollowUps);

        var actions = (await JournalAsync(w, "therapy-request", request.Id)).Select(e => e.Action).ToList();
        Assert.Equal(["requested", "reserved", "dispatched", "received", "administered", "followed-up"], actions.Where(a => a != "signed"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Cancelling_gives_the_vials_back_to_the_stock(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w, vials: 2);
        var request = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 2, "urgent", "Hospital A"));
        var reserved = await s.Therapy.ReserveBestAsync(s.Doctor, request.Id);
        var cancelled = await s.Therapy.CancelAsync(s.Doctor, request.Id, "patient transferred");
        Assert.Equal(TherapyStatus.Cancelled, cancelled.Request.Status);
        Assert.All(cancelled.Vials, v => Assert.Equal(TherapyVialStatus.Released, v.Status));
        foreach (var v in reserved.Vials)
        {
            Assert.Equal(VialStatus.Released, (await w.Bank.GetVialAsync(BankWorld.System, v.VialId)).Lineage.Vial.Status);
        }

        var again = await s.Therapy.RequestAsync(s.Doctor, s.Patient.Id, new NewTherapyRequest("S9102", 2, "urgent", "Hospital B"));
        Assert.Equal(2, (await s.Therapy.MatchesAsync(s.Doctor, again.Id)).Offers.Count);
        await s.Therapy.ReserveBestAsync(s.Doctor, again.Id);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_bank_inventory_offers_released_unexpired_unflagged_vials_with_line_typing_and_site(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = await SceneAsync(w, vials: 3);
        await w.SetStatusAsync(s.Matching[0].Id, VialStatus.Reserved);
        var inventory = w.Services.GetRequiredService<RadRegen.Care.MassCasualty.IProductInventory>();
        var stock = await inventory.AvailableAsync(["S9102"], CancellationToken.None);
        Assert.Equal(4, stock.Count);
        Assert.DoesNotContain(stock, v => v.Id == s.Matching[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(stock, v => Assert.Equal("CPC", v.Site));
        Assert.Contains(stock, v => v.LineId == "RR-L001" && v.LineHla!.Contains("A*24:02", StringComparison.Ordinal));
        Assert.Empty(await inventory.AvailableAsync(["S9101"], CancellationToken.None));

        w.Clock.Advance(TimeSpan.FromDays(5000));
        Assert.Empty(await inventory.AvailableAsync(["S9102"], CancellationToken.None));
    }

    private static string CareService_Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<JournalEntry>> JournalAsync(BankWorld w, string type, long id)
    {
        await using var uow = await w.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        return [.. (await uow.Journal.QueryAsync(new JournalQuery(RecordType: type, RecordId: CareService_Id(id), PageSize: 100))).Entries.OrderBy(e => e.Sequence)];
    }
}
