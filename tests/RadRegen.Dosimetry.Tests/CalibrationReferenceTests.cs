using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Dosimetry.Tests;

/// <summary>Reference fits F1, F2, F6 (reference/dosimetry/README.md; coefficients relative 1e-6).</summary>
public class CalibrationReferenceTests
{
    private const double Rel = 1e-6;

    [Fact]
    public void F1_barquinero_lq_poisson_reproduces_coefficients_se_covariance_and_statistics()
    {
        var fit = TestData.BarquineroFit();
        Assert.Equal(FitMethod.Poisson, fit.Method);
        var c = fit.Curve;
        TestData.Relative(0.00128031901393, c.C, Rel, "C");
        TestData.Relative(0.02103872432802, c.Alpha, Rel, "alpha");
        TestData.Relative(0.06303253404360, c.Beta, Rel, "beta");
        TestData.Relative(0.000471405494614, fit.Coefficients[0].StandardError, Rel, "SE C");
        TestData.Relative(0.005157616959356, fit.Coefficients[1].StandardError, Rel, "SE alpha");
        TestData.Relative(0.004007385618601, fit.Coefficients[2].StandardError, Rel, "SE beta");
        double[,] v =
        {
            { 2.22223140352e-07, -9.94904381042e-07, 4.37994449856e-07 },
            { -9.94904381042e-07, 2.66010126994e-05, -1.51049382045e-05 },
            { 4.37994449856e-07, -1.51049382045e-05, 1.60591394962e-05 },
        };
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                TestData.Relative(v[i, j], c.Covariance[i, j], Rel, $"V[{i},{j}]");
            }
        }

        TestData.Relative(-35.71195719, fit.LogLik!.Value, Rel, "logLik");
        TestData.Relative(6.809755633, fit.Deviance, Rel, "deviance");
        TestData.Relative(6.57698117, fit.PearsonChi2, Rel, "Pearson");
        Assert.Equal(8, fit.Df);
        TestData.Relative(77.42391438, fit.Aic!.Value, Rel, "AIC");
        Assert.True(fit.Dispersion <= 1);
        // BIC = −2ℓ + p ln(n), n = 11 dose points (R's BIC for a glm).
        TestData.Relative((2 * 35.71195719) + (3 * Math.Log(11)), fit.Bic!.Value, Rel, "BIC");
        // Correlation diagonal 1, off-diagonal from V.
        TestData.Relative(-9.94904381042e-07 / Math.Sqrt(2.22223140352e-07 * 2.66010126994e-05), fit.Correlation[0][1], Rel, "corr");
        Assert.All(fit.Coefficients, k => Assert.InRange(k.PValue, 0, 1));
    }

    [Fact]
    public void F1_from_aggregated_table_gives_the_same_fit()
    {
        var full = TestData.BarquineroFit();
        var aggr = CurveFitter.Fit(TestData.Table("count-data-barquinero-1995-aggr.csv").Rows);
        TestData.Relative(full.Curve.C, aggr.Curve.C, 1e-10, "C");
        TestData.Relative(full.Curve.Alpha, aggr.Curve.Alpha, 1e-10, "alpha");
        TestData.Relative(full.Curve.Beta, aggr.Curve.Beta, 1e-10, "beta");
        TestData.Relative(full.LogLik!.Value, aggr.LogLik!.Value, 1e-10, "logLik");
    }

    [Fact]
    public void F2_barquinero_below_1_Gy_linear_is_quasi_poisson()
    {
        var rows = TestData.Table("count-data-barquinero-1995.csv").Rows.Where(r => r.Dose < 1).ToList();
        var fit = CurveFitter.Fit(rows, CurveModel.Linear);
        Assert.Equal(FitMethod.QuasiPoisson, fit.Method);
        TestData.Relative(0.00102628503518, fit.Curve.C, Rel, "C");
        TestData.Relative(0.05410977730150, fit.Curve.Alpha, Rel, "alpha");
        TestData.Relative(0.0011471794212, fit.Coefficients[0].StandardError, Rel, "SE C");
        TestData.Relative(0.0114765224507, fit.Coefficients[1].StandardError, Rel, "SE alpha");
        TestData.Relative(7.038822776, fit.Dispersion, Rel, "phi");
        Assert.Null(fit.LogLik);
        Assert.Null(fit.Aic);
        Assert.Equal(0, fit.Curve.Beta);
        Assert.All(fit.Coefficients, k => Assert.InRange(k.PValue, 0, 1));
    }

    [Fact]
    public void F6_rodriguez_fish_lq_poisson()
    {
        // The reference fit is Poisson by choice (the data are mildly overdispersed, so the
        // automatic family would pick quasi-Poisson, whose logLik is not defined).
        var rows = TestData.Table("count-data-rodriguez-2004.csv").Rows;
        var fit = CurveFitter.Fit(rows, assay: Assay.Translocation, family: FitFamily.Poisson);
        Assert.Equal(FitMethod.Poisson, fit.Method);
        var automatic = CurveFitter.Fit(rows, assay: Assay.Translocation);
        Assert.Equal(fit.Dispersion > 1 ? FitMethod.QuasiPoisson : FitMethod.Poisson, automatic.Method);
        TestData.Relative(0.00206508226834, fit.Curve.C, Rel, "C");
        TestData.Relative(0.00856115560794, fit.Curve.Alpha, Rel, "alpha");
        TestData.Relative(0.01825165574164, fit.Curve.Beta, Rel, "beta");
        TestData.Relative(-36.09050806, fit.LogLik!.Value, Rel, "logLik");
    }
}

public class MicronucleusFitTests
{
    [Fact]
    public void Mayakannan_micronucleus_table_with_BOM_fits_an_increasing_curve()
    {
        var fit = CurveFitter.Fit(TestData.Table("count-data-mayakannan-2018.csv").Rows, assay: Assay.Micronucleus);
        Assert.Equal(Assay.Micronucleus, fit.Curve.Assay);
        Assert.True(fit.Curve.C > 0 && fit.Curve.Alpha > 0 && fit.Curve.Beta >= 0);
        Assert.Equal(10 - 3, fit.Df);
        // The fitted background is close to the observed control yield 174/7500.
        Assert.InRange(fit.Curve.C, 0.015, 0.03);
    }
}
