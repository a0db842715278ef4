using System.Globalization;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>
/// Whole-body dose from a case's aberration counts and a calibration curve: the curve inverted at the
/// observed yield (IAEA 2011 §9.7.1), with confidence limits by Merkle's method or the delta method.
/// </summary>
public static class WholeBodyEstimator
{
    /// <summary>Upper end of the dose search, Gy (as Biodose Tools' [1e-16, 100] Gy root bracket).</summary>
    public const double MaxDose = 100;

    /// <summary>|u| above this is significant over-dispersion at two-sided 5 % (IAEA 2011 §8.x, Papworth u test).</summary>
    public const double UCritical = 1.959963984540054;

    private const int GridPoints = 4000;

    /// <summary>
    /// Merkle (1983, Radiat Environ Biophys 21:217; IAEA 2011 §9.7.3): the yield interval is the exact
    /// Poisson (Garwood) interval on X at <paramref name="yieldConfidence"/>; the curve band is
    /// λ(D) ± R·σ_λ(D) with R² = χ²_p(<paramref name="curveConfidence"/>), p the number of coefficients.
    /// The lower dose is where the lower yield limit meets the upper band; the upper dose is where the
    /// upper yield limit meets the lower band. 83 %/83 % gives an overall ≈ 95 % interval (the default
    /// of Biodose Tools); 95 %/95 % is the conservative choice.
    /// </summary>
    /// <remarks>
    /// Over-dispersion (IAEA 2011 §9.7.3, Eq. (9)): when the case's u statistic exceeds 1.96, each yield
    /// limit CL is multiplied by (CL/X)^{√DI}, with DI the dispersion index (the form of the Biodose
    /// Tools implementation that the reference values embody, methods.md). (Biodose Tools applies this whenever DI ≥ 1, also when the excess is not
    /// significant; we follow the IAEA rule, methods.md "do not copy".)
    /// When the bands are not monotone the limits are the outermost doses consistent with the data
    /// (the conservative reading of Merkle's confidence set) and a warning says so; when the lower band
    /// never reaches the upper yield limit the upper dose is unbounded (+∞, "not estimable").
    /// Roots are solved by Brent's method to 1e-12 Gy.
    /// </remarks>
    public static DoseEstimate Merkle(CalibrationCurve curve, CountRow row, double yieldConfidence = 0.83, double curveConfidence = 0.83, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(row);
        options ??= EstimationOptions.Default;
        options.Validate();
        var method = yieldConfidence >= 0.95 - 1e-12 && curveConfidence >= 0.95 - 1e-12 ? EstimationMethod.Merkle95 : EstimationMethod.Merkle83;
        var warnings = new List<string>();
        var g = options.ProtractionG;

        var (x, n) = EffectiveCounts(row, options, warnings);
        var y = x / n;

        var noCovariance = curve.Covariance.Equals(CovarianceMatrix.Zero);
        if (noCovariance)
        {
            // Biodose Tools correct_conf_int: without a covariance the curve is exact, so the whole
            // 95 % goes to the yield.
            yieldConfidence = 0.95;
            curveConfidence = 0;
            warnings.Add("The curve has no covariance: its uncertainty is ignored and the yield interval is taken at 95 %.");
        }

        var (lo, hi) = Stats.PoissonExactLimits(Math.Round(x), yieldConfidence);
        if (row.U is { } u && u > UCritical && row.DispersionIndex is { } di && x > 0)
        {
            var e = Math.Sqrt(di);
            lo = lo > 0 ? lo * Math.Pow(lo / x, e) : 0;
            hi = hi * Math.Pow(hi / x, e);
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The case is over-dispersed (u = {u:F2} > 1.96, DI = {di:F3}): the yield interval is widened by √DI (IAEA 2011 Eq. 9). A non-uniform (partial-body) exposure is possible; consider Dolphin."));
        }
        else if (!row.HasDistribution)
        {
            warnings.Add("Only totals are known for this case: dispersion cannot be tested, Poisson is assumed.");
        }

        var yL = lo / n;
        var yU = hi / n;
        var r = curveConfidence > 0 ? Math.Sqrt(Stats.ChiSquareQuantile(curveConfidence, curve.ParameterCount)) : 0;

        double Upper(double d) => curve.Yield(d, g) + (r * Math.Sqrt(Math.Max(0, curve.YieldVariance(d, g))));
        double Lower(double d) => curve.Yield(d, g) - (r * Math.Sqrt(Math.Max(0, curve.YieldVariance(d, g))));

        var estimate = curve.Dose(y, g);
        if (y <= curve.C)
        {
            warnings.Add("The observed yield is at or below the background yield of the curve: the dose estimate is 0 Gy.");
        }

        var monotoneWarned = false;
        void WarnMonotone()
        {
            if (!monotoneWarned)
            {
                warnings.Add("The confidence band of the curve is not monotone in dose: the limits are the outermost doses consistent with the data (conservative). Compare with the delta method.");
                monotoneWarned = true;
            }
        }

        // Lower dose: the smallest D whose upper band reaches yL.
        var step = MaxDose / GridPoints;
        double lowerDose;
        if (Upper(0) >= yL)
        {
            lowerDose = 0;
        }
        else
        {
            lowerDose = double.NaN;
            var crossings = 0;
            var prev = Upper(0) - yL;
            for (var k = 1; k <= GridPoints; k++)
            {
                var cur = Upper(k * step) - yL;
                if (Math.Sign(cur) != Math.Sign(prev))
                {
                    crossings++;
                    if (double.IsNaN(lowerDose))
                    {
                        lowerDose = RootFinder.Brent(d => Upper(d) - yL, (k - 1) * step, k * step) ?? k * step;
                    }
                }

                prev = cur;
            }

            if (crossings > 1)
            {
                WarnMonotone();
            }

            if (double.IsNaN(lowerDose))
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The curve does not reach the lower yield limit below {MaxDose} Gy: not estimable with this curve."));
                return new DoseEstimate(row.Id, method, new Interval(yL, y, yU), null, null, null, warnings);
            }
        }

