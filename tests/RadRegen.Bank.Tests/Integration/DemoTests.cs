using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Journal;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

[Trait("Kind", "Integration")]
[Trait("Category", "Slow")]
public class DemoTests : EngineTests
{
    // Enough donors for every lot and vial state (the seeder cycles through ten lot scenarios), and
    // no more: the demo's 300 donors, or the 120 used before, only repeat the same states.
    private const int Donors = 40;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_demo_bank_has_lots_and_vials_in_every_state_and_a_verifiable_journal(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await services.GetRequiredService<BankService>().EnsureCatalogueAsync(Admin);
        await DemoSeeder.SeedAsync(services);
        var lots = await BankDemoSeeder.SeedAsync(services, donors: Donors);
        Assert.True(lots > 20, $"{lots} lots");
        var bank = services.GetRequiredService<BankService>();
        foreach (var status in Enum.GetValues<VialStatus>())
        {
            Assert.True((await bank.SearchAsync(Admin, new InventorySearch(Status: Lifecycle.Name(status), PageSize: 1))).Total > 0, $"no {status} vial");
        }

        foreach (var status in Enum.GetValues<LotStatus>())
        {
            Assert.NotEmpty(await bank.ListLotsAsync(Admin, null, status));
        }

        Assert.Equal(Donors, (await bank.ListDonorsAsync(Admin)).Count);
        Assert.Contains(await bank.ListDonorsAsync(Admin), d => d.ConsentWithdrawn);
        Assert.NotEmpty(await bank.ListDeviationsAsync(Admin, DeviationStatus.Open));
        var boxes = (await bank.ListLocationsAsync(Admin)).Where(l => l.Location.Kind == LocationKind.Box).ToList();
        Assert.Contains(boxes, b => b.Occupied > 0 && b.Occupied < b.Capacity);
        Assert.Contains(boxes, b => b.Occupied == 0);
        Assert.True((await services.GetRequiredService<AuditService>().VerifyAsync(Admin)).IsIntact);
        Assert.Equal(0, await BankDemoSeeder.SeedAsync(services, donors: Donors)); // idempotent
    }
}
