using System.Collections.Immutable;
using System.Globalization;
using RadRegen.Care.Allocation;
using RadRegen.Hla;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;
using RadRegen.Planning.Approvals;
using RadRegen.Planning.Demand;
using RadRegen.Planning.Plans;
using RadRegen.Planning.Scenarios;
using RadRegen.Planning.Supply;

namespace RadRegen.Planning.Readiness;

/// <summary>Per product: stock, demand, days of cover and approval.</summary>
/// <param name="DaysOfCover">Days from day 0 that this center's shelf covers the demand (issued first-expiring-first); the horizon when it covers all.</param>
public sealed record ProductReadiness(string Product, double DemandVials, int ShelfVials, int NetworkVials, int DaysOfCover, double ShelfScore,
    double NetworkScore, double PlanScore, ProductApproval? Approval);

/// <summary>Haplotype demand and whether the stock has a line of it.</summary>
/// <param name="Patients">Eligible patients expected to carry the haplotype (count × (1 − (1 − f)²), Hardy–Weinberg).</param>
public sealed record HlaDemand(string Haplotype, double Frequency, double Patients, int StockVials);

/// <summary>The stock's HLA coverage of the population.</summary>
/// <param name="Population">The frequency set the center chose.</param>
/// <param name="CisCoverage">Share of patients carrying a haplotype of some stock line (haplobank coverage, reference/hla/README.md).</param>
public sealed record HlaReadiness(string Population, int StockLines, double CisCoverage, IReadOnlyList<HlaDemand> TopHaplotypes);

/// <summary>Vials expiring in one month.</summary>
public sealed record ExpiryMonth(string Month, int LocalVials, int NetworkVials);

/// <summary>
/// A scenario's readiness: demand per day and product, the shelf, the plan, and the scores.
/// </summary>
/// <param name="Shelf">The plan from this center's shelf alone (its score: the share of the demand curve met on time from stock on the shelf).</param>
/// <param name="Network">… with other centers' shareable stock requested.</param>
/// <param name="Plan">… with the plan's production too.</param>
/// <param name="Rotation">Near-expiry vials the plan does not use: rotate into routine use or to a center that can use them (vendor-managed rotation).</param>
public sealed record ReadinessReport(Scenario Scenario, int? Percentile, DateTimeOffset At, int WarningDays, ScenarioDemand Demand, PlanResult Shelf, PlanResult Network,
    PlanResult Plan, IReadOnlyList<ProductReadiness> Products, HlaReadiness? Hla, IReadOnlyList<ExpiryMonth> Expiring, IReadOnlyList<string> Rotation,
    IReadOnlyList<string> Assumptions)
{
    public double ShelfScore => Shelf.Score;

    public double NetworkScore => Network.Score;

    public double PlanScore => Plan.Score;
}

/// <summary>Computes a <see cref="ReadinessReport"/>.</summary>
public static class ReadinessCalculator
{
    /// <summary>Months of expiry shown ("doses expiring in the next months").</summary>
    public const int ExpiryMonths = 6;

    public static ReadinessReport Compute(Scenario scenario, int? percentile, PriorityPolicy policy, DemandProfile profile, IReadOnlyList<StockLot> stock,
        IReadOnlyList<ManufacturingCapacity> capacities, DateTimeOffset now, PlanOptions options, (string Name, HaplotypeIndex Index)? population = null,
        bool crisisStandards = true, int horizonDays = DemandCalculator.DefaultHorizonDays)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(stock);
        ArgumentNullException.ThrowIfNull(capacities);
        ArgumentNullException.ThrowIfNull(options);
        var demand = DemandCalculator.Compute(scenario, percentile, policy, profile, crisisStandards, horizonDays, now);
        var shelf = PlanSolver.Solve(demand, stock, capacities, now, options with { UseNetwork = false, UseProduction = false, IntegerRuns = false });
        var network = PlanSolver.Solve(demand, stock, capacities, now, options with { UseNetwork = true, UseProduction = false, IntegerRuns = false });
        var plan = PlanSolver.Solve(demand, stock, capacities, now, options with { UseNetwork = true, UseProduction = true });
        var products = demand.ByProduct.Keys.Concat(stock.Select(s => s.Product)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(p =>
            new ProductReadiness(p, demand.Total(p), stock.Where(s => s.Local && s.Product == p).Sum(s => s.Vials),
                stock.Where(s => !s.Local && s.Product == p).Sum(s => s.Vials), DaysOfCover(demand, stock, p, now.AddDays(options.WarningDays)),
                ProductScore(shelf, demand, p), ProductScore(network, demand, p), ProductScore(plan, demand, p), ApprovalRegistry.For(p))).ToList();
        var onset = now.AddDays(options.WarningDays);
        var rotation = plan.Lots
            .Where(l => l.Expiry < onset.AddDays(horizonDays + 60) && l.Used < l.Vials - 0.5)
            .OrderBy(l => l.Expiry)
            .Select(l => string.Create(CultureInfo.InvariantCulture,
                $"{l.Vials - (int)Math.Floor(l.Used + 1e-6)} vial(s) of {l.Product} in {l.Ref} expire {l.Expiry:yyyy-MM-dd} unused by the plan: rotate them into routine use or to a center that can use them before they expire (vendor-managed rotation)"))
            .ToList();
        var assumptions = new List<string>(profile.Describe())
        {
            crisisStandards
                ? "Crisis standards (ADR 0015): patients meeting the expectant criteria get palliative and supportive care, no scarce cell products, and are not in the demand."
                : "Conventional standards: no one is expectant.",
        };
        assumptions.AddRange(capacities.Select(c => $"{c.Product} manufacturing: {c.Source}"));
        return new ReadinessReport(scenario, demand.Percentile, now, options.WarningDays, demand, shelf, network, plan, products,
            population is { } pop ? Hla(pop.Name, pop.Index, demand, stock) : null, Expiring(stock, now), rotation, assumptions);
    }

