namespace RadRegen.Bank.Hla;

/// <summary>What the bank needs to know about a donor's HLA typing.</summary>
/// <param name="GlString">The typing as a GL String, normalised.</param>
/// <param name="Homozygous">Whether the two haplotypes are identical at every typed locus (null: not known).</param>
/// <param name="Haplotype">The haplotype of a homozygous donor (<c>A*24:02~B*52:01~DRB1*15:02</c>), else null.</param>
public sealed record HlaTypingAnalysis(string GlString, bool? Homozygous, string? Haplotype);

/// <summary>
/// The bank's port onto <c>RadRegen.Hla</c>: reading a typing and judging compatibility. The bank
/// never parses HLA itself.
/// </summary>
public interface IHlaTyping
{
    /// <summary>Whether HLA analysis (homozygosity, compatibility) is available.</summary>
    bool Available { get; }

    /// <summary>Reads a GL String; throws DomainValidationException on a malformed one.</summary>
    HlaTypingAnalysis Analyze(string glString);

    /// <summary>Host-versus-graft compatibility: every donor antigen is present in the patient.</summary>
    bool IsCompatible(string donorGlString, string patientGlString);
}
