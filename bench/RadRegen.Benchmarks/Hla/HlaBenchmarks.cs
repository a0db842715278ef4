using BenchmarkDotNet.Attributes;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Planning;
using RadRegen.Hla.Probability;
using RadRegen.Hla.Typings;

namespace RadRegen.Benchmarks.Hla;

/// <summary>
/// Issue 3 performance targets on NMDP 2007 CAU reduced to A~B~DRB1 two-field (2,674 haplotypes):
/// trans coverage of 100 lines &lt; 20 ms; greedy plan of 100 lines &lt; 10 s; one patient against
/// 1,000,000 typed donors in memory &lt; 200 ms. Results in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class HlaCoverageBenchmarks
{
    private HaplotypeIndex _index = null!;
    private List<Haplotype> _top100 = null!;
    private List<BankLine> _top100Lines = null!;

    [GlobalSetup]
    public void Setup()
    {
        var set = HaplotypeFrequencyReader.ReadFile(HlaMatchingBenchmarks.DataFile("HEGL_CAU.csv"))
            .Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField).Set;
        _index = new HaplotypeIndex(set);
        _top100Lines = [.. HaplobankCoverage.TopByFrequency(set, 100)];
        _top100 = [.. _top100Lines.Select(l => l.Haplotype)];
    }

    [Benchmark(Description = "Trans coverage, 100 lines, CAU (2,674 haplotypes)")]
    public double Trans100() => HaplobankCoverage.Trans(_index, _top100);

    [Benchmark(Description = "Coverage table (cis+trans per row), 100 lines, CAU")]
    public CoverageReport CoverageTable100() => HaplobankCoverage.Evaluate(_index, _top100Lines);

    [Benchmark(Description = "Plan 100 lines (frequency + lazy greedy), CAU")]
    public HaplobankPlan Plan100() => HaplobankPlanner.Plan(_index, 100);
}

/// <summary>Matching and probability: 1,000,000 donors drawn from CAU in memory.</summary>
[MemoryDiagnoser]
public class HlaMatchingBenchmarks
{
    private DonorPanel _panel = null!;
    private HlaTyping _patient = null!;
    private HlaTyping _firstFieldPatient = null!;
    private MatchProbabilityCalculator _probability = null!;
    private HlaTyping _line = null!;

    internal static string DataFile(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", name);
        return File.Exists(path) ? path : Path.Combine(Path.GetDirectoryName(typeof(HlaMatchingBenchmarks).Assembly.Location)!, "Data", name);
    }

    [GlobalSetup]
    public void Setup()
    {
        var raw = HaplotypeFrequencyReader.ReadFile(DataFile("HEGL_CAU.csv"));
        var set = raw.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField).Set;

        // 1,000,000 donors drawn from the CAU haplotype frequencies (Hardy–Weinberg), fixed seed.
        var cumulative = new double[set.Count];
        var acc = 0.0;
        for (var i = 0; i < set.Count; i++)
        {
            acc += set.Haplotypes[i].Frequency;
            cumulative[i] = acc;
        }

        var random = new Random(3);
        int Draw()
        {
            var i = Array.BinarySearch(cumulative, random.NextDouble() * acc);
            return Math.Min(i < 0 ? ~i : i, set.Count - 1);
        }

        var cache = new Dictionary<(int, int), HlaTyping>();
        IEnumerable<(string, HlaTyping)> Donors()
        {
            for (var d = 0; d < 1_000_000; d++)
            {
                var (a, b) = (Draw(), Draw());
                var key = a < b ? (a, b) : (b, a);
                if (!cache.TryGetValue(key, out var typing))
                {
                    var h1 = set.Haplotypes[key.Item1].Haplotype.Alleles;
                    var h2 = set.Haplotypes[key.Item2].Haplotype.Alleles;
                    typing = HlaTyping.Parse(string.Join('^', h1.Zip(h2).Select(p => $"{p.First}+{p.Second}")));
                    cache[key] = typing;
                }

                yield return ($"D{d:D7}", typing);
            }
        }

        var matcher = new HlaMatcher(MatchOptions.Default);
        _panel = DonorPanel.Build(Donors(), matcher);
        _patient = HlaTyping.Parse("A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01");
        _firstFieldPatient = HlaTyping.Parse("A*01+A*02^B*08+B*07^DRB1*03+DRB1*15");
        _probability = new MatchProbabilityCalculator(raw, MatchOptions.Default);
        _line = HlaTyping.Parse("A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
    }

    [Benchmark(Description = "Match 1 patient vs 1,000,000 donors, top 100")]
    public int MatchMillion() => _panel.Match(_patient, 100).Length;

    [Benchmark(Description = "Count HvG-compatible among 1,000,000 donors, first-field patient")]
    public int CountMillionFirstField() => _panel.CountHvgCompatible(_firstFieldPatient);

    [Benchmark(Description = "Match probability, first-field patient, CAU 5-locus set")]
    public double? Probability() => _probability.Probability(_probability.Expand(_firstFieldPatient), _line);
}
