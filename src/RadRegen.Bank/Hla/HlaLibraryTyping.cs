using System.Collections.Concurrent;
using RadRegen.Core;
using RadRegen.Hla;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Bank.Hla;

/// <summary>
/// The bank's HLA port on <c>RadRegen.Hla</c>: GL Strings parsed and normalised by the library,
/// homozygosity at the default matching loci (A, B, DRB1) at two fields, and HvG compatibility by
/// <see cref="HlaMatcher"/> (worst case over ambiguity: compatible whatever the ambiguity hides).
/// </summary>
public sealed class HlaLibraryTyping : IHlaTyping
{
    private readonly HlaMatcher _matcher = new(MatchOptions.Default);
    private readonly ConcurrentDictionary<string, HlaTyping> _parsed = new(StringComparer.Ordinal);

    public bool Available => true;

    public HlaTypingAnalysis Analyze(string glString)
    {
        var typing = Parse(glString, "hlaGl");
        bool? homozygous;
        string? haplotype = null;
        if (HlaLoci.DefaultMatchingLoci.Any(l => typing[l] is null || typing[l]!.IsAmbiguous))
        {
            homozygous = null; // a matching locus untyped or ambiguous: not known
        }
        else
        {
            try
            {
                haplotype = HomozygousLines.ToHaplotype(typing, HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField).Name;
                homozygous = true;
            }
            catch (HlaInputException)
            {
                homozygous = false;
            }
        }

        return new HlaTypingAnalysis(typing.GlString.ToString(), homozygous, haplotype);
    }

    /// <remarks>
    /// A donor typing stored before entry refused what the matcher cannot handle (a MAC code or
    /// serological antigen without the operator's files; issue 12 item 5) is not compatible: nothing
    /// can be said about it, and compatibility must hold whatever the typing hides.
    /// </remarks>
    public bool IsCompatible(string donorGlString, string patientGlString) =>
        TypingAcceptance.WhyNotMatchable(donorGlString, _matcher) is null
        && _matcher.Match("graft", Parse(patientGlString, "compatibleWith"), Parse(donorGlString, "hlaGl")).HvgCompatible;

    private HlaTyping Parse(string glString, string field)
    {
        var gl = (glString ?? "").Trim();
        if (_parsed.TryGetValue(gl, out var cached))
        {
            return cached;
        }

        try
        {
            var typing = HlaTyping.Parse(gl);

            // One rule at every entry point: accepted only if the matcher can handle it as entered.
            if (TypingAcceptance.WhyNotMatchable(typing, _matcher) is { } reason)
            {
                throw new DomainValidationException(field, reason);
            }

            if (_parsed.Count < 100_000)
            {
                _parsed[gl] = typing;
            }

            return typing;
        }
        catch (HlaInputException ex)
        {
            throw new DomainValidationException(field, $"not a valid GL String: {ex.Message}");
        }
    }
}
