namespace RadRegen.Benchmarks;

/// <summary>The percentiles the benchmarks report, one definition for all of them.</summary>
internal static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile of <paramref name="sorted"/> (ascending): the smallest value with at
    /// least a share <paramref name="q"/> of the values at or below it; NaN for no values.
    /// </summary>
    public static double NearestRank(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
