namespace RadRegen.Dosimetry.Estimation;

/// <summary>
/// Protracted and fractionated exposure: the Lea–Catcheside dose-protraction factor (Lea &amp;
/// Catcheside 1942; IAEA 2011 §9.7.5.1 Eq. (19)): G(x) = (2/x²)(x − 1 + e^{−x}), x = t/t0, with t the
/// exposure duration and t0 the mean lifetime of the repairable lesions (about 2 h, IAEA 2011). The
/// curve becomes Y = C + αD + G·βD². Note the sign +e^{−x}: the Biodose Tools help text prints
/// "− e^{−x}" by mistake (reference/dosimetry/methods.md).
/// </summary>
public static class Protraction
{
    /// <summary>Default mean repair time t0 = 2 h (IAEA 2011 §9.7.5.1).</summary>
    public const double DefaultRepairTimeHours = 2.0;

    /// <summary>G for an exposure lasting <paramref name="durationHours"/> with repair time t0.</summary>
    /// <exception cref="DosimetryInputException">A negative duration or a non-positive t0.</exception>
    public static double G(double durationHours, double repairTimeHours = DefaultRepairTimeHours)
    {
        if (!(durationHours >= 0) || double.IsInfinity(durationHours))
        {
            throw new DosimetryInputException("--protracted-hours", $"the exposure time must be ≥ 0 hours, got {durationHours}");
        }

        if (!(repairTimeHours > 0) || double.IsInfinity(repairTimeHours))
        {
            throw new DosimetryInputException("--repair-time", $"must be > 0 hours, got {repairTimeHours}");
        }

        var x = durationHours / repairTimeHours;
        if (x < 1e-4)
        {
            // Series 1 − x/3 + x²/12 avoids cancellation for short exposures.
            return 1 - (x / 3) + (x * x / 12);
        }

        return 2 / (x * x) * (x - 1 + Math.Exp(-x));
    }

    /// <summary>
    /// G for n acute fractions separated by more than about 6 h (complete repair between them):
    /// each fraction adds its own quadratic term, so G = 1/n for equal fractions (IAEA 2011 §9.7.5.1).
    /// </summary>
    public static double GForEqualFractions(int fractions) =>
        fractions >= 1 ? 1.0 / fractions : throw new DosimetryInputException("fractions", $"must be ≥ 1, got {fractions}");
}
