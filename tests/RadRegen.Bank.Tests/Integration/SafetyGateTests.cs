using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>Issue 11 item 7 (ADR 0016): intended use, the donor infectious-marker gate, one expiry rule, no labels after consent withdrawal.</summary>
[Trait("Kind", "Integration")]
public class SafetyGateTests : EngineTests
{
    private static RegisterDonorRequest WithMarker(string code, string marker, string? result, bool research = true)
    {
        var eligible = BankWorld.Eligible(code);
        var screening = eligible.Screening.Where(s => s.Marker != marker).ToList();
        if (result is not null)
        {
            screening.Add(new ScreeningResult(marker, result));
        }

        return eligible with { Consent = new ConsentScopes(true, research, true), Screening = screening };
    }

    [Fact]
    public void The_seed_catalogue_marks_undifferentiated_iPSC_stock_as_starting_material_and_the_rest_clinical()
    {
        Assert.Equal(IntendedUse.StartingMaterial, SeedCatalogue.Products.Single(p => p.Code == "S9100").IntendedUse);
        Assert.All(SeedCatalogue.Products.Where(p => p.Code != "S9100"), p => Assert.Equal(IntendedUse.Clinical, p.IntendedUse));
        Assert.Equal(IntendedUse.StartingMaterial, IntendedUses.Parse("starting-material"));
        Assert.Equal("intendedUse", Assert.Throws<DomainValidationException>(() => IntendedUses.Parse("patient")).Errors[0].Field);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_donor_with_a_positive_or_missing_marker_cannot_seed_a_clinical_line_and_seeds_research_only_where_consented(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var hbv = await w.Bank.RegisterDonorAsync(w.Tech, WithMarker("D-HBV00001", "HBV", "positive"));
        Assert.False(hbv.Eligible);
        Assert.Equal(["HBV positive"], DonorEligibility.Findings(hbv));
        var before = await w.JournalCountAsync();
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-HBV1", hbv.Id, "episomal plasmid", "clone 1", 10)));
        Assert.Contains("D-HBV00001", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HBV positive", refused.Message, StringComparison.Ordinal);
        Assert.Contains("21 CFR 1271", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await w.JournalCountAsync());

        // Missing marker: the same gate.
        var untested = await w.Bank.RegisterDonorAsync(w.Tech, WithMarker("D-NOHTLV01", "HTLV-1/2", null));
        var missing = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-HTLV1", untested.Id, "episomal plasmid", "clone 1", 10, IntendedUse.Clinical)));
        Assert.Contains("HTLV-1/2 not recorded", missing.Message, StringComparison.Ordinal);

        // Research where consented: the line and everything from it are research use only.
        var line = await w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-HBV1", hbv.Id, "episomal plasmid", "clone 1", 10, IntendedUse.Research));
        Assert.Equal(IntendedUse.Research, line.IntendedUse);
        Assert.Equal(IntendedUse.Research, (await w.Bank.GetLineAsync(w.Auditor, line.Id)).IntendedUse);
        var mcb = await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-HBV1-MCB", CellBankKind.Mcb, line.Id, null, 12, 10));
        var wcb = await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-HBV1-WCB", CellBankKind.Wcb, line.Id, mcb.Id, 14, 10));
        var lot = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", wcb.Id, 1));
        Assert.Equal(IntendedUse.Research, lot.IntendedUse);
        var clinicalLot = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", wcb.Id, 1, IntendedUse: IntendedUse.Clinical)));
        Assert.Contains("research use only", clinicalLot.Message, StringComparison.Ordinal);
        Assert.Contains("HBV positive", clinicalLot.Message, StringComparison.Ordinal);

        // No research consent: not even research.
        var noResearch = await w.Bank.RegisterDonorAsync(w.Tech, WithMarker("D-HCV00001", "HCV", "positive", research: false));
        var none = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-HCV1", noResearch.Id, "episomal plasmid", "clone 1", 10, IntendedUse.Research)));
        Assert.Contains("did not consent to research", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_line_written_before_the_gate_cannot_lay_down_a_clinical_bank_or_release_a_clinical_lot(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(1);
        await w.PassAllAsync(lot);
        // The donor's screening as stored before the gate existed: HIV positive on a clinical line.
        var positive = System.Text.Json.JsonSerializer.Serialize(DonorService.ScreeningMarkers
            .Select(m => new { marker = m, result = m == "HIV-1/2" ? "positive" : "negative" }));
        await w.World.RawAsync("UPDATE bank_donors SET screening = @positive, eligible = 0 WHERE id = @id", new { positive, id = w.Donor.Id });
        var bank = await Assert.ThrowsAsync<RuleViolationException>(() =>
            w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest("RR-L001-WCB2", CellBankKind.Wcb, w.Line.Id, w.Mcb.Id, 19, 10)));
        Assert.Contains("HIV-1/2 positive", bank.Message, StringComparison.Ordinal);
        var detail = await w.Bank.GetLotAsync(w.Auditor, lot.Id);
        Assert.Contains(detail.Readiness.Blockers, b => b.Contains("HIV-1/2 positive", StringComparison.Ordinal));
        await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Starting_material_is_never_reserved_or_allocatable_for_a_patient(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9100", w.Wcb.Id, 2, BoxId: w.Box.Id));
        Assert.Equal(IntendedUse.StartingMaterial, lot.IntendedUse);
        var asClinical = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9100", w.Wcb.Id, 1, IntendedUse: IntendedUse.Clinical)));
        Assert.Equal("intendedUse", asClinical.Errors[0].Field);
        foreach (var (code, value, unit) in new[]
                 {
                     ("morphology", "ES-like", (string?)null), ("hla", "match", null), ("str", "match", null), ("sterility", "negative", null),
                     ("viral", "negative", null), ("endotoxin", "1", "EU/mL"), ("mycoplasma", "negative", null),
                 })
        {
            await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, code, value, unit);
        }

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        var vial = (await w.VialsAsync(lot))[0];
        var before = await w.JournalCountAsync();
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReserveAsync(w.Physician, vial.Id, "patient P-1"));
        Assert.Contains("S9100", refused.Message, StringComparison.Ordinal);
        Assert.Contains("starting material", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Equal(VialStatus.Released, (await w.VialsAsync(lot))[0].Status);

        await using var uow = await w.World.Units.BeginAsync(WorkMode.Read);
        Assert.Empty(await uow.Store<IBankStore>().ListAvailableVialsAsync(["S9100"], w.Clock.UtcNow, default));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Expired_means_expired_everywhere_lot_vials_labels_and_stock(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(2);
        Assert.Equal(2, (await w.Bank.LabelsAsync(w.Auditor, lot.Id)).Vials.Count);
        var ids = (await w.VialsAsync(lot)).Select(v => v.Id).Order().ToList();
        await using (var uow = await w.World.Units.BeginAsync(WorkMode.Read))
        {
            // A reservation's own vials, read by the stock's rule (ADR 0042): these and only these, of this product.
            var store = uow.Store<IBankStore>();
            Assert.Equal(ids, (await store.FindAvailableVialsAsync(ids, "S9102", w.Clock.UtcNow, default)).Select(a => a.Vial.Id).Order());
            Assert.Equal([ids[1]], (await store.FindAvailableVialsAsync([ids[1]], "S9102", w.Clock.UtcNow, default)).Select(a => a.Vial.Id));
            Assert.Empty(await store.FindAvailableVialsAsync(ids, "S9100", w.Clock.UtcNow, default));
        }

        w.Clock.Advance(TimeSpan.FromDays(731));

        // Before the expiry run: the one rule already reads expired (lot status, labels, stock).
        var detail = await w.Bank.GetLotAsync(w.Auditor, lot.Id);
        Assert.Equal("expired", detail.StatusName);
        Assert.Contains("the lot has expired", detail.Readiness.Blockers);
        var labels = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.LabelsAsync(w.Auditor, lot.Id));
        Assert.Contains("expired", labels.Message, StringComparison.Ordinal);
        await using (var uow = await w.World.Units.BeginAsync(WorkMode.Read))
        {
            Assert.Empty(await uow.Store<IBankStore>().ListAvailableVialsAsync(["S9102"], w.Clock.UtcNow, default));
            Assert.Empty(await uow.Store<IBankStore>().FindAvailableVialsAsync(ids, "S9102", w.Clock.UtcNow, default));
        }

        Assert.Equal(0, (await w.Bank.SearchAsync(w.Auditor, new InventorySearch("S9102", "released"))).Total);
        var expired = await w.Bank.SearchAsync(w.Auditor, new InventorySearch("S9102", "expired"));
        Assert.Equal(2, expired.Total);
        Assert.All(expired.Items, i => Assert.Equal(VialStatus.Expired, i.Vial.Status));

        // The run writes it, once, journaled: vials expired, the lot marked expired.
        Assert.Equal(2, await w.Bank.ExpireDueAsync(w.Tech));
        var after = await w.Bank.GetLotAsync(w.Auditor, lot.Id);
        Assert.NotNull(after.Lot.ExpiredAt);
        Assert.Equal("expired", after.StatusName);
        Assert.All(after.Vials, v => Assert.Equal(VialStatus.Expired, v.Status));
        var journal = await w.JournalCountAsync();
        Assert.Equal(0, await w.Bank.ExpireDueAsync(w.Tech));
        Assert.Equal(journal, await w.JournalCountAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_consent_withdrawn_lot_cannot_be_released_or_labelled(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var released = await w.ReleasedLotAsync(1);
        var quarantined = await w.LotAsync(1);
        await w.PassAllAsync(quarantined);
        await w.Bank.WithdrawConsentAsync(w.Tech, w.Donor.Id, "donor asked by letter");
        var labels = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.LabelsAsync(w.Auditor, released.Id));
        Assert.Contains("withdrew consent", labels.Message, StringComparison.Ordinal);
        Assert.Contains((await w.Bank.GetLotAsync(w.Auditor, quarantined.Id)).Readiness.Blockers,
            b => b.Contains("withdrew consent", StringComparison.Ordinal));
        await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReleaseLotAsync(w.Qa, quarantined.Id, BankWorld.Password));
    }
}
