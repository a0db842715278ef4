using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Therapy;

/// <summary>Issue 11 item 7 (ADR 0016): only clinical products are requested, reserved, dispatched, administered or allocated for a patient.</summary>
[Trait("Kind", "Integration")]
public class IntendedUseTherapyTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static async Task<Patient> PatientAsync(BankWorld w)
    {
        var care = w.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(w.Physician, new NewIncident("INC-U1", "Test", IncidentKind.Criticality, w.Clock.UtcNow.AddHours(-6), "Plant", ["U-235"]));
        return await care.RegisterPatientAsync(w.Physician, incident.Id,
            new NewPatient("P-0001", 40, Sex.Male, 70, w.Clock.UtcNow.AddHours(-6), HlaTyping: "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_starting_material_product_cannot_be_requested_for_a_patient(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var patient = await PatientAsync(w);
        var therapy = w.Services.GetRequiredService<TherapyService>();
        var before = await w.JournalCountAsync();
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            therapy.RequestAsync(w.Physician, patient.Id, new NewTherapyRequest("S9100", 1, "urgent", "Hospital A")));
        var error = Assert.Single(refused.Errors);
        Assert.Equal("productCode", error.Field);
        Assert.Contains("S9100", error.Message, StringComparison.Ordinal);
        Assert.Contains("starting material", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await w.JournalCountAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_request_whose_product_is_no_longer_clinical_is_neither_reserved_nor_dispatched(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var patient = await PatientAsync(w);
        await w.ReleasedLotAsync(2);
        var therapy = w.Services.GetRequiredService<TherapyService>();
        var open = await therapy.RequestAsync(w.Physician, patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        var reserved = await therapy.RequestAsync(w.Physician, patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        await therapy.ReserveBestAsync(w.Physician, reserved.Id);

        // QA reclassifies the product as research (e.g. its clinical status is suspended).
        var msc = await w.Bank.GetProductAsync(BankWorld.System, "S9102");
        await w.Bank.SaveProductAsync(w.Qa, msc with { IntendedUse = IntendedUse.Research }, msc.Version, "clinical use suspended");

        var journal = await w.JournalCountAsync();
        var reserve = await Assert.ThrowsAsync<RuleViolationException>(() => therapy.ReserveBestAsync(w.Physician, open.Id));
        Assert.Contains("S9102", reserve.Message, StringComparison.Ordinal);
        Assert.Contains("research use only", reserve.Message, StringComparison.Ordinal);
        Assert.Equal(journal, await w.JournalCountAsync());
        var dispatch = await Assert.ThrowsAsync<RuleViolationException>(() => therapy.DispatchAsync(w.Tech, reserved.Id));
        Assert.Contains("S9102", dispatch.Message, StringComparison.Ordinal);
        Assert.Equal(journal, await w.JournalCountAsync());
        Assert.Equal(TherapyStatus.Reserved, (await therapy.GetAsync(w.Physician, reserved.Id)).Request.Status);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_allocation_stock_holds_only_clinical_products(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        await w.ReleasedLotAsync(2);
        var lot = await w.Bank.CreateLotAsync(w.Tech, new RadRegen.Bank.Services.CreateLotRequest("S9100", w.Wcb.Id, 2, BoxId: w.Box.Id));
        var random = new Random(1);
        foreach (var test in (await w.Bank.GetProductAsync(BankWorld.System, "S9100")).Specification)
        {
            var (value, unit) = RadRegen.Hosting.Demo.BankDemoSeeder.PassingValue(test, random);
            await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, test.Code, value, unit);
        }

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        Assert.All(await w.VialsAsync(lot), v => Assert.Equal(VialStatus.Released, v.Status));
        var inventory = new BankProductInventory(w.World.Units, w.Clock);
        var stock = await inventory.AvailableAsync(["S9100", "S9102"], default);
        Assert.Equal(2, stock.Count);
        Assert.All(stock, v => Assert.Equal("S9102", v.ProductType));
    }
}
