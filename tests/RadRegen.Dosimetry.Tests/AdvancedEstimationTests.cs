using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

public class CharacteristicLimitsTests
{
    [Fact]
    public void Reference_limits_for_a_control_of_4_in_1000()
    {
        var rows = CharacteristicLimits.Calculate(TestData.BarquineroFit().Curve, 1000, 4, [100, 500]);
        Assert.Equal(2, rows[0].DecisionThreshold);
        TestData.Absolute(5.322320, rows[0].DetectionLimit, 5e-7, "detection limit n=100");
        Assert.Equal(7, rows[1].DecisionThreshold);
        TestData.Absolute(11.770914, rows[1].DetectionLimit, 5e-7, "detection limit n=500");
        var curve = TestData.BarquineroFit().Curve;
        TestData.Absolute(curve.Dose(3 / 100.0), rows[0].MinimumResolvableDose, 1e-12);
        TestData.Absolute(curve.Dose(5.322320 / 100), rows[0].DoseAtDetectionLimit, 1e-5);
    }

    [Fact]
    public void Bad_cells_are_rejected()
    {
        var curve = TestData.BarquineroFit().Curve;
        Assert.Throws<DosimetryInputException>(() => CharacteristicLimits.Calculate(curve, 0, 4, [100]));
        Assert.Throws<DosimetryInputException>(() => CharacteristicLimits.Calculate(curve, 1000, 4, [0]));
    }

    [Fact]
    public void Known_control_rate_variant_gives_a_threshold()
    {
        var rows = CharacteristicLimits.CalculateForRate(TestData.BarquineroFit().Curve, 0.004, [500]);
        Assert.InRange(rows[0].DecisionThreshold, 1, 10);
        // y_d + 1 is significant, y_d itself is not.
        Assert.True(Numerics.Stats.PoissonTwoSidedP(rows[0].DecisionThreshold + 1, 2) < 0.05);
        Assert.True(Numerics.Stats.PoissonTwoSidedP(rows[0].DecisionThreshold, 2) >= 0.05);
    }
}

public class TranslocationTests
{
    [Fact]
    public void Genome_factor_male_1_2_4_red_3_5_6_green_is_0_585()
    {
        var f = Translocations.GenomeFactor([["1", "2", "4"], ["3", "5", "6"]], Sex.Male);
        TestData.Absolute(0.585, f, 0.0005);
    }

    [Fact]
    public void Genome_factor_rejects_bad_chromosomes()
    {
        Assert.Throws<DosimetryInputException>(() => Translocations.GenomeFactor([["1", "23"]], Sex.Male));
        Assert.Throws<DosimetryInputException>(() => Translocations.GenomeFactor([["1"], ["1"]], Sex.Male));
        Assert.Throws<DosimetryInputException>(() => Translocations.GenomeFactor([["Y"]], Sex.Female));
    }

    [Fact]
    public void Background_grows_with_age_and_smoking()
    {
        var young = Translocations.BackgroundRate(20);
        var old = Translocations.BackgroundRate(60);
        Assert.True(old > young);
        TestData.Absolute(Math.Exp(-7.925) + (Math.Exp(-9.284) * 60 * Math.Exp(0.6372)), old, 1e-15);
        TestData.Absolute(old * 1.19, Translocations.BackgroundRate(60, smoker: true), 1e-15);
    }

    [Fact]
    public void Full_genome_estimate_subtracts_background_and_divides_by_the_genome_factor()
    {
        var fit = CurveFitter.Fit(TestData.Table("count-data-rodriguez-2004.csv").Rows, assay: Assay.Translocation, family: FitFamily.Poisson);
        var gf = 0.585;
        var full = fit.Curve.ToFullGenome(gf);
        var row = CountRow.FromTotals("fish", null, 1000, 60);
        var xc = Translocations.ExpectedBackground(1000, gf, Translocations.BackgroundRate(40));
        var e = WholeBodyEstimator.Delta(full, row, options: new EstimationOptions(GenomeFactor: gf, BackgroundTranslocations: xc));
        var fg = (60 - xc) / (1000 * gf);
        TestData.Absolute(fg, e.Yield!.Value.Estimate, 1e-15, "Fg");
        TestData.Absolute(fg, full.Yield(e.Dose!.Value.Estimate), 1e-12, "dose on the full-genome curve");
        // On the observed scale the same dose follows from the observed curve.
        TestData.Absolute(fit.Curve.Dose((60 - xc) / 1000.0), e.Dose.Value.Estimate, 1e-12, "scale invariance");
    }
}

public class CriticalityTests
{
    private static CalibrationCurve Gamma() => TestData.BarquineroFit().Curve;

    private static CalibrationCurve Neutron() => CalibrationCurve.Create(Assay.Dicentric, CurveModel.Linear, 0.001, 0.8, 0,
        new CovarianceMatrix(new double[,] { { 1e-7, 0, 0 }, { 0, 4e-3, 0 }, { 0, 0, 0 } }));

    [Fact]
    public void Recovers_doses_that_produced_the_yield()
    {
        // Ratio gamma/neutron = 3: D_g = 1.5, D_n = 0.5 give y = (C_g + C_n)/2 + α_g D_g + β_g D_g² + α_n D_n.
        var g = Gamma();
        var n = Neutron();
        var y = ((g.C + n.C) / 2) + (g.Alpha * 1.5) + (g.Beta * 1.5 * 1.5) + (n.Alpha * 0.5);
        var cells = 10000L;
        var x = (long)Math.Round(y * cells);
        var e = Criticality.Estimate(g, n, 3, CountRow.FromTotals("crit", null, cells, x));
        var yObs = x / (double)cells;
        var dg = e.Gamma.Estimate;
        var check = ((g.C + n.C) / 2) + (g.Alpha * dg) + (g.Beta * dg * dg) + (n.Alpha * dg / 3);
        TestData.Absolute(yObs, check, 1e-12, "yield");
        TestData.Absolute(1.5, dg, 0.01, "gamma");
        TestData.Absolute(e.Gamma.Estimate / 3, e.Neutron.Estimate, 1e-12, "ratio");
        TestData.Absolute(e.Gamma.Estimate + e.Neutron.Estimate, e.Total.Estimate, 1e-12, "total");
        Assert.True(e.Total.Lower < e.Total.Estimate && e.Total.Estimate < e.Total.Upper);
    }

    [Fact]
    public void Bad_ratio_is_rejected()
    {
        Assert.Throws<DosimetryInputException>(() => Criticality.Estimate(Gamma(), Neutron(), 0, CountRow.FromTotals("c", null, 100, 10)));
    }
}
