using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>
/// Heterogeneous exposure by a two-component mixed Poisson model (Pujol et al. 2016, Radiat Res
/// 185:151; IAEA 2011 §9.8.2; Biodose Tools <c>estimate_hetero_mixed_poisson</c>), dicentrics only.
/// </summary>
public static class HeterogeneousEstimator
{
    /// <summary>
    /// Fits P(Y = k) = ω·Pois(k; λ1) + (1 − ω)·Pois(k; λ2) to the per-cell counts by maximum likelihood:
    /// EM from several deterministic starts (no random seed, unlike Biodose Tools' mixtools start),
    /// within the bounds of Biodose Tools' L-BFGS-B step (ω ∈ [0.01, 0.99], λ ≥ 0.01), then the
    /// covariance is the inverse of the observed information (numerical Hessian of the analytic
    /// gradient). Components are ordered λ1 ≥ λ2. Yields ±z·SE; doses from the inverse curve with the
    /// delta method; D2 = 0 when λ2 ≤ 0.01. The irradiated fraction of the body for component 1 is
    /// F1 = ω/(ω + (1 − ω)·exp((D2 − D1)/D0)) (lymphocyte survival, D0 = 2.7 Gy), F2 = 1 − F1, with SE
    /// by the delta method over (ω, D1, D2), D0 taken as exact.
    /// </summary>
    public static DoseEstimate MixedPoisson(CalibrationCurve curve, CountRow row, double confidence = 0.95, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(row);
        options ??= EstimationOptions.Default;
        options.Validate();
        var warnings = new List<string>();
        if (curve.Assay != Assay.Dicentric)
        {
            warnings.Add("The mixed Poisson model is validated for dicentrics only (Pujol et al. 2016); interpret with care for this assay.");
        }

        if (!row.HasDistribution)
        {
            warnings.Add("The mixed Poisson model needs the distribution of aberrations among cells; only totals are known.");
            return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, null, null, null, null, warnings);
        }

