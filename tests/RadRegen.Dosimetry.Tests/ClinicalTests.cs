using RadRegen.Dosimetry.Assessment;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Estimation;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Dosimetry.Tests;

public class ClinicalTests
{
    [Theory]
    [InlineData(0.1, 1.236)]
    [InlineData(0.5, 4.533)]
    [InlineData(1, 6.800)]
    [InlineData(2, 9.067)]
    public void Goans_dose_from_K_matches_the_reference_checks(double k, double dose) =>
        TestData.Absolute(dose, LymphocyteKinetics.DoseFromK(k), 5e-4);

    // Changed with issue 11 (F6): the counts are within Goans' 8-h window (0 h and 8 h, not 0 h and 24 h, which is now excluded).
    [Fact]
    public void K_from_two_counts_is_ln_ratio_over_time()
    {
        var e = LymphocyteKinetics.Estimate([new(0, 2.0), new(8, 1.0)]);
        TestData.Absolute(Math.Log(2) * 3, e.K!.Value, 1e-12);
        TestData.Absolute(LymphocyteKinetics.DoseFromK(Math.Log(2) * 3), e.Dose!.Value.Estimate, 1e-12);
        Assert.True(e.WithinValidity);
        Assert.Null(e.KStandardError);
    }

    [Fact]
    public void K_from_three_counts_is_least_squares_on_log_counts()
    {
        var e = LymphocyteKinetics.Estimate([new(0, 2.1), new(4, 1.6), new(8, 1.2)]);
        // slope of ln L on t (days) at t = 0, 1/6, 1/3 (within Goans' 8 h)
        var y = new[] { Math.Log(2.1), Math.Log(1.6), Math.Log(1.2) };
        var slope = (y[2] - y[0]) / (8.0 / 24); // symmetric design: the LS slope uses only the ends
        TestData.Absolute(-slope, e.K!.Value, 1e-12);
        Assert.NotNull(e.KStandardError);
        Assert.True(e.Dose!.Value.Lower < e.Dose.Value.Estimate && e.Dose.Value.Estimate < e.Dose.Value.Upper);
    }

    [Fact]
    public void Rising_counts_are_outside_Goans_validity()
    {
        var e = LymphocyteKinetics.Estimate([new(0, 1.5), new(6, 2.0)]);
        Assert.Null(e.Dose);
        Assert.False(e.WithinValidity);
        Assert.Contains(e.Warnings, w => w.Contains("validity", StringComparison.Ordinal));
    }

    [Fact]
    public void Times_out_of_order_are_rejected_naming_the_sample()
    {
        var ex = Assert.Throws<DosimetryInputException>(() => LymphocyteKinetics.Estimate([new(12, 2.0), new(6, 1.0)]));
        Assert.Contains("sample 2: time", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DosimetryInputException>(() => LymphocyteKinetics.Estimate([new(0, 2.0)]));
        Assert.Throws<DosimetryInputException>(() => LymphocyteKinetics.Estimate([new(0, 2.0), new(6, -1)]));
    }

    [Theory]
    [InlineData(null, 0, 1.0)]
    [InlineData(180, 1, 2.0)]
    [InlineData(120, 1, 2.0)]
    [InlineData(90, 2, 4.0)]
    [InlineData(60, 2, 4.0)]
    [InlineData(45, 4, 6.0)]
    [InlineData(20, 6, 8.0)]
    [InlineData(5, 8, null)]
    public void Time_to_vomiting_bands(int? minutes, double lower, double? upper)
    {
        var band = VomitingOnset.Band(minutes is { } m ? TimeSpan.FromMinutes(m) : null);
        Assert.Equal(lower, band.LowerGy);
        Assert.Equal(upper, band.UpperGy);
    }

    [Theory]
    [InlineData(2.0, 0, 0.4)]
    [InlineData(1.2, 0.5, 1.9)]
    [InlineData(0.7, 2.0, 3.9)]
    [InlineData(0.3, 4.0, 7.9)]
    [InlineData(0.05, 8.0, null)]
    public void Lowest_48h_lymphocyte_bands(double count, double lower, double? upper)
    {
        var band = LowestLymphocytes.Band(count);
        Assert.Equal(lower, band.LowerGy);
        Assert.Equal(upper, band.UpperGy);
    }

    [Theory]
    [InlineData(0.5, TriageColour.Green)]
    [InlineData(1.0, TriageColour.Yellow)]
    [InlineData(1.9, TriageColour.Yellow)]
    [InlineData(2.5, TriageColour.Red)]
    public void Triage_colours(double dose, TriageColour colour) => Assert.Equal(colour, Triage.ColourFor(dose));
}

public class MetrepolTests
{
    private static Dictionary<string, double> Signs(params (string Key, double Value)[] s) =>
        s.ToDictionary(x => x.Key, x => x.Value);

