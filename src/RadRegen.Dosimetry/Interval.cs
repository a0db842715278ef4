namespace RadRegen.Dosimetry;

/// <summary>An estimate with its lower and upper confidence limits (same unit for all three).</summary>
/// <param name="Lower">Lower confidence limit.</param>
/// <param name="Estimate">Point estimate.</param>
/// <param name="Upper">Upper confidence limit; <see cref="double.PositiveInfinity"/> when unbounded.</param>
public readonly record struct Interval(double Lower, double Estimate, double Upper)
{
    /// <summary>Maps all three values through <paramref name="f"/> (for a monotone increasing f).</summary>
    public Interval Map(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new Interval(f(Lower), f(Estimate), f(Upper));
    }

    /// <summary>Clamps all three values to [min, max].</summary>
    public Interval Clamp(double min, double max) =>
        new(Math.Clamp(Lower, min, max), Math.Clamp(Estimate, min, max), Math.Clamp(Upper, min, max));

    /// <summary>A symmetric Wald interval estimate ± z·se.</summary>
    public static Interval Wald(double estimate, double standardError, double z) =>
        new(estimate - (z * standardError), estimate, estimate + (z * standardError));
}
