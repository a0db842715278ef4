using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;
using RadRegen.Hla.Frequencies;

namespace RadRegen.Training.Exercises;

/// <summary>
/// The published data an exercise simulates from, as <c>radregen drill</c> does: the NMDP 2007
/// Caucasian haplotype frequencies (reference/hla/nmdp-2007) and the Barquinero et al. 1995 dicentric
/// counts, fitted to a linear-quadratic curve (reference/dosimetry), embedded in this assembly.
/// </summary>
public sealed class ScenarioReference
{
    private ScenarioReference(IReadOnlyList<DrillHaplotype> haplotypes, CalibrationCurve curve)
    {
        Haplotypes = haplotypes;
        Curve = curve;
    }

    public IReadOnlyList<DrillHaplotype> Haplotypes { get; }

    public CalibrationCurve Curve { get; }

    /// <summary>The curve as a victims import names it.</summary>
    public CurveSpec Spec => new("Barquinero et al. 1995 (fitted by the exercise)", "dicentric", "lq", Curve.C, Curve.Alpha, Curve.Beta,
        [[Curve.Covariance[0, 0], Curve.Covariance[0, 1], Curve.Covariance[0, 2]], [Curve.Covariance[1, 0], Curve.Covariance[1, 1], Curve.Covariance[1, 2]],
            [Curve.Covariance[2, 0], Curve.Covariance[2, 1], Curve.Covariance[2, 2]]]);

    public static ScenarioReference Load()
    {
        var assembly = typeof(ScenarioReference).Assembly;
        using var hla = new StreamReader(assembly.GetManifestResourceStream("exercise/HEGL_CAU.csv")!);
        var set = HaplotypeFrequencyReader.Read(hla, "HEGL_CAU.csv");
        using var counts = new StreamReader(assembly.GetManifestResourceStream("exercise/count-data-barquinero-1995.csv")!);
        var table = CountTableParser.Parse(counts, "count-data-barquinero-1995.csv");
        var curve = CurveFitter.Fit(table.Rows, CurveModel.LinearQuadratic, Assay.Dicentric).Curve;
        return new ScenarioReference([.. set.Haplotypes.Select(h => new DrillHaplotype([.. h.Haplotype.Alleles.Select(a => a.ToString(true))], h.Frequency))], curve);
    }

    /// <summary>Simulates the scenario (deterministic for its seed) with the incident starting at <paramref name="start"/>.</summary>
    public SimulatedIncident Simulate(Scenario scenario, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new DrillSimulator(scenario.Seed, scenario.Dose).Simulate(scenario.Victims, start, Haplotypes, Curve, scenario.LabShare, 30, scenario.Vials);
    }
}