    private static double ProductScore(PlanResult plan, ScenarioDemand demand, string product)
    {
        double due = 0, onTime = 0;
        foreach (var served in plan.Cohorts)
        {
            var cohort = demand.Cohorts.First(c => c.BandKey == served.BandKey && c.Picture == served.Picture);
            var vials = cohort.Needs.Where(n => n.Product == product).Sum(n => n.ByDay.Sum());
            due += served.Patients * vials;
            onTime += served.Served * vials;
        }

        return due <= 0 ? 1 : onTime / due;
    }

    /// <summary>
    /// Days the shelf covers: this center's lots, issued first-expiring-first each day to the vials
    /// due that day (a lot is usable before its expiry day); the last day before the first shortfall.
    /// </summary>
    public static int DaysOfCover(ScenarioDemand demand, IReadOnlyList<StockLot> stock, string product, DateTimeOffset onset)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(stock);
        if (!demand.ByProduct.TryGetValue(product, out var due))
        {
            return demand.HorizonDays;
        }

        var lots = stock.Where(s => s.Local && s.Product == product)
            .Select(s => (Last: (int)Math.Ceiling((s.Expiry - onset).TotalDays) - 1, Left: (double)s.Vials))
            .OrderBy(s => s.Last).ToArray();
        for (var t = 0; t <= demand.HorizonDays; t++)
        {
            var need = due[t];
            for (var i = 0; i < lots.Length && need > 1e-9; i++)
            {
                if (lots[i].Last < t)
                {
                    continue;
                }

                var take = Math.Min(need, lots[i].Left);
                lots[i].Left -= take;
                need -= take;
            }

            if (need > 1e-9)
            {
                return t;
            }
        }

        return demand.HorizonDays;
    }

    /// <summary>Vials expiring in each of the next <see cref="ExpiryMonths"/> calendar months (UTC).</summary>
    public static IReadOnlyList<ExpiryMonth> Expiring(IReadOnlyList<StockLot> stock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stock);
        var first = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            .. Enumerable.Range(0, ExpiryMonths).Select(i =>
            {
                var from = first.AddMonths(i);
                var to = from.AddMonths(1);
                bool In(StockLot s) => s.Expiry >= from && s.Expiry < to && s.Expiry > now;
                return new ExpiryMonth(from.ToString("yyyy-MM", CultureInfo.InvariantCulture), stock.Where(s => s.Local && In(s)).Sum(s => s.Vials),
                    stock.Where(s => !s.Local && In(s)).Sum(s => s.Vials));
            }),
        ];
    }

    /// <summary>
    /// HLA demand and the stock's coverage: a homozygous line matches a patient carrying its
    /// haplotype (haplobank coverage, reference/hla/README.md); patients carrying a haplotype of
    /// frequency f are count × (1 − (1 − f)²) under Hardy–Weinberg.
    /// </summary>
    public static HlaReadiness Hla(string population, HaplotypeIndex index, ScenarioDemand demand, IReadOnlyList<StockLot> stock)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(stock);
        var byHaplotype = new Dictionary<Haplotype, int>();
        foreach (var lot in stock)
        {
            if (HomozygousHaplotype(lot.LineHla, index.Loci) is { } h)
            {
                byHaplotype[h] = byHaplotype.GetValueOrDefault(h) + lot.Vials;
            }
        }

        var frequencies = index.Set.Haplotypes.ToDictionary(x => x.Haplotype, x => x.Frequency);
        var sum = byHaplotype.Keys.Sum(frequencies.GetValueOrDefault);
        var patients = demand.EligiblePatients;
        var top = index.Set.Haplotypes.Take(10)
            .Select(x => new HlaDemand(x.Haplotype.Name, x.Frequency, patients * (1 - ((1 - x.Frequency) * (1 - x.Frequency))), byHaplotype.GetValueOrDefault(x.Haplotype)))
            .ToList();
        return new HlaReadiness(population, byHaplotype.Count, HaplobankCoverage.Cis(sum), top);
    }

    /// <summary>The haplotype of a homozygous line's GL String (<c>HLA-A*01:01+HLA-A*01:01^…</c>) at the index's loci, two fields; null otherwise.</summary>
    public static Haplotype? HomozygousHaplotype(string? gl, ImmutableArray<HlaLocus> loci)
    {
        if (string.IsNullOrWhiteSpace(gl))
        {
            return null;
        }

        try
        {
            var alleles = new Dictionary<HlaLocus, HlaName>();
            foreach (var locus in gl.Split('^'))
            {
                var pair = locus.Split('+');
                if (pair.Length != 2)
                {
                    return null;
                }

                var a = HlaName.Parse(Strip(pair[0])).ReduceTo(AlleleResolution.TwoField);
                var b = HlaName.Parse(Strip(pair[1])).ReduceTo(AlleleResolution.TwoField);
                if (a != b)
                {
                    return null;
                }

                alleles[a.Locus] = a;
            }

            return loci.All(alleles.ContainsKey) ? new Haplotype([.. loci.Select(l => alleles[l])]) : null;
        }
        catch (HlaInputException)
        {
            return null;
        }
    }

    private static string Strip(string s) => s.Trim().StartsWith("HLA-", StringComparison.Ordinal) ? s.Trim()[4..] : s.Trim();
}
