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
    public static string ToText(this MatchLevel level) => level switch
    {
        MatchLevel.FirstField => "1field",
        MatchLevel.TwoField => "2field",
        MatchLevel.PGroup => "pgroup",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string ToText(this AlleleResolution resolution) => resolution switch
    {
        AlleleResolution.FirstField => "1field",
        AlleleResolution.TwoField => "2field",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };

    public static MatchLevel ParseLevel(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "1field" or "1-field" or "first" or "firstfield" => MatchLevel.FirstField,
        "2field" or "2-field" or "two" or "twofield" => MatchLevel.TwoField,
        "pgroup" or "p" or "p-group" => MatchLevel.PGroup,
        _ => throw HlaInputException.AtToken("unknown level; use 1field, 2field or pgroup", text ?? string.Empty, 0),
    };

    public static AlleleResolution ParseResolution(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "1field" or "1-field" or "first" or "firstfield" => AlleleResolution.FirstField,
        "2field" or "2-field" or "two" or "twofield" => AlleleResolution.TwoField,
        _ => throw HlaInputException.AtToken("unknown resolution; use 1field or 2field", text ?? string.Empty, 0),
    };
}