    [Theory]
    [InlineData(2.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(0.7, 3)]
    [InlineData(0.3, 4)]
    public void H_from_lymphocytes(double count, int degree) =>
        Assert.Equal(degree, MetrepolGrading.Grade(1, Signs(("lymphocytes", count))).H);

    [Theory]
    [InlineData(150, 1)]
    [InlineData(100, 1)]
    [InlineData(70, 2)]
    [InlineData(30, 3)]
    [InlineData(10, 4)]
    public void H_from_platelets(double count, int degree) =>
        Assert.Equal(degree, MetrepolGrading.Grade(1, Signs(("platelets", count))).H);

    [Fact]
    public void RC_is_the_highest_system_degree_written_as_the_code()
    {
        var g = MetrepolGrading.Grade(2, Signs(("nausea", 2), ("lymphocytes", 0.7), ("erythema", 1), ("stoolsPerDay", 1)));
        Assert.Equal("N2 H3 C1 G0, day 2", g.Code);
        Assert.Equal(3, g.ResponseCategory);
    }

    [Fact]
    public void Signs_outside_their_scale_are_rejected_with_the_sign_named()
    {
        var ex = Assert.Throws<DosimetryInputException>(() => MetrepolGrading.Grade(1, Signs(("nausea", 5)), "p1 observation 1"));
        Assert.Contains("\"nausea\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside its scale", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DosimetryInputException>(() => MetrepolGrading.Grade(1, Signs(("nausea", 1.5))));
        Assert.Throws<DosimetryInputException>(() => MetrepolGrading.Grade(1, Signs(("platelets", -3))));
        Assert.Throws<DosimetryInputException>(() => MetrepolGrading.Grade(1, Signs(("smell", 1))));
    }

    [Fact]
    public void Series_must_be_in_time_order_and_detects_recovery()
    {
        var ex = Assert.Throws<DosimetryInputException>(() => MetrepolGrading.GradeSeries("p", [(3, Signs(("nausea", 1))), (2, Signs(("nausea", 1)))]));
        Assert.Contains("observation 2: day", ex.Message, StringComparison.Ordinal);

        var s = MetrepolGrading.GradeSeries("p", [(1, Signs(("granulocytes", 3))), (6, Signs(("granulocytes", 0.3))), (20, Signs(("granulocytes", 1.5)))]);
        Assert.Equal(4, s.MaxH);
        Assert.True(s.HaematopoieticRecovery);
        var noRecovery = MetrepolGrading.GradeSeries("q", [(1, Signs(("granulocytes", 3))), (6, Signs(("granulocytes", 0.3)))]);
        Assert.False(noRecovery.HaematopoieticRecovery);
    }
}

public class CombinedAssessmentTests
{
    [Fact]
    public void Cytogenetics_is_trusted_over_kinetics_over_vomiting_and_cytokines_are_advised_at_2_Gy()
    {
        var cyto = WholeBodyEstimator.Merkle(TestData.BarquineroFit().Curve, TestData.Case("cases-data-partial.csv", "example2"));
        var kin = LymphocyteKinetics.Estimate([new(0, 2.0), new(8, 1.0)]);
        var result = CombinedAssessment.Assess(new PersonEvidence("p1", cyto, kin, 0.7, TimeSpan.FromMinutes(90)));
        Assert.Equal([1, 2, 3, 4], result.Evidence.Select(e => e.Rank));
        Assert.Equal(cyto.Dose, result.BasisDoseGy);
        Assert.Equal(TriageColour.Red, result.Triage);
        Assert.Contains(result.Considerations, c => c.Treatment.Contains("cytokines", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("clinician decides", StringComparison.Ordinal));
    }

    [Fact]
    public void H4_without_recovery_makes_a_stem_cell_candidate_with_the_evidence()
    {
        var series = MetrepolGrading.GradeSeries("p2", [(1, new Dictionary<string, double> { ["lymphocytes"] = 0.4 }), (5, new Dictionary<string, double> { ["granulocytes"] = 0.2, ["platelets"] = 15 })]);
        var result = CombinedAssessment.Assess(new PersonEvidence("p2", VomitingOnset: TimeSpan.FromMinutes(20), Metrepol: series));
        var sct = Assert.Single(result.Considerations, c => c.Treatment.Contains("stem-cell", StringComparison.Ordinal));
        Assert.Contains(sct.Reasons, r => r.StartsWith("N0 H4", StringComparison.Ordinal));
        Assert.Equal(4, result.ResponseCategory);
        Assert.Equal(TriageColour.Red, result.Triage);
    }

    // Changed with issue 11 (F12): "no vomiting" counts only when confirmed 10 h or more after exposure.
    [Fact]
    public void No_vomiting_alone_is_green_and_nothing_is_advised()
    {
        var result = CombinedAssessment.Assess(new PersonEvidence("p3", VomitingOnset: TimeSpan.MaxValue, NoVomitingObservedUntil: TimeSpan.FromHours(12)));
        Assert.Equal(TriageColour.Green, result.Triage);
        Assert.Empty(result.Considerations);
    }

    [Fact]
    public void No_evidence_gives_no_colour()
    {
        var result = CombinedAssessment.Assess(new PersonEvidence("p4"));
        Assert.Null(result.Triage);
        Assert.Empty(result.Evidence);
    }

    [Fact]
    public void An_extrapolated_cytogenetic_estimate_cannot_by_itself_lower_the_triage_colour()
    {
        var low = new DoseEstimate("x", EstimationMethod.Merkle83, new Interval(0.01, 0.02, 0.03), new Interval(0.5, 0.7, 0.9), null, null, []);

        // Calibrated 1–5 Gy: 0.7 Gy lies below it. Vomiting at 20 min (6–8 Gy, red) keeps the colour red.
        var kept = CombinedAssessment.Assess(new PersonEvidence("p", low, VomitingOnset: TimeSpan.FromMinutes(20)) { CytogeneticCalibratedRange = (1, 5) });
        Assert.True(kept.Evidence[0].Extrapolated);
        Assert.Equal(TriageColour.Red, kept.Triage);
        Assert.Contains(kept.Notes, n => n.Contains("cannot lower it", StringComparison.Ordinal));
        Assert.Contains(kept.Notes, n => n.StartsWith("Extrapolation:", StringComparison.Ordinal));

        // The previous colour counts too; within the range the estimate decides as before.
        Assert.Equal(TriageColour.Yellow, CombinedAssessment.Assess(new PersonEvidence("p", low) { CytogeneticCalibratedRange = (1, 5), PreviousTriage = TriageColour.Yellow }).Triage);
        var inside = CombinedAssessment.Assess(new PersonEvidence("p", low, VomitingOnset: TimeSpan.FromMinutes(20)) { CytogeneticCalibratedRange = (0, 5), PreviousTriage = TriageColour.Red });
        Assert.False(inside.Evidence[0].Extrapolated);
        Assert.Equal(TriageColour.Green, inside.Triage);
    }
}
