using RadRegen.Care.Assessment;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Clinical;

namespace RadRegen.Care.Tests;

/// <summary>
/// The drill's simulated incident exercises the clinical rules of issue 11 (docs/clinical-rules.md):
/// Goans counts within 8 h, granulocytes on days 5–6 for H4 candidacy, platelet counts for the
/// transfusion trigger, ulcers for keratinocyte grafts — and it is the same for a seed.
/// </summary>
public class DrillSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    private static readonly CovarianceMatrix Cov = new(new double[,] { { 1.2e-7, -3e-7, 1e-7 }, { -3e-7, 2.8e-5, -6e-6 }, { 1e-7, -6e-6, 3.3e-6 } });

    private static readonly CalibrationCurve Curve = CalibrationCurve.Create(Assay.Dicentric, CurveModel.LinearQuadratic, 0.0011, 0.0211, 0.0631, Cov);

    private static readonly DrillHaplotype[] Haplotypes =
    [
        new(["HLA-A*01:01", "HLA-B*08:01", "HLA-DRB1*03:01"], 0.06),
        new(["HLA-A*03:01", "HLA-B*07:02", "HLA-DRB1*15:01"], 0.03),
    ];

    private static SimulatedIncident Simulate(int seed, int victims) => new DrillSimulator(seed).Simulate(victims, Start, Haplotypes, Curve, 0.2, 2, 40);

    [Fact]
    public void The_same_seed_gives_the_same_incident()
    {
        Assert.Equal(Simulate(7, 50).VictimsCsv, Simulate(7, 50).VictimsCsv);
        Assert.NotEqual(Simulate(7, 50).VictimsCsv, Simulate(8, 50).VictimsCsv);
    }

    [Fact]
    public void The_victims_file_imports_and_exercises_the_new_rules()
    {
        var sim = Simulate(7, 1500);
        var incident = new Incident(1, "D", "drill", IncidentKind.RadiologicalDispersalDevice, Start, "", [], Start, 1);
        var spec = new CurveSpec("test", "dicentric", "lq", Curve.C, Curve.Alpha, Curve.Beta,
            [[Cov[0, 0], Cov[0, 1], Cov[0, 2]], [Cov[1, 0], Cov[1, 1], Cov[1, 2]], [Cov[2, 0], Cov[2, 1], Cov[2, 2]]]);

        // Every observation lies in the past once LastObservationHours have passed (future ones are refused).
        var now = Start.AddHours(DrillSimulator.LastObservationHours);
        var parsed = VictimCsv.Parse(new StringReader(sim.VictimsCsv), incident, spec, now);
        Assert.Equal(1500, parsed.Count);
        var truth = sim.Victims.ToDictionary(v => v.Code, v => v.TrueDoseGy, StringComparer.Ordinal);
        var assessed = parsed.Select((v, i) =>
        {
            var p = new Patient(i + 1, 1, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, Start, 1);
            var observations = v.Observations.Select((o, j) => new Observation(j, p.Id, o.Kind, o.ObservedAt, o.Data, "drill", Start)).ToList();
            return (Dose: truth[p.Code], Observations: observations, Assessment: PatientAssessor.Assess(p, observations, 1, now));
        }).ToList();

        // Goans: at least two lymphocyte counts within the first 8 h for everyone, so kinetics gives a dose.
        Assert.All(assessed, a => Assert.True(a.Observations.Count(o => o.Data.Lymphocytes is not null
            && (o.ObservedAt - Start).TotalHours <= LymphocyteKinetics.WindowHours) >= 2));
        Assert.Contains(assessed, a => a.Assessment.Doses.Any(d => d.Method.StartsWith("lymphocyte depletion kinetics", StringComparison.Ordinal) && d.EstimateGy is not null));

        // Granulocytes on days 5–6: below 0.5 (H4) at high doses, never at low ones.
        static double LowestGranulocytesDays5To6(List<Observation> obs) => obs
            .Where(o => o.Data.Granulocytes is not null && (o.ObservedAt - Start).TotalDays is >= 5 and < 7)
            .Min(o => o.Data.Granulocytes!.Value);
        var high = assessed.Where(a => a.Dose >= 8).ToList();
        var low = assessed.Where(a => a.Dose < 3).ToList();
        Assert.NotEmpty(high);
        Assert.All(high, a => Assert.True(LowestGranulocytesDays5To6(a.Observations) < 0.5, $"{a.Dose:F1} Gy"));
        Assert.All(low, a => Assert.True(LowestGranulocytesDays5To6(a.Observations) >= 0.5, $"{a.Dose:F1} Gy"));

        // The needs of docs/clinical-rules.md appear: candidates, platelets ≤ 10, ulcers ≥ 3.
        Assert.Contains(assessed, a => a.Assessment.RegenerativeCandidate);
        Assert.DoesNotContain(assessed, a => a.Assessment.RegenerativeCandidate && a.Dose < 3);
        Assert.Contains(assessed, a => a.Observations.Any(o => o.Data.Platelets is <= 10));
        Assert.Contains(assessed, a => a.Observations.Any(o => o.Data.Signs is { } s && s.TryGetValue("ulcer", out var u) && u >= 3));
    }
}
