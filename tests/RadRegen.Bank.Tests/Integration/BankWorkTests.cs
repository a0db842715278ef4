using RadRegen.Bank.Model;
using RadRegen.Core.Access;
using RadRegen.Core.Work;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>What the bank waits for, and for whom (the inbox and the lot page's next step, ADR 0040).</summary>
public class BankWorkTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_lot_waits_for_QC_then_for_QA_release_and_each_role_sees_only_its_own_step(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync();
        var worklist = w.World.Get<Worklist>();

        var forTech = await worklist.ForAsync(w.Tech);
        var qcStep = Assert.Single(forTech, i => i.Record == $"lot {lot.LotNumber}");
        Assert.Equal(Operation.BankQcRecord, qcStep.Next.Operation);
        Assert.Contains("no result for release test", qcStep.Detail, StringComparison.Ordinal);
        // QA may record QC results too (the permission table), but nobody is asked to release yet.
        Assert.All(await worklist.ForAsync(w.Qa), i => Assert.NotEqual(Operation.BankLotRelease, i.Next.Operation));

        await w.PassAllAsync(lot);
        var release = Assert.Single(await worklist.ForAsync(w.Qa), i => i.Record == $"lot {lot.LotNumber}");
        Assert.Equal(Operation.BankLotRelease, release.Next.Operation);
        Assert.Equal($"/bank/lots/{lot.Id}", release.Link);
        Assert.Equal([Role.QaOfficer], release.Next.By);
        Assert.DoesNotContain(await worklist.ForAsync(w.Tech), i => i.Record == $"lot {lot.LotNumber}");
        Assert.Empty(await worklist.ForAsync(w.Auditor));

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        Assert.DoesNotContain(await worklist.ForAsync(w.Qa), i => i.Record == $"lot {lot.LotNumber}");
        var detail = await w.Bank.GetLotAsync(w.Qa, lot.Id);
        Assert.Null(Services.BankWork.NextStepOf(detail.Lot, detail.Readiness, detail.Deviations, DateTimeOffset.UtcNow));
    }
}
