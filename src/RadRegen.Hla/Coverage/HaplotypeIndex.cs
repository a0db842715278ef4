using System.Collections.Immutable;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Coverage;

/// <summary>
/// A frequency set encoded for exact coverage arithmetic: each haplotype's allele at each locus as
/// a small integer, and for each locus and allele the set of haplotypes carrying it as a bitset.
/// Built once per set; immutable and safe to share between threads.
/// </summary>
public sealed class HaplotypeIndex
{
    private readonly Dictionary<HlaName, int>[] _codes;
    private readonly ulong[][][] _alleleBits;   // [locus][allele code] -> bitset over haplotypes

    /// <summary>
    /// Encodes <paramref name="set"/>: numbers the distinct alleles of each locus and builds, per locus
    /// and allele, the bitset of haplotypes that carry it. At most 16 loci (one bit each in a locus mask).
    /// </summary>
    /// <param name="set">The reduced frequency set whose haplotypes and frequencies are indexed.</param>
    public HaplotypeIndex(HaplotypeFrequencySet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.Loci.Length > 16)
        {
            throw new ArgumentException("at most 16 loci", nameof(set));
        }

        Set = set;
        Loci = set.Loci;
        Count = set.Count;
        LocusCount = Loci.Length;
        Words = (Count + 63) / 64;
        Frequencies = [.. set.Haplotypes.Select(h => h.Frequency)];
        Codes = new int[Count * LocusCount];
        _codes = new Dictionary<HlaName, int>[LocusCount];
        var bits = new List<ulong[]>[LocusCount];
        for (var l = 0; l < LocusCount; l++)
        {
            _codes[l] = [];
            bits[l] = [];
        }

        for (var i = 0; i < Count; i++)
        {
            var alleles = set.Haplotypes[i].Haplotype.Alleles;
            for (var l = 0; l < LocusCount; l++)
            {
                if (!_codes[l].TryGetValue(alleles[l], out var code))
                {
                    code = _codes[l].Count;
                    _codes[l][alleles[l]] = code;
                    bits[l].Add(new ulong[Words]);
                }

                Codes[(i * LocusCount) + l] = code;
                bits[l][code][i >> 6] |= 1UL << (i & 63);
            }
        }

        _alleleBits = [.. bits.Select(b => b.ToArray())];
        AllBits = new ulong[Words];
        for (var i = 0; i < Count; i++)
        {
            AllBits[i >> 6] |= 1UL << (i & 63);
        }

        FullMask = (1 << LocusCount) - 1;
    }

    /// <summary>The frequency set this index encodes; haplotype i of the index is <c>Set.Haplotypes[i]</c>.</summary>
    public HaplotypeFrequencySet Set { get; }

    /// <summary>The matching loci, in the order of the set's haplotypes (bit ℓ of a locus mask is <c>Loci[ℓ]</c>).</summary>
    public ImmutableArray<HlaLocus> Loci { get; }

    /// <summary>Number of haplotypes.</summary>
    public int Count { get; }

    /// <summary>Number of matching loci (<c>Loci.Length</c>), at most 16.</summary>
    public int LocusCount { get; }

    /// <summary>64-bit words per haplotype bitset.</summary>
    public int Words { get; }

    /// <summary>Mask with one bit per locus.</summary>
    public int FullMask { get; }

    internal double[] Frequencies { get; }

    /// <summary>Allele codes, haplotype-major: <c>Codes[i * LocusCount + l]</c>.</summary>
    internal int[] Codes { get; }

    internal ulong[] AllBits { get; }

    /// <summary>
    /// A line's allele codes at the set's loci; −1 for an allele that no haplotype of the set
    /// carries (it can never be matched by the population).
    /// </summary>
    public int[] Encode(Haplotype line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var codes = new int[LocusCount];
        for (var l = 0; l < LocusCount; l++)
        {
            var allele = line[Loci[l]] ?? throw new ArgumentException($"line {line} has no {Loci[l].Name()} allele", nameof(line));
            codes[l] = _codes[l].TryGetValue(allele, out var c) ? c : -1;
        }

        return codes;
    }

    /// <summary>
    /// For each subset S of loci (bit mask), the haplotypes that carry the line's alleles at every
    /// locus of S. S = ∅ gives every haplotype.
    /// </summary>
    internal ulong[][] SubsetBits(int[] lineCodes)
    {
        var result = new ulong[FullMask + 1][];
        result[0] = AllBits;
        for (var s = 1; s <= FullMask; s++)
        {
            var low = System.Numerics.BitOperations.TrailingZeroCount(s);
            var rest = s & (s - 1);
            var code = lineCodes[low];
            var target = new ulong[Words];
            if (code >= 0)
            {
                var a = _alleleBits[low][code];
                var b = result[rest];
                for (var w = 0; w < Words; w++)
                {
                    target[w] = a[w] & b[w];
                }
            }

            result[s] = target;
        }

        return result;
    }

    /// <summary>Bit mask of the loci at which haplotype <paramref name="i"/> carries the line's allele.</summary>
    internal int AgreementMask(int i, int[] lineCodes)
    {
        var mask = 0;
        var offset = i * LocusCount;
        for (var l = 0; l < LocusCount; l++)
        {
            if (Codes[offset + l] == lineCodes[l])
            {
                mask |= 1 << l;
            }
        }

        return mask;
    }

    internal double WeightOf(ulong[] bits)
    {
        var sum = 0.0;
        for (var w = 0; w < bits.Length; w++)
        {
            var word = bits[w];
            while (word != 0)
            {
                sum += Frequencies[(w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word)];
                word &= word - 1;
            }
        }

        return sum;
    }
}
