using System.Collections.Immutable;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Probability;

/// <summary>A diplotype (pair of haplotypes of the frequency set) and its weight f1·f2·(2 if different).</summary>
public sealed record Diplotype(Haplotype First, Haplotype Second, double Weight);

/// <summary>
/// The diplotypes of a frequency set that explain a patient's typing, heaviest first, at most K of
/// them. Empty (and <see cref="Unrepresented"/>) when no pair of the set's haplotypes explains it.
/// </summary>
public sealed record PatientDiplotypes(ImmutableArray<Diplotype> Diplotypes, int Considered, bool Truncated)
{
    /// <summary>True when nothing in the frequency set explains the typing: no probability can be given.</summary>
    public bool Unrepresented => Diplotypes.IsEmpty;

    /// <summary>Σ w(h1,h2) over the diplotypes kept: the denominator of the match probability.</summary>
    public double TotalWeight => Diplotypes.Sum(d => d.Weight);
}

/// <summary>
/// P(HvG-compatible) of an ambiguous or low-resolution patient typing with a line or a bank, from a
/// haplotype-frequency set (reference/hla/notes.md §7.4, after Atlas' match prediction, §4.5):
/// <code>
/// P(compatible with L) = Σ_{(h1,h2) consistent with T, HvG-ok(L; h1,h2)} w(h1,h2) / Σ_{(h1,h2) consistent with T} w(h1,h2)
/// w(h1,h2) = f(h1)·f(h2)·(2 if h1 ≠ h2 else 1)
/// HvG-ok(L; h1,h2) ⇔ every allele of L at every matching locus is h1[ℓ] or h2[ℓ]
/// </code>
/// Candidate diplotypes come only from the set's haplotypes; the heaviest K (default 2,000,
/// Atlas ADR Phase2/006) are kept; a typing explained by none is "unrepresented" (no number).
/// The set is first reduced to the matching loci at the level (first field or two fields; for
/// P groups each two-field allele is mapped to its P group with the reference files).
/// </summary>
public sealed class MatchProbabilityCalculator
{
    /// <summary>Default number of diplotypes kept per patient (Atlas MaximumExpandedGenotypesPerInput).</summary>
    public const int DefaultMaxDiplotypes = 2000;

    private readonly HlaMatcher _matcher;
    private readonly Haplotype[] _haplotypes;
    private readonly string[][] _values;   // [haplotype][locus] value at the level
    private readonly double[] _f;
    private readonly Dictionary<Haplotype, string[]> _byHaplotype;

