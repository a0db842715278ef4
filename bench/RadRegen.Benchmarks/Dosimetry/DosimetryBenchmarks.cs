using BenchmarkDotNet.Attributes;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Benchmarks.Dosimetry;

/// <summary>
/// Issue 4 targets: an 11-point calibration fit under 1 ms; 1,000 Merkle estimates in a batch under
/// 20 ms. Data: Barquinero et al. 1995 dicentric counts (Biodose Tools example data), inlined so the
/// benchmark reads no files.
/// </summary>
[MemoryDiagnoser]
public class DosimetryBenchmarks
{
    private static readonly (double D, long[] C)[] Barquinero =
    [
        (0, [4992, 8, 0, 0, 0, 0]),
        (0.1, [4988, 14, 0, 0, 0, 0]),
        (0.25, [1987, 20, 1, 0, 0, 0]),
        (0.5, [1947, 55, 0, 0, 0, 0]),
        (0.75, [1736, 92, 4, 0, 0, 0]),
        (1, [1064, 99, 5, 0, 0, 0]),
        (1.5, [474, 76, 12, 0, 0, 0]),
        (2, [251, 63, 17, 2, 0, 0]),
        (3, [104, 72, 15, 2, 0, 0]),
        (4, [35, 41, 21, 4, 2, 0]),
        (5, [11, 19, 11, 9, 6, 3]),
    ];

    private List<CountRow> _rows = [];
    private CalibrationCurve _curve = null!;
    private List<CountRow> _cases = [];

    [GlobalSetup]
    public void Setup()
    {
        _rows = Barquinero.Select(r => CountRow.FromDistribution(r.D.ToString(System.Globalization.CultureInfo.InvariantCulture), r.D, r.C)).ToList();
        _curve = CurveFitter.Fit(_rows).Curve;

        // 1,000 cases: 500 cells, 0..199 dicentrics, distributed as C0..C3 (some overdispersed).
        var rng = new Random(42);
        _cases = Enumerable.Range(0, 1000).Select(i =>
        {
            var x = rng.Next(0, 200);
            long c2 = x / 6, c3 = x / 15;
            var c1 = Math.Max(0, x - (2 * c2) - (3 * c3));
            return CountRow.FromDistribution($"case{i}", null, [500 - c1 - c2 - c3, c1, c2, c3]);
        }).ToList();
    }

    [Benchmark(Description = "Dosimetry: fit 11-point LQ calibration (Poisson GLM)")]
    public CalibrationFit Fit11Points() => CurveFitter.Fit(_rows);

    [Benchmark(Description = "Dosimetry: 1,000 Merkle 83/83 estimates (batch)")]
    public IReadOnlyList<DoseEstimate> Merkle1000() => WholeBodyEstimator.Merkle(_curve, _cases);

    [Benchmark(Description = "Dosimetry: 1,000 delta-method estimates")]
    public double Delta1000()
    {
        var s = 0.0;
        foreach (var c in _cases)
        {
            s += WholeBodyEstimator.Delta(_curve, c).Dose?.Upper ?? 0;
        }

        return s;
    }
}
