using System.Collections.Concurrent;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Planning;

namespace RadRegen.Hosting.Bank;

/// <summary>The bank's coverage of a population and the plan of what to recruit next.</summary>
/// <param name="Population">Frequency set (NMDP 2007: API, CAU, AFA, HIS).</param>
/// <param name="Haplotypes">Haplotypes of the set at A~B~DRB1, two fields.</param>
/// <param name="Lines">The bank's released homozygous lines, most frequent haplotype first.</param>
/// <param name="Coverage">Cis and trans coverage after each line, in that order.</param>
/// <param name="Plan">RadRegen.Hla's plan for a bank of the same size plus ten (frequency order and greedy).</param>
/// <param name="RecruitNext">Haplotypes in the greedy plan that the bank lacks, in plan order.</param>
public sealed record HaplobankResult(
    string Population,
    int Haplotypes,
    IReadOnlyList<HaplobankLine> Lines,
    CoverageReport Coverage,
    HaplobankPlan Plan,
    IReadOnlyList<CoverageRow> RecruitNext);

/// <summary>
/// Computes the haplobank view with <c>RadRegen.Hla</c> over the frequency sets embedded from the
/// repository's reference/hla/nmdp-2007: the sets are read, reduced to A~B~DRB1 at two fields and
/// indexed once per process.
/// </summary>
public sealed class HaplobankView(BankService bank)
{
    public static readonly IReadOnlyList<string> Populations = ["API", "CAU", "AFA", "HIS"];

    private static readonly ConcurrentDictionary<string, Lazy<HaplotypeIndex>> Indexes = new(StringComparer.Ordinal);

    public static HaplotypeIndex Index(string population) =>
        Indexes.GetOrAdd(population, p => new Lazy<HaplotypeIndex>(() =>
        {
            using var stream = typeof(HaplobankView).Assembly.GetManifestResourceStream($"hla/HEGL_{p}.csv")
                ?? throw new InvalidOperationException($"frequency set {p} is not embedded");
            using var reader = new StreamReader(stream);
            var set = HaplotypeFrequencyReader.Read(reader, $"HEGL_{p}.csv");
            return new HaplotypeIndex(set.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField).Set);
        })).Value;

    public async Task<HaplobankResult> ComputeAsync(Actor actor, string? population, int extra = 10, CancellationToken ct = default)
    {
        var p = Populations.FirstOrDefault(x => string.Equals(x, population?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? (string.IsNullOrWhiteSpace(population) ? "API"
                : throw new DomainValidationException("population", $"one of {string.Join(", ", Populations)}"));
        var lines = await bank.HaplobankLinesAsync(actor, ct);
        var index = Index(p);
        var frequency = index.Set.Haplotypes.ToDictionary(h => h.Haplotype, h => h.Frequency);
        var bankLines = lines
            .Select(l => (Line: l, Haplotype: Haplotype.Parse(l.Donor.Haplotype!)))
            .OrderByDescending(x => frequency.GetValueOrDefault(x.Haplotype)).ThenBy(x => x.Haplotype.Name, StringComparer.Ordinal)
            .ToList();
        var coverage = HaplobankCoverage.Evaluate(index, [.. bankLines.Select(x => new BankLine(x.Line.Line.Code, x.Haplotype))]);
        var distinct = bankLines.Select(x => x.Haplotype).ToHashSet();
        var plan = HaplobankPlanner.Plan(index, Math.Max(1, distinct.Count + extra));
        var recruit = plan.Greedy.Rows.Where(r => !distinct.Contains(r.Haplotype)).Take(extra).ToList();
        return new HaplobankResult(p, index.Count, [.. bankLines.Select(x => x.Line)], coverage, plan, recruit);
    }
}
