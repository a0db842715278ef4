using System.Collections.Concurrent;
using RadRegen.Hla;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Typings;

namespace RadRegen.Care.Allocation;

/// <summary>
/// HLA compatibility of a patient with a line, by <see cref="HlaMatcher"/> (A, B, DRB1 at two fields
/// by default; docs/hla.md): score = 1/(1 + HvG), and for products with immune cells
/// 1/((1 + HvG)(1 + GvH)), HvG and GvH taken in the worst case over the typings' ambiguity. A pair
/// with more than <see cref="MaxHvgMismatches"/> HvG mismatches is not acceptable. An untyped patient
/// or line counts as the matcher's worst case (an untyped locus: 2 mismatches). This is the
/// center's ranking policy (fewer mismatches first, as the matcher ranks), not a published score.
/// </summary>
/// <remarks>
/// Scoring 10,000 patients against a bank's lines compares the same locus genotypes over and over:
/// patients rarely share a whole typing, but they share A, B and DRB1 genotypes, and the lines are
/// few. So each distinct GL String is parsed and reduced to the match level once, each distinct
/// locus genotype gets a small integer, and each distinct (locus, patient genotype, line genotype)
/// is compared once by <see cref="HlaMatcher.CompareLocus"/>; a pair's result is the per-locus
/// results added up — the same counts and explanation as <see cref="HlaMatcher.Match(string, HlaTyping, HlaTyping)"/>
/// (the approach of <see cref="DonorPanel"/>, docs/hla.md). Thread-safe; the caches grow with the
/// distinct typings seen, so use one instance per allocation run or per bank.
/// </remarks>
public sealed class HlaCompatibility(HlaMatcher matcher, int maxHvgMismatches = 2) : ICompatibility
{
    private readonly ConcurrentDictionary<string, ReducedTyping?> _typings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _genotypeIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int Locus, int Patient, int Graft), LocusMatch> _locusMatches = new();
    private int _lastGenotypeId;

    public int MaxHvgMismatches { get; } = maxHvgMismatches;

    public static HlaCompatibility Default { get; } = new(new HlaMatcher(MatchOptions.Default));

    public PairScore Score(AllocationRequest request, string lineId, string? lineHla)
    {
        ArgumentNullException.ThrowIfNull(request);
        var patient = Typing(request.HlaTyping);
        var line = Typing(lineHla);
        if (patient?.Unmatchable is not null || line?.Unmatchable is not null || patient is null || line is null)
        {
            var (untypedScore, untypedAcceptable) = Untyped();
            return new PairScore(untypedScore, untypedAcceptable,
                patient?.Unmatchable is { } p ? $"patient HLA typing cannot be matched: {p}; counted as fully mismatched"
                : patient is null ? "patient not HLA-typed: counted as fully mismatched"
                : line?.Unmatchable is { } l ? $"line HLA typing cannot be matched: {l}; counted as fully mismatched"
                : "line not HLA-typed: counted as fully mismatched");
        }

        int hvg = 0, gvh = 0;
        string? explanation = null;
        for (var l = 0; l < patient.Ids.Length; l++)
        {
            var m = Compare(l, patient, line);
            hvg += m.HvgMax;
            gvh += m.GvhMax;
            if (m.Explanation.Length > 0)
            {
                // As MatchResult.Explanation: the loci with a mismatch, joined by "; ".
                explanation = explanation is null ? m.Explanation : explanation + "; " + m.Explanation;
            }
        }

        var score = 1.0 / (1 + hvg);
        if (request.ContainsImmuneCells)
        {
            score /= 1 + gvh;
        }

        var text = $"HvG {hvg}" + (request.ContainsImmuneCells ? $", GvH {gvh}" : "") + $": {explanation ?? "no mismatch"}";
        return new PairScore(score, hvg <= MaxHvgMismatches, text);
    }

    /// <summary>The score of <see cref="Score"/> without building its explanation.</summary>
    public (double Score, bool Acceptable) Value(AllocationRequest request, string lineId, string? lineHla)
    {
        ArgumentNullException.ThrowIfNull(request);
        var patient = Typing(request.HlaTyping);
        var line = Typing(lineHla);
        if (patient?.Unmatchable is not null || line?.Unmatchable is not null || patient is null || line is null)
        {
            return Untyped();
        }

        int hvg = 0, gvh = 0;
        for (var l = 0; l < patient.Ids.Length; l++)
        {
            var m = Compare(l, patient, line);
            hvg += m.HvgMax;
            gvh += m.GvhMax;
        }

        var score = 1.0 / (1 + hvg);
        if (request.ContainsImmuneCells)
        {
            score /= 1 + gvh;
        }

        return (score, hvg <= MaxHvgMismatches);
    }

    private (double Score, bool Acceptable) Untyped()
    {
        var hvgUnknown = 2 * matcher.Options.Loci.Length;
        return (1.0 / (1 + hvgUnknown), hvgUnknown <= MaxHvgMismatches);
    }

    private LocusMatch Compare(int locus, ReducedTyping patient, ReducedTyping line)
    {
        var key = (locus, patient.Ids[locus], line.Ids[locus]);
        if (!_locusMatches.TryGetValue(key, out var m))
        {
            m = matcher.CompareLocus(locus, patient.Values[locus], line.Values[locus]);
            _locusMatches.TryAdd(key, m);
        }

        return m;
    }

    private ReducedTyping? Typing(string? gl)
    {
        if (string.IsNullOrWhiteSpace(gl))
        {
            return null;
        }

        if (_typings.TryGetValue(gl, out var known))
        {
            return known;
        }

        // A typing the matcher cannot handle (stored before entry refused them, issue 12 item 5:
        // a MAC code or serological antigen without the operator's files) counts as untyped, with the
        // reason, instead of failing the patient page or the allocation run.
        if (TypingAcceptance.WhyNotMatchable(gl, matcher) is { } reason)
        {
            return _typings.GetOrAdd(gl, new ReducedTyping([], [], reason));
        }

        var typing = HlaTyping.Parse(gl.Trim());
        var values = matcher.Values(typing);
        var ids = new int[values.Length];
        for (var l = 0; l < values.Length; l++)
        {
            // 0 stands for an untyped locus; locus values print canonically (sorted, deduplicated).
            ids[l] = values[l] is { } v ? _genotypeIds.GetOrAdd($"{l}:{v}", _ => Interlocked.Increment(ref _lastGenotypeId)) : 0;
        }

        return _typings.GetOrAdd(gl, new ReducedTyping([.. values], ids, null));
    }

    /// <summary>Why the matcher cannot handle a stored typing (<see cref="TypingAcceptance.WhyNotMatchable(string, HlaMatcher)"/>), or null when it can.</summary>
    public string? WhyNotMatchable(string? glString) => TypingAcceptance.WhyNotMatchable(glString, matcher);

    /// <summary>A typing at the match level: each locus's values and their interned id; or, with no values, why it cannot be matched.</summary>
    private sealed record ReducedTyping(LocusValues?[] Values, int[] Ids, string? Unmatchable);
}
