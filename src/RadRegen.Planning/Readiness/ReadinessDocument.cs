using System.Globalization;
using RadRegen.Core.Reporting;

namespace RadRegen.Planning.Readiness;

/// <summary>The readiness summary as a report document (rendered to PDF by the <see cref="IReportRenderer"/> in DI).</summary>
public static class ReadinessDocument
{
    public static ReportDocument Build(ReadinessReport r, string? issuer, string? generatedAtText)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var days = Enumerable.Range(0, r.Demand.HorizonDays + 1).Select(d => d.ToString(c)).ToList();
        var sections = new List<ReportSection>
        {
            new("Scenario", [
                new ReportFacts([
                    new("Scenario", $"{r.Scenario.Title} ({r.Scenario.Id} v{r.Scenario.Version})"),
                    new("Percentile", r.Percentile is { } p ? p.ToString(c) + "th" : "single estimate"),
                    new("Source", r.Scenario.Source),
                    new("Terms", r.Scenario.Terms),
                    new("Warning before day 0", string.Create(c, $"{r.WarningDays} days")),
                    new("Standards of care", r.Demand.CrisisStandards ? "crisis standards (expectant tier, ADR 0015)" : "conventional"),
                ]),
            ]),
            new("Readiness", [
                new ReportFacts([
                    new("From this center's shelf", r.ShelfScore.ToString("P1", c)),
                    new("With the network's stock", r.NetworkScore.ToString("P1", c)),
                    new("With the plan (production)", r.PlanScore.ToString("P1", c)),
                    new("Patients needing cell products", r.Demand.EligiblePatients.ToString("#,0", c)),
                    new("Expectant (palliative and supportive care)", r.Demand.ExpectantPatients.ToString("#,0", c)),
                    new("Patients served with the plan", r.Plan.PatientsServed.ToString("#,0.#", c)),
                ]),
                new ReportParagraph("Score: the share of the demand curve (vials due day by day over the horizon) met within the care policy's treatment windows."),
                new ReportTable(["Product", "Demand (vials)", "Shelf", "Network", "Days of cover", "Shelf", "Plan", "Regulatory status"],
                    [.. r.Products.Select(p => (IReadOnlyList<string>)[p.Product, p.DemandVials.ToString("#,0", c), p.ShelfVials.ToString(c), p.NetworkVials.ToString(c),
                        p.DaysOfCover.ToString(c), p.ShelfScore.ToString("P1", c), p.PlanScore.ToString("P1", c), p.Approval?.Badge ?? "-"])]),
            ]),
        };

        var charts = new List<ReportBlock>();
        foreach (var (product, demand) in r.Demand.ByProduct.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var shelf = r.Shelf.SuppliedByProduct.TryGetValue(product, out var s) ? s : [.. demand.Select(_ => 0.0)];
            var plan = r.Plan.SuppliedByProduct.TryGetValue(product, out var pl) ? pl : [.. demand.Select(_ => 0.0)];
            charts.Add(new ReportLineChart($"{product}: vials due and issued per day", days,
                [new ReportSeries("due", demand), new ReportSeries("from the shelf", shelf), new ReportSeries("with the plan", plan)]) { YLabel = "vials per day" });
        }

        sections.Add(new ReportSection("Demand and supply per day", charts.Count > 0 ? charts : [new ReportParagraph("No cell-product demand in this scenario.")]));
        var plan2 = new List<ReportBlock>
        {
            new ReportParagraph($"Model: {r.Plan.Model}; status {r.Plan.Status}; solved in {r.Plan.SolveMilliseconds.ToString("0", c)} ms."),
        };
        if (r.Plan.Runs.Count > 0)
        {
            plan2.Add(new ReportTable(["Product", "Runs", "Start day", "Release day", "Expected vials"],
                [.. r.Plan.Runs.Select(x => (IReadOnlyList<string>)[x.Product, x.Runs.ToString(c), x.StartDay.ToString(c), x.ReleaseDay.ToString(c), x.ExpectedVials.ToString("0.#", c)])]));
        }

        if (r.Plan.Procurements.Count > 0)
        {
            plan2.Add(new ReportTable(["Center", "Stock", "Product", "Vials", "Arrives day"],
                [.. r.Plan.Procurements.Select(x => (IReadOnlyList<string>)[x.Center, x.StockRef, x.Product, x.Vials.ToString(c), x.ArrivalDay.ToString(c)])]));
        }

        plan2.AddRange(r.Plan.Binding.Select(b => new ReportParagraph("Binds: " + b.Explanation)));
        sections.Add(new ReportSection("Plan", plan2));
        var stock = new List<ReportBlock>
        {
            new ReportTable(["Month", "Expiring here", "Expiring in the network"],
                [.. r.Expiring.Select(e => (IReadOnlyList<string>)[e.Month, e.LocalVials.ToString(c), e.NetworkVials.ToString(c)])]) { Caption = "Vials expiring in the next months" },
        };
        stock.AddRange(r.Rotation.Select(x => new ReportParagraph(x)));
        if (r.Hla is { } hla)
        {
            stock.Add(new ReportParagraph(string.Create(c,
                $"HLA: {hla.StockLines} homozygous line(s) in stock cover {hla.CisCoverage:P1} of the {hla.Population} population (carriers of a stock line's haplotype).")));
            stock.Add(new ReportTable(["Haplotype", "Frequency", "Patients carrying it", "Vials in stock"],
                [.. hla.TopHaplotypes.Select(h => (IReadOnlyList<string>)[h.Haplotype, h.Frequency.ToString("0.####", c), h.Patients.ToString("#,0", c), h.StockVials.ToString(c)])]));
        }

        sections.Add(new ReportSection("Stock, expiry and HLA", stock));
        sections.Add(new ReportSection("Assumptions", [.. r.Assumptions.Select(a => (ReportBlock)new ReportParagraph(a))]));
        return new ReportDocument("Readiness summary", sections)
        {
            Subtitle = r.Scenario.Title,
            Issuer = issuer,
            GeneratedAt = r.At,
            GeneratedAtText = generatedAtText,
        };
    }
}
