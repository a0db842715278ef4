using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>
/// Partial-body exposure by Dolphin's contaminated Poisson method (Dolphin 1969, IAEA 2011 §9.8.1;
/// Biodose Tools <c>estimate_partial_body_dolphin</c>).
/// </summary>
public static class PartialBodyEstimator
{
    /// <summary>
    /// Dolphin: the yield λ in irradiated cells solves λ/(1 − e^{−λ}) = X/(N − C0) (maximum likelihood
    /// of the zero-truncated Poisson); f = X/(λN) is the fraction of scored cells that were irradiated;
    /// Cov(λ, f) is the inverse observed Fisher information of the zero-inflated Poisson with
    /// A = f + (1 − f)e^{λ}: I11 = N f[(f − 1)/A + 1/λ], I12 = N/A, I22 = N(e^{λ} − 1)/(f·A).
    /// The dose and its CI follow by the delta method with σ_λ from that matrix; the irradiated fraction
    /// of the body is F = f e^{D/D0}/(1 − f + f e^{D/D0}) (lymphocyte survival, D0 = 2.7 Gy, IAEA 2011
    /// §9.8.1), with its SE by the delta method over (C, α, β, λ, f), covariance blockdiag(V_curve,
    /// Cov(λ, f)) — written with the parentheses that Biodose Tools' linear-curve formula lacks
    /// (reference/dosimetry/methods.md). CIs are ±z·SE, doses truncated at 0 and fractions clamped to [0, 1].
    /// Not estimable (a clear answer, not an error) when no cell carries two or more aberrations.
    /// </summary>
    public static DoseEstimate Dolphin(CalibrationCurve curve, CountRow row, double confidence = 0.95, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(row);
        options ??= EstimationOptions.Default;
        options.Validate();
        var warnings = new List<string>();
        if (!row.HasDistribution)
        {
            warnings.Add("Dolphin's method needs the distribution of aberrations among cells (C0, C1, C2, …); only totals are known.");
            return new DoseEstimate(row.Id, EstimationMethod.Dolphin, null, null, null, null, warnings);
        }

        double n = row.Cells;
        double c0 = row.CellsWith(0);
        double c1 = row.CellsWith(1);
        if (n - c0 - c1 <= 0)
        {
            warnings.Add("Not estimable by Dolphin's method: no cell has two or more aberrations, so the irradiated fraction cannot be separated from the yield. Report the whole-body estimate.");
            return new DoseEstimate(row.Id, EstimationMethod.Dolphin, null, null, null, null, warnings);
        }

        var (x, _) = WholeBodyEstimator.EffectiveCounts(row, options, warnings);
        var ratio = x / (n - c0);
        if (ratio <= 1)
        {
            warnings.Add("Not estimable by Dolphin's method: after background subtraction the aberrated cells carry on average one aberration or fewer.");
            return new DoseEstimate(row.Id, EstimationMethod.Dolphin, null, null, null, null, warnings);
        }

        // λ/(1 − e^{−λ}) is increasing from 1 at λ → 0; solve on (0, ratio] (λ < ratio always).
        var lambda = RootFinder.Brent(l => (l / -double.ExpM1(-l)) - ratio, 1e-12, ratio + 1)
            ?? throw new InvalidOperationException("Dolphin root not bracketed.");

        // For translocations λ is converted to full genome after solving (Biodose Tools; reference/dosimetry/methods.md).
        lambda /= options.GenomeFactor;
        var f = x / (lambda * n);
        if (f > 1)
        {
            warnings.Add("The fraction of irradiated cells came out above 1: the data are consistent with whole-body exposure.");
        }

        var a = f + ((1 - f) * Math.Exp(lambda));
        var i11 = n * f * (((f - 1) / a) + (1 / lambda));
        var i12 = n / a;
        var i22 = n * double.ExpM1(lambda) / (f * a);
        var cov = SmallMatrix.InvertSpd(new[,] { { i11, i12 }, { i12, i22 } });
        if (cov is null)
        {
            warnings.Add("Not estimable by Dolphin's method: the Fisher information of (λ, f) is singular for these counts.");
            return new DoseEstimate(row.Id, EstimationMethod.Dolphin, null, null, null, null, warnings);
        }

        var z = Stats.TwoSidedZ(confidence);
        var g = options.ProtractionG;
        var sdLambda = Math.Sqrt(cov[0, 0]);
        var sdF = Math.Sqrt(cov[1, 1]);
        var yield = Interval.Wald(lambda, sdLambda, z);
        yield = yield with { Lower = Math.Max(0, yield.Lower) };
        var cellFraction = Interval.Wald(f, sdF, z).Clamp(0, 1);

        if (lambda <= curve.C)
        {
            warnings.Add("The yield in irradiated cells is at or below the background yield: dose 0 Gy.");
            return new DoseEstimate(row.Id, EstimationMethod.Dolphin, yield, new Interval(0, 0, curve.Dose(yield.Upper, g)), null, cellFraction, warnings);
        }

        var d = curve.Dose(lambda, g);
        var (dC, dA, dB, dL) = curve.DoseGradient(lambda, g);
        var varD = curve.Covariance.QuadraticForm(dC, dA, dB) + (dL * dL * cov[0, 0]);
        var dose = Interval.Wald(d, Math.Sqrt(Math.Max(0, varD)), z);
        dose = dose with { Lower = Math.Max(0, dose.Lower) };

        // F and its delta-method SE.
        var d0 = options.SurvivalD0;
        var e = Math.Exp(d / d0);
        var den = 1 - f + (f * e);
        var bodyF = f * e / den;
        var dFdf = e / (den * den);
        var dFdD = f * (1 - f) * e / d0 / (den * den);
        var dFdLambda = dFdD * dL;
        var varF = (dFdD * dFdD * curve.Covariance.QuadraticForm(dC, dA, dB))
            + (dFdLambda * dFdLambda * cov[0, 0])
            + (2 * dFdLambda * dFdf * cov[0, 1])
            + (dFdf * dFdf * cov[1, 1]);
        var body = Interval.Wald(bodyF, Math.Sqrt(Math.Max(0, varF)), z).Clamp(0, 1);
        return new DoseEstimate(row.Id, EstimationMethod.Dolphin, yield, dose, body, cellFraction, warnings);
    }
}
