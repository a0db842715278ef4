using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.GlStrings;

/// <summary>
/// A part of a GL String. Equality is by the formatted text, so parse → format → parse round-trips
/// compare equal. Grammar and precedence, loosest first (Milius et al. 2013, Tissue Antigens
/// 82:106; nmdp-bioinformatics/genotype-list Delimiters.md; reference/hla/notes.md §6.4):
/// <c>^</c> loci of a multilocus unphased genotype, <c>|</c> alternative genotypes,
/// <c>+</c> the chromosomes of a genotype, <c>~</c> phased alleles of a haplotype, <c>/</c> allele ambiguity.
/// </summary>
public abstract class GlElement : IEquatable<GlElement>
{
    /// <summary>Same element: the same kind of part with the same GL String text (ordinal).</summary>
    public bool Equals(GlElement? other) =>
        other is not null && other.GetType() == GetType() && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <summary>True when <paramref name="obj"/> is a <see cref="GlElement"/> equal to this one.</summary>
    public override bool Equals(object? obj) => obj is GlElement e && Equals(e);

    /// <summary>Hash of the GL String text, consistent with <see cref="Equals(GlElement?)"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString() ?? string.Empty);
}

/// <summary>Allele list (<c>/</c>): one of these alleles, it is not known which.</summary>
public sealed class GlAlleleList : GlElement
{
    /// <summary>An allele list of one or more names, in the order given.</summary>
    /// <param name="alleles">The alternative names; at least one.</param>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public GlAlleleList(ImmutableArray<HlaName> alleles)
    {
        if (alleles.IsDefaultOrEmpty)
        {
            throw new ArgumentException("an allele list has at least one allele", nameof(alleles));
        }

        Alleles = alleles;
    }

    /// <summary>The names, any one of which the subject carries on this chromosome.</summary>
    public ImmutableArray<HlaName> Alleles { get; }

    /// <summary>The locus of the first allele (a parsed list has one locus).</summary>
    public HlaLocus Locus => Alleles[0].Locus;

    /// <summary>The list as GL String text, names joined by <c>/</c> (e.g. <c>A*02:01/A*02:02</c>).</summary>
    public override string ToString() => string.Join('/', Alleles);
}

/// <summary>Haplotype (<c>~</c>): allele lists of different loci, in phase on one chromosome.</summary>
public sealed class GlHaplotype(ImmutableArray<GlAlleleList> alleleLists) : GlElement
{
    /// <summary>The allele lists in phase, one per locus.</summary>
    public ImmutableArray<GlAlleleList> AlleleLists { get; } = alleleLists;

    /// <summary>The haplotype as GL String text, allele lists joined by <c>~</c>.</summary>
    public override string ToString() => string.Join('~', AlleleLists);
}

/// <summary>Genotype (<c>+</c>): the two chromosomes (haplotypes) of a subject at these loci.</summary>
public sealed class GlGenotype(ImmutableArray<GlHaplotype> haplotypes) : GlElement
{
    /// <summary>The haplotypes of the two chromosomes, as written.</summary>
    public ImmutableArray<GlHaplotype> Haplotypes { get; } = haplotypes;

    /// <summary>The genotype as GL String text, haplotypes joined by <c>+</c>.</summary>
    public override string ToString() => string.Join('+', Haplotypes);
}

/// <summary>Genotype list (<c>|</c>): one of these genotypes, it is not known which.</summary>
public sealed class GlGenotypeList(ImmutableArray<GlGenotype> genotypes) : GlElement
{
    /// <summary>The alternative genotypes, any one of which the subject has.</summary>
    public ImmutableArray<GlGenotype> Genotypes { get; } = genotypes;

    /// <summary>The genotype list as GL String text, genotypes joined by <c>|</c>.</summary>
    public override string ToString() => string.Join('|', Genotypes);
}

/// <summary>A whole GL String: multilocus unphased genotype (<c>^</c>) of genotype lists.</summary>
public sealed class GlString(ImmutableArray<GlGenotypeList> genotypeLists) : GlElement
{
    /// <summary>One genotype list per locus (or per group of phased loci), joined by <c>^</c> in the text.</summary>
    public ImmutableArray<GlGenotypeList> GenotypeLists { get; } = genotypeLists;

