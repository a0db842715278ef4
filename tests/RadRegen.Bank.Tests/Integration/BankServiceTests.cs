using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

[Trait("Kind", "Integration")]
public class BankServiceTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Donor_to_released_vial_journaled_signed_and_traced_back_in_one_query(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(4);
        Assert.Equal(LotStatus.Quarantine, lot.Status);
        Assert.Matches("^W0001[0-9]{8}$", lot.Din);
        var vials = await w.VialsAsync(lot);
        Assert.Equal(["A0", "A1", "A2", "A3"], vials.Select(v => v.Division));
        Assert.All(vials, v => Assert.Equal(VialStatus.Quarantine, v.Status));
        Assert.Equal([(1, 1), (1, 2), (1, 3), (1, 4)], vials.Select(v => (v.Row!.Value, v.Column!.Value)));

        await w.PassAllAsync(lot);
        var released = await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        Assert.Equal(LotStatus.Released, released.Status);
        var detail = await w.Bank.GetLotAsync(w.Auditor, lot.Id);
        Assert.All(detail.Vials, v => Assert.Equal(VialStatus.Released, v.Status));
        var signature = Assert.Single(detail.Signatures);
        Assert.Equal("qa1", signature.UserName);
        Assert.Equal("released", signature.Meaning);
        Assert.Equal(signature.Id, detail.Lot.SignatureId);

        var lineage = await w.Bank.LineageAsync(w.Auditor, vials[0].Id);
        Assert.Equal(w.Donor.Code, lineage.Donor.Code);
        Assert.True(lineage.Donor.Consent.Clinical);
        Assert.True(lineage.Donor.Homozygous);
        Assert.Equal("A*24:02~B*52:01~DRB1*15:02", lineage.Donor.Haplotype);
        Assert.Equal(w.Line.Code, lineage.Line.Code);
        Assert.Equal(w.Wcb.Code, lineage.WorkingBank.Code);
        Assert.Equal(w.Mcb.Code, lineage.MasterBank!.Code);
        Assert.Equal(lot.LotNumber, lineage.Lot.LotNumber);

        var found = await w.Bank.SearchAsync(w.Auditor, new InventorySearch("S9102", "released"));
        Assert.Equal(4, found.Total);
        var custody = (await w.Bank.GetVialAsync(w.Auditor, vials[0].Id)).Custody;
        Assert.Equal(["created", "released"], custody.Select(c => c.Action));

        var audit = w.Services.GetRequiredService<AuditService>();
        var lotEntries = await audit.BrowseAsync(BankWorld.System, new JournalQuery(RecordType: "lot", RecordId: lot.LotNumber, PageSize: 100));
        Assert.Contains(lotEntries.Entries, e => e.Action == "released" && e.User == "qa1");
        Assert.Equal(6, lotEntries.Entries.Count(e => e.Action == "qc-recorded"));
        Assert.True((await audit.VerifyAsync(BankWorld.System)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Release_is_refused_without_every_result_by_a_technician_by_the_recorder_or_with_a_wrong_password(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(2);
        await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "viability", "95", "%");
        var missing = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
        Assert.Contains("no result for release test Endotoxin", missing.Message, StringComparison.Ordinal);

        await w.PassAllAsync(lot);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ReleaseLotAsync(w.Tech, lot.Id, BankWorld.Password));

        // a QA officer who recorded one of its results may not release it
        var lot2 = await w.LotAsync(2);
        await w.PassAllAsync(lot2);
        await w.Bank.RecordQcResultAsync(w.Qa2, lot2.Id, "sterility", "negative", null);
        var fourEyes = await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ReleaseLotAsync(w.Qa2, lot2.Id, BankWorld.Password));
        Assert.Contains("four-eyes", fourEyes.Message, StringComparison.Ordinal);

        var before = await w.JournalCountAsync();
        var wrong = await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, "not my password"));
        Assert.Contains("password", wrong.Message, StringComparison.Ordinal);
        // Nothing of the release is written; the refused signature itself is journaled (issue 12 item 1), once the release has rolled back.
        await w.Services.GetRequiredService<AttemptJournal>().FlushAsync();
        Assert.Equal(before + 1, await w.JournalCountAsync());
        var detail = await w.Bank.GetLotAsync(w.Qa, lot.Id);
        Assert.Equal(LotStatus.Quarantine, detail.Lot.Status);
        Assert.Empty(detail.Signatures);
        Assert.All(detail.Vials, v => Assert.Equal(VialStatus.Quarantine, v.Status));

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        var again = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
        Assert.Contains("the lot is released", again.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Out_of_specification_opens_a_deviation_that_holds_release_until_retest_and_closure(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(2);
        await w.PassAllAsync(lot);
        var (result, deviation) = await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "endotoxin", "0.7", "EU/mL");
        Assert.False(result.Passed);
        Assert.NotNull(deviation);
        Assert.Equal(DeviationStatus.Open, deviation.Status);
        var blocked = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
        Assert.Contains("Endotoxin is out of specification", blocked.Message, StringComparison.Ordinal);
        Assert.Contains($"deviation {deviation.Id} is open", blocked.Message, StringComparison.Ordinal);

        await w.Bank.RecordQcResultAsync(w.Tech2, lot.Id, "endotoxin", "0.2", "EU/mL");
        await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.CloseDeviationAsync(w.Tech, deviation.Id, "retested"));
        await w.Bank.CloseDeviationAsync(w.Qa, deviation.Id, "sampling error; retest within specification");
        Assert.Equal(LotStatus.Released, (await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password)).Status);
        var qcAfter = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "viability", "91", "%"));
        Assert.Contains("quarantine", qcAfter.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_input_is_a_clear_error_and_nothing_is_written(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(2);
        var before = await w.JournalCountAsync();
        Assert.Equal("unit", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "endotoxin", "0.2", "ng/mL"))).Errors[0].Field);
        Assert.Equal("value", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "viability", "high", "%"))).Errors[0].Field);
        Assert.Equal("unit", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "sterility", "negative", "%"))).Errors[0].Field);
        Assert.Equal("testCode", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "karma", "good", null))).Errors[0].Field);
        Assert.Equal("productCode", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S0000", w.Wcb.Id, 2)))).Errors[0].Field);
        Assert.Equal("wcbId", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Mcb.Id, 2)))).Errors[0].Field);
        var vial = (await w.VialsAsync(lot))[0];
        Assert.Equal("position", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.MoveAsync(w.Tech, vial.Id, w.Box.Id, 10, 1, "reorganise"))).Errors[0].Field);
        var occupied = await Assert.ThrowsAsync<ConflictException>(() => w.Bank.MoveAsync(w.Tech, vial.Id, w.Box.Id, 1, 2, "reorganise"));
        Assert.Contains("holds vial", occupied.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConflictException>(() => w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 80, BoxId: w.Box.Id)));
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Equal(2, (await w.Bank.SearchAsync(w.Auditor, new InventorySearch(PageSize: 500))).Total);

        var moved = await w.Bank.MoveAsync(w.Tech, vial.Id, w.Box.Id, 9, 9, "reorganise");
        Assert.Equal("I9", Positions.Label(moved.Row!.Value, moved.Column!.Value));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_database_itself_never_puts_two_vials_in_one_position(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(2);
        var vials = await w.VialsAsync(lot);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => w.SetPositionAsync(vials[1].Id, w.Box.Id, 1, 1));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_whole_lifecycle_to_administration_is_on_the_chain_of_custody(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(1);
        var vial = (await w.VialsAsync(lot))[0];
        await w.Bank.ReserveAsync(w.Physician, vial.Id, "patient P-7");
        await w.Bank.ShipAsync(w.Tech, vial.Id, "Hospital B");
        await w.Bank.ReceiveAsync(w.Physician, vial.Id, "arrived in dry shipper at −160 °C");
        var thawed = await w.Bank.ThawAsync(w.Physician, vial.Id, "for administration");
        Assert.Equal(w.Clock.UtcNow.AddHours(4), thawed.ExpiresAt);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.AdministerAsync(w.Tech, vial.Id, "patient P-7", BankWorld.Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.AdministerAsync(w.Physician, vial.Id, "patient P-7", "wrong password"));
        var done = await w.Bank.AdministerAsync(w.Physician, vial.Id, "patient P-7", BankWorld.Password);
        Assert.Equal(VialStatus.Administered, done.Status);
        var custody = (await w.Bank.GetVialAsync(w.Auditor, vial.Id)).Custody;
        Assert.Equal(["created", "released", "reserved", "shipped", "received", "thawed", "administered"], custody.Select(c => c.Action));
        Assert.Equal("A1", custody[0].ToPosition?.Split(':')[1]);
        Assert.Null(custody[3].ToPosition);
        Assert.Equal("doc1", custody[^1].User);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Two_simultaneous_reservations_of_one_vial_one_wins_the_others_conflict(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(1);
        var vial = (await w.VialsAsync(lot))[0];
        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await w.Bank.ReserveAsync(w.Physician, vial.Id, $"patient P-{i}", expectedVersion: vial.Version);
                return "won";
            }
            catch (ConflictException)
            {
                return "conflict";
            }
        });
        var outcomes = await Task.WhenAll(attempts);
        Assert.Equal(1, outcomes.Count(o => o == "won"));
        Assert.Equal(7, outcomes.Count(o => o == "conflict"));
        var detail = await w.Bank.GetVialAsync(w.Auditor, vial.Id);
        Assert.Equal(VialStatus.Reserved, detail.Lineage.Vial.Status);
        Assert.Single(detail.Custody, c => c.Action == "reserved");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Vials_expire_automatically_at_expiry_and_cannot_be_reserved_after(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(3);
        var vials = await w.VialsAsync(lot);
        await w.Bank.ReserveAsync(w.Physician, vials[0].Id, "patient P-1");
        Assert.Equal(0, await w.Bank.ExpireDueAsync(w.Tech));
        w.Clock.Advance(TimeSpan.FromDays(731));
        var late = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReserveAsync(w.Physician, vials[1].Id, "patient P-2"));
        Assert.Contains("expired", late.Message, StringComparison.Ordinal);
        Assert.Equal(3, await w.Bank.ExpireDueAsync(w.Tech));
        var after = await w.VialsAsync(lot);
        Assert.All(after, v => Assert.Equal(VialStatus.Expired, v.Status));
        Assert.Equal(0, await w.Bank.ExpireDueAsync(w.Tech));
        Assert.Equal(3, (await w.Bank.SearchAsync(w.Auditor, new InventorySearch(Status: "expired"))).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Consent_withdrawal_blocks_new_use_and_flags_existing_material(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(2);
        var quarantined = await w.LotAsync(1);
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.WithdrawConsentAsync(w.Auditor, w.Donor.Id, "donor request"));
        var donor = await w.Bank.WithdrawConsentAsync(w.Tech, w.Donor.Id, "donor asked by letter of 2026-11-20");
        Assert.True(donor.ConsentWithdrawn);
        Assert.NotNull((await w.Bank.GetLineAsync(w.Auditor, w.Line.Id)).Flag);
        Assert.All(await w.VialsAsync(lot), v => Assert.StartsWith("consent withdrawn", v.Flag, StringComparison.Ordinal));
        var vial = (await w.VialsAsync(lot))[0];
        Assert.Contains("withdrew consent", (await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.ReserveAsync(w.Physician, vial.Id, "patient P-1"))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => w.LotAsync(1));
        await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-L002", w.Donor.Id, "Sendai virus", "c1", 5)));
        await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-L001-WCB2", CellBankKind.Wcb, w.Line.Id, w.Mcb.Id, 18, 10)));
        await w.PassAllAsync(quarantined);
        Assert.Contains("flagged", (await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.ReleaseLotAsync(w.Qa, quarantined.Id, BankWorld.Password))).Message, StringComparison.Ordinal);
        Assert.Contains((await w.Bank.GetVialAsync(w.Auditor, vial.Id)).Custody, c => c.Action == "flagged");
        // discarding flagged material is still possible
        Assert.Equal(VialStatus.Discarded, (await w.Bank.DiscardAsync(w.Tech, vial.Id, "consent withdrawn", BankWorld.Password)).Status);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_administrator_makes_no_gmp_record_but_seeds_the_catalogue_and_reads_the_bank(string engine)
    {
        // Issue 12 item 9, ADR 0026: system administration is segregated from GMP data entry
        // (EU GMP Annex 11 §12, 21 CFR 11.10(d),(g)); product definitions are QA's master data.
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(1);
        var vial = (await w.VialsAsync(lot))[0];
        var admin = await w.World.UserAsync("admin1", Role.Admin);
        var before = await w.JournalCountAsync();
        Func<Task>[] writes =
        [
            () => w.Bank.RegisterDonorAsync(admin, BankWorld.Eligible("D-ADMIN01")),
            () => w.Bank.CreateLineAsync(admin, new CreateLineRequest("RR-ADM1", w.Donor.Id, "m", "c", 1)),
            () => w.Bank.CreateBankAsync(admin, new CreateBankRequest("RR-ADM-MCB", CellBankKind.Mcb, w.Line.Id, null, 1, 1)),
            () => w.Bank.CreateLotAsync(admin, new CreateLotRequest("S9102", w.Wcb.Id, 1)),
            () => w.Bank.MoveAsync(admin, vial.Id, w.Box.Id, 5, 5, "r"),
            () => w.Bank.CreateLocationAsync(admin, new CreateLocationRequest(null, LocationKind.Site, "X")),
            () => w.Bank.RecordTemperatureAsync(admin, w.Tank.Id, -190),
            () => w.Bank.WithdrawConsentAsync(admin, w.Donor.Id, "r"),
            () => w.Bank.SaveProductAsync(admin, RadRegen.Bank.Catalogue.SeedCatalogue.Products[0], 1, null),
            () => w.Bank.ExpireDueAsync(admin),
        ];
        foreach (var write in writes)
        {
            await Assert.ThrowsAsync<ForbiddenException>(write);
        }

        Assert.Equal(before, await w.JournalCountAsync());
        await w.Bank.EnsureCatalogueAsync(admin);
        Assert.NotNull(await w.Bank.GetLotAsync(admin, lot.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_auditor_changes_nothing_and_a_technician_cannot_release(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(1);
        var vial = (await w.VialsAsync(lot))[0];
        var a = w.Auditor;
        var before = await w.JournalCountAsync();
        Func<Task>[] writes =
        [
            () => w.Bank.RegisterDonorAsync(a, BankWorld.Eligible("D-AUDIT01")),
            () => w.Bank.CreateLineAsync(a, new CreateLineRequest("RR-AUD1", w.Donor.Id, "m", "c", 1)),
            () => w.Bank.CreateBankAsync(a, new CreateBankRequest("RR-AUD-MCB", CellBankKind.Mcb, w.Line.Id, null, 1, 1)),
            () => w.Bank.CreateLotAsync(a, new CreateLotRequest("S9102", w.Wcb.Id, 1)),
            () => w.Bank.RecordQcResultAsync(a, lot.Id, "sterility", "negative", null),
            () => w.Bank.ReleaseLotAsync(a, lot.Id, BankWorld.Password),
            () => w.Bank.RejectLotAsync(a, lot.Id, BankWorld.Password, "no"),
            () => w.Bank.ReserveAsync(a, vial.Id, "P"),
            () => w.Bank.MoveAsync(a, vial.Id, w.Box.Id, 5, 5, "r"),
            () => w.Bank.DiscardAsync(a, vial.Id, "r", BankWorld.Password),
            () => w.Bank.CreateLocationAsync(a, new CreateLocationRequest(null, LocationKind.Site, "X")),
            () => w.Bank.RecordTemperatureAsync(a, w.Tank.Id, -190),
            () => w.Bank.WithdrawConsentAsync(a, w.Donor.Id, "r"),
            () => w.Bank.SaveProductAsync(a, RadRegen.Bank.Catalogue.SeedCatalogue.Products[0], 1, null),
            () => w.Bank.ExpireDueAsync(a),
        ];
        foreach (var write in writes)
        {
            await Assert.ThrowsAsync<ForbiddenException>(write);
        }

        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ReleaseLotAsync(w.Tech, lot.Id, BankWorld.Password));
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.NotEmpty(await w.Bank.ListDonorsAsync(a));
        Assert.NotNull(await w.Bank.GetLotAsync(a, lot.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_temperature_excursion_flags_the_tank_and_every_vial_in_it(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(3);
        var ok = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -185);
        Assert.False(ok.Excursion);
        Assert.All(await w.VialsAsync(lot), v => Assert.Null(v.Flag));
        var bad = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -120.5);
        Assert.True(bad.Excursion);
        Assert.All(await w.VialsAsync(lot), v => Assert.Contains("on tank LN2-1 at 2026-11-21 09:00 UTC: -120.5 °C above -150 °C, awaiting QA assessment", v.Flag, StringComparison.Ordinal));
        var tank = (await w.Bank.ListLocationsAsync(w.Auditor)).Single(l => l.Location.Id == w.Tank.Id);
        Assert.NotNull(tank.Location.Flag);
        Assert.Equal(81, tank.Capacity);
        Assert.Equal(3, tank.Occupied);
        Assert.Equal(2, (await w.Bank.ListTemperaturesAsync(w.Auditor, w.Tank.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Inventory_search_filters_by_product_status_location_expiry_and_haplotype(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var released = await w.ReleasedLotAsync(3);
        await w.LotAsync(2);
        var s = w.Bank;
        Assert.Equal(5, (await s.SearchAsync(w.Auditor, new InventorySearch("S9102"))).Total);
        Assert.Equal(3, (await s.SearchAsync(w.Auditor, new InventorySearch("S9102", "released"))).Total);
        Assert.Equal(2, (await s.SearchAsync(w.Auditor, new InventorySearch(Status: "quarantine", LocationId: w.Tank.Id))).Total);
        Assert.Equal(0, (await s.SearchAsync(w.Auditor, new InventorySearch("S9101"))).Total);
        Assert.Equal(5, (await s.SearchAsync(w.Auditor, new InventorySearch(ExpiresBefore: w.Clock.UtcNow.AddDays(800)))).Total);
        Assert.Equal(0, (await s.SearchAsync(w.Auditor, new InventorySearch(ExpiresBefore: w.Clock.UtcNow.AddDays(10)))).Total);
        Assert.Equal(5, (await s.SearchAsync(w.Auditor, new InventorySearch(Haplotype: "B*52:01"))).Total);
        Assert.Equal(0, (await s.SearchAsync(w.Auditor, new InventorySearch(Haplotype: "B*07:02"))).Total);
        Assert.Equal(5, (await s.SearchAsync(w.Auditor, new InventorySearch(Haplotype: "A*24:02~B*52:01~DRB1*15:02"))).Total);
        Assert.Equal(3, (await s.SearchAsync(w.Auditor, new InventorySearch(Status: "released",
            CompatibleWith: "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"))).Total);
        Assert.Equal(0, (await s.SearchAsync(w.Auditor, new InventorySearch(
            CompatibleWith: "A*02:01+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"))).Total);
        Assert.Equal("compatibleWith", (await Assert.ThrowsAsync<DomainValidationException>(() =>
            s.SearchAsync(w.Auditor, new InventorySearch(CompatibleWith: "A*99")))).Errors[0].Field);
        Assert.Equal(3, (await s.SearchAsync(w.Auditor, new InventorySearch(LotNumber: released.LotNumber))).Total);
        var page = await s.SearchAsync(w.Auditor, new InventorySearch(Page: 2, PageSize: 2));
        Assert.Equal(2, page.Items.Count);
        Assert.Equal(w.Line.Code, page.Items[0].LineCode);
        await Assert.ThrowsAsync<DomainValidationException>(() => s.SearchAsync(w.Auditor, new InventorySearch("S0000")));
        await Assert.ThrowsAsync<DomainValidationException>(() => s.SearchAsync(w.Auditor, new InventorySearch(Status: "lost")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Dins_are_unique_and_carry_a_valid_check_character(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lots = new List<Lot>();
        for (var i = 0; i < 3; i++)
        {
            lots.Add(await w.LotAsync(1));
        }

        Assert.Equal(["W000126000001", "W000126000002", "W000126000003"], lots.Select(l => l.Din));
        var din = RadRegen.Bank.Identity.Din.Parse(lots[0].Din);
        Assert.Equal(din.Value, RadRegen.Bank.Identity.Din.Parse(lots[0].Din + din.CheckCharacter).Value);
    }
}
