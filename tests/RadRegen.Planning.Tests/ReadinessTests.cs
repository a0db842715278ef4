using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core.Reporting;
using RadRegen.Hla.Nomenclature;
using RadRegen.Planning.Approvals;
using RadRegen.Planning.Demand;
using RadRegen.Planning.Plans;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;
using RadRegen.Planning.Supply;

namespace RadRegen.Planning.Tests;

public sealed class ReadinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static ReadinessReport Report() => ReadinessCalculator.Compute(PublishedScenarios.ColemanKnebel2015, 50, PriorityPolicy.Default, DemandProfile.Default,
        [new StockLot("L1", SeedCatalogue.PlateletsCode, "LINE-1", "HLA-A*01:01+HLA-A*01:01^HLA-B*08:01+HLA-B*08:01^HLA-DRB1*03:01+HLA-DRB1*03:01", "Hub", 40, Now.AddDays(45))],
        ManufacturingCapacity.Defaults, Now, new PlanOptions());

    [Fact]
    public void The_pdf_document_carries_scores_charts_plan_and_assumptions()
    {
        var r = Report();
        var doc = ReadinessDocument.Build(r, "Test center", "2026-11-01 09:00 JST");
        Assert.Equal("Readiness summary", doc.Title);
        var blocks = doc.Sections.SelectMany(s => s.Blocks).ToList();
        var charts = blocks.OfType<ReportLineChart>().ToList();
        Assert.Equal(r.Demand.ByProduct.Count, charts.Count);
        Assert.All(charts, c => Assert.Equal(31, c.XLabels.Count));
        Assert.Contains(blocks.OfType<ReportFacts>().SelectMany(f => f.Facts), f => f.Label == "With the plan (production)");
        Assert.Contains(doc.Sections, s => s.Heading == "Assumptions");
        Assert.Contains(blocks.OfType<ReportParagraph>(), p => p.Text.StartsWith("Binds: ", StringComparison.Ordinal));
        Assert.Contains(blocks.OfType<ReportTable>().SelectMany(t => t.Rows), row => row.Contains("investigational"));
    }

    [Fact]
    public void A_homozygous_line_gives_its_haplotype_and_a_heterozygous_one_none()
    {
        var loci = HlaLoci.DefaultMatchingLoci;
        var h = ReadinessCalculator.HomozygousHaplotype("HLA-A*01:01:01+HLA-A*01:01^HLA-B*08:01+HLA-B*08:01^HLA-DRB1*03:01+HLA-DRB1*03:01", loci);
        Assert.Equal("A*01:01~B*08:01~DRB1*03:01", h?.Name);
        Assert.Null(ReadinessCalculator.HomozygousHaplotype("HLA-A*01:01+HLA-A*02:01^HLA-B*08:01+HLA-B*08:01^HLA-DRB1*03:01+HLA-DRB1*03:01", loci));
        Assert.Null(ReadinessCalculator.HomozygousHaplotype(null, loci));
    }

    [Fact]
    public void The_2026_approvals_are_conditional_for_seven_years_with_the_published_patient_numbers()
    {
        var reheart = ApprovalRegistry.Japan2026.Single(a => a.Name.StartsWith("ReHeart", StringComparison.Ordinal));
        Assert.Equal((new DateOnly(2026, 3, 6), new DateOnly(2033, 3, 6), 75), (reheart.ApprovedOn!.Value, reheart.PeriodEnds!.Value, reheart.PatientsStillNeeded!.Value));
        Assert.Equal(35, ApprovalRegistry.Japan2026.Single(a => a.Name.StartsWith("Amchepry", StringComparison.Ordinal)).PatientsRequired);
        Assert.Equal(ApprovalStatus.Investigational, ApprovalRegistry.For(SeedCatalogue.PlateletsCode)!.Status);
        Assert.Contains("75 patients still needed", reheart.Badge, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incidents_victims_become_counts_per_dose_band_and_rc()
    {
        var policy = PriorityPolicy.Default;
        var incident = new Incident(7, "I-7", "Drill at the port", IncidentKind.NuclearDetonation, Now, "port", [], Now, 1, Drill: true);
        Patient P(long id, bool burns) => new(id, 7, "P" + id, 40, Sex.Female, 60, Now, 0, ExposureRoute.External, false, burns, false, null, Now, 1);
        PatientAssessment A(long id, double dose, int rc) => new(id, 1, Now, 1, "red", rc, dose, null, null, [], [], [], []);
        var s = DerivedScenarios.FromIncident(incident, [P(1, false), P(2, false), P(3, true), P(4, false)], [A(1, 7, 4), A(2, 7.5, 4), A(3, 3, 3)], policy, Now);
        Assert.Empty(s.Problems());
        Assert.Equal(ScenarioKind.Derived, s.Kind);
        Assert.Equal(4, s.Total(null));
        var severe = s.Bands.Single(b => b.ResponseCategory == 4);
        Assert.Equal((6.0, 8.0, 2), (severe.DoseFromGy!.Value, severe.DoseToGy!.Value, severe.Counts[0]));
        Assert.Single(s.Bands, b => b.Injury == InjuryKind.Combined && b.Counts[0] == 1);
        Assert.Single(s.Bands, b => b.DoseFromGy is null && b.Counts[0] == 1); // not assessed: counted, no need planned
        var demand = DemandCalculator.Compute(s, null, policy, DemandProfile.Default);
        Assert.True(demand.Total(SeedCatalogue.PlateletsCode) > 0);
    }
}
