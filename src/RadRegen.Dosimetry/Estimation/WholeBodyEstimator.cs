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
    /// Tools implementation that the reference values embody, reference/dosimetry/methods.md). Biodose Tools applies this
    /// whenever DI ≥ 1, also when the excess is not significant; we follow the IAEA rule (reference/dosimetry/methods.md,
    /// "do not copy").
    /// When the bands are not monotone the limits are the outermost doses consistent with the data
    /// (the conservative reading of Merkle's confidence set) and a warning says so; when the lower band
    /// never reaches the upper yield limit the upper dose is unbounded (+∞, "not estimable").
    /// Roots are solved by Brent's method to 1e-12 Gy.
    /// </remarks>
    public static DoseEstimate Merkle(CalibrationCurve curve, CountRow row, double yieldConfidence = 0.83, double curveConfidence = 0.83, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Merkle(curve, [row], yieldConfidence, curveConfidence, options)[0];
    }

    /// <summary>
    /// Merkle estimates for many cases on one curve: the confidence bands are tabulated once and shared,
    /// so a batch costs little more than the root finding per case. Same method as the single-case overload.
    /// </summary>
    public static IReadOnlyList<DoseEstimate> Merkle(CalibrationCurve curve, IReadOnlyList<CountRow> rows, double yieldConfidence = 0.83, double curveConfidence = 0.83, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(rows);
        options ??= EstimationOptions.Default;
        options.Validate();
        if (!(yieldConfidence > 0 && yieldConfidence < 1) || !(curveConfidence >= 0 && curveConfidence < 1))
        {
            throw new DosimetryInputException("confidence", "the yield and curve confidence levels must be between 0 and 1");
        }

        var method = yieldConfidence >= 0.95 - 1e-12 && curveConfidence >= 0.95 - 1e-12 ? EstimationMethod.Merkle95 : EstimationMethod.Merkle83;
        var noCovariance = curve.Covariance.Equals(CovarianceMatrix.Zero);
        if (noCovariance)
        {
            // Biodose Tools correct_conf_int: without a covariance the curve is exact, so the whole
            // 95 % goes to the yield.
            yieldConfidence = 0.95;
            curveConfidence = 0;
        }

        var r = curveConfidence > 0 ? Math.Sqrt(Stats.ChiSquareQuantile(curveConfidence, curve.ParameterCount)) : 0;
        var bands = new BandGrid(curve, options.ProtractionG, r);
        var standard = noCovariance || (yieldConfidence == curveConfidence && (yieldConfidence == 0.83 || yieldConfidence == 0.95));
        var levels = standard ? null : string.Create(CultureInfo.InvariantCulture, $"Merkle with a {yieldConfidence:P0} yield interval and a {curveConfidence:P0} curve band (R² = {r * r:F2}).");
        var results = new DoseEstimate[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            results[i] = MerkleOne(curve, rows[i], yieldConfidence, options, method, noCovariance, bands);
            if (levels is not null)
            {
                results[i] = results[i] with { Warnings = [levels, .. results[i].Warnings] };
            }
        }

        return results;
    }

    private static DoseEstimate MerkleOne(CalibrationCurve curve, CountRow row, double yieldConfidence, EstimationOptions options, EstimationMethod method, bool noCovariance, BandGrid bands)
    {
        var warnings = new List<string>();
        var g = options.ProtractionG;
        if (noCovariance)
        {
            warnings.Add("The curve has no covariance: its uncertainty is ignored and the yield interval is taken at 95 %.");
        }

        var (x, n) = EffectiveCounts(row, options, warnings);
        var y = x / n;
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
        var estimate = curve.Dose(y, g);
        if (y <= curve.C)
        {
            warnings.Add("The observed yield is at or below the background yield of the curve: the dose estimate is 0 Gy.");
        }

        if (!bands.Monotone)
        {
            warnings.Add("The confidence band of the curve is not monotone in dose: the limits are the outermost doses consistent with the data (conservative). Compare with the delta method.");
        }

        // Lower dose: the smallest D whose upper band reaches yL.
        var lowerDose = bands.FirstUpperAtLeast(yL);
        if (lowerDose is null)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The curve does not reach the lower yield limit below {MaxDose} Gy: not estimable with this curve."));
            return new DoseEstimate(row.Id, method, new Interval(yL, y, yU), null, null, null, warnings);
        }

        // Upper dose: the largest D whose lower band is still at or below yU.
        var upperDose = bands.LastLowerAtMost(yU);
        if (double.IsPositiveInfinity(upperDose))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Upper limit not estimable: the lower confidence band of the curve stays below the upper yield limit up to {MaxDose} Gy (the band is too wide or not monotone). Use the delta method or a better-determined curve."));
        }

        return new DoseEstimate(row.Id, method, new Interval(yL, y, yU), new Interval(Math.Min(lowerDose.Value, estimate), estimate, Math.Max(upperDose, estimate)), null, null, warnings);
    }

    /// <summary>The curve's upper and lower Merkle bands tabulated on [0, MaxDose], with exact roots by Brent.</summary>
    private sealed class BandGrid
    {
        private readonly CalibrationCurve _curve;
        private readonly double _g;
        private readonly double _r;
        private readonly double[] _upper = new double[GridPoints + 1];
        private readonly double[] _lower = new double[GridPoints + 1];
        private const double Step = MaxDose / GridPoints;

        public BandGrid(CalibrationCurve curve, double g, double r)
        {
            _curve = curve;
            _g = g;
            _r = r;
            Monotone = true;
            for (var k = 0; k <= GridPoints; k++)
            {
                _upper[k] = Upper(k * Step);
                _lower[k] = Lower(k * Step);
                if (k > 0 && (_upper[k] < _upper[k - 1] || _lower[k] < _lower[k - 1]))
                {
                    Monotone = false;
                }
            }
        }

        public bool Monotone { get; }

        private double Upper(double d) => _curve.Yield(d, _g) + (_r * Math.Sqrt(Math.Max(0, _curve.YieldVariance(d, _g))));

        private double Lower(double d) => _curve.Yield(d, _g) - (_r * Math.Sqrt(Math.Max(0, _curve.YieldVariance(d, _g))));

        /// <summary>The smallest D in [0, MaxDose] with Upper(D) ≥ y, or null if none.</summary>
        public double? FirstUpperAtLeast(double y)
        {
            if (_upper[0] >= y)
            {
                return 0;
            }

            int first;
            if (Monotone)
            {
                // Binary search for the first grid point at or above y.
                if (_upper[GridPoints] < y)
                {
                    return null;
                }

                int lo = 0, hi = GridPoints;
                while (hi - lo > 1)
                {
                    var mid = (lo + hi) / 2;
                    if (_upper[mid] >= y)
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid;
                    }
                }

                first = hi;
            }
            else
            {
                first = -1;
                for (var k = 1; k <= GridPoints; k++)
                {
                    if (_upper[k] >= y)
                    {
                        first = k;
                        break;
                    }
                }

                if (first < 0)
                {
                    return null;
                }
            }

            return RootFinder.Brent(d => Upper(d) - y, (first - 1) * Step, first * Step) ?? first * Step;
        }

        /// <summary>The largest D in [0, MaxDose] with Lower(D) ≤ y; +∞ when Lower(MaxDose) ≤ y; 0 when Lower(0) &gt; y.</summary>
        public double LastLowerAtMost(double y)
        {
            if (_lower[GridPoints] <= y)
            {
                return double.PositiveInfinity;
            }

            if (_lower[0] > y)
            {
                return 0;
            }

            int last;
            if (Monotone)
            {
                // Binary search for the last grid point at or below y (_lower[0] ≤ y < _lower[GridPoints]).
                int lo = 0, hi = GridPoints;
                while (hi - lo > 1)
                {
                    var mid = (lo + hi) / 2;
                    if (_lower[mid] <= y)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                last = lo;
            }
            else
            {
                last = 0;
                for (var k = GridPoints - 1; k >= 0; k--)
                {
                    if (_lower[k] <= y)
                    {
                        last = k;
                        break;
                    }
                }
            }

            return RootFinder.Brent(d => Lower(d) - y, last * Step, (last + 1) * Step) ?? last * Step;
        }
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
}
