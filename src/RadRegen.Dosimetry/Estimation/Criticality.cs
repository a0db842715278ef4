using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>Gamma, neutron and total dose of a mixed-field (criticality) exposure, each (lower, estimate, upper) in Gy.</summary>
/// <param name="Gamma">Gamma dose.</param>
/// <param name="Neutron">Neutron dose.</param>
/// <param name="Total">Gamma + neutron.</param>
/// <param name="Warnings">Limits of the estimate.</param>
public sealed record CriticalityEstimate(Interval Gamma, Interval Neutron, Interval Total, IReadOnlyList<string> Warnings);

/// <summary>
/// Mixed neutron + gamma exposure with a known dose ratio (IAEA 2011 §9.7.5.2 iterative method in
/// closed form, as Fornalski 2014 and Pacyniak 2015; Biodose Tools <c>fun.estimate.criticality</c>).
/// </summary>
public static class Criticality
{
    /// <summary>
    /// With r = 1/ratio (D_n = r·D_g) and p the photon contribution contained in the neutron
    /// calibration, solve a·D_g² + b·D_g + c = 0 for D_g with c = (C_n + C_g)/2 − y,
    /// b = α_g + r(α_n − pα_g)/(1 − p), a = β_g + r²·max(0, β_n − p²β_g)/(1 − p)²; D_n = r·D_g.
    /// SEs by the delta method over (C_g, α_g, β_g, C_n, α_n, β_n, y) with var(y) = X/N² (Poisson), the
    /// two curves independent; CIs ±z·SE, truncated at 0.
    /// </summary>
    /// <param name="gamma">Gamma calibration curve.</param>
    /// <param name="neutron">Neutron calibration curve (usually linear).</param>
    /// <param name="ratio">Gamma dose / neutron dose (&gt; 0).</param>
    /// <param name="row">The case's cells and aberrations.</param>
    /// <param name="photonFraction">p: photon contribution contained in the neutron calibration, [0, 1).</param>
    /// <param name="confidence">Two-sided confidence level.</param>
    public static CriticalityEstimate Estimate(CalibrationCurve gamma, CalibrationCurve neutron, double ratio, CountRow row, double photonFraction = 0, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(neutron);
        ArgumentNullException.ThrowIfNull(row);
        if (!(ratio > 0) || double.IsInfinity(ratio))
        {
            throw new DosimetryInputException("--ratio", $"the gamma/neutron dose ratio must be a positive number (got {ratio})");
        }

        if (!(photonFraction >= 0 && photonFraction < 1))
        {
            throw new DosimetryInputException("--photon-fraction", $"must be in [0, 1) (got {photonFraction})");
        }

        var warnings = new List<string>();
        var r = 1 / ratio;
        var p = photonFraction;
        var y = row.Mean;
        var varY = row.Aberrations / ((double)row.Cells * row.Cells);
        var betaExcess = neutron.Beta - (p * p * gamma.Beta);
        var betaPos = betaExcess > 0;
        var a = gamma.Beta + (r * r * (betaPos ? betaExcess : 0) / ((1 - p) * (1 - p)));
        var b = gamma.Alpha + (r * (neutron.Alpha - (p * gamma.Alpha)) / (1 - p));
        var c = ((neutron.C + gamma.C) / 2) - y;

        double dg;
        if (c >= 0)
        {
            dg = 0;
            warnings.Add("The observed yield is at or below the mean background of the two curves: dose 0 Gy.");
        }
        else if (a == 0)
        {
            dg = -c / b;
        }
        else
        {
            dg = 2 * -c / (b + Math.Sqrt((b * b) - (4 * a * c)));
        }

        // Implicit differentiation of F = a·D² + b·D + c = 0: ∂D/∂θ = −(∂a/∂θ·D² + ∂b/∂θ·D + ∂c/∂θ)/(2aD + b).
        var slope = (2 * a * dg) + b;
        var k2 = (1 - p) * (1 - p);
        double[] da = [0, 0, 1 - (betaPos ? r * r * p * p / k2 : 0), 0, 0, betaPos ? r * r / k2 : 0, 0];
        double[] db = [0, 1 - (r * p / (1 - p)), 0, 0, r / (1 - p), 0, 0];
        double[] dc = [0.5, 0, 0, 0.5, 0, 0, -1];
        var grad = new double[7];
        for (var i = 0; i < 7; i++)
        {
            grad[i] = -((da[i] * dg * dg) + (db[i] * dg) + dc[i]) / slope;
        }

        var varDg = gamma.Covariance.QuadraticForm(grad[0], grad[1], grad[2])
            + neutron.Covariance.QuadraticForm(grad[3], grad[4], grad[5])
            + (grad[6] * grad[6] * varY);
        var sd = Math.Sqrt(Math.Max(0, varDg));
        var z = Stats.TwoSidedZ(confidence);
        Interval Make(double factor) => new(Math.Max(0, factor * (dg - (z * sd))), factor * dg, factor * (dg + (z * sd)));
        if (dg == 0)
        {
            return new CriticalityEstimate(new Interval(0, 0, 0), new Interval(0, 0, 0), new Interval(0, 0, 0), warnings);
        }

        return new CriticalityEstimate(Make(1), Make(r), Make(1 + r), warnings);
    }
}
