using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;

namespace RadRegen.Dosimetry.Tests;

public class ConstrainedFitTests
{
    // No background aberration in many control cells and a steep low-dose response: the identity-link
    // GLM would need C < 0, so it fails and the constrained maximum likelihood is used.
    private static List<CountRow> Rows() =>
    [
        CountRow.FromTotals("0", 0, 3000, 0),
        CountRow.FromTotals("0.5", 0.5, 1000, 2),
        CountRow.FromTotals("1", 1, 800, 30),
        CountRow.FromTotals("2", 2, 400, 60),
        CountRow.FromTotals("3", 3, 200, 60),
    ];

    [Fact]
    public void Falls_back_to_constrained_ML_with_a_warning_and_nonnegative_coefficients()
    {
        var fit = CurveFitter.Fit(Rows(), CurveModel.Linear);
        Assert.Equal(FitMethod.Constrained, fit.Method);
        Assert.Contains(fit.Warnings, w => w.Contains("constrained maximum likelihood", StringComparison.Ordinal));
        Assert.True(fit.Curve.C >= 0 && fit.Curve.Alpha >= 0);
    }

    [Fact]
    public void Constrained_solution_satisfies_the_KKT_conditions()
    {
        var rows = Rows();
        var fit = CurveFitter.Fit(rows, CurveModel.LinearQuadratic);
        Assert.Equal(FitMethod.Constrained, fit.Method);
        double[] theta = [fit.Curve.C, fit.Curve.Alpha, fit.Curve.Beta];
        var grad = new double[3];
        foreach (var r in rows)
        {
            var d = r.Dose!.Value;
            double[] z = [1, d, d * d];
            var mu = theta[0] + (theta[1] * d) + (theta[2] * d * d);
            for (var j = 0; j < 3; j++)
            {
                grad[j] += ((r.Aberrations > 0 ? r.Aberrations / mu : 0) - r.Cells) * z[j];
            }
        }

        for (var j = 0; j < 3; j++)
        {
            Assert.True(theta[j] >= 0);
            if (theta[j] > 1e-12)
            {
                // Free coefficient: stationary.
                Assert.True(Math.Abs(grad[j]) < 1e-4 * rows.Sum(r => r.Cells), $"gradient {j} = {grad[j]}");
            }
            else
            {
                // Coefficient on its bound: increasing it must not increase the likelihood.
                Assert.True(grad[j] <= 1e-6, $"gradient {j} = {grad[j]} at the bound");
            }
        }
    }
}
