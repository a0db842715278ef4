using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Care.Laboratory;

/// <summary>One point of a curve's chart: the fitted yield and its confidence band at a dose.</summary>
public sealed record CurveBandPoint(double DoseGy, double Yield, double Lower, double Upper);

/// <summary>
/// The confidence band of a calibration curve's yield, for charts. Delta method (IAEA
/// EPR-Biodosimetry 2011 §9.7.3, the variance Merkle's band uses): Y(D) = C + αD + βD² has gradient
/// g = (1, D, D²) over (C, α, β), so var Y(D) = gᵀVg = V_CC + V_ααD² + V_ββD⁴ + 2V_CαD + 2V_CβD² +
/// 2V_αβD³ (<see cref="CalibrationCurve.YieldVariance"/>); the pointwise 95 % band is
/// Y ± 1.96·√var, its lower limit floored at 0 (a yield cannot be negative).
/// </summary>
public static class CurveBand
{
    /// <summary>z for a two-sided 95 % normal interval (Φ⁻¹(0.975)).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The band from 0 to <paramref name="maxDoseGy"/> in <paramref name="steps"/> equal steps.</summary>
    public static IReadOnlyList<CurveBandPoint> Compute(CalibrationCurve curve, double maxDoseGy = 5, int steps = 50)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!(maxDoseGy > 0) || !double.IsFinite(maxDoseGy))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDoseGy), "must be a positive dose");
        }

        var points = new CurveBandPoint[steps + 1];
        for (var i = 0; i <= steps; i++)
        {
            var d = maxDoseGy * i / steps;
            var y = curve.Yield(d);
            var half = Z95 * Math.Sqrt(Math.Max(0, curve.YieldVariance(d)));
            points[i] = new CurveBandPoint(d, y, Math.Max(0, y - half), y + half);
        }

        return points;
    }
}
