using System.Collections.Immutable;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Coverage;

/// <summary>Turns typings of homozygous lines into the haplotypes coverage works with.</summary>
public static class HomozygousLines
{
    /// <summary>
    /// The line's haplotype at <paramref name="loci"/> and <paramref name="resolution"/>. Each locus
    /// must be typed with one genotype of two identical alleles at that resolution; a heterozygous,
    /// ambiguous or missing locus is an error naming the locus.
    /// </summary>
    public static Haplotype ToHaplotype(HlaTyping typing, IReadOnlyList<HlaLocus> loci, AlleleResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(typing);
        ArgumentNullException.ThrowIfNull(loci);
        var names = ImmutableArray.CreateBuilder<HlaName>(loci.Count);
        foreach (var locus in loci)
        {
            var t = typing[locus] ?? throw HlaInputException.AtToken($"the line has no {locus.Name()} typing", typing.ToString(), 0);
            if (t.Alternatives.Length != 1 || t.Alternatives[0].First.Alleles.Length != 1 || t.Alternatives[0].Second.Alleles.Length != 1)
            {
                throw HlaInputException.AtToken($"ambiguous at {locus.Name()}: a homozygous line must be typed unambiguously", t.ToString(), 0);
            }

            var a = t.Alternatives[0].First.Alleles[0].ReduceTo(resolution);
            var b = t.Alternatives[0].Second.Alleles[0].ReduceTo(resolution);
            if (a != b)
            {
                throw HlaInputException.AtToken($"heterozygous at {locus.Name()} ({a}+{b}): a homozygous line is required", t.ToString(), 0);
            }

            names.Add(a);
        }

        return new Haplotype(names.MoveToImmutable());
    }

    /// <summary>Bank lines from subjects; errors name the row and field of the subject.</summary>
    public static ImmutableArray<BankLine> FromSubjects(IEnumerable<SubjectTyping> subjects, IReadOnlyList<HlaLocus> loci, AlleleResolution resolution, string source)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var lines = ImmutableArray.CreateBuilder<BankLine>();
        foreach (var s in subjects)
        {
            try
            {
                lines.Add(new BankLine(s.Id, ToHaplotype(s.Typing, loci, resolution)));
            }
            catch (HlaInputException ex)
            {
                throw ex.InFile(source, s.Row, "typing");
            }
        }

        return lines.ToImmutable();
    }
}
