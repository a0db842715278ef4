using System.Collections.Immutable;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Coverage;

/// <summary>A homozygous line of the bank: its haplotype (one allele per matching locus) and an optional id.</summary>
public sealed record BankLine(string? Id, Haplotype Haplotype);

/// <summary>
/// One row of a coverage table: the line added at this rank and the bank's coverage with it.
/// <see cref="Screen"/> is null when the haplotype is absent from the population (1/0²).
/// </summary>
public sealed record CoverageRow(
    int Rank, string? Id, Haplotype Haplotype, double Frequency, double CumulativeCis, double CumulativeTrans, double? Screen);

/// <summary>Coverage of a population by a bank, line by line.</summary>
public sealed record CoverageReport(int Haplotypes, double Cis, double Trans, ImmutableArray<CoverageRow> Rows);

/// <summary>
/// Coverage of a population by homozygous lines (reference/hla/README.md, "Coverage of a
/// population by a bank of homozygous lines"). Exact, not sampled.
/// </summary>
public static class HaplobankCoverage
{
    /// <summary>
    /// Cis (carrier) coverage: 1 − (1 − Σ_{h∈H} f_h)², H the distinct line haplotypes — the share of
    /// people carrying at least one of them under Hardy–Weinberg pairing.
    /// </summary>
    public static double Cis(double sumOfLineFrequencies) => 1 - ((1 - sumOfLineFrequencies) * (1 - sumOfLineFrequencies));

    /// <summary>Donors to screen to find one homozygote of a haplotype with frequency f: 1 / f² (README).</summary>
    public static double? Screen(double frequency) => frequency > 0 ? 1 / (frequency * frequency) : null;

    /// <summary>The top <paramref name="n"/> haplotypes of the set, by frequency, ties by name.</summary>
    public static ImmutableArray<BankLine> TopByFrequency(HaplotypeFrequencySet set, int n)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return [.. set.Haplotypes.Take(n).Select(h => new BankLine(null, h.Haplotype))];
    }

    /// <summary>Cis and trans coverage after each line, in the order given.</summary>
    public static CoverageReport Evaluate(HaplotypeIndex index, IReadOnlyList<BankLine> lines)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(lines);
        var frequencies = index.Set.Haplotypes.ToDictionary(h => h.Haplotype, h => h.Frequency);
        var trans = new TransCoverage(index);
        var counted = new HashSet<Haplotype>();
        var cisSum = 0.0;
        var rows = ImmutableArray.CreateBuilder<CoverageRow>(lines.Count);
        for (var k = 0; k < lines.Count; k++)
        {
            // The line's alleles in the set's locus order, so that a line written A~DRB1~B is
            // recognised as the set's A~B~DRB1 haplotype.
            var line = lines[k] with { Haplotype = InSetOrder(index, lines[k].Haplotype) };
            var f = frequencies.GetValueOrDefault(line.Haplotype);
            if (counted.Add(line.Haplotype))
            {
                cisSum += f;
            }

            trans.Add(line.Haplotype);
            rows.Add(new CoverageRow(k + 1, line.Id, line.Haplotype, f, Cis(cisSum), trans.Covered, Screen(f)));
        }

        return new CoverageReport(index.Count, Cis(cisSum), trans.Covered, rows.MoveToImmutable());
    }

    private static Haplotype InSetOrder(HaplotypeIndex index, Haplotype h) =>
        h.Loci.SequenceEqual(index.Loci)
            ? h
            : new Haplotype([.. index.Loci.Select(l => h[l] ?? throw HlaInputException.AtToken($"the line has no {l.Name()} allele", h.Name, 0))]);

    /// <summary>Trans coverage of the whole bank.</summary>
    public static double Trans(HaplotypeIndex index, IEnumerable<Haplotype> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var trans = new TransCoverage(index);
        foreach (var l in lines)
        {
            trans.Add(l);
        }

        return trans.Covered;
    }
}
