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
/// Cost per line: n·⌈n/64⌉ word operations plus one addition per newly covered pair.
/// </para>
/// Not thread-safe (it holds the coverage state); create one per computation.
/// </summary>
public sealed class TransCoverage
{
    private readonly HaplotypeIndex _index;
    private readonly ulong[] _covered;   // n rows of Words words

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

    private double Apply(int[] codes, bool commit)
    {
        var idx = _index;
        var words = idx.Words;
        var full = idx.FullMask;
        var subsets = idx.SubsetBits(codes);
        var f = idx.Frequencies;
        var gain = 0.0;
        for (var i = 0; i < idx.Count; i++)
        {
            var need = full & ~idx.AgreementMask(i, codes);
            var a = subsets[need];
            var row = i * words;
            var rowGain = 0.0;
            for (var w = 0; w < words; w++)
            {
                var fresh = a[w] & ~_covered[row + w];
                if (fresh == 0)
                {
                    continue;
                }

                if (commit)
                {
                    _covered[row + w] |= fresh;
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
}
