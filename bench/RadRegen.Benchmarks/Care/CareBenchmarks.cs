using BenchmarkDotNet.Attributes;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Hla.Frequencies;

namespace RadRegen.Benchmarks.Care;

/// <summary>
/// Issue 6 targets: assessment of 10,000 victims under 2 s; allocation of 10,000 requests over
/// 20,000 vials under 5 s. Victims come from the drill's simulator (seed 1) and the NMDP HEGL_CAU
/// haplotypes (reference/hla/nmdp-2007, copied to Data/); the curve is a dicentric curve of the Barquinero 1995 shape.
/// </summary>
[MemoryDiagnoser]
public class CareBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);
    private List<(Patient Patient, List<Observation> Observations)> _victims = [];
    private List<AllocationRequest> _requests = [];
    private List<StockVial> _vials = [];

    [GlobalSetup]
    public void Setup()
    {
        var set = HaplotypeFrequencyReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "Data", "HEGL_CAU.csv"));
        var haplotypes = set.Haplotypes.Select(h => new DrillHaplotype([.. h.Haplotype.Alleles.Select(a => a.ToString(true))], h.Frequency)).ToList();
        var cov = new CovarianceMatrix(new double[,] { { 1.2e-7, -3e-7, 1e-7 }, { -3e-7, 2.8e-5, -6e-6 }, { 1e-7, -6e-6, 3.3e-6 } });
        var curve = CalibrationCurve.Create(Assay.Dicentric, CurveModel.LinearQuadratic, 0.0011, 0.0211, 0.0631, cov);
        var sim = new DrillSimulator(1).Simulate(10_000, Start, haplotypes, curve, 0.2, 30, 20_000);
        var incident = new Incident(1, "B", "bench", IncidentKind.RadiologicalDispersalDevice, Start, "", [], Start, 1);
        var spec = new CurveSpec("bench", "dicentric", "lq", curve.C, curve.Alpha, curve.Beta,
            [[cov[0, 0], cov[0, 1], cov[0, 2]], [cov[1, 0], cov[1, 1], cov[1, 2]], [cov[2, 0], cov[2, 1], cov[2, 2]]]);
        var parsed = VictimCsv.Parse(new StringReader(sim.VictimsCsv), incident, spec, Start.AddDays(30));
        _victims = [.. parsed.Select((v, i) =>
        {
            var p = new Patient(i + 1, 1, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, Start, 1);
            return (p, v.Observations.Select((o, j) => new Observation(j, p.Id, o.Kind, o.ObservedAt, o.Data, "bench", Start)).ToList());
        })];

        // 10,000 requests: every victim needs 1–2 vials of platelets or keratinocyte sheets (the
        // simulated bank's products, three to one), priorities 1–13.
        var rng = new Random(2);
        var platelets = PriorityPolicy.Default.HaematopoieticProduct;
        var sheets = PriorityPolicy.Default.CutaneousProduct;
        _requests = [.. _victims.Select(v => new AllocationRequest(v.Patient.Code, v.Patient.Code, rng.NextDouble() < 0.75 ? platelets : sheets,
            1 + rng.Next(2), 1 + rng.Next(13), v.Patient.HlaTyping))];
        _vials = [.. sim.Bank];
    }

    [Benchmark(Description = "assess 10,000 victims (parallel)")]
    public int Assess10k()
    {
        var results = new PatientAssessment[_victims.Count];
        Parallel.For(0, _victims.Count, i => results[i] = PatientAssessor.Assess(_victims[i].Patient, _victims[i].Observations, 1, Start.AddDays(11)));
        return results.Length;
    }

    [Benchmark(Description = "allocate 10,000 requests over 20,000 vials")]
    public int Allocate10kOver20k() =>
        Allocator.Allocate(_requests, _vials, new HlaCompatibility(new RadRegen.Hla.Matching.HlaMatcher(RadRegen.Hla.Matching.MatchOptions.Default))).VialsAllocated;
}
