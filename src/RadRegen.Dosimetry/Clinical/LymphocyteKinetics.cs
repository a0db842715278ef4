using System.Globalization;
using System.Runtime.CompilerServices;
namespace RadRegen.Dosimetry.Clinical;

/// <summary>One absolute lymphocyte count.</summary>
/// <param name="HoursAfterExposure">Time of the sample after exposure, hours.</param>
/// <param name="Count">Absolute lymphocyte count, ×10⁹/L.</param>
public readonly record struct LymphocyteSample(double HoursAfterExposure, double Count);

/// <summary>The result of the lymphocyte-depletion estimate.</summary>
/// <param name="K">Depletion rate constant K, per day (L(t) = L0·e^{−Kt}); null when fewer than two counts lie within the first 8 h.</param>
/// <param name="KStandardError">Standard error of K from the regression (null with two samples).</param>
/// <param name="L0">Fitted count at t = 0, ×10⁹/L; null when K is.</param>
/// <param name="Dose">Dose in Gy with an approximate 95 % CI; null when not estimable.</param>
/// <param name="WithinValidity">True when the dose lies in Goans' validity range 0–15 Gy.</param>
/// <param name="Warnings">Limits of the estimate.</param>
/// <param name="CountsOutsideWindow">Counts later than the first 8 h, left out of the fit (the warnings say which).</param>
public sealed record KineticsEstimate(double? K, double? KStandardError, double? L0, Interval? Dose, bool WithinValidity, IReadOnlyList<string> Warnings, int CountsOutsideWindow = 0);

/// <summary>
/// Dose from early lymphocyte depletion kinetics (Goans et al. 1997, Health Phys 72:513): the counts
/// fall as L(t) = L0·e^{−K t}; K is fitted by least squares on ln L against t (days) from two or more
/// serial counts, and D = a/(1 + b/K) with a = 13.6 ± 1.7 Gy and b = 1.0 ± 0.20 d⁻¹, derived from 43
/// gamma accident cases, valid for 0–15 Gy and intended as a first approximation. K is fitted only
/// from counts within the first 8 h after exposure, the window of the published fit (Goans 1997:
/// "K can be computed from serial counts within the first 8 h"): the single exponential is the early
/// depletion, and later counts, where the log-count curve flattens, would lower K and the dose
/// (reference/clinical F6). Later counts are left out and a warning says so; this is the one place
/// the rule lives (the command line and the care assessment both call <see cref="Estimate"/>).
/// </summary>
public static class LymphocyteKinetics
{
    /// <summary>Goans 1997: a = 13.6 Gy.</summary>
    public const double A = 13.6;

    /// <summary>Goans 1997: uncertainty of a, 1.7 Gy.</summary>
    public const double ASe = 1.7;

    /// <summary>Goans 1997: b = 1.0 per day.</summary>
    public const double B = 1.0;

    /// <summary>Goans 1997: uncertainty of b, 0.20 per day.</summary>
    public const double BSe = 0.20;

    /// <summary>Goans 1997: the fit is valid for doses up to 15 Gy.</summary>
    public const double MaxValidDose = 15;

    /// <summary>Goans 1997: K from serial counts within the first 8 h after exposure.</summary>
    public const double WindowHours = 8;

    /// <summary>D = a/(1 + b/K) for K in per day (Goans 1997).</summary>
    public static double DoseFromK(double kPerDay) => A / (1 + (B / kPerDay));

