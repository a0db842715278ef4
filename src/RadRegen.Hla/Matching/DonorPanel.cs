using System.Collections.Immutable;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Matching;

/// <summary>
/// Lines or donors held in memory for fast matching of many patients. Each donor is stored as one
/// small integer per matching locus, pointing into a table of the distinct locus typings of the
/// panel (real panels repeat locus genotypes heavily: a million donors have a few thousand distinct
/// A, B or DRB1 genotypes). Matching compares the patient once with each distinct locus typing,
/// packs the counts into one integer per locus typing, then adds the integers per donor — a few
/// array reads per donor (docs/hla.md). Immutable after <see cref="Build"/>; safe to share.
/// </summary>
public sealed class DonorPanel
{
    private readonly string[] _ids;
    private readonly int[] _genotypes;                 // donor-major: _genotypes[d * loci + l]
    private readonly LocusValues?[][] _distinct;       // [locus][genotype index]

    private DonorPanel(HlaMatcher matcher, string[] ids, int[] genotypes, LocusValues?[][] distinct)
    {
        Matcher = matcher;
        _ids = ids;
        _genotypes = genotypes;
        _distinct = distinct;
    }

    /// <summary>The matcher (loci, level, reference files) the panel's typings were mapped with and patients are compared by.</summary>
    public HlaMatcher Matcher { get; }

    /// <summary>Number of lines or donors in the panel.</summary>
    public int Count => _ids.Length;

    /// <summary>Number of distinct typings at each matching locus.</summary>
    public ImmutableArray<int> DistinctGenotypes => [.. _distinct.Select(d => d.Length)];

    /// <summary>Builds a panel; ids must be unique.</summary>
    public static DonorPanel Build(IEnumerable<(string Id, HlaTyping Typing)> donors, HlaMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(donors);
        ArgumentNullException.ThrowIfNull(matcher);
        var loci = matcher.Options.Loci;
        var ids = new List<string>();
        var genotypes = new List<int>();
        var index = loci.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var distinct = loci.Select(_ => new List<LocusValues?>()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, typing) in donors)
        {
            if (!seen.Add(id))
            {
                throw HlaInputException.AtToken("duplicate donor id", id, 0);
            }

            ids.Add(id);
            for (var l = 0; l < loci.Length; l++)
            {
                var t = typing[loci[l]];
                var key = t?.ToString() ?? string.Empty;
                if (!index[l].TryGetValue(key, out var g))
                {
                    g = distinct[l].Count;
                    index[l][key] = g;
                    distinct[l].Add(t is null ? null : LocusValues.From(t, matcher.Options.Level, matcher.Options.Mapper));
                }

                genotypes.Add(g);
            }
        }

        return new DonorPanel(matcher, [.. ids], [.. genotypes], [.. distinct.Select(d => d.ToArray())]);
    }

    /// <summary>
    /// The <paramref name="top"/> best donors for a patient, best first (order of
    /// <see cref="HlaMatcher.Rank"/> except that ties keep panel order).
    /// </summary>
    public ImmutableArray<MatchResult> Match(HlaTyping patient, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var (keys, tables) = Score(patient);
        var heap = new PriorityQueue<int, long>(top + 1);
        for (var d = 0; d < keys.Length && top > 0; d++)
        {
            // Max-heap on (key, index) through negation: keep the smallest keys.
            var rank = -(((long)keys[d] << 32) | (uint)d);
            if (heap.Count < top)
            {
                heap.Enqueue(d, rank);
            }
            else if (heap.TryPeek(out _, out var worst) && rank > worst)
            {
                heap.DequeueEnqueue(d, rank);
            }
        }

        var chosen = new List<int>(heap.Count);
        while (heap.TryDequeue(out var d, out _))
        {
            chosen.Add(d);
        }

        chosen.Reverse();
        var loci = Matcher.Options.Loci.Length;
        return [.. chosen.Select(d => new MatchResult(_ids[d], [.. Enumerable.Range(0, loci).Select(l => tables[l][_genotypes[(d * loci) + l]])], Matcher.Options.ReferenceVersion))];
    }

    /// <summary>How many donors are certainly HvG-compatible with the patient.</summary>
    public int CountHvgCompatible(HlaTyping patient)
    {
        var (keys, _) = Score(patient);
        var n = 0;
        foreach (var k in keys)
        {
            if (k >> 24 == 0)
            {
                n++;
            }
        }

        return n;
    }

    private (int[] Keys, LocusMatch[][] Tables) Score(HlaTyping patient)
    {
        var values = Matcher.Values(patient);
        var loci = Matcher.Options.Loci;
        var tables = new LocusMatch[loci.Length][];
        var packed = new int[loci.Length][];
        for (var l = 0; l < loci.Length; l++)
        {
            var distinct = _distinct[l];
            tables[l] = new LocusMatch[distinct.Length];
            packed[l] = new int[distinct.Length];
            for (var g = 0; g < distinct.Length; g++)
            {
                var m = LocusComparer.Compare(loci[l], values[l], distinct[g]);
                tables[l][g] = m;
                // Per-locus counts are ≤ 2 and there are at most 11 loci, so each byte holds its sum.
                packed[l][g] = (m.HvgMax << 24) | (m.GvhMax << 16) | (m.RegistryMax << 8) | m.HvgMin;
            }
        }

        var keys = new int[Count];
        var n = loci.Length;
        for (var d = 0; d < keys.Length; d++)
        {
            var k = 0;
            var row = d * n;
            for (var l = 0; l < n; l++)
            {
                k += packed[l][_genotypes[row + l]];
            }

            keys[d] = k;
        }

        return (keys, tables);
    }
}
