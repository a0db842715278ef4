using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Matching;

/// <summary>One possible genotype at a locus at a match level: the values each chromosome may take.</summary>
public sealed record LevelGenotype(ImmutableArray<string> First, ImmutableArray<string> Second);

/// <summary>A locus typing mapped to a match level: its alternative genotypes (deduplicated).</summary>
public sealed class LocusValues
{
    private LocusValues(HlaLocus locus, ImmutableArray<LevelGenotype> alternatives)
    {
        Locus = locus;
        Alternatives = alternatives;
    }

    /// <summary>The locus these values belong to.</summary>
    public HlaLocus Locus { get; }

    /// <summary>The genotypes the typing allows at the level, each once (chromosomes ordered so that equal genotypes compare equal).</summary>
    public ImmutableArray<LevelGenotype> Alternatives { get; }

    /// <summary>Exactly one genotype of two concrete values.</summary>
    public bool IsUnambiguous =>
        Alternatives.Length == 1 && Alternatives[0].First.Length == 1 && Alternatives[0].Second.Length == 1
        && !HlaLevelMapper.IsWildcard(Alternatives[0].First[0]) && !HlaLevelMapper.IsWildcard(Alternatives[0].Second[0]);

    /// <summary>Every value either chromosome may take.</summary>
    public IEnumerable<string> AllValues => Alternatives.SelectMany(a => a.First.Concat(a.Second)).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Maps every allele of every alternative genotype of <paramref name="typing"/> to its values at
    /// <paramref name="level"/> (first field, two fields or P group) and drops genotypes that become
    /// identical there.
    /// </summary>
    /// <param name="typing">The locus typing, with its ambiguity.</param>
    /// <param name="level">The level at which alleles count as the same.</param>
    /// <param name="mapper">Maps names to values; needs reference files for P groups and codes.</param>
    /// <exception cref="HlaInputException">A name needs reference files that are not loaded, or is unknown in them.</exception>
    public static LocusValues From(LocusTyping typing, MatchLevel level, HlaLevelMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(typing);
        ArgumentNullException.ThrowIfNull(mapper);
        var alternatives = new List<LevelGenotype>();
        foreach (var g in typing.Alternatives)
        {
            var first = g.First.Alleles.SelectMany(a => mapper.Map(a, level)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
            var second = g.Second.Alleles.SelectMany(a => mapper.Map(a, level)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
            if (string.CompareOrdinal(string.Join('/', first), string.Join('/', second)) > 0)
            {
                (first, second) = (second, first);
            }

            if (!alternatives.Any(a => a.First.SequenceEqual(first) && a.Second.SequenceEqual(second)))
            {
                alternatives.Add(new LevelGenotype(first, second));
            }
        }

        return new LocusValues(typing.Locus, [.. alternatives]);
    }

    /// <summary>The values as GL-String-like text: per genotype <c>a/b+c</c>, genotypes joined by <c>|</c>.</summary>
    public override string ToString() =>
        string.Join('|', Alternatives.Select(a => $"{string.Join('/', a.First)}+{string.Join('/', a.Second)}"));
}