    /// <summary>
    /// Prepares the set for the options: reduces it to the matching loci at the level (P groups through
    /// the reference files) and keeps at most <paramref name="maxDiplotypes"/> diplotypes per patient.
    /// </summary>
    /// <param name="set">Haplotype frequencies of the patient's population.</param>
    /// <param name="options">Matching loci, level and reference files.</param>
    /// <param name="maxDiplotypes">The heaviest diplotypes kept per patient (at least 1).</param>
    public MatchProbabilityCalculator(HaplotypeFrequencySet set, MatchOptions options, int maxDiplotypes = DefaultMaxDiplotypes)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDiplotypes, 1);
        _matcher = new HlaMatcher(options);
        MaxDiplotypes = maxDiplotypes;
        var resolution = options.Level == MatchLevel.FirstField ? AlleleResolution.FirstField : AlleleResolution.TwoField;
        var reduced = set.Reduce(options.Loci, resolution).Set;
        var merged = new Dictionary<string, (Haplotype H, string[] V, double F)>(StringComparer.Ordinal);
        foreach (var h in reduced.Haplotypes)
        {
            var values = new string[options.Loci.Length];
            for (var l = 0; l < values.Length; l++)
            {
                var mapped = options.Mapper.Map(h.Haplotype.Alleles[l], options.Level);
                if (mapped.Length != 1 || HlaLevelMapper.IsWildcard(mapped[0]))
                {
                    throw HlaInputException.At($"allele {h.Haplotype.Alleles[l]} of haplotype {h.Haplotype} does not map to one {options.Level.ToText()} value", set.Source);
                }

                values[l] = mapped[0];
            }

            var key = string.Join('~', values);
            merged[key] = merged.TryGetValue(key, out var m) ? (m.H, m.V, m.F + h.Frequency) : (h.Haplotype, values, h.Frequency);
        }

        var ordered = merged.Values.OrderByDescending(v => v.F).ThenBy(v => string.Join('~', v.V), StringComparer.Ordinal).ToArray();
        _haplotypes = [.. ordered.Select(o => options.Level == MatchLevel.PGroup
            ? new Haplotype([.. o.V.Select(v => HlaName.Parse(v))])
            : o.H)];
        _values = [.. ordered.Select(o => o.V)];
        _f = [.. ordered.Select(o => o.F)];
        _byHaplotype = [];
        for (var i = 0; i < _haplotypes.Length; i++)
        {
            _byHaplotype[_haplotypes[i]] = _values[i];
        }

        Source = set.Source;
    }

    /// <summary>The largest number of diplotypes kept per patient; a typing with more is truncated to the heaviest and says so.</summary>
    public int MaxDiplotypes { get; }

    /// <summary>The frequency set the probabilities come from.</summary>
    public string Source { get; }

    /// <summary>The reference-file release used (P groups, MACs, serology), or null when none.</summary>
    public string? ReferenceVersion => _matcher.Options.ReferenceVersion;

    /// <summary>The diplotypes of the set consistent with the patient's typing (unphased, per locus).</summary>
    public PatientDiplotypes Expand(HlaTyping patient)
    {
        var values = _matcher.Values(patient);
        var n = _haplotypes.Length;
        var loci = values.Length;

        // A haplotype can take part only if each of its alleles may be one of the patient's.
        var candidates = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var ok = true;
            for (var l = 0; l < loci && ok; l++)
            {
                ok = values[l] is not { } v || v.AllValues.Any(x => HlaLevelMapper.PossiblyEqual(x, _values[i][l]));
            }

            if (ok)
            {
                candidates.Add(i);
            }
        }

        var found = new List<(int I, int J, double W)>();
        for (var a = 0; a < candidates.Count; a++)
        {
            var i = candidates[a];
            for (var b = a; b < candidates.Count; b++)
            {
                var j = candidates[b];
                if (Consistent(values, i, j))
                {
                    found.Add((i, j, _f[i] * _f[j] * (i == j ? 1 : 2)));
                }
            }
        }

        var kept = found.OrderByDescending(d => d.W).ThenBy(d => d.I).ThenBy(d => d.J).Take(MaxDiplotypes)
            .Select(d => new Diplotype(_haplotypes[d.I], _haplotypes[d.J], d.W)).ToImmutableArray();
        return new PatientDiplotypes(kept, found.Count, found.Count > MaxDiplotypes);
    }

    /// <summary>P(HvG-compatible with the graft); null when the patient is unrepresented.</summary>
    public double? Probability(PatientDiplotypes patient, HlaTyping graft) => Probability(patient, [graft]);

    /// <summary>P(HvG-compatible with at least one of the grafts, e.g. the whole bank); null when unrepresented.</summary>
    public double? Probability(PatientDiplotypes patient, IReadOnlyList<HlaTyping> grafts)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(grafts);
        if (patient.Unrepresented)
        {
            return null;
        }

        var graftValues = grafts.Select(g => _matcher.Values(g)).ToList();
        var ok = 0.0;
        foreach (var d in patient.Diplotypes)
        {
            var h1 = Values(d.First);
            var h2 = Values(d.Second);
            if (graftValues.Any(g => HvgOk(g, h1, h2)))
            {
                ok += d.Weight;
            }
        }

        return ok / patient.TotalWeight;
    }

    private string[] Values(Haplotype h) => _byHaplotype[h];

    /// <summary>
    /// HvG-ok: at every matching locus, every value the graft may have is certainly one of the
    /// diplotype's two (an untyped or ambiguous graft counts only when all its readings pass).
    /// </summary>
    private static bool HvgOk(ImmutableArray<LocusValues?> graft, string[] h1, string[] h2)
    {
        for (var l = 0; l < graft.Length; l++)
        {
            if (graft[l] is not { } g)
            {
                return false;
            }

            foreach (var v in g.AllValues)
            {
                if (!HlaLevelMapper.CertainlyEqual(v, h1[l]) && !HlaLevelMapper.CertainlyEqual(v, h2[l]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool Consistent(ImmutableArray<LocusValues?> patient, int i, int j)
    {
        for (var l = 0; l < patient.Length; l++)
        {
            if (patient[l] is not { } p)
            {
                continue;
            }

            var a = _values[i][l];
            var b = _values[j][l];
            var ok = false;
            foreach (var alt in p.Alternatives)
            {
                if ((Admits(alt.First, a) && Admits(alt.Second, b)) || (Admits(alt.First, b) && Admits(alt.Second, a)))
                {
                    ok = true;
                    break;
                }
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Admits(ImmutableArray<string> options, string value)
    {
        foreach (var o in options)
        {
            if (HlaLevelMapper.PossiblyEqual(o, value))
            {
                return true;
            }
        }

        return false;
    }
}