    /// <summary>The normalised GL String: names without the <c>HLA-</c> prefix, no whitespace.</summary>
    public override string ToString() => string.Join('^', GenotypeLists);

    /// <summary>The GL String with every name written with the <c>HLA-</c> prefix (as in the GL String papers).</summary>
    public string ToString(bool withPrefix) => !withPrefix
        ? ToString()
        : string.Join('^', GenotypeLists.Select(gl => string.Join('|', gl.Genotypes.Select(g => string.Join('+', g.Haplotypes.Select(h =>
            string.Join('~', h.AlleleLists.Select(al => string.Join('/', al.Alleles.Select(a => a.ToString(true)))))))))));

    /// <summary>Every name in the string, in order.</summary>
    public IEnumerable<HlaName> AllNames() =>
        GenotypeLists.SelectMany(gl => gl.Genotypes).SelectMany(g => g.Haplotypes).SelectMany(h => h.AlleleLists).SelectMany(al => al.Alleles);

    /// <summary>
    /// Parses a GL String. Leading/trailing whitespace is ignored; anything else that is not a name
    /// or a delimiter is an error naming the token and its 0-based position. Every allele list must
    /// name one locus, and a haplotype may not repeat a locus.
    /// </summary>
    public static GlString Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end == start)
        {
            throw HlaInputException.AtToken("empty GL String", text, 0);
        }

        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ',' || c == ';' || c == '(' || c == ')')
            {
                throw HlaInputException.AtToken($"unexpected character '{c}' in a GL String", c.ToString(), i);
            }

            if (c == '?')
            {
                throw HlaInputException.AtToken("the GL String 1.1 possible-locus delimiter '?' is not supported", "?", i);
            }
        }

        var lists = Split(text, start, end, '^').Select(s => ParseGenotypeList(text, s.Start, s.End)).ToImmutableArray();
        return new GlString(lists);
    }

    /// <summary>Tries to parse; on failure <paramref name="error"/> holds the message.</summary>
    public static bool TryParse(string text, out GlString? gl, out string? error)
    {
        try
        {
            gl = Parse(text);
            error = null;
            return true;
        }
        catch (HlaInputException ex)
        {
            gl = null;
            error = ex.Message;
            return false;
        }
    }

    private static GlGenotypeList ParseGenotypeList(string text, int start, int end) =>
        new(Split(text, start, end, '|').Select(s => ParseGenotype(text, s.Start, s.End)).ToImmutableArray());

    private static GlGenotype ParseGenotype(string text, int start, int end) =>
        new(Split(text, start, end, '+').Select(s => ParseHaplotype(text, s.Start, s.End)).ToImmutableArray());

    private static GlHaplotype ParseHaplotype(string text, int start, int end)
    {
        var lists = Split(text, start, end, '~').Select(s => ParseAlleleList(text, s.Start, s.End)).ToImmutableArray();
        var seen = new HashSet<HlaLocus>();
        var pos = start;
        foreach (var list in lists)
        {
            if (!seen.Add(list.Locus))
            {
                throw HlaInputException.AtToken($"locus {list.Locus.Name()} appears twice in one haplotype", list.ToString(), pos);
            }

            pos += list.ToString().Length + 1;
        }

        return new GlHaplotype(lists);
    }

    private static GlAlleleList ParseAlleleList(string text, int start, int end)
    {
        var names = ImmutableArray.CreateBuilder<HlaName>();
        foreach (var (s, e) in Split(text, start, end, '/'))
        {
            var name = HlaName.Parse(text[s..e], s);
            if (names.Count > 0 && name.Locus != names[0].Locus)
            {
                throw HlaInputException.AtToken(
                    $"an allele list ('/') must name one locus; {name.Locus.Name()} follows {names[0].Locus.Name()}", text[s..e], s);
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        return new GlAlleleList(names.ToImmutable());
    }

    private static List<(int Start, int End)> Split(string text, int start, int end, char delimiter)
    {
        var result = new List<(int, int)>();
        var s = start;
        for (var i = start; i <= end; i++)
        {
            if (i == end || text[i] == delimiter)
            {
                if (i == s)
                {
                    throw HlaInputException.AtToken($"empty element at '{delimiter}' (nothing between delimiters)", delimiter.ToString(), i);
                }

                result.Add((s, i));
                s = i + 1;
            }
        }

        return result;
    }
}