        var counts = row.Distribution!.Select(c => (double)c).ToArray();
        if (counts.Length < 3 || row.Aberrations == 0 || counts.Skip(2).All(c => c == 0))
        {
            warnings.Add("Not estimable by the mixed Poisson model: at least some cells with two or more aberrations are needed to separate two components.");
            return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, null, null, null, null, warnings);
        }

        if (row.DispersionIndex is { } di && di <= 1)
        {
            // A mixture of Poissons always has variance ≥ mean; without over-dispersion its maximum
            // likelihood collapses to one Poisson (λ1 = λ2) and the components are not identifiable.
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Not estimable by the mixed Poisson model: the counts are not over-dispersed (DI = {di:F3} ≤ 1), so two components cannot be separated; the exposure looks homogeneous. Use the whole-body estimate."));
            return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, null, null, null, null, warnings);
        }

        var theta = Fit(counts);
        if (Math.Abs(theta[1] - theta[2]) <= 1e-6 * Math.Max(theta[1], 1e-3))
        {
            warnings.Add("Not estimable by the mixed Poisson model: the best fit has two equal components (a single Poisson); the exposure looks homogeneous. Use the whole-body estimate.");
            return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, null, null, null, null, warnings);
        }

        var cov = Covariance(counts, theta);
        if (cov is null)
        {
            warnings.Add("The mixed Poisson fit is degenerate (the information matrix is singular): the two components cannot be separated; use the whole-body or Dolphin estimate.");
            return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, null, null, null, null, warnings);
        }

        var (w, l1, l2) = (theta[0], theta[1], theta[2]);
        if (w <= 0.0100001 || w >= 0.9899999)
        {
            warnings.Add("The mixing proportion is at its bound (0.01 or 0.99): the data hardly support two components.");
        }

        var z = Stats.TwoSidedZ(confidence);
        var g = options.ProtractionG;
        var d1 = curve.Dose(l1, g);
        var d2 = l2 <= 0.01 ? 0 : curve.Dose(l2, g);
        var sd1 = l1 > curve.C ? WholeBodyEstimator.DoseStandardError(curve, l1, Math.Sqrt(cov[1, 1]), g) : 0;
        var sd2 = l2 > 0.01 && l2 > curve.C ? WholeBodyEstimator.DoseStandardError(curve, l2, Math.Sqrt(cov[2, 2]), g) : 0;

        var d0 = options.SurvivalD0;
        var e = Math.Exp((d2 - d1) / d0);
        var den = w + ((1 - w) * e);
        var f1 = w / den;
        var dFdw = e / (den * den);
        var dFdD1 = w * (1 - w) * e / d0 / (den * den);
        var dFdD2 = -dFdD1;
        var varF = (dFdw * dFdw * cov[0, 0]) + (dFdD1 * dFdD1 * sd1 * sd1) + (dFdD2 * dFdD2 * sd2 * sd2);
        var sdF = Math.Sqrt(Math.Max(0, varF));

        DoseComponent Component(double lambda, double sdLambda, double dose, double sdDose, double omega, double frac) =>
            new(
                Interval.Wald(lambda, sdLambda, z).Clamp(0, double.PositiveInfinity),
                Interval.Wald(dose, sdDose, z).Clamp(0, double.PositiveInfinity),
                Interval.Wald(omega, Math.Sqrt(cov[0, 0]), z).Clamp(0, 1),
                Interval.Wald(frac, sdF, z).Clamp(0, 1));

        var c1 = Component(l1, Math.Sqrt(cov[1, 1]), d1, sd1, w, f1);
        var c2 = Component(l2, Math.Sqrt(cov[2, 2]), d2, sd2, 1 - w, 1 - f1);
        return new DoseEstimate(row.Id, EstimationMethod.MixedPoisson, c1.Yield, c1.Dose, c1.BodyFraction, c1.CellProportion, warnings)
        {
            Components = [c1, c2],
        };
    }

    internal static double LogLikelihood(double[] counts, double[] t)
    {
        var ll = 0.0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            var p = (t[0] * Math.Exp(Stats.PoissonLogPmf(k, t[1]))) + ((1 - t[0]) * Math.Exp(Stats.PoissonLogPmf(k, t[2])));
            ll += counts[k] * Math.Log(p);
        }

        return ll;
    }

    private static double[] Gradient(double[] counts, double[] t)
    {
        var gr = new double[3];
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] == 0)
            {
                continue;
            }

            var p1 = Math.Exp(Stats.PoissonLogPmf(k, t[1]));
            var p2 = Math.Exp(Stats.PoissonLogPmf(k, t[2]));
            var p = (t[0] * p1) + ((1 - t[0]) * p2);
            gr[0] += counts[k] * (p1 - p2) / p;
            gr[1] += counts[k] * t[0] * p1 * ((k / t[1]) - 1) / p;
            gr[2] += counts[k] * (1 - t[0]) * p2 * ((k / t[2]) - 1) / p;
        }

        return gr;
    }

    private static double[] Fit(double[] counts)
    {
        double n = 0, x = 0;
        for (var k = 0; k < counts.Length; k++)
        {
            n += counts[k];
            x += k * counts[k];
        }

        var mean = x / n;
        double[][] starts =
        [
            [0.5, mean * 1.5, mean * 0.5],
            [0.3, mean * 2.5, mean * 0.3],
            [0.7, mean * 1.2, mean * 0.1],
            [0.1, counts.Length - 1.0, mean],
        ];
        double[]? best = null;
        var bestLl = double.NegativeInfinity;
        foreach (var s in starts)
        {
            var t = Em(counts, [Math.Clamp(s[0], 0.01, 0.99), Math.Max(s[1], 0.01), Math.Max(s[2], 0.01)]);
            var ll = LogLikelihood(counts, t);
            if (ll > bestLl)
            {
                bestLl = ll;
                best = t;
            }
        }

        var r = best!;
        if (r[2] > r[1])
        {
            r = [1 - r[0], r[2], r[1]];
        }

        return r;
    }

    private static double[] Em(double[] counts, double[] t)
    {
        for (var iter = 0; iter < 20000; iter++)
        {
            double sw = 0, swk = 0, s2 = 0, s2k = 0, n = 0;
            for (var k = 0; k < counts.Length; k++)
            {
                if (counts[k] == 0)
                {
                    continue;
                }

                var a = t[0] * Math.Exp(Stats.PoissonLogPmf(k, t[1]));
                var b = (1 - t[0]) * Math.Exp(Stats.PoissonLogPmf(k, t[2]));
                var r = a / (a + b);
                sw += counts[k] * r;
                swk += counts[k] * r * k;
                s2 += counts[k] * (1 - r);
                s2k += counts[k] * (1 - r) * k;
                n += counts[k];
            }

            double[] next =
            [
                Math.Clamp(sw / n, 0.01, 0.99),
                Math.Max(sw > 0 ? swk / sw : 0.01, 0.01),
                Math.Max(s2 > 0 ? s2k / s2 : 0.01, 0.01),
            ];
            var change = Math.Abs(next[0] - t[0]) + Math.Abs(next[1] - t[1]) + Math.Abs(next[2] - t[2]);
            t = next;
            if (change < 1e-13)
            {
                break;
            }
        }

        return t;
    }

    private static double[,]? Covariance(double[] counts, double[] t)
    {
        var h = new double[3, 3];
        for (var j = 0; j < 3; j++)
        {
            var step = 1e-6 * Math.Max(Math.Abs(t[j]), 1e-3);
            var tp = (double[])t.Clone();
            var tm = (double[])t.Clone();
            tp[j] += step;
            tm[j] -= step;
            var gp = Gradient(counts, tp);
            var gm = Gradient(counts, tm);
            for (var i = 0; i < 3; i++)
            {
                h[i, j] = -(gp[i] - gm[i]) / (2 * step);
            }
        }

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var avg = (h[i, j] + h[j, i]) / 2;
                h[i, j] = avg;
                h[j, i] = avg;
            }
        }

        return SmallMatrix.InvertSpd(h);
    }
}
