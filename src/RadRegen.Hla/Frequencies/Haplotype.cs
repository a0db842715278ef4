using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Frequencies;

/// <summary>
/// A multi-locus haplotype: one allele per locus, in phase (GL String <c>~</c>). Equality and
/// ordering are by the text <c>A*02:01~B*08:01~DRB1*03:01</c> (ordinal), which is also the
/// tie-break for "top N" (reference/hla/README.md).
/// </summary>
public sealed class Haplotype : IEquatable<Haplotype>, IComparable<Haplotype>
{
    /// <summary>A haplotype of these alleles, in this locus order.</summary>
    /// <param name="alleles">One allele per locus; at least one, no locus twice.</param>
    /// <exception cref="ArgumentException">No allele, or a locus named twice.</exception>
    public Haplotype(ImmutableArray<HlaName> alleles)
    {
        if (alleles.IsDefaultOrEmpty)
        {
            throw new ArgumentException("a haplotype has at least one allele", nameof(alleles));
        }

        if (HasRepeatedLocus(alleles))
        {
            throw new ArgumentException("a haplotype names each locus once", nameof(alleles));
        }

        Alleles = alleles;
        Name = string.Join('~', alleles);
    }

    /// <summary>The alleles in phase, one per locus, in the order given (for a frequency file, its locus order).</summary>
    public ImmutableArray<HlaName> Alleles { get; }

    /// <summary>The haplotype as text, <c>~</c>-joined.</summary>
    public string Name { get; }

    /// <summary>The loci of <see cref="Alleles"/>, in the same order.</summary>
    public IEnumerable<HlaLocus> Loci => Alleles.Select(a => a.Locus);

    /// <summary>The allele at a locus, or null.</summary>
    public HlaName? this[HlaLocus locus]
    {
        get
        {
            foreach (var a in Alleles)
            {
                if (a.Locus == locus)
                {
                    return a;
                }
            }

            return null;
        }
    }

    /// <summary>Parses <c>A*02:01~B*08:01~DRB1*03:01</c> (alleles only; no ambiguity).</summary>
    public static Haplotype Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = ImmutableArray.CreateBuilder<HlaName>();
        var pos = 0;
        foreach (var part in text.Split('~'))
        {
            var name = HlaName.Parse(part, pos);
            if (name.Kind != HlaNameKind.Allele)
            {
                throw HlaInputException.AtToken($"a haplotype lists alleles; '{part}' is a {name.Kind} name", part, pos);
            }

            if (HasLocus(names, name.Locus))
            {
                throw HlaInputException.AtToken($"locus {name.Locus.Name()} appears twice in the haplotype", part, pos);
            }

            names.Add(name);
            pos += part.Length + 1;
        }

        return new Haplotype(names.ToImmutable());
    }

    // Loops rather than LINQ (Distinct/Any over the HlaLocus enum): generic instantiations over a
    // value type that ReadyToRun cannot precompile, run for every row of a frequency file.
    private static bool HasLocus(ImmutableArray<HlaName>.Builder names, HlaLocus locus)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Locus == locus)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasRepeatedLocus(ImmutableArray<HlaName> alleles)
    {
        for (var i = 1; i < alleles.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (alleles[i].Locus == alleles[j].Locus)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The haplotype restricted to <paramref name="loci"/> (in that order) at a resolution.</summary>
    public Haplotype Reduce(IReadOnlyList<HlaLocus> loci, AlleleResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(loci);
        var names = ImmutableArray.CreateBuilder<HlaName>(loci.Count);
        foreach (var locus in loci)
        {
            var a = this[locus] ?? throw HlaInputException.AtToken($"the haplotype has no {locus.Name()} allele", Name, 0);
            names.Add(a.ReduceTo(resolution));
        }

        return new Haplotype(names.MoveToImmutable());
    }

    /// <summary>The haplotype as GL String text (<see cref="Name"/>, e.g. <c>A*02:01~B*08:01~DRB1*03:01</c>).</summary>
    public override string ToString() => Name;

    /// <summary>Same haplotype: the same alleles in the same locus order (ordinal comparison of <see cref="Name"/>).</summary>
    public bool Equals(Haplotype? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <summary>True when <paramref name="obj"/> is a <see cref="Haplotype"/> with the same <see cref="Name"/>.</summary>
    public override bool Equals(object? obj) => obj is Haplotype h && Equals(h);

    /// <summary>Hash of <see cref="Name"/> (ordinal), consistent with <see cref="Equals(Haplotype?)"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>
    /// Ordinal order of <see cref="Name"/>: the tie-break between haplotypes of equal frequency that
    /// makes "top N" reproducible (reference/hla/README.md). A null haplotype sorts first.
    /// </summary>
    public int CompareTo(Haplotype? other) => other is null ? 1 : string.CompareOrdinal(Name, other.Name);

    /// <summary>Same haplotype (<see cref="Equals(Haplotype?)"/>); two nulls are equal.</summary>
    public static bool operator ==(Haplotype? left, Haplotype? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different haplotypes (the negation of <c>==</c>).</summary>
    public static bool operator !=(Haplotype? left, Haplotype? right) => !(left == right);

    /// <summary><paramref name="left"/> sorts before <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator <(Haplotype? left, Haplotype? right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary><paramref name="left"/> sorts before or with <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator <=(Haplotype? left, Haplotype? right) => left is null || left.CompareTo(right) <= 0;

    /// <summary><paramref name="left"/> sorts after <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator >(Haplotype? left, Haplotype? right) => left is not null && left.CompareTo(right) > 0;

    /// <summary><paramref name="left"/> sorts after or with <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator >=(Haplotype? left, Haplotype? right) => left is null ? right is null : left.CompareTo(right) >= 0;
}
