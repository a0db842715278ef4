using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;

namespace RadRegen.Testing;

/// <summary>
/// A small released stock for therapy tests: one eligible, consenting, HLA-homozygous donor
/// (A*01:01-B*08:01-DRB1*03:01, the most frequent European haplotype) with a line, MCB, WCB and a
/// released lot of a product (the MSC-like S9102 unless told) in a box at site "CPC".
/// </summary>
public static class TherapySeed
{
    public const string LineHaplotype = "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01";

    /// <summary>A patient who carries the line's haplotype on one chromosome: HvG 0 with the line.</summary>
    public const string MatchingPatient = "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01";

    private const string Password = "seed password 1234";

    /// <summary>Creates the stock of <paramref name="productCode"/> (every release test passed); returns the released vials.</summary>
    public static async Task<IReadOnlyList<Vial>> ReleasedVialsAsync(IServiceProvider services, int vials, string tag = "SEED", string productCode = "S9102")
    {
        ArgumentNullException.ThrowIfNull(services);
        var access = services.GetRequiredService<AccessService>();
        var bank = services.GetRequiredService<BankService>();
        var admin = Actor.LocalOperator("test-seed");
        var suffix = tag.ToLowerInvariant();
        var tech = (await access.AddUserAsync(admin, "seed-tech-" + suffix, "Seed technician", new HashSet<Role> { Role.CpcTechnician }, Password)).ToActor();
        var qa = (await access.AddUserAsync(admin, "seed-qa-" + suffix, "Seed QA", new HashSet<Role> { Role.QaOfficer }, Password)).ToActor();
        await bank.EnsureCatalogueAsync(admin);
        var donor = await bank.RegisterDonorAsync(tech, new RegisterDonorRequest($"D-{tag}0001", new ConsentScopes(true, true, true), null,
            [.. BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative"))], LineHaplotype));
        var line = await bank.CreateLineAsync(tech, new CreateLineRequest($"{tag}-L1", donor.Id, "episomal plasmid", "clone 1", 12));
        var mcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"{tag}-L1-MCB", CellBankKind.Mcb, line.Id, null, 15, 100));
        var wcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"{tag}-L1-WCB", CellBankKind.Wcb, line.Id, mcb.Id, 18, 100));
        var site = await bank.CreateLocationAsync(tech, new CreateLocationRequest(null, LocationKind.Site, "CPC"));
        var tank = await bank.CreateLocationAsync(tech, new CreateLocationRequest(site.Id, LocationKind.Tank, "LN2-1", MaxCelsius: -150));
        var rack = await bank.CreateLocationAsync(tech, new CreateLocationRequest(tank.Id, LocationKind.Rack, "R1"));
        var box = await bank.CreateLocationAsync(tech, new CreateLocationRequest(rack.Id, LocationKind.Box, "B1", 9, 9));
        var lot = await bank.CreateLotAsync(tech, new CreateLotRequest(productCode, wcb.Id, vials, BoxId: box.Id));
        var random = new Random(1);
        foreach (var test in (await bank.GetProductAsync(admin, productCode)).Specification)
        {
            var (value, unit) = RadRegen.Hosting.Demo.BankDemoSeeder.PassingValue(test, random);
            await bank.RecordQcResultAsync(tech, lot.Id, test.Code, value, unit);
        }

        await bank.ReleaseLotAsync(qa, lot.Id, Password);
        return (await bank.GetLotAsync(admin, lot.Id)).Vials;
    }
}
