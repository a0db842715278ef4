using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;

using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>The bank's feature services, taken alone as new code takes them: the same objects the front door uses, the same rules.</summary>
[Trait("Kind", "Integration")]
public class BankFeatureServicesTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Each_feature_service_works_alone_and_demands_its_row_of_the_permission_table(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var s = w.Services;
        Assert.Same(s.GetRequiredService<DonorService>(), w.Bank.Donors);
        Assert.Same(s.GetRequiredService<LineService>(), w.Bank.Lines);
        Assert.Same(s.GetRequiredService<LotService>(), w.Bank.Lots);
        Assert.Same(s.GetRequiredService<ReleaseService>(), w.Bank.Release);
        Assert.Same(s.GetRequiredService<StorageService>(), w.Bank.Storage);
        Assert.Same(s.GetRequiredService<VialService>(), w.Bank.Vials);
        Assert.Same(s.GetRequiredService<InventoryService>(), w.Bank.Inventory);
        Assert.Same(s.GetRequiredService<ProductCatalogueService>(), w.Bank.Catalogue);

        var donors = s.GetRequiredService<DonorService>();
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => donors.RegisterDonorAsync(w.Auditor, BankWorld.Eligible("D-AUDIT001")));
        Assert.StartsWith(Permissions.Of(Operation.BankDonorRegister).Action + " needs the role", refused.Message, StringComparison.Ordinal);
        var donor = await donors.RegisterDonorAsync(w.Tech, BankWorld.Eligible("D-ALONE001"));
        Assert.Equal("D-ALONE001", (await donors.GetDonorAsync(w.Auditor, donor.Id)).Code);

        var lots = s.GetRequiredService<LotService>();
        var release = s.GetRequiredService<ReleaseService>();
        var lot = await lots.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 2, BoxId: w.Box.Id));
        await w.PassAllAsync(lot);
        var byTech = await Assert.ThrowsAsync<ForbiddenException>(() => release.ReleaseLotAsync(w.Tech2, lot.Id, BankWorld.Password));
        Assert.Contains("releasing a lot needs the role qa-officer", byTech.Message, StringComparison.Ordinal);
        Assert.Equal(LotStatus.Released, (await release.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password)).Status);

        var vials = s.GetRequiredService<VialService>();
        var vial = (await lots.GetLotAsync(w.Physician, lot.Id)).Vials[0];
        await Assert.ThrowsAsync<ForbiddenException>(() => vials.ReserveAsync(w.Qa, vial.Id, "patient P-1"));
        Assert.Equal(VialStatus.Reserved, (await vials.ReserveAsync(w.Physician, vial.Id, "patient P-1")).Status);

        var storage = s.GetRequiredService<StorageService>();
        await Assert.ThrowsAsync<ForbiddenException>(() => storage.CreateLocationAsync(w.Qa, new CreateLocationRequest(null, LocationKind.Site, "QA site")));
        Assert.Equal(2, (await storage.GetBoxAsync(w.Auditor, w.Box.Id)).Occupied);

        var page = await s.GetRequiredService<InventoryService>().SearchAsync(w.Auditor, new InventorySearch(LotNumber: lot.LotNumber));
        Assert.Equal(2, page.Total);
    }
}