        // Upper dose: the largest D whose lower band is still at or below yU.
        double upperDose;
        var last = Lower(MaxDose) - yU;
        if (last <= 0)
        {
            upperDose = double.PositiveInfinity;
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Upper limit not estimable: the lower confidence band of the curve stays below the upper yield limit up to {MaxDose} Gy (the band is too wide or not monotone). Use the delta method or a better-determined curve."));
        }
        else
        {
            upperDose = 0;
            var crossings = 0;
            var prev = Lower(0) - yU;
            var found = false;
            for (var k = 1; k <= GridPoints; k++)
            {
                var cur = Lower(k * step) - yU;
                if (Math.Sign(cur) != Math.Sign(prev) && cur != 0)
                {
                    crossings++;
                    if (cur > 0)
                    {
                        upperDose = RootFinder.Brent(d => Lower(d) - yU, (k - 1) * step, k * step) ?? k * step;
                        found = true;
                    }
                }

                prev = cur;
            }

            if (crossings > 1)
            {
                WarnMonotone();
            }

            if (!found)
            {
                upperDose = 0;
            }
        }

        if (!IsMonotone(Lower) || !IsMonotone(Upper))
        {
            WarnMonotone();
        }

        return new DoseEstimate(row.Id, method, new Interval(yL, y, yU), new Interval(Math.Min(lowerDose, estimate), estimate, Math.Max(upperDose, estimate)), null, null, warnings);
    }

    /// <summary>
    /// Delta method (IAEA 2001 TRS-405; IAEA 2011 §9.7.4; Biodose Tools <c>estimate_whole_body_delta</c>):
    /// D = curve⁻¹(λ), var(D) = ∇Dᵀ V_curve ∇D + (∂D/∂λ)² σ_λ², the curve and the case independent;
    /// CI D ± z·σ_D, truncated at 0. σ_λ is the larger of the empirical √(σ²/N) and the Poisson √X/N
    /// (Biodose Tools fix #7: the empirical error when DI ≥ 1, else Poisson).
    /// </summary>
    public static DoseEstimate Delta(CalibrationCurve curve, CountRow row, double confidence = 0.95, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(row);
        options ??= EstimationOptions.Default;
        options.Validate();
        var warnings = new List<string>();
        var g = options.ProtractionG;
        var (x, n) = EffectiveCounts(row, options, warnings);
        var lambda = x / n;
        var z = Stats.TwoSidedZ(confidence);

        if (x == 0)
        {
            warnings.Add("No aberrations: the delta method has no variance to work with. Use Merkle's method, whose Poisson upper limit bounds the dose.");
            return new DoseEstimate(row.Id, EstimationMethod.Delta, new Interval(0, 0, 0), null, null, null, warnings);
        }

        var poissonSe = Math.Sqrt(x) / n;
        var sigma = poissonSe;
        if (row.YieldStandardError is { } emp)
        {
            // For translocations the empirical error is taken on the full-genome scale (divided by Fp/FG).
            emp /= options.GenomeFactor;
            sigma = Math.Max(emp, poissonSe);
        }
        else
        {
            warnings.Add("Only totals are known for this case: the Poisson standard error of the yield is used.");
        }

        var yieldInterval = Interval.Wald(lambda, sigma, z);
        yieldInterval = yieldInterval with { Lower = Math.Max(0, yieldInterval.Lower) };
        if (lambda <= curve.C)
        {
            warnings.Add("The observed yield is at or below the background yield of the curve: dose 0 Gy; the upper limit is read from the curve at the upper yield limit (curve uncertainty not included). Prefer Merkle's method here.");
            return new DoseEstimate(row.Id, EstimationMethod.Delta, yieldInterval, new Interval(0, 0, curve.Dose(yieldInterval.Upper, g)), null, null, warnings);
        }

        var d = curve.Dose(lambda, g);
        var sd = DoseStandardError(curve, lambda, sigma, g);
        var dose = Interval.Wald(d, sd, z);
        dose = dose with { Lower = Math.Max(0, dose.Lower) };
        return new DoseEstimate(row.Id, EstimationMethod.Delta, yieldInterval, dose, null, null, warnings);
    }

    /// <summary>σ_D by the delta method for yield λ with standard error σ_λ.</summary>
    internal static double DoseStandardError(CalibrationCurve curve, double lambda, double sigmaLambda, double g)
    {
        var (dC, dA, dB, dY) = curve.DoseGradient(lambda, g);
        var v = curve.Covariance.QuadraticForm(dC, dA, dB) + (dY * dY * sigmaLambda * sigmaLambda);
        return Math.Sqrt(Math.Max(0, v));
    }

    /// <summary>
    /// Aberrations and cells on the scale of the curve: for translocations X − Xc (floored at 0) and
    /// N·F_p/F_G (IAEA 2011 §10.4; Biodose Tools Fg = (X − Xc)/(N·Fp/FG)).
    /// </summary>
    internal static (double X, double N) EffectiveCounts(CountRow row, EstimationOptions options, List<string> warnings)
    {
        double x = row.Aberrations;
        if (options.BackgroundTranslocations > 0)
        {
            x = Math.Max(0, x - options.BackgroundTranslocations);
            if (x == 0)
            {
                warnings.Add("The observed translocations do not exceed the expected background.");
            }
        }

        return (x, row.Cells * options.GenomeFactor);
    }

    private static bool IsMonotone(Func<double, double> f)
    {
        var prev = f(0);
        const int points = 400;
        for (var k = 1; k <= points; k++)
        {
            var cur = f(k * MaxDose / points);
            if (cur < prev - (1e-12 * Math.Abs(prev)))
            {
                return false;
            }

            prev = cur;
        }

        return true;
    }
}
