using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Matching;

/// <summary>
/// The one rule for a typing entering RadRegen (patient registration, victims import, donor
/// registration and import, the patient's HLA form): a typing is accepted only if the matcher can
/// handle it as entered. Every name at every typed locus must map at the matcher's level with the
/// reference files it has: allele names and XX codes always do; NMDP MAC codes (<c>A*24:MDP</c>),
/// serological antigens (<c>B2535</c>, <c>A24</c>) and G/P groups need the operator's NMDP MAC file
/// or IPD-IMGT/HLA WMDA files (reference/hla/README.md "Nomenclature and files"). Without them the
/// typing is refused with what is wrong and what to do, instead of being stored and failing later
/// on the patient page or in matching (issue 12 item 5).
/// </summary>
public static class TypingAcceptance
{
    /// <summary>An example of what to enter instead of a code or antigen (a GL String of allele names).</summary>
    public const string Example = "HLA-A*24:02+HLA-A*02:01^HLA-B*35:01+HLA-B*07:02";

    /// <summary>
    /// Parses <paramref name="glString"/> and checks that <paramref name="matcher"/> can handle every
    /// name in it.
    /// </summary>
    /// <returns>The typing.</returns>
    /// <exception cref="HlaInputException">Not a GL String, or a name the matcher cannot resolve (the message says which and what to enter instead).</exception>
    public static HlaTyping Read(string glString, HlaMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(glString);
        ArgumentNullException.ThrowIfNull(matcher);
        var typing = HlaTyping.Parse(glString.Trim());
        if (WhyNotMatchable(typing, matcher) is { } reason)
        {
            throw new HlaInputException(reason);
        }

        return typing;
    }

    /// <summary>
    /// Why <paramref name="matcher"/> cannot handle a stored GL String (not a GL String, or a name it
    /// cannot resolve), or null when it can. For typings stored before the rule: shown as
    /// "cannot be matched: reason" instead of failing.
    /// </summary>
    public static string? WhyNotMatchable(string? glString, HlaMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        if (string.IsNullOrWhiteSpace(glString))
        {
            return null;
        }

        try
        {
            return WhyNotMatchable(HlaTyping.Parse(glString.Trim()), matcher);
        }
        catch (HlaInputException ex)
        {
            return "not a valid GL String: " + ex.Message;
        }
    }

    /// <summary>Why <paramref name="matcher"/> cannot handle the first name it cannot resolve in <paramref name="typing"/>, or null when it can handle them all.</summary>
    public static string? WhyNotMatchable(HlaTyping typing, HlaMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(typing);
        ArgumentNullException.ThrowIfNull(matcher);
        var mapper = matcher.Options.Mapper;
        var level = matcher.Options.Level;
        foreach (var locus in typing.Loci.Values)
        {
            foreach (var genotype in locus.Alternatives)
            {
                foreach (var name in genotype.First.Alleles.Concat(genotype.Second.Alleles))
                {
                    try
                    {
                        _ = mapper.Map(name, level);
                    }
                    catch (HlaInputException ex)
                    {
                        return Reason(name, mapper.Reference, ex);
                    }
                }
            }
        }

        return null;
    }

    private static string Reason(HlaName name, ReferenceFiles.HlaReferenceData? reference, HlaInputException ex)
    {
        var instead = $"; enter the alleles as a GL String, e.g. {Example}";
        return name.Kind switch
        {
            HlaNameKind.Mac when reference?.Macs is null =>
                $"MAC code {name} cannot be resolved: the operator has not loaded an NMDP MAC file{instead}",
            HlaNameKind.Serology when reference?.DnaSerology is null =>
                $"serological antigen {name} cannot be resolved: the operator has not loaded the WMDA file rel_dna_ser.txt{instead}",
            HlaNameKind.GGroup when reference?.GGroups is null =>
                $"G group {name} cannot be resolved: the operator has not loaded the WMDA file hla_nom_g.txt{instead}",
            HlaNameKind.PGroup when reference?.PGroups is null =>
                $"P group {name} cannot be resolved: the operator has not loaded the WMDA file hla_nom_p.txt{instead}",
            HlaNameKind.Mac => $"MAC code {name} cannot be resolved: {ex.Reason}{instead}",
            HlaNameKind.Serology => $"serological antigen {name} cannot be resolved: {ex.Reason}{instead}",
            // An allele or XX code fails only at a level that needs a file (P groups without hla_nom_p).
            HlaNameKind.Allele or HlaNameKind.XxCode => $"{name} cannot be mapped at this match level: {ex.Reason}",
            _ => $"{name} cannot be resolved: {ex.Reason}{instead}",
        };
    }
}