    /// <summary>Fits K to the samples within the first <see cref="WindowHours"/> h and converts it to a dose.</summary>
    /// <remarks>Fewer than two counts within the window give no K and no dose, with a warning saying why.</remarks>
    /// <exception cref="DosimetryInputException">Fewer than two samples, times not increasing, or a count ≤ 0.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static KineticsEstimate Estimate(IReadOnlyList<LymphocyteSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            throw new DosimetryInputException("--lymphocytes", "needs two or more serial counts");
        }

        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (!(s.HoursAfterExposure >= 0) || double.IsInfinity(s.HoursAfterExposure))
            {
                throw new DosimetryInputException($"--lymphocytes sample {i + 1}: time", $"must be ≥ 0 h after exposure (got {s.HoursAfterExposure})");
            }

            if (!(s.Count > 0) || double.IsInfinity(s.Count))
            {
                throw new DosimetryInputException($"--lymphocytes sample {i + 1}: count", $"must be a positive count ×10⁹/L (got {s.Count})");
            }

            if (i > 0 && s.HoursAfterExposure <= samples[i - 1].HoursAfterExposure)
            {
                throw new DosimetryInputException($"--lymphocytes sample {i + 1}: time", $"times must be in increasing order ({s.HoursAfterExposure} h follows {samples[i - 1].HoursAfterExposure} h)");
            }
        }

        var used = samples.Where(s => s.HoursAfterExposure <= WindowHours).ToList();
        var later = samples.Count - used.Count;
        if (used.Count < 2)
        {
            return new KineticsEstimate(null, null, null, null, false,
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"Not estimated: Goans 1997 fits K from serial counts within the first {WindowHours:0} h after exposure, and {used.Count} of {samples.Count} count(s) lie in that window (two or more are needed); later counts are not used."),
            ], later);
        }

        var n = used.Count;
        var t = used.Select(s => s.HoursAfterExposure / 24).ToArray();
        var y = used.Select(s => Math.Log(s.Count)).ToArray();
        var tm = t.Average();
        var ym = y.Average();
        double sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sxx += (t[i] - tm) * (t[i] - tm);
            sxy += (t[i] - tm) * (y[i] - ym);
        }

        var slope = sxy / sxx;
        var k = -slope;
        var l0 = Math.Exp(ym - (slope * tm));
        double? kSe = null;
        if (n > 2)
        {
            double rss = 0;
            for (var i = 0; i < n; i++)
            {
                var r = y[i] - (ym + (slope * (t[i] - tm)));
                rss += r * r;
            }

            kSe = Math.Sqrt(rss / (n - 2) / sxx);
        }

        var warnings = new List<string>
        {
            "Goans 1997 is a first approximation from 43 gamma accident cases; counts are confounded by drugs, infection, trauma and diurnal variation, and it is not validated in children.",
        };
        if (later > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{later} count(s) after the first {WindowHours:0} h (at {LaterTimes(samples)}) are not used: Goans 1997 fits K from serial counts within the first 8 h."));
        }

        if (k <= 0)
        {
            warnings.Add("The counts do not fall (K ≤ 0): outside the validity of Goans' model, no dose is estimated. Counts staying in the normal range make a significant dose unlikely (REMM).");
            return new KineticsEstimate(k, kSe, l0, null, false, warnings, later);
        }

        var d = DoseFromK(k);

        // Delta method over (a, b, K): ∂D/∂a = K/(K + b), ∂D/∂b = −aK/(K + b)², ∂D/∂K = ab/(K + b)².
        var kb = k + B;
        var dDa = k / kb;
        var dDb = -A * k / (kb * kb);
        var dDk = A * B / (kb * kb);
        var varD = (dDa * dDa * ASe * ASe) + (dDb * dDb * BSe * BSe) + (kSe is { } se ? dDk * dDk * se * se : 0);
        const double z = 1.959963984540054; // Φ⁻¹(0.975)
        var sd = Math.Sqrt(varD);
        var dose = new Interval(Math.Max(0, d - (z * sd)), d, d + (z * sd));
        if (kSe is null)
        {
            warnings.Add("Two counts only: the CI covers the uncertainty of Goans' constants, not that of K.");
        }

        var valid = d is >= 0 and <= MaxValidDose;
        if (d > 10)
        {
            warnings.Add("K is near saturation of Goans' curve (D approaches a = 13.6 Gy): doses above about 10 Gy are poorly resolved by kinetics.");
        }

        return new KineticsEstimate(k, kSe, l0, dose, valid, warnings, later);
    }

    // The first few left-out times, so a week of 6-hourly counts stays one readable line.
    // Only the times shown are formatted (an import's victims have a week of counts each).
    private static string LaterTimes(IReadOnlyList<LymphocyteSample> samples)
    {
        var shown = new List<double>(5);
        var count = 0;
        foreach (var s in samples)
        {
            if (s.HoursAfterExposure > WindowHours)
            {
                count++;
                if (shown.Count < 4)
                {
                    shown.Add(s.HoursAfterExposure);
                }
                else
                {
                    shown[^1] = s.HoursAfterExposure; // the 4th place keeps the latest: shown as "… last" when there are more
                }
            }
        }

        static string Text(double hours) => hours.ToString("0.#", CultureInfo.InvariantCulture) + " h";
        return count <= 4
            ? string.Join(", ", shown.Select(Text))
            : string.Join(", ", shown.Take(3).Select(Text)) + $", … {Text(shown[^1])}";
    }
}
