using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Frequencies;

/// <summary>A haplotype and its population frequency.</summary>
public sealed record HaplotypeFrequency(Haplotype Haplotype, double Frequency);

/// <summary>An output haplotype of a reduction that several input haplotypes were summed into.</summary>
public sealed record MergedHaplotype(Haplotype Result, double Frequency, ImmutableArray<Haplotype> Sources);

/// <summary>A reduced set and the account of what was merged.</summary>
public sealed record FrequencyReduction(HaplotypeFrequencySet Set, int InputHaplotypes, ImmutableArray<MergedHaplotype> Merged);

/// <summary>
/// A population's haplotype frequencies under Hardy–Weinberg pairing (reference/hla/README.md,
/// "Coverage"). Haplotypes are distinct and sorted by frequency descending, ties by haplotype
/// name (ordinal): this order defines "top N".
/// </summary>
public sealed class HaplotypeFrequencySet
{
    private HaplotypeFrequencySet(string source, ImmutableArray<HlaLocus> loci, ImmutableArray<HaplotypeFrequency> haplotypes,
        double rawSum, bool isPartial, HfxMetadata? metadata)
    {
        Source = source;
        Loci = loci;
        Haplotypes = haplotypes;
        RawSum = rawSum;
        IsPartial = isPartial;
        Metadata = metadata;
    }

    /// <summary>Where the frequencies came from (file name or description).</summary>
    public string Source { get; }

    /// <summary>The loci every haplotype of the set names, in the same order (a set never mixes loci).</summary>
    public ImmutableArray<HlaLocus> Loci { get; }

    /// <summary>Haplotypes by frequency descending, ties by name.</summary>
    public ImmutableArray<HaplotypeFrequency> Haplotypes { get; }

    /// <summary>The sum of the frequencies as read, before renormalisation.</summary>
    public double RawSum { get; }

    /// <summary>
    /// True for a partial table (e.g. a published top-N list): frequencies are kept as given and
    /// the rest of the population (1 − Σf) is unknown haplotypes that no line can be assumed to match.
    /// </summary>
    public bool IsPartial { get; }

    /// <summary>HFX metadata read beside the file, if any.</summary>
    public HfxMetadata? Metadata { get; }

    /// <summary>Σ f of the set (1 for a complete set).</summary>
    public double Total => Haplotypes.Sum(h => h.Frequency);

    /// <summary>Number of distinct haplotypes in the set.</summary>
    public int Count => Haplotypes.Length;

    /// <summary>
    /// Builds a set. A complete set is renormalised to sum to 1 (NMDP raw sums are 0.996–1.004,
    /// reference/hla/README.md); a partial set keeps its frequencies. Duplicate haplotypes, negative
    /// or non-finite frequencies and mixed loci are errors.
    /// </summary>
    public static HaplotypeFrequencySet Create(string source, IEnumerable<HaplotypeFrequency> haplotypes, bool isPartial = false,
        HfxMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(haplotypes);
        var list = haplotypes.ToList();
        if (list.Count == 0)
        {
            throw HlaInputException.At("no haplotypes", source);
        }

        var loci = list[0].Haplotype.Loci.ToImmutableArray();
        var seen = new HashSet<Haplotype>();
        foreach (var h in list)
        {
            if (!HasLoci(h.Haplotype, loci))
            {
                throw HlaInputException.At(
                    $"haplotype {h.Haplotype} has loci {string.Join('~', h.Haplotype.Loci.Select(l => l.Name()))}; the set has {string.Join('~', loci.Select(l => l.Name()))}", source);
            }

            if (!double.IsFinite(h.Frequency) || h.Frequency < 0)
            {
                throw HlaInputException.At($"haplotype {h.Haplotype} has frequency {h.Frequency}; frequencies are finite and not negative", source);
            }

            if (!seen.Add(h.Haplotype))
            {
                throw HlaInputException.At($"haplotype {h.Haplotype} is listed twice", source);
            }
        }

        var raw = list.Sum(h => h.Frequency);
        if (raw <= 0)
        {
            throw HlaInputException.At("the frequencies sum to 0", source);
        }

        if (isPartial && raw > 1 + 1e-9)
        {
            throw HlaInputException.At($"the frequencies of a partial table sum to {raw}, more than 1", source);
        }

        var scaled = isPartial ? list : list.Select(h => h with { Frequency = h.Frequency / raw }).ToList();
        var sorted = scaled.OrderByDescending(h => h.Frequency).ThenBy(h => h.Haplotype.Name, StringComparer.Ordinal).ToImmutableArray();
        return new HaplotypeFrequencySet(source, loci, sorted, raw, isPartial, metadata);
    }

