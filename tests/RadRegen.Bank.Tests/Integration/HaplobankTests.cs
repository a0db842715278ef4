using RadRegen.Hosting.Bank;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

[Trait("Kind", "Integration")]
public class HaplobankTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Released_homozygous_lines_cover_a_population_and_the_plan_names_what_to_recruit(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var view = new HaplobankView(w.Bank);
        var empty = await view.ComputeAsync(w.Auditor, "API");
        Assert.Empty(empty.Lines);
        Assert.Equal(0, empty.Coverage.Cis);

        await w.LotAsync(1); // quarantine only: not banked yet
        Assert.Empty((await view.ComputeAsync(w.Auditor, "API")).Lines);
        await w.ReleasedLotAsync(2);
        var result = await view.ComputeAsync(w.Auditor, "API");
        var line = Assert.Single(result.Lines);
        Assert.Equal(2, line.ReleasedVials);
        Assert.Equal("A*24:02~B*52:01~DRB1*15:02", result.Coverage.Rows[0].Haplotype.Name);
        Assert.True(result.Coverage.Cis > 0.01, $"cis {result.Coverage.Cis}");
        Assert.True(result.Coverage.Trans >= result.Coverage.Cis);
        Assert.Equal(10, result.RecruitNext.Count);
        Assert.DoesNotContain(result.RecruitNext, r => r.Haplotype.Name == "A*24:02~B*52:01~DRB1*15:02");
        var f = result.Coverage.Rows[0].Frequency;
        Assert.Equal(1 - ((1 - f) * (1 - f)), result.Coverage.Cis, 12);
    }
}
