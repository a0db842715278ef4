using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

public class LowDoseTests
{
    [Fact]
    public void Counts_at_background_are_reported_below_an_upper_limit()
    {
        var curve = TestData.BarquineroFit().Curve;
        var row = CountRow.FromTotals("low", null, 1000, 2);
        var r = LowDose.Report(curve, row, badgeDose: 0.5);
        Assert.False(r.AboveBackground);
        Assert.True(r.UpperDose > 0 && r.UpperDose < 1);
        Assert.Contains("not distinguishable from background", r.Statement, StringComparison.Ordinal);
        // Likelihood ratio Pois(2; 1000·C)/Pois(2; 1000·Y(0.5)).
        var m0 = 1000 * curve.C;
        var m1 = 1000 * curve.Yield(0.5);
        var expected = Math.Exp(-m0) * m0 * m0 / (Math.Exp(-m1) * m1 * m1);
        TestData.Relative(expected, r.IncidenceRateRatio!.Value, 1e-12, "IRR");
    }

    [Fact]
    public void A_clear_excess_is_above_background()
    {
        var r = LowDose.Report(TestData.BarquineroFit().Curve, CountRow.FromTotals("c", null, 500, 25));
        Assert.True(r.AboveBackground);
        Assert.True(r.PValueAboveBackground < 1e-6);
    }
}
