using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace RadRegen.Dosimetry.Numerics;

/// <summary>Distribution functions and exact tests used by the methods (R's definitions).</summary>
internal static class Stats
{
    /// <summary>Standard normal quantile Φ⁻¹(p).</summary>
    public static double NormalQuantile(double p) => Normal.InvCDF(0, 1, p);

    /// <summary>Two-sided normal critical value z for a confidence level (0.95 → 1.959964).</summary>
    public static double TwoSidedZ(double confidence) => NormalQuantile(0.5 + (confidence / 2));

    /// <summary>
    /// Chi-square quantile, polished by Newton steps on the regularised lower incomplete gamma
    /// function P(k/2, x/2) so that it is accurate to rounding.
    /// </summary>
    public static double ChiSquareQuantile(double p, double df)
    {
        if (p <= 0)
        {
            return 0;
        }

        var a = df / 2;
        var x = ChiSquared.InvCDF(df, p) / 2;
        for (var i = 0; i < 4 && x > 0; i++)
        {
            var f = SpecialFunctions.GammaLowerRegularized(a, x) - p;
            var dens = Math.Exp(((a - 1) * Math.Log(x)) - x - SpecialFunctions.GammaLn(a));
            if (dens <= 0 || double.IsNaN(dens))
            {
                break;
            }

            var step = f / dens;
            var next = x - step;
            if (next <= 0)
            {
                next = x / 2;
            }

            x = next;
            if (Math.Abs(step) <= 1e-13 * x)
            {
                break;
            }
        }

        return 2 * x;
    }

    /// <summary>
    /// Exact (Garwood 1936) confidence limits for a Poisson count x, as R's <c>poisson.test</c>:
    /// lower = χ²_{(1−c)/2}(2x)/2 (0 when x = 0), upper = χ²_{(1+c)/2}(2x+2)/2.
    /// </summary>
    public static (double Lower, double Upper) PoissonExactLimits(double x, double confidence)
    {
        var alpha = 1 - confidence;
        var lower = x <= 0 ? 0 : ChiSquareQuantile(alpha / 2, 2 * x) / 2;
        var upper = ChiSquareQuantile(1 - (alpha / 2), (2 * x) + 2) / 2;
        return (lower, upper);
    }

    /// <summary>log of the Poisson probability mass P(X = k; m).</summary>
    public static double PoissonLogPmf(double k, double m) =>
        m == 0 ? (k == 0 ? 0 : double.NegativeInfinity) : (k * Math.Log(m)) - m - SpecialFunctions.GammaLn(k + 1);

    /// <summary>
    /// Two-sided exact binomial test p-value, as R's <c>binom.test</c>: the probability of all
    /// outcomes no more likely than the one observed (relative tolerance 1 + 1e-7).
    /// </summary>
    public static double BinomialTwoSidedP(int x, int n, double p)
    {
        var dist = new Binomial(p, n);
        var d = dist.Probability(x);
        var m = n * p;
        const double relErr = 1 + 1e-7;
        if (x == m)
        {
            return 1;
        }

        double result;
        if (x < m)
        {
            var count = 0;
            for (var i = (int)Math.Ceiling(m); i <= n; i++)
            {
                if (dist.Probability(i) <= d * relErr)
                {
                    count++;
                }
            }

            result = dist.CumulativeDistribution(x) + (1 - dist.CumulativeDistribution(n - count));
        }
        else
        {
            var count = 0;
            for (var i = 0; i <= (int)Math.Floor(m); i++)
            {
                if (dist.Probability(i) <= d * relErr)
                {
                    count++;
                }
            }

            result = (count > 0 ? dist.CumulativeDistribution(count - 1) : 0) + UpperTailBinomial(dist, x, n);
        }

        return Math.Min(1, result);
    }

    private static double UpperTailBinomial(Binomial dist, int x, int n)
    {
        // P(X ≥ x) summed directly to keep precision in the tail.
        var s = 0.0;
        for (var i = x; i <= n; i++)
        {
            s += dist.Probability(i);
        }

        return s;
    }

    /// <summary>
    /// Two-sided exact one-sample Poisson test p-value of count x against mean m, as R's
    /// <c>poisson.test(x, T, r)</c> with m = r·T.
    /// </summary>
    public static double PoissonTwoSidedP(int x, double m)
    {
        const double relErr = 1 + 1e-7;
        if (m <= 0)
        {
            return x == 0 ? 1 : 0;
        }

        var d = Math.Exp(PoissonLogPmf(x, m));
        if (x == m)
        {
            return 1;
        }

        double result;
        if (x < m)
        {
            var nUpper = (int)Math.Ceiling((2 * m) - x);
            while (Math.Exp(PoissonLogPmf(nUpper, m)) > d)
            {
                nUpper *= 2;
            }

            var count = 0;
            for (var i = (int)Math.Ceiling(m); i <= nUpper; i++)
            {
                if (Math.Exp(PoissonLogPmf(i, m)) <= d * relErr)
                {
                    count++;
                }
            }

            result = PoissonCdf(x, m) + PoissonUpper(nUpper - count + 1, m);
        }
        else
        {
            var count = 0;
            for (var i = 0; i <= (int)Math.Floor(m); i++)
            {
                if (Math.Exp(PoissonLogPmf(i, m)) <= d * relErr)
                {
                    count++;
                }
            }

            result = (count > 0 ? PoissonCdf(count - 1, m) : 0) + PoissonUpper(x, m);
        }

        return Math.Min(1, result);
    }

    /// <summary>P(X ≤ k) for Poisson(m).</summary>
    public static double PoissonCdf(int k, double m) =>
        k < 0 ? 0 : SpecialFunctions.GammaUpperRegularized(k + 1, m);

    /// <summary>P(X ≥ k) for Poisson(m).</summary>
    public static double PoissonUpper(int k, double m) =>
        k <= 0 ? 1 : SpecialFunctions.GammaLowerRegularized(k, m);
}
