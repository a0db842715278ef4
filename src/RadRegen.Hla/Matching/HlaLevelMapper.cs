using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.ReferenceFiles;

namespace RadRegen.Hla.Matching;

/// <summary>
/// Maps HLA names to comparable values at a match level. First field and two fields work without
/// reference files; P groups, MACs, G groups and serology need the operator's files.
/// <list type="bullet">
/// <item>First field: <c>A*02</c>. Two fields: <c>A*02:01</c> (expression suffix kept, see
/// <see cref="HlaName.ReduceTo"/>). P group: the <c>hla_nom_p</c> group, or the two-field name of an
/// allele in no group (e.g. a null allele; P groups exclude nulls, reference/hla/notes.md §6.2).</item>
/// <item>A name coarser than the level (<c>A*02</c> or <c>A*02:XX</c> at two fields) becomes the
/// wildcard <c>A*02:XX</c> — "any allele of the group" (XX code, reference/hla/notes.md §6.5) — which may, but need
/// not, equal a value of the same group.</item>
/// </list>
/// </summary>
public sealed class HlaLevelMapper
{
    /// <summary>A mapper for first-field and two-field levels, and with <paramref name="reference"/> also for P groups, MACs, G groups and serology.</summary>
    /// <param name="reference">The operator's IPD-IMGT/HLA and MAC files, or null when none are loaded.</param>
    public HlaLevelMapper(HlaReferenceData? reference = null) => Reference = reference;

    /// <summary>The operator's reference files, or null: names that need them (P groups, MACs, G groups, serology) are then refused with a message.</summary>
    public HlaReferenceData? Reference { get; }

    /// <summary>True for a wildcard value (<c>A*02:XX</c>).</summary>
    public static bool IsWildcard(string value) => value?.EndsWith(":XX", StringComparison.Ordinal) == true;

    /// <summary>Certainly the same allele at the level.</summary>
    public static bool CertainlyEqual(string a, string b) => string.Equals(a, b, StringComparison.Ordinal) && !IsWildcard(a);

    /// <summary>Possibly the same allele at the level (equal, or a wildcard over the other's group).</summary>
    public static bool PossiblyEqual(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        if (IsWildcard(a))
        {
            return b.StartsWith(a.AsSpan(0, a.Length - 2), StringComparison.Ordinal);
        }

        return IsWildcard(b) && a.StartsWith(b.AsSpan(0, b.Length - 2), StringComparison.Ordinal);
    }

    /// <summary>The distinct values a name may take at the level, sorted.</summary>
    public ImmutableArray<string> Map(HlaName name, MatchLevel level)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var allele in Alleles(name, level))
        {
            values.UnionWith(MapAllele(allele, level));
        }

        return [.. values];
    }

    private IEnumerable<HlaName> Alleles(HlaName name, MatchLevel level)
    {
        switch (name.Kind)
        {
            case HlaNameKind.Allele:
            case HlaNameKind.XxCode:
                return [name];
            case HlaNameKind.PGroup when level == MatchLevel.PGroup:
                return [name];
            default:
                if (Reference is null)
                {
                    throw HlaInputException.AtToken(
                        $"a {name.Kind} name needs the operator's IPD-IMGT/HLA{(name.Kind == HlaNameKind.Mac ? " or NMDP MAC" : string.Empty)} files, which are not loaded",
                        name.ToString(), 0);
                }

                return Reference.ExpandToAlleles(name);
        }
    }

    private IEnumerable<string> MapAllele(HlaName allele, MatchLevel level)
    {
        if (allele.Kind == HlaNameKind.PGroup)
        {
            return [allele.ToString()];   // only reached at P-group level
        }

        var coarse = allele.Kind == HlaNameKind.XxCode || allele.Fields.Length == 1;
        switch (level)
        {
            case MatchLevel.FirstField:
                return [$"{allele.Locus.Name()}*{allele.FirstField}"];
            case MatchLevel.TwoField:
                return [coarse ? $"{allele.Locus.Name()}*{allele.FirstField}:XX" : allele.ReduceTo(AlleleResolution.TwoField).ToString()];
            case MatchLevel.PGroup:
                if (Reference?.PGroups is null)
                {
                    throw HlaReferenceData.Missing("hla_nom_p", allele);
                }

                var probe = allele.Kind == HlaNameKind.XxCode ? HlaName.Allele(allele.Locus, allele.FirstField) : allele;
                return Reference.PGroupsOf(probe);
            default:
                throw new ArgumentOutOfRangeException(nameof(level));
        }
    }
}
