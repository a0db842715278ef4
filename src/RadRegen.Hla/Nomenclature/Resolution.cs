namespace RadRegen.Hla.Nomenclature;

/// <summary>
/// Molecular resolution of an allele name, by number of WHO fields (hla.alleles.org nomenclature:
/// field 1 allele group, field 2 protein, field 3 synonymous coding change, field 4 non-coding change).
/// </summary>
public enum AlleleResolution
{
    /// <summary>First field only (allele group), e.g. <c>A*02</c>.</summary>
    FirstField = 1,

    /// <summary>Two fields (distinct protein), e.g. <c>A*02:01</c>.</summary>
    TwoField = 2,
}

/// <summary>The level at which two typings are compared.</summary>
public enum MatchLevel
{
    /// <summary>First field (allele group).</summary>
    FirstField,

    /// <summary>Two fields (protein).</summary>
    TwoField,

    /// <summary>
    /// P group: identical protein over the peptide-binding domain (WMDA <c>hla_nom_p</c>; needs the
    /// operator's IPD-IMGT/HLA files). Atlas matches at this level (reference/hla/notes.md §4.4).
    /// </summary>
    PGroup,
}

/// <summary>Text forms used on the command line and in JSON (<c>1field</c>, <c>2field</c>, <c>pgroup</c>).</summary>
public static class ResolutionText
{
    /// <summary>The command-line and JSON text of a match level: <c>1field</c>, <c>2field</c> or <c>pgroup</c>.</summary>
    public static string ToText(this MatchLevel level) => level switch
    {
        MatchLevel.FirstField => "1field",
        MatchLevel.TwoField => "2field",
        MatchLevel.PGroup => "pgroup",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The command-line and JSON text of an allele resolution: <c>1field</c> or <c>2field</c>.</summary>
    public static string ToText(this AlleleResolution resolution) => resolution switch
    {
        AlleleResolution.FirstField => "1field",
        AlleleResolution.TwoField => "2field",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };

    /// <summary>Reads a match level: <c>1field</c>, <c>2field</c> or <c>pgroup</c> (case-insensitive; a few spelled-out synonyms accepted).</summary>
    /// <exception cref="HlaInputException">Any other text; the message lists the accepted ones.</exception>
    public static MatchLevel ParseLevel(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "1field" or "1-field" or "first" or "firstfield" => MatchLevel.FirstField,
        "2field" or "2-field" or "two" or "twofield" => MatchLevel.TwoField,
        "pgroup" or "p" or "p-group" => MatchLevel.PGroup,
        _ => throw HlaInputException.AtToken("unknown level; use 1field, 2field or pgroup", text ?? string.Empty, 0),
    };

    /// <summary>Reads an allele resolution for reducing frequency sets: <c>1field</c> or <c>2field</c> (case-insensitive; a few synonyms accepted).</summary>
    /// <exception cref="HlaInputException">Any other text; the message lists the accepted ones.</exception>
    public static AlleleResolution ParseResolution(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "1field" or "1-field" or "first" or "firstfield" => AlleleResolution.FirstField,
        "2field" or "2-field" or "two" or "twofield" => AlleleResolution.TwoField,
        _ => throw HlaInputException.AtToken("unknown resolution; use 1field or 2field", text ?? string.Empty, 0),
    };
}
