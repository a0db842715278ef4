using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

/// <summary>Whole-body doses on F1 (reference/dosimetry/README.md; doses ±5e-4 Gy).</summary>
public class WholeBodyReferenceTests
{
    private const double DoseTol = 5e-4;

    [Theory]
    [InlineData("example1", 1.541412, 1.931245, 2.420765)]
    [InlineData("example2", 2.777688, 3.301014, 3.952363)]
    public void Merkle_83_83(string id, double lower, double estimate, double upper)
    {
        var fit = TestData.BarquineroFit();
        var row = TestData.Case("cases-data-partial.csv", id);
        var e = WholeBodyEstimator.Merkle(fit.Curve, row);
        Assert.Equal(EstimationMethod.Merkle83, e.Method);
        TestData.Absolute(lower, e.Dose!.Value.Lower, DoseTol, "lower");
        TestData.Absolute(estimate, e.Dose.Value.Estimate, DoseTol, "estimate");
        TestData.Absolute(upper, e.Dose.Value.Upper, DoseTol, "upper");
    }

    [Theory]
    [InlineData("example1", 1.647991, 1.931245, 2.214498)]
    [InlineData("example2", 2.938580, 3.301014, 3.663448)]
    public void Delta_95(string id, double lower, double estimate, double upper)
    {
        var fit = TestData.BarquineroFit();
        var row = TestData.Case("cases-data-partial.csv", id);
        var e = WholeBodyEstimator.Delta(fit.Curve, row);
        TestData.Absolute(lower, e.Dose!.Value.Lower, DoseTol, "lower");
        TestData.Absolute(estimate, e.Dose.Value.Estimate, DoseTol, "estimate");
        TestData.Absolute(upper, e.Dose.Value.Upper, DoseTol, "upper");
    }
}
