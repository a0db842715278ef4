using RadRegen.Care.Allocation;

namespace RadRegen.Care.Tests;

[Trait("Kind", "Unit")]
public class AllocationTests
{
    private sealed class TableCompatibility(Dictionary<(string Patient, string Line), PairScore> table) : ICompatibility
    {
        public PairScore Score(AllocationRequest request, string lineId, string? lineHla) =>
            table.TryGetValue((request.PatientCode, lineId), out var s) ? s : new PairScore(0, false, "not in table");
    }

    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static long Scaled(AllocationRequest r, double score) => (long)Math.Round(r.Priority * score * Allocator.Scale);

    /// <summary>Exhaustive search: every vial to no request or to one, under every constraint.</summary>
    private static long BruteForce(IReadOnlyList<AllocationRequest> requests, IReadOnlyList<StockVial> vials, ICompatibility comp, IReadOnlyDictionary<string, int> limits)
    {
        var given = new int[requests.Count];
        var shipped = new Dictionary<string, int>();
        long best = 0;
        void Go(int v, long value)
        {
            if (v == vials.Count)
            {
                best = Math.Max(best, value);
                return;
            }

            Go(v + 1, value);
            var vial = vials[v];
            if (limits.TryGetValue(vial.Site, out var lim) && shipped.GetValueOrDefault(vial.Site) >= lim)
            {
                return;
            }

            for (var r = 0; r < requests.Count; r++)
            {
                var req = requests[r];
                if (req.ProductType != vial.ProductType || given[r] >= req.Vials)
                {
                    continue;
                }

                var s = comp.Score(req, vial.LineId, vial.LineHla);
                if (!s.Acceptable || Scaled(req, s.Score) <= 0)
                {
                    continue;
                }

                given[r]++;
                shipped[vial.Site] = shipped.GetValueOrDefault(vial.Site) + 1;
                Go(v + 1, value + Scaled(req, s.Score));
                given[r]--;
                shipped[vial.Site]--;
            }
        }

        Go(0, 0);
        return best;
    }

    [Fact]
    public void Min_cost_flow_equals_brute_force_on_300_random_small_cases()
    {
        var rng = new Random(20261121);
        for (var trial = 0; trial < 300; trial++)
        {
            var products = new[] { "MSC", "KSHEET" };
            var lines = Enumerable.Range(0, rng.Next(1, 4)).Select(i => $"L{i}").ToArray();
            var sites = Enumerable.Range(0, rng.Next(1, 3)).Select(i => $"S{i}").ToArray();
            var requests = Enumerable.Range(0, rng.Next(1, 5)).Select(i => new AllocationRequest($"R{i}", $"P{i}",
                products[rng.Next(products.Length)], rng.Next(1, 3), rng.Next(1, 10) + Math.Round(rng.NextDouble(), 2), null)).ToList();
            var vials = Enumerable.Range(0, rng.Next(0, 8)).Select(i => new StockVial($"V{i}", products[rng.Next(products.Length)],
                lines[rng.Next(lines.Length)], null, sites[rng.Next(sites.Length)], Expiry.AddDays(i))).ToList();
            var table = new Dictionary<(string, string), PairScore>();
            foreach (var r in requests)
            {
                foreach (var l in lines)
                {
                    table[(r.PatientCode, l)] = new PairScore(Math.Round(rng.NextDouble(), 3), rng.NextDouble() > 0.2, "test");
                }
            }

            var limits = new Dictionary<string, int>();
            foreach (var s in sites.Where(_ => rng.NextDouble() < 0.5))
            {
                limits[s] = rng.Next(0, 4);
            }

            var comp = new TableCompatibility(table);
            var result = Allocator.Allocate(requests, vials, comp, limits);
            var flowValue = result.Outcomes.Sum(o => o.Allotments.Sum(a => a.VialIds.Count * Scaled(o.Request, a.Compatibility)));
            Assert.Equal(BruteForce(requests, vials, comp, limits), flowValue);

            // Feasibility: no vial twice, request and site limits kept, product types right.
            var all = result.Outcomes.SelectMany(o => o.Allotments.SelectMany(a => a.VialIds)).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.All(result.Outcomes, o => Assert.True(o.Allocated <= o.Request.Vials));
            foreach (var (site, limit) in limits)
            {
                Assert.True(result.Outcomes.Sum(o => o.Allotments.Where(a => a.Site == site).Sum(a => a.VialIds.Count)) <= limit);
            }

            var byId = vials.ToDictionary(v => v.Id);
            Assert.All(result.Outcomes, o => Assert.All(o.Allotments.SelectMany(a => a.VialIds), id => Assert.Equal(o.Request.ProductType, byId[id].ProductType)));
        }
    }