    /// <summary>
    /// Reduces to <paramref name="loci"/> at <paramref name="resolution"/> by summing the
    /// frequencies of haplotypes that become equal (marginalising the other loci), then
    /// renormalises (reference/hla/README.md: "Reduce a multi-locus frequency set to the matching
    /// loci by summing over the other loci, then renormalise to 1").
    /// </summary>
    public FrequencyReduction Reduce(IReadOnlyList<HlaLocus> loci, AlleleResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(loci);
        var missing = loci.Where(l => !Loci.Contains(l)).ToList();
        if (missing.Count > 0)
        {
            throw HlaInputException.At(
                $"the frequency set has loci {string.Join(',', Loci.Select(l => l.Name()))}; {string.Join(',', missing.Select(l => l.Name()))} requested", Source);
        }

        // Reference-type values and a dictionary for the reduced set's frequencies, not a
        // (double, List) tuple and FrequencyOf's linear scan: the value-type instantiations are not
        // precompiled by ReadyToRun and the scan is quadratic (docs/performance.md, "Start-up").
        var sums = new Dictionary<Haplotype, ReducedSum>();
        foreach (var h in Haplotypes)
        {
            Haplotype reduced;
            try
            {
                reduced = h.Haplotype.Reduce(loci, resolution);
            }
            catch (HlaInputException ex)
            {
                throw HlaInputException.At($"haplotype {h.Haplotype}: {ex.Message}", Source);
            }

            if (sums.TryGetValue(reduced, out var acc))
            {
                acc.Sources.Add(h.Haplotype);
                acc.F += h.Frequency;
            }
            else
            {
                sums[reduced] = new ReducedSum(h.Frequency, h.Haplotype);
            }
        }

        var set = Create(Source, sums.Select(kv => new HaplotypeFrequency(kv.Key, kv.Value.F)), IsPartial, Metadata);
        var reducedFrequency = new Dictionary<Haplotype, HaplotypeFrequency>(set.Count);
        foreach (var h in set.Haplotypes)
        {
            reducedFrequency[h.Haplotype] = h;
        }

        var merged = sums.Where(kv => kv.Value.Sources.Count > 1)
            .Select(kv => new MergedHaplotype(kv.Key, reducedFrequency[kv.Key].Frequency, [.. kv.Value.Sources]))
            .OrderByDescending(m => m.Frequency).ThenBy(m => m.Result.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        return new FrequencyReduction(set, Count, merged);
    }

    /// <summary>The frequency of a haplotype in the set (0 when absent).</summary>
    public double FrequencyOf(Haplotype haplotype)
    {
        foreach (var h in Haplotypes)
        {
            if (h.Haplotype == haplotype)
            {
                return h.Frequency;
            }
        }

        return 0;
    }

    private static bool HasLoci(Haplotype haplotype, ImmutableArray<HlaLocus> loci)
    {
        var alleles = haplotype.Alleles;
        if (alleles.Length != loci.Length)
        {
            return false;
        }

        for (var i = 0; i < loci.Length; i++)
        {
            if (alleles[i].Locus != loci[i])
            {
                return false;
            }
        }

        return true;
    }

    private sealed class ReducedSum(double f, Haplotype first)
    {
        public double F { get; set; } = f;

        public List<Haplotype> Sources { get; } = [first];
    }
}
