using System.Globalization;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>How a low-dose case is to be reported.</summary>
/// <param name="PValueAboveBackground">One-sided exact Poisson p-value of X against the background N·C.</param>
/// <param name="AboveBackground">True when that p-value is below α.</param>
/// <param name="UpperDose">Upper 95 % dose limit (Merkle 95/95), Gy; +∞ when unbounded.</param>
/// <param name="BadgeDose">The dose the likelihood ratio was taken at (for example a dosimeter badge), Gy.</param>
/// <param name="IncidenceRateRatio">Pois(X; N·C)/Pois(X; N·Y(D_badge)): how much more likely the counts are at 0 Gy than at the badge dose.</param>
/// <param name="Statement">The sentence to report.</param>
public sealed record LowDoseReport(double PValueAboveBackground, bool AboveBackground, double UpperDose, double? BadgeDose, double? IncidenceRateRatio, string Statement);

/// <summary>
/// Reporting of low doses (IAEA 2011 §9.7.3 and §9.7.6): when the aberration count is not significantly
/// above the background of the curve, the dose is reported as "not distinguishable from background,
/// below the upper 95 % limit"; the likelihood (odds) ratio of the counts under 0 Gy and under a
/// suspected dose is IAEA 2011 Table 9 (Biodose Tools <c>calculate_aberr_IRR</c>).
/// </summary>
public static class LowDose
{
    /// <summary>Assesses whether the case is above background and what to report.</summary>
    public static LowDoseReport Report(CalibrationCurve curve, CountRow row, double? badgeDose = null, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(row);
        if (badgeDose is { } b && !(b >= 0 && double.IsFinite(b)))
        {
            throw new DosimetryInputException("--badge-dose", $"must be a dose ≥ 0 Gy (got {b})");
        }

        var background = row.Cells * curve.C;
        var x = (int)Math.Min(row.Aberrations, int.MaxValue);
        var p = background <= 0 ? (x > 0 ? 0 : 1) : Stats.PoissonUpper(x, background);
        var above = p < alpha;
        var upper = WholeBodyEstimator.Merkle(curve, row, 0.95, 0.95).Dose?.Upper ?? double.PositiveInfinity;
        double? irr = null;
        if (badgeDose is { } d)
        {
            var mBadge = row.Cells * curve.Yield(d);
            irr = Math.Exp(Stats.PoissonLogPmf(x, background) - Stats.PoissonLogPmf(x, mBadge));
        }

        var statement = above
            ? string.Create(CultureInfo.InvariantCulture, $"{x} aberrations in {row.Cells} cells are significantly above the background of the curve (p = {p:G3}).")
            : string.Create(CultureInfo.InvariantCulture, $"{x} aberrations in {row.Cells} cells are not significantly above the background of the curve (p = {p:G3}): report the dose as not distinguishable from background, below {(double.IsFinite(upper) ? upper.ToString("F2", CultureInfo.InvariantCulture) : "∞")} Gy (upper 95 % limit).");
        return new LowDoseReport(p, above, upper, badgeDose, irr, statement);
    }
}
