using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Matching;

/// <summary>Which loci, at which level, with which reference files a comparison is made.</summary>
public sealed record MatchOptions(ImmutableArray<HlaLocus> Loci, MatchLevel Level, HlaLevelMapper Mapper)
{
    /// <summary>A, B, DRB1 at two fields, without reference files.</summary>
    public static MatchOptions Default { get; } = new(HlaLoci.DefaultMatchingLoci, MatchLevel.TwoField, new HlaLevelMapper());

    /// <summary>The reference-file release used, recorded with every result (null without files).</summary>
    public string? ReferenceVersion => Mapper.Reference?.Version;
}

/// <summary>
/// Compares a patient with lines or donors, per locus and in total, in the HvG and GvH
/// directions and as the registries' bidirectional count (definitions in <see cref="LocusMatch"/>).
/// </summary>
public sealed class HlaMatcher
{
    /// <summary>A matcher at the given loci, level and reference files.</summary>
    /// <param name="options">At least one matching locus.</param>
    /// <exception cref="ArgumentException">No matching locus.</exception>
    public HlaMatcher(MatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Loci.IsDefaultOrEmpty)
        {
            throw new ArgumentException("at least one matching locus", nameof(options));
        }

        Options = options;
    }

    /// <summary>The loci, level and reference files every comparison uses; their release is recorded with each result.</summary>
    public MatchOptions Options { get; }

    /// <summary>The typing's values at the matching loci (null for an untyped locus).</summary>
    public ImmutableArray<LocusValues?> Values(HlaTyping typing)
    {
        ArgumentNullException.ThrowIfNull(typing);
        return [.. Options.Loci.Select(l => typing[l] is { } t ? LocusValues.From(t, Options.Level, Options.Mapper) : null)];
    }

    /// <summary>Compares one patient with one graft (line or donor).</summary>
    public MatchResult Match(string id, HlaTyping patient, HlaTyping graft) => Match(id, Values(patient), Values(graft));

    /// <summary>
    /// Compares one matching locus (an index into <see cref="MatchOptions.Loci"/>) given the values
    /// <see cref="Values"/> produced for it. A caller matching many patients with many grafts can
    /// compare each distinct pair of locus values once and add the counts, as <see cref="DonorPanel"/>
    /// does; the result is the same <see cref="LocusMatch"/> that <see cref="Match(string, HlaTyping, HlaTyping)"/> holds.
    /// </summary>
    public LocusMatch CompareLocus(int locusIndex, LocusValues? patient, LocusValues? graft) =>
        LocusComparer.Compare(Options.Loci[locusIndex], patient, graft);

    internal MatchResult Match(string id, ImmutableArray<LocusValues?> patient, ImmutableArray<LocusValues?> graft) =>
        new(id, [.. Options.Loci.Select((l, i) => LocusComparer.Compare(l, patient[i], graft[i]))], Options.ReferenceVersion);

    /// <summary>
    /// Ranks results best first: fewest worst-case HvG mismatches, then fewest GvH, then fewest
    /// registry mismatches, then fewest best-case HvG, then id (ordinal).
    /// </summary>
    public static IOrderedEnumerable<MatchResult> Rank(IEnumerable<MatchResult> results) =>
        results.OrderBy(r => r.HvgMismatches).ThenBy(r => r.GvhMismatches).ThenBy(r => r.RegistryMismatches)
            .ThenBy(r => r.HvgMismatchesBestCase).ThenBy(r => r.Id, StringComparer.Ordinal);
}
