using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Planning;

namespace RadRegen.Hla.Tests.Planning;

public class PlanningTests
{
    /// <summary>Plain greedy without laziness: every candidate re-scored at every step with brute force.</summary>
    private static List<string> NaiveGreedy(HaplotypeFrequencySet set, IReadOnlyList<Haplotype> candidates, int count)
    {
        var chosen = new List<Haplotype>();
        for (var step = 0; step < count; step++)
        {
            var best = candidates.Where(c => !chosen.Contains(c))
                .Select(c => (C: c, T: BruteForce.Trans(set, [.. chosen, c])))
                .OrderByDescending(x => Math.Round(x.T, 12)).ThenBy(x => x.C.Name, StringComparer.Ordinal).First();
            chosen.Add(best.C);
        }

        return chosen.Select(c => c.Name).ToList();
    }

    [Fact]
    public void Lazy_greedy_picks_what_plain_greedy_picks()
    {
        var set = TestData.Nmdp("API").Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.FirstField).Set;
        var small = HaplotypeFrequencySet.Create("api-top", set.Haplotypes.Take(60));
        var plan = HaplobankPlanner.Plan(new HaplotypeIndex(small), 4);
        Assert.Equal(NaiveGreedy(small, [.. small.Haplotypes.Select(h => h.Haplotype)], 4), plan.Greedy.Rows.Select(r => r.Haplotype.Name));
        Assert.Equal(BruteForce.Trans(small, [.. plan.Greedy.Rows.Select(r => r.Haplotype)]), plan.Greedy.Trans, 12);
    }

    [Fact]
    [Trait("Category", "Slow")] // validation against brute force over a published frequency set
    public void CAU_plan_of_100_lines_by_frequency_reproduces_the_coverage_table_and_greedy_does_better_in_trans()
    {
        var index = new HaplotypeIndex(TestData.CauAbDrb1TwoField);
        var plan = HaplobankPlanner.Plan(index, 100);
        Assert.Equal(2674, plan.Candidates);
        Assert.Equal(100, plan.ByFrequency.Rows.Length);
        Assert.Equal(100, plan.Greedy.Rows.Length);
        Assert.Equal(78.12, Math.Round(plan.ByFrequency.Cis * 100, 2));
        var coverage = HaplobankCoverage.Evaluate(index, HaplobankCoverage.TopByFrequency(index.Set, 100));
        Assert.Equal(coverage.Trans, plan.ByFrequency.Trans, 12);
        Assert.True(plan.Greedy.Trans > plan.ByFrequency.Trans);
        Assert.Equal(100, plan.Greedy.Rows.Select(r => r.Haplotype).Distinct().Count());
        Assert.True(plan.Greedy.Rows.Zip(plan.Greedy.Rows.Skip(1)).All(p => p.Second.CumulativeTrans >= p.First.CumulativeTrans));
    }

    [Fact]
    public void Only_candidates_are_chosen()
    {
        var set = TestData.CauAbDrb1TwoField;
        var candidates = set.Haplotypes.Where((_, i) => i % 10 == 3).Take(40).Select(h => new BankLine($"donor-{h.Haplotype.Name}", h.Haplotype)).ToList();
        candidates.Add(candidates[0] with { Id = "duplicate" });
        var plan = HaplobankPlanner.Plan(new HaplotypeIndex(set), 10, candidates);
        Assert.Equal(40, plan.Candidates);
        Assert.All(plan.Greedy.Rows, r => Assert.StartsWith("donor-", r.Id, StringComparison.Ordinal));
        Assert.All(plan.ByFrequency.Rows, r => Assert.Contains(candidates, c => c.Haplotype == r.Haplotype));
        Assert.Equal(candidates[0].Haplotype, plan.ByFrequency.Rows[0].Haplotype);
    }
}
