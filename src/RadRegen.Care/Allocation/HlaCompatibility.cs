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
public sealed class HlaCompatibility(HlaMatcher matcher, int maxHvgMismatches = 2) : ICompatibility
{
    private readonly ConcurrentDictionary<string, HlaTyping?> _typings = new(StringComparer.Ordinal);

    public int MaxHvgMismatches { get; } = maxHvgMismatches;

    public static HlaCompatibility Default { get; } = new(new HlaMatcher(MatchOptions.Default));

    public PairScore Score(AllocationRequest request, string lineId, string? lineHla)
    {
        ArgumentNullException.ThrowIfNull(request);
        var patient = Typing(request.HlaTyping);
        var line = Typing(lineHla);
        if (patient is null || line is null)
        {
            var loci = matcher.Options.Loci.Length;
            var hvgUnknown = 2 * loci;
            return new PairScore(1.0 / (1 + hvgUnknown), hvgUnknown <= MaxHvgMismatches,
                patient is null ? "patient not HLA-typed: counted as fully mismatched" : "line not HLA-typed: counted as fully mismatched");
        }

        var m = matcher.Match(lineId, patient, line);
        var score = 1.0 / (1 + m.HvgMismatches);
        if (request.ContainsImmuneCells)
        {
            score /= 1 + m.GvhMismatches;
        }

        var text = $"HvG {m.HvgMismatches}" + (request.ContainsImmuneCells ? $", GvH {m.GvhMismatches}" : "") + $": {m.Explanation}";
        return new PairScore(score, m.HvgMismatches <= MaxHvgMismatches, text);
    }

    private HlaTyping? Typing(string? gl) =>
        string.IsNullOrWhiteSpace(gl) ? null : _typings.GetOrAdd(gl, static g =>
        {
            try
            {
                return HlaTyping.Parse(g);
            }
            catch (HlaInputException)
            {
                return null;
            }
        });
}
