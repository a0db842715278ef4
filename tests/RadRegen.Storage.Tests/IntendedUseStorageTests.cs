using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>Migration 0007 (ADR 0016): intended use of products, lines and lots, and a lot's expiry mark, on each engine.</summary>
[Trait("Kind", "Integration")]
public class IntendedUseStorageTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Migration_0007_classifies_existing_material_by_product_and_donor(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var starting = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9100", w.Wcb.Id, 1));
        var clinical = await w.LotAsync(1);
        Assert.Equal(IntendedUse.StartingMaterial, starting.IntendedUse);
        Assert.Equal(IntendedUse.Clinical, clinical.IntendedUse);

        // The state before 0007 (every row 'clinical', the default the columns were added with), and a donor
        // who was registered ineligible: 0007's data statements classify the rows.
        await RawAsync(w.Services, "UPDATE bank_products SET intended_use = 'clinical'");
        await RawAsync(w.Services, "UPDATE bank_lines SET intended_use = 'clinical'");
        await RawAsync(w.Services, "UPDATE bank_lots SET intended_use = 'clinical'");
        await RawAsync(w.Services, "UPDATE bank_donors SET eligible = 0 WHERE id = @id", new { id = w.Donor.Id });
        var migration = Migrator.Known(w.Db.Target.Engine).Single(m => m.Version == 7);
        Assert.Equal("intended_use", migration.Name);
        foreach (var statement in migration.Sql.Split(';').Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
                     .Where(s => s.StartsWith("UPDATE", StringComparison.Ordinal)))
        {
            await RawAsync(w.Services, statement);
        }

        Assert.Equal(IntendedUse.StartingMaterial, (await w.Bank.GetProductAsync(Admin, "S9100")).IntendedUse);
        Assert.Equal(IntendedUse.Clinical, (await w.Bank.GetProductAsync(Admin, "S9102")).IntendedUse);
        Assert.Equal(IntendedUse.Research, (await w.Bank.GetLineAsync(Admin, w.Line.Id)).IntendedUse);
        Assert.Equal(IntendedUse.Research, (await w.Bank.GetLotAsync(Admin, clinical.Id)).Lot.IntendedUse);
        Assert.Equal(IntendedUse.Research, (await w.Bank.GetLotAsync(Admin, starting.Id)).Lot.IntendedUse);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_schema_refuses_an_unknown_intended_use_and_keeps_a_lot_expiry_mark(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync(1);
        await Assert.ThrowsAnyAsync<Exception>(() => RawAsync(w.Services, "UPDATE bank_lots SET intended_use = 'patient' WHERE id = @id", new { id = lot.Id }));
        await Assert.ThrowsAnyAsync<Exception>(() => RawAsync(w.Services, "UPDATE bank_lines SET intended_use = 'starting-material'"));

        w.Clock.Advance(TimeSpan.FromDays(800));
        await using (var uow = await w.World.Units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<RadRegen.Bank.IBankStore>();
            var due = Assert.Single(await store.ListLotsDueForExpiryAsync(w.Clock.UtcNow, 10, default));
            Assert.True(await store.MarkLotExpiredAsync(due.Id, w.Clock.UtcNow, due.Version, default));
            Assert.False(await store.MarkLotExpiredAsync(due.Id, w.Clock.UtcNow, due.Version, default));
            Assert.Empty(await store.ListLotsDueForExpiryAsync(w.Clock.UtcNow, 10, default));
            await uow.CommitAsync();
        }

        var read = (await w.Bank.GetLotAsync(Admin, lot.Id)).Lot;
        Assert.Equal(w.Clock.UtcNow, read.ExpiredAt);
        Assert.Equal(lot.Version + 1, read.Version);
    }
}
