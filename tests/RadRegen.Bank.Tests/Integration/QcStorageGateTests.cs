using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>Issue 11 item 7 (ADR 0017): QC value gates, temperature classes, implausible readings, excursions resolved by QA.</summary>
[Trait("Kind", "Integration")]
public class QcStorageGateTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_impossible_or_unknown_QC_value_writes_nothing_and_opens_no_deviation(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(1);
        var before = await w.JournalCountAsync();
        var negative = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "endotoxin", "-0.2", "EU/mL"));
        Assert.Equal("value", negative.Errors[0].Field);
        var viability = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "viability", "101", "%"));
        Assert.Contains("0–100", viability.Errors[0].Message, StringComparison.Ordinal);
        var word = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "sterility", "clean", null));
        Assert.Contains("'negative', 'positive'", word.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Empty(await w.Bank.ListDeviationsAsync(w.Auditor, null));

        var (result, deviation) = await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "sterility", "Positive", null);
        Assert.Equal("positive", result.Value);
        Assert.NotNull(deviation);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_reading_the_tank_cannot_show_needs_confirmation_and_is_then_an_excursion(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var before = await w.JournalCountAsync();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, 200, null, confirm: false));
        Assert.Equal("confirm", ex.Errors[0].Field);
        await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -210, null, confirm: false));
        var belowAbsoluteZero = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -300, null, confirm: true));
        Assert.Equal("celsius", belowAbsoluteZero.Errors[0].Field);
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Empty(await w.Bank.ListTemperaturesAsync(w.Auditor, w.Tank.Id));

        var recorded = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, 200, null, confirm: true);
        Assert.True(recorded.Reading.Confirmed);
        Assert.True(recorded.Reading.Excursion);
        Assert.NotNull(recorded.Excursion);
        var normal = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -190, null, confirm: false);
        Assert.False(normal.Reading.Confirmed);
        Assert.Null(normal.Excursion);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Flagged_stock_says_why_and_QA_returns_it_to_use_with_an_e_signature_keeping_the_history(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(2);
        var recorded = await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -120.5, null, confirm: false);
        var e = recorded.Excursion!;
        Assert.StartsWith($"excursion #{e.Id} on tank LN2-1 at ", e.Flag, StringComparison.Ordinal);
        Assert.EndsWith("awaiting QA assessment", e.Flag, StringComparison.Ordinal);
        Assert.Equal(2, e.VialIds.Count);
        var vials = await w.VialsAsync(lot);
        Assert.All(vials, v => Assert.Equal(e.Flag, v.Flag));

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ReserveAsync(w.Physician, vials[0].Id, "P-1"));
        Assert.Contains(e.Flag, refused.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ResolveExcursionAsync(w.Tech, e.Id, ExcursionOutcomes.ReturnedToUse, "ok", BankWorld.Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => w.Bank.ResolveExcursionAsync(w.Qa, e.Id, ExcursionOutcomes.ReturnedToUse, "ok", "wrong password"));
        var badOutcome = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.ResolveExcursionAsync(w.Qa, e.Id, "fine", "ok", BankWorld.Password));
        Assert.Equal("outcome", badOutcome.Errors[0].Field);
        Assert.Equal(ExcursionStatus.Open, (await w.Bank.Storage.GetExcursionAsync(w.Auditor, e.Id)).Status);

        var resolved = await w.Bank.ResolveExcursionAsync(w.Qa, e.Id, "Returned to use", "logger shows 4 min above −150 °C during a lid opening; within the validated hold", BankWorld.Password);
        Assert.Equal(ExcursionStatus.Resolved, resolved.Status);
        Assert.Equal(ExcursionOutcomes.ReturnedToUse, resolved.Outcome);
        Assert.NotNull(resolved.SignatureId);
        Assert.All(await w.VialsAsync(lot), v => Assert.Null(v.Flag));
        Assert.Null((await w.Bank.ListLocationsAsync(w.Auditor)).Single(l => l.Location.Id == w.Tank.Id).Location.Flag);
        await w.Bank.ReserveAsync(w.Physician, vials[0].Id, "P-1");

        await Assert.ThrowsAsync<RuleViolationException>(() => w.Bank.ResolveExcursionAsync(w.Qa, e.Id, ExcursionOutcomes.Discarded, "again", BankWorld.Password));
        await Assert.ThrowsAnyAsync<Exception>(() => w.World.RawAsync("UPDATE bank_excursions SET outcome = 'discarded' WHERE id = @id", new { id = e.Id }));
        await Assert.ThrowsAnyAsync<Exception>(() => w.World.RawAsync("DELETE FROM bank_excursion_vials WHERE excursion_id = @id", new { id = e.Id }));
        var history = await w.Bank.ListExcursionsAsync(w.Auditor, vialId: vials[1].Id);
        Assert.Equal(ExcursionOutcomes.ReturnedToUse, Assert.Single(history).Outcome);
        var custody = (await w.Bank.GetVialAsync(w.Auditor, vials[1].Id)).Custody;
        Assert.Contains(custody, c => c.Action == "flagged" && c.Reason == e.Flag);
        Assert.Contains(custody, c => c.Action == "returned-to-use");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task QA_can_discard_the_stock_of_an_excursion(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.ReleasedLotAsync(2);
        var e = (await w.Bank.RecordTemperatureAsync(w.Tech, w.Tank.Id, -60, null, confirm: false)).Excursion!;
        await w.Bank.ResolveExcursionAsync(w.Qa, e.Id, ExcursionOutcomes.Discarded, "three hours above −150 °C: viability not assured", BankWorld.Password);
        Assert.All(await w.VialsAsync(lot), v =>
        {
            Assert.Equal(VialStatus.Discarded, v.Status);
            Assert.Null(v.BoxId);
        });
        Assert.Empty(await w.Bank.ListExcursionsAsync(w.Auditor, status: ExcursionStatus.Open));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_product_goes_only_into_a_unit_whose_temperature_class_fits_it(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var freezer = await w.Bank.CreateLocationAsync(w.Tech, new CreateLocationRequest(w.Site.Id, LocationKind.Freezer, "ULT-80", MaxCelsius: -70));
        Assert.Equal(TemperatureClass.UltraLow, freezer.Class);
        var rack = await w.Bank.CreateLocationAsync(w.Tech, new CreateLocationRequest(freezer.Id, LocationKind.Rack, "F-R1"));
        var box = await w.Bank.CreateLocationAsync(w.Tech, new CreateLocationRequest(rack.Id, LocationKind.Box, "F-B1", 9, 9));

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 2, BoxId: box.Id)));
        Assert.Equal("boxId", ex.Errors[0].Field);
        Assert.Contains("vapour-phase LN2", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("ISCT", ex.Errors[0].Message, StringComparison.Ordinal);

        await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest(SeedCatalogue.PlateletsCode, w.Wcb.Id, 1, BoxId: box.Id));
        await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest(SeedCatalogue.PlateletsCode, w.Wcb.Id, 1, BoxId: w.Box.Id)); // colder is fine when frozen

        var msc = await w.LotAsync(1);
        var vial = (await w.VialsAsync(msc))[0];
        var move = await Assert.ThrowsAsync<DomainValidationException>(() => w.Bank.MoveAsync(w.Tech, vial.Id, box.Id, 5, 5, "reorganise"));
        Assert.Equal("boxId", move.Errors[0].Field);

        var badUnit = await Assert.ThrowsAsync<DomainValidationException>(() =>
            w.Bank.CreateLocationAsync(w.Tech, new CreateLocationRequest(w.Site.Id, LocationKind.Tank, "LN2-X", MaxCelsius: -120, Class: TemperatureClass.Ln2Vapour)));
        Assert.Equal("maxCelsius", badUnit.Errors[0].Field);
    }
}
