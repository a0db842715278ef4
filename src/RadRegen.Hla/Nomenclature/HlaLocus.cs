using System.Collections.Immutable;

namespace RadRegen.Hla.Nomenclature;

/// <summary>
/// The HLA genes RadRegen names and matches. A, B, C, DRB1, DQB1 and DPB1 are the loci used in
/// transplantation (Atlas `Locus` enum; HSCT matching of A, B, C, DRB1, DQB1: see
/// reference/hla/notes.md §7.3); DRB3/4/5, DQA1 and DPA1 are accepted so that full typings parse.
/// </summary>
public enum HlaLocus
{
    /// <summary>HLA-A (class I).</summary>
    A,

    /// <summary>HLA-B (class I).</summary>
    B,

    /// <summary>HLA-C (class I).</summary>
    C,

    /// <summary>HLA-DRB1 (class II, DR β chain), a default matching locus for homozygous lines.</summary>
    DRB1,

    /// <summary>HLA-DRB3 (class II, secondary DR β chain; parsed, not matched by default).</summary>
    DRB3,

    /// <summary>HLA-DRB4 (class II, secondary DR β chain; parsed, not matched by default).</summary>
    DRB4,

    /// <summary>HLA-DRB5 (class II, secondary DR β chain; parsed, not matched by default).</summary>
    DRB5,

    /// <summary>HLA-DQA1 (class II, DQ α chain; parsed, not matched by default).</summary>
    DQA1,

    /// <summary>HLA-DQB1 (class II, DQ β chain).</summary>
    DQB1,

    /// <summary>HLA-DPA1 (class II, DP α chain; parsed, not matched by default).</summary>
    DPA1,

    /// <summary>HLA-DPB1 (class II, DP β chain; registries score it but do not match on it, reference/hla/notes.md §4.3).</summary>
    DPB1,
}

/// <summary>Names, parsing and defaults for <see cref="HlaLocus"/>.</summary>
public static class HlaLoci
{
    /// <summary>
    /// Default matching loci for homozygous iPSC lines: HLA-A, -B, -DRB1 (reference/hla/README.md,
    /// "Matching rule"; every haplobank study in reference/hla/notes.md §7.3).
    /// </summary>
    public static ImmutableArray<HlaLocus> DefaultMatchingLoci { get; } = [HlaLocus.A, HlaLocus.B, HlaLocus.DRB1];

    /// <summary>The WHO gene name (without the <c>HLA-</c> prefix), e.g. <c>DRB1</c>.</summary>
    public static string Name(this HlaLocus locus) => locus switch
    {
        HlaLocus.A => "A",
        HlaLocus.B => "B",
        HlaLocus.C => "C",
        HlaLocus.DRB1 => "DRB1",
        HlaLocus.DRB3 => "DRB3",
        HlaLocus.DRB4 => "DRB4",
        HlaLocus.DRB5 => "DRB5",
        HlaLocus.DQA1 => "DQA1",
        HlaLocus.DQB1 => "DQB1",
        HlaLocus.DPA1 => "DPA1",
        HlaLocus.DPB1 => "DPB1",
        _ => throw new ArgumentOutOfRangeException(nameof(locus)),
    };

    // Enum.GetValues allocates a new array on every call; TryParse runs for every allele read.
    private static readonly HlaLocus[] AllLoci = Enum.GetValues<HlaLocus>();

    /// <summary>Parses a gene name as written in WHO allele names (case-sensitive, e.g. <c>DRB1</c>).</summary>
    public static bool TryParse(string? name, out HlaLocus locus)
    {
        locus = default;
        if (name is null)
        {
            return false;
        }

        foreach (var l in AllLoci)
        {
            if (string.Equals(l.Name(), name, StringComparison.Ordinal))
            {
                locus = l;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a comma-separated locus list as given by a person (<c>A,B,DRB1</c>; case-insensitive,
    /// <c>HLA-</c> prefix allowed). Duplicates and unknown loci are errors naming the token.
    /// </summary>
    public static ImmutableArray<HlaLocus> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = ImmutableArray.CreateBuilder<HlaLocus>();
        var position = 0;
        foreach (var raw in text.Split(','))
        {
            var token = raw.Trim();
            var name = token.StartsWith("HLA-", StringComparison.OrdinalIgnoreCase) ? token[4..] : token;
            if (!TryParse(name.ToUpperInvariant(), out var locus))
            {
                throw HlaInputException.AtToken(
                    $"unknown locus; known loci are {string.Join(", ", Enum.GetValues<HlaLocus>().Select(Name))}", token, position);
            }

            if (result.Contains(locus))
            {
                throw HlaInputException.AtToken("locus listed twice", token, position);
            }

            result.Add(locus);
            position += raw.Length + 1;
        }

        return result.ToImmutable();
    }
}