    [Fact]
    public void Scarce_stock_goes_where_priority_times_compatibility_is_highest_and_the_others_are_told_why()
    {
        var requests = new List<AllocationRequest>
        {
            new("R1", "P-urgent", "MSC", 2, 9, null),
            new("R2", "P-stable", "MSC", 2, 2, null),
            new("R3", "P-skin", "KSHEET", 1, 5, null),
        };
        var vials = new List<StockVial>
        {
            new("V1", "MSC", "L-A", null, "Tokyo", Expiry.AddDays(30)),
            new("V2", "MSC", "L-A", null, "Tokyo", Expiry.AddDays(1)),
            new("V3", "MSC", "L-B", null, "Osaka", Expiry),
        };
        var comp = new TableCompatibility(new()
        {
            [("P-urgent", "L-A")] = new PairScore(1, true, "HvG 0"),
            [("P-urgent", "L-B")] = new PairScore(0.5, true, "HvG 1"),
            [("P-stable", "L-A")] = new PairScore(1, true, "HvG 0"),
            [("P-stable", "L-B")] = new PairScore(1, true, "HvG 0"),
        });
        var result = Allocator.Allocate(requests, vials, comp);
        var urgent = result.Outcomes[0];
        Assert.Equal(2, urgent.Allocated);
        Assert.Equal(["V2", "V1"], urgent.Allotments.Single().VialIds); // FEFO within the class
        var stable = result.Outcomes[1];
        Assert.Equal(1, stable.Allocated);
        Assert.Equal("L-B", stable.Allotments.Single().LineId);
        Assert.Contains("used up by P-urgent", stable.Explanation[^1], StringComparison.Ordinal);
        var skin = result.Outcomes[2];
        Assert.Equal(0, skin.Allocated);
        Assert.Contains("no vial of product KSHEET", skin.Explanation[^1], StringComparison.Ordinal);
        Assert.Equal((2 * 9) + 2, result.TotalValue, 9);

        var limited = Allocator.Allocate(requests, vials, comp, new Dictionary<string, int> { ["Tokyo"] = 1 });
        Assert.Single(limited.Outcomes[0].Allotments.Single(a => a.Site == "Tokyo").VialIds);
        Assert.Contains(limited.Outcomes.SelectMany(o => o.Explanation), e => e.Contains("ships at most 1", StringComparison.Ordinal));
    }

    [Fact]
    public void HLA_compatibility_prefers_an_HvG_matched_homozygous_line_and_refuses_too_many_mismatches()
    {
        const string patient = "HLA-A*24:02+HLA-A*33:03^HLA-B*52:01+HLA-B*44:03^HLA-DRB1*15:02+HLA-DRB1*13:02";
        const string matchedLine = "HLA-A*24:02+HLA-A*24:02^HLA-B*52:01+HLA-B*52:01^HLA-DRB1*15:02+HLA-DRB1*15:02";
        const string foreignLine = "HLA-A*02:01+HLA-A*02:01^HLA-B*07:02+HLA-B*07:02^HLA-DRB1*04:01+HLA-DRB1*04:01";
        var req = new AllocationRequest("R", "P", "MSC", 1, 1, patient);
        var matched = HlaCompatibility.Default.Score(req, "L1", matchedLine);
        Assert.True(matched.Acceptable);
        Assert.Equal(1, matched.Score);
        var foreign = HlaCompatibility.Default.Score(req, "L2", foreignLine);
        Assert.False(foreign.Acceptable);
        Assert.Contains("HvG 3", foreign.Explanation, StringComparison.Ordinal);
        var immune = HlaCompatibility.Default.Score(req with { ContainsImmuneCells = true }, "L1", matchedLine);
        Assert.True(immune.Score < 1); // GvH: the homozygous line lacks the patient's second haplotype
    }
}
