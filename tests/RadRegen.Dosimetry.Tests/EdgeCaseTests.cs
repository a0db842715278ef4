using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

public class EdgeCaseTests
{
    [Fact]
    public void Zero_aberrations_give_zero_dose_with_a_Poisson_upper_limit()
    {
        var curve = TestData.BarquineroFit().Curve;
        var row = CountRow.FromDistribution("clean", null, [500]);
        var m = WholeBodyEstimator.Merkle(curve, row);
        Assert.Equal(0, m.Dose!.Value.Lower);
        Assert.Equal(0, m.Dose.Value.Estimate);
        Assert.True(m.Dose.Value.Upper > 0 && m.Dose.Value.Upper < 1, $"upper {m.Dose.Value.Upper}");
        var d = WholeBodyEstimator.Delta(curve, row);
        Assert.False(d.Estimable);
        Assert.Contains(d.Warnings, w => w.Contains("Merkle", StringComparison.Ordinal));
    }

    [Fact]
    public void A_band_that_is_not_monotone_gives_a_clear_answer_not_a_crash()
    {
        // A linear curve whose slope is poorly determined: R·√Vαα > α, so the lower band turns down.
        var curve = CalibrationCurve.Create(Assay.Dicentric, CurveModel.Linear, 0.001, 0.05, 0,
            new CovarianceMatrix(new double[,] { { 1e-7, 0, 0 }, { 0, 1e-3, 0 }, { 0, 0, 0 } }));
        var row = CountRow.FromTotals("case", null, 500, 40);
        var e = WholeBodyEstimator.Merkle(curve, row);
        Assert.True(e.Estimable);
        Assert.True(double.IsPositiveInfinity(e.Dose!.Value.Upper));
        Assert.Contains(e.Warnings, w => w.Contains("not estimable", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(e.Warnings, w => w.Contains("not monotone", StringComparison.Ordinal));
        // The delta method still answers.
        Assert.True(WholeBodyEstimator.Delta(curve, row).Estimable);
    }

    [Fact]
    public void Merkle_limits_are_roots_to_1e_9()
    {
        var curve = TestData.BarquineroFit().Curve;
        var row = TestData.Case("cases-data-partial.csv", "example2");
        var e = WholeBodyEstimator.Merkle(curve, row);
        var r = Math.Sqrt(Numerics.Stats.ChiSquareQuantile(0.83, 3));
        var dl = e.Dose!.Value.Lower;
        var du = e.Dose.Value.Upper;
        var upperBand = curve.Yield(dl) + (r * Math.Sqrt(curve.YieldVariance(dl)));
        var lowerBand = curve.Yield(du) - (r * Math.Sqrt(curve.YieldVariance(du)));
        Assert.True(Math.Abs(upperBand - e.Yield!.Value.Lower) < 1e-9);
        Assert.True(Math.Abs(lowerBand - e.Yield.Value.Upper) < 1e-9);
        Assert.True(Math.Abs(curve.Yield(e.Dose.Value.Estimate) - row.Mean) < 1e-12);
    }

    [Fact]
    public void Yield_below_background_gives_zero_dose()
    {
        var curve = TestData.BarquineroFit().Curve;
        var e = WholeBodyEstimator.Merkle(curve, CountRow.FromTotals("low", null, 5000, 2));
        Assert.Equal(0, e.Dose!.Value.Estimate);
        Assert.Equal(0, e.Dose.Value.Lower);
        Assert.True(e.Dose.Value.Upper > 0);
    }

    [Fact]
    public void Curve_without_covariance_uses_a_95_percent_yield_interval()
    {
        var fit = TestData.BarquineroFit().Curve;
        var exact = fit with { Covariance = CovarianceMatrix.Zero };
        var e = WholeBodyEstimator.Merkle(exact, CountRow.FromTotals("c", null, 500, 25));
        Assert.Contains(e.Warnings, w => w.Contains("no covariance", StringComparison.Ordinal));
        var (lo, hi) = Numerics.Stats.PoissonExactLimits(25, 0.95);
        TestData.Absolute(exact.Dose(lo / 500), e.Dose!.Value.Lower, 1e-9);
        TestData.Absolute(exact.Dose(hi / 500), e.Dose.Value.Upper, 1e-9);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 0.7357588823428847)] // x = 1: 2(1 − 1 + e^−1) = 2/e
    [InlineData(4, 0.5676676416183064)] // x = 2: (2/4)(2 − 1 + e^−2)
    public void Lea_Catcheside_G(double hours, double expected) =>
        TestData.Absolute(expected, Protraction.G(hours), 1e-12);

    [Fact]
    public void Protracted_exposure_gives_a_higher_dose_for_the_same_yield()
    {
        var curve = TestData.BarquineroFit().Curve;
        var row = TestData.Case("cases-data-partial.csv", "example1");
        var acute = WholeBodyEstimator.Delta(curve, row).Dose!.Value.Estimate;
        var g = Protraction.G(8);
        var protracted = WholeBodyEstimator.Delta(curve, row, options: new EstimationOptions(ProtractionG: g)).Dose!.Value.Estimate;
        Assert.True(protracted > acute);
        TestData.Absolute(row.Mean, curve.Yield(protracted, g), 1e-12, "yield on the protracted curve");
        var merkle = WholeBodyEstimator.Merkle(curve, row, options: new EstimationOptions(ProtractionG: g));
        TestData.Absolute(protracted, merkle.Dose!.Value.Estimate, 1e-12);
    }

    [Fact]
    public void Bad_protraction_inputs_are_rejected()
    {
        Assert.Throws<DosimetryInputException>(() => Protraction.G(-1));
        Assert.Throws<DosimetryInputException>(() => Protraction.G(1, 0));
    }
}

public class MerkleBandShapeTests
{
    [Fact]
    public void A_band_that_dips_near_zero_gives_the_outermost_finite_limit_with_a_warning()
    {
        // Positive C–α covariance makes the lower band fall at first (dL/dD(0) = α − R·V_Cα/σ_C < 0).
        var cov = new CovarianceMatrix(new double[,] { { 1e-6, 9.5e-6, 0 }, { 9.5e-6, 1e-4, 0 }, { 0, 0, 1e-5 } });
        var curve = CalibrationCurve.Create(Assay.Dicentric, CurveModel.LinearQuadratic, 0.001, 0.02, 0.06, cov);
        var row = CountRow.FromTotals("dip", null, 500, 40);
        var e = WholeBodyEstimator.Merkle(curve, row);
        Assert.Contains(e.Warnings, w => w.Contains("not monotone", StringComparison.Ordinal));
        var upper = e.Dose!.Value.Upper;
        Assert.True(double.IsFinite(upper));
        var r = Math.Sqrt(Numerics.Stats.ChiSquareQuantile(0.83, 3));
        double Lower(double d) => curve.Yield(d) - (r * Math.Sqrt(curve.YieldVariance(d)));
        Assert.True(Math.Abs(Lower(upper) - e.Yield!.Value.Upper) < 1e-9);
        for (var d = upper + 0.01; d < 100; d += 0.01)
        {
            Assert.True(Lower(d) > e.Yield.Value.Upper);
        }
    }

    [Fact]
    public void Dispersion_above_one_but_not_significant_does_not_widen_the_yield_interval()
    {
        // DI slightly above 1 with u < 1.96: IAEA applies no correction (Biodose Tools would, on DI ≥ 1).
        var row = CountRow.FromDistribution("mild", null, [420, 60, 8, 1]);
        Assert.True(row.DispersionIndex > 1);
        Assert.True(row.U < 1.96);
        var e = WholeBodyEstimator.Merkle(TestData.BarquineroFit().Curve, row);
        var (lo, hi) = Numerics.Stats.PoissonExactLimits(row.Aberrations, 0.83);
        TestData.Absolute(lo / row.Cells, e.Yield!.Value.Lower, 1e-15, "lower yield");
        TestData.Absolute(hi / row.Cells, e.Yield.Value.Upper, 1e-15, "upper yield");
        Assert.DoesNotContain(e.Warnings, w => w.Contains("over-dispersed", StringComparison.Ordinal));
    }
}
