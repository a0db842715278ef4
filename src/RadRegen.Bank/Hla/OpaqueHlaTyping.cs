using RadRegen.Core;

namespace RadRegen.Bank.Hla;

/// <summary>
/// Until <c>RadRegen.Hla</c> is part of the build: keeps the GL String as entered (after a length
/// check), knows nothing about homozygosity, and cannot judge compatibility.
/// </summary>
public sealed class OpaqueHlaTyping : IHlaTyping
{
    public bool Available => false;

    public HlaTypingAnalysis Analyze(string glString)
    {
        var gl = (glString ?? "").Trim();
        if (gl.Length is 0 or > 2000 || gl.Any(char.IsWhiteSpace))
        {
            throw new DomainValidationException("hlaGl", "a GL String is one line without spaces (e.g. A*24:02+A*24:02^B*52:01+B*52:01)");
        }

        return new HlaTypingAnalysis(gl, null, null);
    }

    public bool IsCompatible(string donorGlString, string patientGlString) =>
        throw new RuleViolationException("HLA compatibility needs the HLA library");
}
