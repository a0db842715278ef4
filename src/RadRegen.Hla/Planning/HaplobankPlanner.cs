using System.Collections.Immutable;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;

namespace RadRegen.Hla.Planning;

/// <summary>The lines one strategy picks and the coverage curve they give.</summary>
public sealed record PlanCurve(string Strategy, double Cis, double Trans, ImmutableArray<CoverageRow> Rows);

/// <summary>Both strategies side by side over the same candidates.</summary>
public sealed record HaplobankPlan(int Haplotypes, int Candidates, PlanCurve ByFrequency, PlanCurve Greedy);

/// <summary>
/// Chooses N homozygous lines among candidate haplotypes (reference/hla/README.md: "Choosing lines
/// in frequency order is optimal only for cis coverage. Under the trans rule, picking the next line
/// by largest coverage gain is a weighted max-coverage problem."):
/// <list type="bullet">
/// <item>by frequency: the N most frequent candidates (ties by haplotype name);</item>
/// <item>greedy: repeatedly the candidate with the largest trans-coverage gain (ties by haplotype
/// name). Trans coverage is a weighted coverage of genotype pairs, hence monotone submodular, so
/// the greedy choice is within 1 − 1/e of the best possible bank of N (Nemhauser, Wolsey &amp;
/// Fisher 1978), and a candidate's gain can only shrink as lines are added. That makes lazy
/// evaluation exact (Minoux 1978 "accelerated greedy"; CELF, Leskovec et al. 2007): a candidate
/// is re-evaluated only when its stale gain is still the best bound.</item>
/// </list>
/// </summary>
public static class HaplobankPlanner
{
    /// <summary>
    /// Plans <paramref name="count"/> lines. Candidates default to every haplotype of the set;
    /// otherwise only the given ones (e.g. homozygous donors available), duplicates of a haplotype kept once.
    /// </summary>
    public static HaplobankPlan Plan(HaplotypeIndex index, int count, IReadOnlyList<BankLine>? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var pool = (candidates ?? [.. index.Set.Haplotypes.Select(h => new BankLine(null, h.Haplotype))])
            .DistinctBy(c => c.Haplotype).ToList();
        var frequency = index.Set.Haplotypes.ToDictionary(h => h.Haplotype, h => h.Frequency);

        var byFrequency = pool.OrderByDescending(c => frequency.GetValueOrDefault(c.Haplotype))
            .ThenBy(c => c.Haplotype.Name, StringComparer.Ordinal).Take(count).ToList();
        var greedy = Greedy(index, pool, count);

        return new HaplobankPlan(index.Count, pool.Count, Curve("frequency", index, byFrequency), Curve("greedy", index, greedy));
    }

    private static PlanCurve Curve(string strategy, HaplotypeIndex index, List<BankLine> lines)
    {
        var report = HaplobankCoverage.Evaluate(index, lines);
        return new PlanCurve(strategy, report.Cis, report.Trans, report.Rows);
    }

    private static List<BankLine> Greedy(HaplotypeIndex index, List<BankLine> pool, int count)
    {
        var codes = pool.Select(c => index.Encode(c.Haplotype)).ToArray();
        var names = pool.Select(c => c.Haplotype.Name).ToArray();
        var trans = new TransCoverage(index);
        var evaluatedAt = new int[pool.Count];
        // Max-gain first, ties by name: a min-queue on (−gain, name).
        var queue = new PriorityQueue<int, (double NegGain, string Name)>(pool.Count, new KeyComparer());
        for (var c = 0; c < pool.Count; c++)
        {
            queue.Enqueue(c, (-trans.Gain(codes[c]), names[c]));
            evaluatedAt[c] = 0;
        }

        var chosen = new List<BankLine>(count);
        for (var step = 0; step < count && queue.Count > 0; step++)
        {
            while (true)
            {
                var c = queue.Dequeue();
                if (evaluatedAt[c] == step)
                {
                    // Its gain is current and at least every other candidate's (stale) upper bound.
                    trans.Add(codes[c]);
                    chosen.Add(pool[c]);
                    break;
                }

                evaluatedAt[c] = step;
                queue.Enqueue(c, (-trans.Gain(codes[c]), names[c]));
            }
        }

        return chosen;
    }

    private sealed class KeyComparer : IComparer<(double NegGain, string Name)>
    {
        public int Compare((double NegGain, string Name) x, (double NegGain, string Name) y)
        {
            var c = x.NegGain.CompareTo(y.NegGain);
            return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
