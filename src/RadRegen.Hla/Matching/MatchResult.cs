using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Matching;

/// <summary>
/// Mismatches at one locus between a patient and a line or donor. Min/Max bound the count over the
/// ambiguity of the two typings; an unambiguous pair has Min = Max.
/// <list type="bullet">
/// <item>HvG (host-versus-graft): distinct graft alleles absent from the patient — what the patient's
/// immune system can reject. A homozygous line X/X against patient X/Y: 0 (reference/hla/README.md;
/// reference/hla/notes.md §7.1).</item>
/// <item>GvH (graft-versus-host): distinct patient alleles absent from the graft.</item>
/// <item>Registry: the donor registries' symmetric 0/1/2 count, 2 minus the best of the direct and
/// crossed pairing of positions (Atlas LocusMatchCalculator, reference/hla/notes.md §4.4); X/X against X/Y is 1.</item>
/// </list>
/// </summary>
public sealed record LocusMatch(
    HlaLocus Locus, int HvgMin, int HvgMax, int GvhMin, int GvhMax, int RegistryMin, int RegistryMax, string Explanation);

/// <summary>The comparison of a patient with one line or donor over the matching loci.</summary>
/// <remarks><see cref="ReferenceVersion"/> names the IPD-IMGT/HLA and MAC releases used, or is null when none were needed.</remarks>
public sealed record MatchResult(string Id, ImmutableArray<LocusMatch> Loci, string? ReferenceVersion = null)
{
    /// <summary>HvG mismatches, worst case over the typings' ambiguity (the count that is certain not to be exceeded).</summary>
    public int HvgMismatches => Loci.Sum(l => l.HvgMax);

    /// <summary>HvG mismatches in the best case over the ambiguity.</summary>
    public int HvgMismatchesBestCase => Loci.Sum(l => l.HvgMin);

    /// <summary>GvH mismatches (patient alleles absent from the graft), worst case over the typings' ambiguity; they matter for grafts that contain immune cells.</summary>
    public int GvhMismatches => Loci.Sum(l => l.GvhMax);

    /// <summary>GvH mismatches in the best case over the ambiguity.</summary>
    public int GvhMismatchesBestCase => Loci.Sum(l => l.GvhMin);

    /// <summary>The registries' bidirectional count, worst case.</summary>
    public int RegistryMismatches => Loci.Sum(l => l.RegistryMax);

    /// <summary>Certainly HvG-compatible: no HvG mismatch under any reading of the typings.</summary>
    public bool HvgCompatible => HvgMismatches == 0;

    /// <summary>HvG-compatible under at least one reading of the typings.</summary>
    public bool PossiblyHvgCompatible => HvgMismatchesBestCase == 0;

    /// <summary>Every locus with a mismatch, explained; "no mismatch" when there is none.</summary>
    public string Explanation
    {
        get
        {
            var parts = Loci.Where(l => l.Explanation.Length > 0).Select(l => l.Explanation).ToList();
            return parts.Count == 0 ? "no mismatch" : string.Join("; ", parts);
        }
    }
}
