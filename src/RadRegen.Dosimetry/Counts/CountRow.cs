namespace RadRegen.Dosimetry.Counts;

/// <summary>
/// One row of a count table: a calibration dose point or a case. Either a full distribution of
/// cells by number of aberrations (C0..Ck), or only the totals N and X (aggregated data), in which
/// case the dispersion statistics are unknown.
/// </summary>
/// <remarks>
/// Statistics as in IAEA EPR-Biodosimetry 2011 §8.x and Biodose Tools <c>calculate_aberr_*</c>
/// (Hernández et al. 2023): N = ΣC_k, X = Σk·C_k, y = X/N, σ² = (Σk²C_k − X²/N)/(N − 1),
/// DI = σ²/y, u = (DI − 1)·√((N − 1)/(2(1 − 1/X))) (Papworth's u test; |u| &gt; 1.96 is over- or
/// under-dispersion at two-sided 5 %).
/// </remarks>
public sealed record CountRow
{
    private readonly long[]? _distribution;

    private CountRow(string id, double? dose, long cells, long aberrations, long[]? distribution)
    {
        Id = id;
        Dose = dose;
        Cells = cells;
        Aberrations = aberrations;
        _distribution = distribution;
    }

    /// <summary>Case identifier, or the dose as text for calibration rows.</summary>
    public string Id { get; }

    /// <summary>Dose in Gy for calibration rows; null for cases.</summary>
    public double? Dose { get; }

    /// <summary>N, number of cells scored.</summary>
    public long Cells { get; }

    /// <summary>X, number of aberrations.</summary>
    public long Aberrations { get; }

    /// <summary>C0..Ck when the distribution is known, otherwise null.</summary>
    public IReadOnlyList<long>? Distribution => _distribution;

    /// <summary>True when the full distribution C0..Ck is known.</summary>
    public bool HasDistribution => _distribution is not null;

    /// <summary>Mean yield y = X/N (aberrations per cell).</summary>
    public double Mean => Cells == 0 ? double.NaN : (double)Aberrations / Cells;

    /// <summary>Sample variance σ² = (Σk²C_k − X²/N)/(N − 1); null without a distribution or with N &lt; 2.</summary>
    public double? Variance
    {
        get
        {
            if (_distribution is null || Cells < 2)
            {
                return null;
            }

            double x2 = 0;
            for (var k = 0; k < _distribution.Length; k++)
            {
                x2 += (double)k * k * _distribution[k];
            }

            return (x2 - ((double)Aberrations * Aberrations / Cells)) / (Cells - 1);
        }
    }

    /// <summary>Dispersion index DI = σ²/y; null without a distribution or with X = 0.</summary>
    public double? DispersionIndex => Variance is { } v && Aberrations > 0 ? v / Mean : null;

    /// <summary>u = (DI − 1)·√((N − 1)/(2(1 − 1/X))); null when DI is unknown or X ≤ 1.</summary>
    public double? U => DispersionIndex is { } di && Aberrations > 1
        ? (di - 1) * Math.Sqrt((Cells - 1) / (2 * (1 - (1.0 / Aberrations))))
        : null;

    /// <summary>Empirical standard error of the yield √(σ²/N); null without a distribution.</summary>
    public double? YieldStandardError => Variance is { } v ? Math.Sqrt(v / Cells) : null;

    /// <summary>Cells with k aberrations (0 beyond the recorded columns); requires a distribution.</summary>
    public long CellsWith(int k) =>
        _distribution is null ? throw new InvalidOperationException("The distribution is not known.") :
        k < _distribution.Length ? _distribution[k] : 0;

    /// <summary>A row from the distribution C0..Ck.</summary>
    /// <exception cref="DosimetryInputException">A count is negative, or there is no cell.</exception>
    public static CountRow FromDistribution(string id, double? dose, IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0)
        {
            throw new DosimetryInputException(id, "needs at least the column C0");
        }

        var copy = new long[counts.Count];
        long n = 0, x = 0;
        for (var k = 0; k < counts.Count; k++)
        {
            if (counts[k] < 0)
            {
                throw new DosimetryInputException($"{id}: C{k}", $"must not be negative (got {counts[k]})");
            }

            copy[k] = counts[k];
            n = checked(n + counts[k]);
            x = checked(x + (k * counts[k]));
        }

        if (n == 0)
        {
            throw new DosimetryInputException(id, "has no cells (all of C0..Ck are 0)");
        }

        ValidateDose(id, dose);
        return new CountRow(id, dose, n, x, copy);
    }

    /// <summary>A row from totals only: N cells with X aberrations.</summary>
    /// <exception cref="DosimetryInputException">N ≤ 0 or X &lt; 0.</exception>
    public static CountRow FromTotals(string id, double? dose, long cells, long aberrations)
    {
        if (cells <= 0)
        {
            throw new DosimetryInputException($"{id}: N", $"must be a positive number of cells (got {cells})");
        }

        if (aberrations < 0)
        {
            throw new DosimetryInputException($"{id}: X", $"must not be negative (got {aberrations})");
        }

        ValidateDose(id, dose);
        return new CountRow(id, dose, cells, aberrations, null);
    }

    private static void ValidateDose(string id, double? dose)
    {
        if (dose is { } d && (double.IsNaN(d) || double.IsInfinity(d) || d < 0))
        {
            throw new DosimetryInputException($"{id}: D", $"must be a dose ≥ 0 Gy (got {d})");
        }
    }
}
