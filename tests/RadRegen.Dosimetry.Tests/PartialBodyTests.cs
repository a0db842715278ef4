using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

public class PartialBodyTests
{
    [Fact]
    public void Dolphin_example1_on_F1_matches_the_reference()
    {
        var fit = TestData.BarquineroFit();
        var row = TestData.Case("cases-data-partial.csv", "example1");
        var e = PartialBodyEstimator.Dolphin(fit.Curve, row);
        Assert.True(e.Estimable);
        var y = e.Yield!.Value;
        TestData.Absolute(0.834755, y.Lower, 5e-6, "lambda lower");
        TestData.Absolute(1.167610, y.Estimate, 5e-6, "lambda");
        TestData.Absolute(1.500465, y.Upper, 5e-6, "lambda upper");
        var d = e.Dose!.Value;
        TestData.Absolute(3.493143, d.Lower, 5e-4, "dose lower");
        TestData.Absolute(4.137905, d.Estimate, 5e-4, "dose");
        TestData.Absolute(4.782667, d.Upper, 5e-4, "dose upper");
        var f = e.BodyFraction!.Value;
        TestData.Absolute(0.513714, f.Lower, 5e-6, "F lower");
        TestData.Absolute(0.590179, f.Estimate, 5e-6, "F");
        TestData.Absolute(0.666645, f.Upper, 5e-6, "F upper");
    }

    [Fact]
    public void Dolphin_lambda_solves_the_truncated_poisson_equation_to_1e_9()
    {
        var row = TestData.Case("cases-data-partial.csv", "example1");
        var e = PartialBodyEstimator.Dolphin(TestData.BarquineroFit().Curve, row);
        var l = e.Yield!.Value.Estimate;
        var lhs = l / (1 - Math.Exp(-l));
        Assert.True(Math.Abs(lhs - (100.0 / (361 - 302))) < 1e-9);
        // The dose reproduces the yield on the curve to 1e-9.
        Assert.True(Math.Abs(TestData.BarquineroFit().Curve.Yield(e.Dose!.Value.Estimate) - l) < 1e-9);
    }

    [Fact]
    public void Dolphin_is_not_estimable_without_a_cell_with_two_aberrations()
    {
        var row = CountRow.FromDistribution("single", null, [400, 30, 0]);
        var e = PartialBodyEstimator.Dolphin(TestData.BarquineroFit().Curve, row);
        Assert.False(e.Estimable);
        Assert.Contains(e.Warnings, w => w.Contains("two or more aberrations", StringComparison.Ordinal));
    }

    [Fact]
    public void Dolphin_needs_a_distribution()
    {
        var e = PartialBodyEstimator.Dolphin(TestData.BarquineroFit().Curve, CountRow.FromTotals("t", null, 500, 40));
        Assert.False(e.Estimable);
    }

    [Fact]
    public void Dolphin_with_a_linear_curve_uses_parenthesised_fraction_formula()
    {
        // A linear curve: F = f·e^{D/D0}/(1 − f + f·e^{D/D0}) must stay in [0, 1] and its CI be symmetric.
        var curve = CalibrationCurve.Create(Assay.Dicentric, CurveModel.Linear, 0.001, 0.3, 0, new CovarianceMatrix(new double[,] { { 1e-8, 0, 0 }, { 0, 1e-5, 0 }, { 0, 0, 0 } }));
        var e = PartialBodyEstimator.Dolphin(curve, TestData.Case("cases-data-partial.csv", "example1"));
        var f = e.BodyFraction!.Value;
        Assert.InRange(f.Estimate, 0, 1);
        TestData.Absolute(f.Estimate - f.Lower, f.Upper - f.Estimate, 1e-12, "symmetric");
        var d = e.Dose!.Value.Estimate;
        var cf = e.CellFraction!.Value.Estimate;
        var expected = cf * Math.Exp(d / 2.7) / (1 - cf + (cf * Math.Exp(d / 2.7)));
        TestData.Absolute(expected, f.Estimate, 1e-12, "F");
    }
}
