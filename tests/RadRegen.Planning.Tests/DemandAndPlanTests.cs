using System.Diagnostics;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Core;
using RadRegen.Planning.Demand;
using RadRegen.Planning.Plans;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;
using RadRegen.Planning.Supply;

namespace RadRegen.Planning.Tests;

public sealed class DemandAndPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Platelets = SeedCatalogue.PlateletsCode;
    private static readonly string Sheets = SeedCatalogue.KeratinocyteSheetsCode;

    private static ScenarioDemand Demand(Scenario s, int? p = null, bool crisis = true) =>
        DemandCalculator.Compute(s, p, PriorityPolicy.Default, DemandProfile.Default, crisis, at: Now);

    [Fact]
    public void Severe_patients_need_the_care_rules_platelets_repeated_over_the_nadir()
    {
        var d = Demand(PublishedScenarios.ColemanKnebel2015, 95);
        var severe = d.Cohorts.Where(c => c.BandKey == "rad-severe").ToList();
        Assert.All(severe, c => Assert.Equal(4, c.ResponseCategory));
        var need = severe[0].Needs.Single(n => n.Product == Platelets);
        // TriageQueue.Needs: 8 transfusions over an H4 nadir × 3 vials (3e11 per transfusion, 1e11 per vial).
        Assert.Equal(PriorityPolicy.Default.TransfusionsOverNadirH4 * 3, need.VialsPerPatient);
        Assert.Equal(3, need.ByDay[DemandProfile.Default.FirstPlateletDayH4]);
        Assert.Equal(need.VialsPerPatient, need.ByDay.Sum() + need.BeyondHorizon);
        Assert.Equal(1, need.WindowDays); // the policy's 24 h platelet window
        Assert.Equal(12_000, severe.Sum(c => c.Patients), 6);
    }

    [Fact]
    public void Expectant_patients_are_out_of_the_demand_only_under_crisis_standards()
    {
        var crisis = Demand(PublishedScenarios.ColemanKnebel2015, 50);
        var expectant = crisis.Cohorts.Where(c => c.BandKey == "rad-expectant").ToList();
        Assert.All(expectant, c => Assert.Equal(PriorityTier.Expectant, c.Tier));
        Assert.All(expectant, c => Assert.False(c.Eligible));
        Assert.Equal(5_000, crisis.ExpectantPatients, 6);
        var conventional = Demand(PublishedScenarios.ColemanKnebel2015, 50, crisis: false);
        Assert.True(conventional.Total(Platelets) > crisis.Total(Platelets));
        Assert.Equal(0, conventional.ExpectantPatients);
    }

    [Fact]
    public void Trauma_only_and_mild_casualties_need_no_cell_products()
    {
        var d = Demand(PublishedScenarios.ColemanKnebel2015, 85);
        Assert.All(d.Cohorts.Where(c => c.BandKey.StartsWith("trauma", StringComparison.Ordinal)), c => Assert.Empty(c.Needs));
        Assert.All(d.Cohorts.Where(c => c.BandKey == "rad-mild" && !c.Picture.Contains("ulcer", StringComparison.Ordinal)), c => Assert.Empty(c.Needs));
        Assert.True(d.Total(Sheets) > 0); // radiation ulcers (METREPOL ulcer 3) get grafts on the graft day
    }

    [Fact]
    public void Stock_on_the_shelf_serves_patients_until_it_binds()
    {
        var d = Demand(CenterScenarios.OrphanSource);
        var stock = new[] { new StockLot("L1", Platelets, "LINE-1", null, "Hub", 30, Now.AddDays(200)) };
        var plan = PlanSolver.Solve(d, stock, ManufacturingCapacity.Defaults, Now, PlanOptions.ShelfOnly);
        Assert.Equal("OPTIMAL", plan.Status);
        Assert.True(plan.PatientsServed > 0);
        Assert.True(plan.PatientsServed < d.EligiblePatients);
        Assert.Contains(plan.Binding, b => b.Kind == "stock" && b.Product == Platelets);
        Assert.True(plan.Lots.Single().Used <= 30 + 1e-6);
    }

    [Fact]
    public void Expired_stock_serves_no_one_and_shows_in_the_rotation()
    {
        var d = Demand(CenterScenarios.OrphanSource);
        var stock = new[] { new StockLot("L1", Platelets, "LINE-1", null, "Hub", 300, Now.AddDays(5)) };
        var r = ReadinessCalculator.Compute(CenterScenarios.OrphanSource, null, PriorityPolicy.Default, DemandProfile.Default, stock, ManufacturingCapacity.Defaults,
            Now, new PlanOptions());
        Assert.Equal(0, r.Shelf.Lots.Single().Used, 6);
        Assert.Single(r.Rotation);
        Assert.Equal(300, r.Expiring[0].LocalVials);
        Assert.True(r.Products.Single(p => p.Product == Platelets).DaysOfCover <= DemandProfile.Default.FirstPlateletDayH4);
        _ = d;
    }

    [Fact]
    public void Production_helps_only_with_warning_and_the_bioreactor_binds()
    {
        var d = Demand(CenterScenarios.ReactorAccident);
        var none = PlanSolver.Solve(d, [], ManufacturingCapacity.Defaults, Now, new PlanOptions(WarningDays: 0));
        Assert.Contains(none.Binding, b => b.Kind == "lead-time" && b.Product == Platelets);
        Assert.DoesNotContain(none.Runs, r => r.Product == Platelets);
        var warned = PlanSolver.Solve(d, [], ManufacturingCapacity.Defaults, Now, new PlanOptions(WarningDays: 60));
        var runs = warned.Runs.Where(r => r.Product == Platelets).ToList();
        Assert.NotEmpty(runs);
        Assert.True(runs.Sum(r => r.Runs) <= ManufacturingCapacity.Iplat1.VialsOnHand);
        Assert.True(warned.PatientsServed > none.PatientsServed);
        Assert.Contains(warned.Binding, b => b.Kind is "bioreactor-slots" or "cell-bank-vials");
        Assert.Contains(warned.Binding, b => b.Explanation.Contains("bind", StringComparison.Ordinal));
    }

    [Fact]
    public void Network_stock_arrives_after_its_transport_time()
    {
        var d = Demand(CenterScenarios.OrphanSource);
        var remote = new StockLot("W0002/lot-1", Platelets, "W0002/lot-1", null, "W0002", 500, Now.AddDays(300), "W0002", 30);
        var sheets = new StockLot("L-S", Sheets, "LINE-2", null, "Hub", 10, Now.AddDays(300));
        var plan = PlanSolver.Solve(d, [remote, sheets], [], Now, new PlanOptions(UseProduction: false));
        var p = Assert.Single(plan.Procurements);
        Assert.Equal(2, p.ArrivalDay); // ceil(30 h / 24)
        Assert.True(p.FirstUseDay >= p.ArrivalDay);
        Assert.Equal(d.EligiblePatients, plan.PatientsServed, 3);
        Assert.Contains(plan.Binding, b => b.Kind == "demand");
    }

    [Fact]
    public void A_capacity_with_zero_days_or_an_unknown_product_names_the_field()
    {
        var known = new[] { Platelets, Sheets };
        var zero = ManufacturingCapacity.Iplat1 with { ExpansionDays = 0 };
        Assert.Contains(zero.Problems("capacities[0]", known), e => e.Field == "capacities[0].expansionDays");
        var unknown = ManufacturingCapacity.Iplat1 with { Product = "S0000" };
        Assert.Contains(unknown.Problems("capacities[0]", known), e => e.Field == "capacities[0].product" && e.Message.Contains("unknown product", StringComparison.Ordinal));
    }

    [Fact]
    public void The_95th_percentile_plan_over_30_days_for_all_products_solves_in_under_10_s()
    {
        var d = Demand(PublishedScenarios.ColemanKnebel2015, 95);
        var stock = Enumerable.Range(0, 200).Select(i => new StockLot($"L{i}", i % 4 == 0 ? Sheets : Platelets, $"LINE-{i % 30}", null, $"Site-{i % 3}", 20 + (i % 7),
            Now.AddDays(10 + (i * 3)), i % 5 == 0 ? "W0002" : null, i % 5 == 0 ? 12 : 0)).ToList();
        var watch = Stopwatch.StartNew();
        var plan = PlanSolver.Solve(d, stock, ManufacturingCapacity.Defaults, Now, new PlanOptions(WarningDays: 45));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(2, plan.SuppliedByProduct.Count);
        Assert.InRange(plan.Score, 0, 1);
    }

    [Fact]
    public void The_iplat1_fixture_carries_the_published_days()
    {
        var c = ManufacturingCapacity.Iplat1;
        Assert.Equal(23, c.ExpansionDays);
        Assert.Equal(6, c.MaturationDays);
        Assert.Equal(29 + c.ReleaseTestingDays, c.LeadDays);
        Assert.Equal(4, c.YieldVialsPerRun, 6);
        Assert.Empty(c.Problems("c", [Platelets]));
        Assert.Contains("center's planning figures", c.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_profile_is_refused()
    {
        var bad = DemandProfile.Default with { TransfusionIntervalDays = 0 };
        var e = Assert.Throws<DomainValidationException>(() => DemandCalculator.Compute(CenterScenarios.OrphanSource, null, PriorityPolicy.Default, bad));
        Assert.Equal("transfusionIntervalDays", e.Errors[0].Field);
    }
}
