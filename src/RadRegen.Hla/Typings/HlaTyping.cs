using System.Collections.Immutable;
using RadRegen.Hla.GlStrings;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Typings;

/// <summary>
/// One possible genotype at a locus: the allele list on each chromosome (each list an ambiguity,
/// GL String <c>/</c>).
/// </summary>
public sealed record LocusGenotype(GlAlleleList First, GlAlleleList Second)
{
    /// <summary>The genotype as GL String text: the two allele lists joined by <c>+</c>.</summary>
    public override string ToString() => $"{First}+{Second}";

    /// <summary>True when the two chromosomes are the same single name.</summary>
    public bool IsHomozygous => First.Alleles.Length == 1 && Second.Alleles.Length == 1 && First.Alleles[0] == Second.Alleles[0];

    internal bool SameUnordered(LocusGenotype other) =>
        (First.Equals(other.First) && Second.Equals(other.Second)) || (First.Equals(other.Second) && Second.Equals(other.First));
}

/// <summary>
/// A subject's typing at one locus: the alternative genotypes (GL String <c>|</c>) with their allele
/// ambiguity kept.
/// </summary>
public sealed class LocusTyping
{
    /// <summary>A typing at <paramref name="locus"/> with these alternative genotypes.</summary>
    /// <param name="locus">The locus typed.</param>
    /// <param name="alternatives">At least one genotype.</param>
    /// <exception cref="ArgumentException">No genotype.</exception>
    public LocusTyping(HlaLocus locus, ImmutableArray<LocusGenotype> alternatives)
    {
        if (alternatives.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a locus typing has at least one genotype", nameof(alternatives));
        }

        Locus = locus;
        Alternatives = alternatives;
    }

    /// <summary>The locus typed.</summary>
    public HlaLocus Locus { get; }

    /// <summary>The genotypes the subject may have at the locus, any one of them (GL String <c>|</c>).</summary>
    public ImmutableArray<LocusGenotype> Alternatives { get; }

    /// <summary>True when more than one genotype or allele is possible, or a name is a code, group or antigen.</summary>
    public bool IsAmbiguous =>
        Alternatives.Length > 1 || Alternatives.Any(g => g.First.Alleles.Length > 1 || g.Second.Alleles.Length > 1)
        || Alternatives.SelectMany(g => g.First.Alleles.Concat(g.Second.Alleles)).Any(n => n.Kind != HlaNameKind.Allele);

    /// <summary>The locus as a GL String genotype list.</summary>
    public override string ToString() => string.Join('|', Alternatives);
}

/// <summary>
/// A subject's HLA typing as a genotype per locus, built from a GL String. Phase (<c>~</c>) is
/// projected away: each locus keeps its own alternatives. When alternatives span several loci
/// (<c>A*01~B*08+A*02~B*07|A*03~B*08+...</c>) the per-locus view admits every combination of the
/// per-locus alternatives, a superset of the string's possibilities; results derived from it (the
/// worst- and best-case mismatch counts) stay valid bounds. The original GL String is kept.
/// </summary>
public sealed class HlaTyping
{
    private HlaTyping(GlString glString, ImmutableSortedDictionary<HlaLocus, LocusTyping> loci)
    {
        GlString = glString;
        Loci = loci;
    }

    /// <summary>The GL String the typing was built from, unchanged.</summary>
    public GlString GlString { get; }

    /// <summary>The typing per typed locus, in locus order.</summary>
    public ImmutableSortedDictionary<HlaLocus, LocusTyping> Loci { get; }

    /// <summary>The typing at a locus, or null when the locus is not typed.</summary>
    public LocusTyping? this[HlaLocus locus] => Loci.TryGetValue(locus, out var t) ? t : null;

    /// <summary>Parses a GL String into a typing.</summary>
    public static HlaTyping Parse(string glString) => FromGlString(GlString.Parse(glString));

    /// <summary>
    /// Builds the per-locus typing. Each genotype (<c>+</c>) must have two chromosomes, each naming
    /// the same loci; a locus may appear in only one <c>^</c> part. A homozygous locus is written
    /// with both chromosomes (<c>A*02:01+A*02:01</c>), as GL String requires.
    /// </summary>
    public static HlaTyping FromGlString(GlString gl)
    {
        ArgumentNullException.ThrowIfNull(gl);
        var loci = ImmutableSortedDictionary.CreateBuilder<HlaLocus, LocusTyping>();
        var offset = 0;
        foreach (var genotypeList in gl.GenotypeLists)
        {
            var part = genotypeList.ToString();
            var perLocus = new Dictionary<HlaLocus, List<LocusGenotype>>();
            foreach (var genotype in genotypeList.Genotypes)
            {
                if (genotype.Haplotypes.Length != 2)
                {
                    throw HlaInputException.AtToken(
                        genotype.Haplotypes.Length == 1
                            ? "a genotype needs both chromosomes joined by '+' (write A*02:01+A*02:01 for a homozygous locus)"
                            : $"a genotype has two chromosomes; found {genotype.Haplotypes.Length} joined by '+'",
                        genotype.ToString(), offset + part.IndexOf(genotype.ToString(), StringComparison.Ordinal));
                }

                var h1 = genotype.Haplotypes[0].AlleleLists.ToDictionary(a => a.Locus);
                var h2 = genotype.Haplotypes[1].AlleleLists.ToDictionary(a => a.Locus);
                if (!h1.Keys.ToHashSet().SetEquals(h2.Keys))
                {
                    throw HlaInputException.AtToken("the two chromosomes of a genotype must name the same loci",
                        genotype.ToString(), offset + part.IndexOf(genotype.ToString(), StringComparison.Ordinal));
                }

                foreach (var (locus, first) in h1)
                {
                    var g = new LocusGenotype(first, h2[locus]);
                    if (!perLocus.TryGetValue(locus, out var list))
                    {
                        perLocus[locus] = list = [];
                    }

                    if (!list.Any(x => x.SameUnordered(g)))
                    {
                        list.Add(g);
                    }
                }
            }

            foreach (var (locus, list) in perLocus)
            {
                if (loci.ContainsKey(locus))
                {
                    throw HlaInputException.AtToken($"locus {locus.Name()} appears in more than one '^' part", part, offset);
                }

                loci[locus] = new LocusTyping(locus, [.. list]);
            }

            offset += part.Length + 1;
        }

        return new HlaTyping(gl, loci.ToImmutable());
    }

    /// <summary>The typing's GL String (normalised).</summary>
    public override string ToString() => GlString.ToString();
}
