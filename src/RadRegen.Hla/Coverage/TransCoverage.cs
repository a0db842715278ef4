using System.Numerics;
using RadRegen.Hla.Frequencies;

namespace RadRegen.Hla.Coverage;

/// <summary>
/// Exact phase-free (trans, HvG) coverage of a Hardy–Weinberg population by homozygous lines,
/// built up line by line (reference/hla/README.md, "Coverage"):
/// trans = Σ over unordered genotypes {h_i, h_j} of f_i·f_j·(2 if i≠j else 1), counting a genotype
/// when some line L has L[ℓ] ∈ {h_i[ℓ], h_j[ℓ]} at every locus ℓ.
/// <para>
/// Algorithm (docs/hla.md): the sum over unordered genotypes with the factor 2 equals the sum over
/// ordered pairs (i, j) of f_i·f_j. For each haplotype i a bitset U_i marks the partners j already
/// covered. Adding line L: let m_i be the loci where h_i carries L's allele; the pair (i, j) is
/// covered by L exactly when h_j carries L's allele at every locus outside m_i, i.e. j ∈ A_L(¬m_i),
/// where A_L(S) = ∩_{ℓ∈S} {haplotypes with L's allele at ℓ} (intersections of per-allele bitsets).
/// The gain is Σ_i f_i · Σ_{j ∈ A_L(¬m_i) \ U_i} f_j; then U_i ← U_i ∪ A_L(¬m_i).
/// Haplotypes sharing no allele with L can only pair with L's own haplotype p; since U is symmetric
/// their part is read from row p in one pass. Cost per line: ⌈n/64⌉ word operations for each
/// haplotype sharing an allele with L, plus one addition per newly covered pair; those rows run in
/// parallel in fixed chunks (deterministic sums).
/// </para>
/// Not thread-safe (it holds the coverage state); create one per computation.
/// </summary>
public sealed class TransCoverage
{
    private readonly HaplotypeIndex _index;
    private readonly ulong[] _covered;   // n rows of Words words

    /// <summary>Starts with no line added: coverage 0, no genotype covered.</summary>
    /// <param name="index">The population's haplotypes and frequencies, encoded once and shared.</param>
    public TransCoverage(HaplotypeIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _covered = new ulong[index.Count * index.Words];
    }

    /// <summary>The covered share of the population so far (0..1; for a partial set, of the listed pairs only).</summary>
    public double Covered { get; private set; }

    /// <summary>Number of lines added.</summary>
    public int Lines { get; private set; }

    /// <summary>What adding <paramref name="line"/> would add to <see cref="Covered"/>, without adding it.</summary>
    public double Gain(Haplotype line) => Apply(_index.Encode(line), commit: false);

    /// <summary>Adds a line and returns its gain.</summary>
    public double Add(Haplotype line)
    {
        var gain = Apply(_index.Encode(line), commit: true);
        Covered += gain;
        Lines++;
        return gain;
    }

    internal double Gain(int[] codes) => Apply(codes, commit: false);

    internal double Add(int[] codes)
    {
        var gain = Apply(codes, commit: true);
        Covered += gain;
        Lines++;
        return gain;
    }

    /// <summary>Rows per parallel chunk; chunks are fixed so the floating-point sum is the same on any machine.</summary>
    private const int ChunkRows = 256;

