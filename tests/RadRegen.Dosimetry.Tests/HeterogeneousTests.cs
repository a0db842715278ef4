using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Dosimetry.Tests;

public class HeterogeneousTests
{
    [Fact]
    public void Mixed_poisson_on_the_hetero_example_orders_components_and_is_a_likelihood_maximum()
    {
        var row = TestData.Case("cases-data-hetero.csv", "example1");
        var e = HeterogeneousEstimator.MixedPoisson(TestData.BarquineroFit().Curve, row);
        Assert.True(e.Estimable, string.Join("; ", e.Warnings));
        Assert.Equal(2, e.Components.Count);
        var c1 = e.Components[0];
        var c2 = e.Components[1];
        Assert.True(c1.Yield.Estimate >= c2.Yield.Estimate);
        Assert.True(c1.Dose.Estimate >= c2.Dose.Estimate);
        TestData.Absolute(1, c1.CellProportion.Estimate + c2.CellProportion.Estimate, 1e-12, "ω sums to 1");
        TestData.Absolute(1, c1.BodyFraction.Estimate + c2.BodyFraction.Estimate, 1e-12, "F sums to 1");

        // No perturbation of the parameters increases the likelihood.
        var counts = row.Distribution!.Select(c => (double)c).ToArray();
        double[] t = [c1.CellProportion.Estimate, c1.Yield.Estimate, c2.Yield.Estimate];
        var ll = HeterogeneousEstimator.LogLikelihood(counts, t);
        for (var j = 0; j < 3; j++)
        {
            foreach (var s in new[] { -1e-3, 1e-3 })
            {
                var p = (double[])t.Clone();
                p[j] += s;
                Assert.True(HeterogeneousEstimator.LogLikelihood(counts, p) <= ll + 1e-9);
            }
        }

        // The weighted mean of the components is the observed mean (EM fixed point).
        TestData.Absolute(row.Mean, (t[0] * t[1]) + ((1 - t[0]) * t[2]), 1e-6, "mean");
    }

    [Fact]
    public void Mixed_poisson_recovers_a_known_mixture()
    {
        // 40 % of cells from Pois(2.0), 60 % from Pois(0.1), expected counts for 10 000 cells.
        var counts = new long[10];
        for (var k = 0; k < counts.Length; k++)
        {
            var p = (0.4 * Math.Exp(Numerics.Stats.PoissonLogPmf(k, 2.0))) + (0.6 * Math.Exp(Numerics.Stats.PoissonLogPmf(k, 0.1)));
            counts[k] = (long)Math.Round(10000 * p);
        }

        var e = HeterogeneousEstimator.MixedPoisson(TestData.BarquineroFit().Curve, CountRow.FromDistribution("sim", null, counts));
        TestData.Absolute(2.0, e.Components[0].Yield.Estimate, 0.02, "λ1");
        TestData.Absolute(0.1, e.Components[1].Yield.Estimate, 0.02, "λ2");
        TestData.Absolute(0.4, e.Components[0].CellProportion.Estimate, 0.01, "ω");
    }

    [Fact]
    public void Mixed_poisson_needs_multiply_damaged_cells()
    {
        var e = HeterogeneousEstimator.MixedPoisson(TestData.BarquineroFit().Curve, CountRow.FromDistribution("x", null, [300, 20, 0]));
        Assert.False(e.Estimable);
    }
}

public class MixedCaseFileTests
{
    /// <summary>
    /// The "mixed" example cases (Biodose Tools' mixed-field examples) are under-dispersed (DI &lt; 1):
    /// a Poisson mixture cannot be fitted to them, and the answer says so instead of inventing components.
    /// </summary>
    [Fact]
    public void Under_dispersed_cases_are_not_estimable_by_mixed_Poisson_but_are_by_whole_body()
    {
        var table = TestData.Table("cases-data-mixed.csv");
        Assert.Equal(2, table.Rows.Count);
        var curve = TestData.BarquineroFit().Curve;
        foreach (var row in table.Rows)
        {
            Assert.True(row.DispersionIndex < 1);
            var e = HeterogeneousEstimator.MixedPoisson(curve, row);
            Assert.False(e.Estimable);
            Assert.Contains(e.Warnings, w => w.Contains("not over-dispersed", StringComparison.Ordinal));
            Assert.True(WholeBodyEstimator.Merkle(curve, row).Estimable);
        }
    }
}