    private double Apply(int[] codes, bool commit)
    {
        var idx = _index;
        var words = idx.Words;
        var subsets = idx.SubsetBits(codes);

        // Subsets with few members (typically "carries L's allele at every locus": L itself) are
        // walked member by member instead of word by word.
        var sparse = new int[]?[subsets.Length];
        for (var s = 0; s < subsets.Length; s++)
        {
            sparse[s] = Members(subsets[s], words);
        }

        // Haplotypes sharing no allele with L (most of them) can only pair with L's own haplotype
        // p, and U is symmetric (covered(i, j) = covered(j, i)), so U_i[p] = U_p[i]: their whole
        // contribution is read from row p — before row p itself is updated below.
        var shares = new ulong[words];
        for (var l = 0; l < codes.Length; l++)
        {
            var a = subsets[1 << l];
            for (var w = 0; w < words; w++)
            {
                shares[w] |= a[w];
            }
        }

        var gain = 0.0;
        var f = idx.Frequencies;
        if (sparse[idx.FullMask] is [var p])
        {
            var rowP = p * words;
            var sum = 0.0;
            for (var w = 0; w < words; w++)
            {
                var fresh = idx.AllBits[w] & ~shares[w] & ~_covered[rowP + w];
                var b = w << 6;
                while (fresh != 0)
                {
                    var i = b + BitOperations.TrailingZeroCount(fresh);
                    sum += f[i];
                    if (commit)
                    {
                        _covered[(i * words) + (p >> 6)] |= 1UL << (p & 63);
                    }

                    fresh &= fresh - 1;
                }
            }

            gain += f[p] * sum;
        }

        // The rows that share at least one allele with L, in fixed chunks (run in parallel, gains
        // added in chunk order, so the result does not depend on threads).
        var rows = Members(shares, words, int.MaxValue)!;
        var chunks = (rows.Length + ChunkRows - 1) / ChunkRows;
        if (chunks <= 1)
        {
            return gain + Rows(rows, 0, rows.Length, codes, subsets, sparse, commit);
        }

        var partial = new double[chunks];
        Parallel.For(0, chunks, c =>
            partial[c] = Rows(rows, c * ChunkRows, Math.Min(rows.Length, (c + 1) * ChunkRows), codes, subsets, sparse, commit));
        foreach (var part in partial)
        {
            gain += part;
        }

        return gain;
    }

    private double Rows(int[] rows, int from, int to, int[] codes, ulong[][] subsets, int[]?[] sparse, bool commit)
    {
        var idx = _index;
        var words = idx.Words;
        var full = idx.FullMask;
        var f = idx.Frequencies;
        var covered = _covered;
        var gain = 0.0;
        for (var r = from; r < to; r++)
        {
            var i = rows[r];
            var need = full & ~idx.AgreementMask(i, codes);
            var row = i * words;
            var rowGain = 0.0;
            if (sparse[need] is { } members)
            {
                foreach (var j in members)
                {
                    var bit = 1UL << (j & 63);
                    ref var word = ref covered[row + (j >> 6)];
                    if ((word & bit) == 0)
                    {
                        rowGain += f[j];
                        if (commit)
                        {
                            word |= bit;
                        }
                    }
                }

                gain += f[i] * rowGain;
                continue;
            }

            var a = subsets[need];
            for (var w = 0; w < words; w++)
            {
                var aw = a[w];
                if (aw == 0)
                {
                    continue;
                }

                var fresh = aw & ~covered[row + w];
                if (fresh == 0)
                {
                    continue;
                }

                if (commit)
                {
                    covered[row + w] |= fresh;
                }

                var b = w << 6;
                while (fresh != 0)
                {
                    rowGain += f[b + BitOperations.TrailingZeroCount(fresh)];
                    fresh &= fresh - 1;
                }
            }

            gain += f[i] * rowGain;
        }

        return gain;
    }

    /// <summary>The members of a bitset when there are at most <paramref name="limit"/> of them, else null.</summary>
    private static int[]? Members(ulong[] bits, int words, int limit = 8)
    {
        var count = 0;
        for (var w = 0; w < words && count <= limit; w++)
        {
            count += BitOperations.PopCount(bits[w]);
        }

        if (count > limit)
        {
            return null;
        }

        var members = new int[count];
        var k = 0;
        for (var w = 0; w < words; w++)
        {
            var word = bits[w];
            while (word != 0)
            {
                members[k++] = (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }

        return members;
    }
}
