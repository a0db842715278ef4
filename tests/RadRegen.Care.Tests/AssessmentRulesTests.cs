using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Dosimetry.Clinical;

namespace RadRegen.Care.Tests;

/// <summary>
/// Issue 11 items 1–3 through <see cref="PatientAssessor"/>: METREPOL over days, candidacy from H only,
/// estimator windows, the center's lowest-lymphocyte table (ADR 0014, docs/clinical-rules.md).
/// </summary>
public class AssessmentRulesTests
{
    private static readonly DateTimeOffset Exposure = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private static readonly Patient Adult = new(1, 1, "P-1", 40, Sex.Male, 75, Exposure, 0, ExposureRoute.External, false, false, false, null, Exposure, 1);

    private static Observation Obs(ObservationKind kind, double hours, ObservationData data) =>
        new((long)(hours * 100) + (int)kind, 1, kind, Exposure.AddHours(hours), data, "dr", Exposure.AddHours(hours));

    private static Observation Count(double hours, double? lymphocytes = null, double? granulocytes = null, double? platelets = null) =>
        Obs(ObservationKind.BloodCount, hours, new ObservationData { Lymphocytes = lymphocytes, Granulocytes = granulocytes, Platelets = platelets });

    private static Observation Symptoms(double hours, params (string Key, double Value)[] signs) =>
        Obs(ObservationKind.Symptoms, hours, new ObservationData { Signs = signs.ToDictionary(s => s.Key, s => s.Value) });

    private static PatientAssessment Assess(AssessmentOptions? options, params Observation[] observations) =>
        PatientAssessor.Assess(Adult, observations, 1, Exposure.AddDays(10), options);

    [Fact]
    public void A_symptoms_only_day_after_the_H4_day_has_no_H_grade_and_keeps_the_candidate_flag()
    {
        var a = Assess(null, Count(20, lymphocytes: 0.3), Count(5 * 24 + 4, granulocytes: 0.2, platelets: 30), Symptoms(6 * 24 + 2, ("nausea", 1)));
        Assert.Equal(3, a.Metrepol.Count);
        Assert.Null(a.Metrepol[2].H);
        Assert.Equal("N1 H— C0 G0, day 6", a.Metrepol[2].Code);
        Assert.True(a.RegenerativeCandidate);
        Assert.False(a.MultiOrganInjury);
    }

    [Fact]
    public void Recovery_only_on_measured_falling_counts()
    {
        var a = Assess(null, Count(5 * 24 + 4, granulocytes: 0.2), Count(9 * 24, granulocytes: 1.6, lymphocytes: 1.0));
        Assert.False(a.RegenerativeCandidate);
        Assert.Contains(a.Notes, n => n.Contains("autologous recovery", StringComparison.Ordinal));
    }

    [Fact]
    public void RC4_from_vomiting_alone_is_not_a_candidate()
    {
        var a = Assess(null, Symptoms(3, ("vomitingPerDay", 12)));
        Assert.Equal(4, a.ResponseCategory);
        Assert.False(a.RegenerativeCandidate);
        Assert.False(a.PossibleH4);
    }

    [Fact]
    public void N4_with_H4_is_multi_organ_injury_and_not_a_candidate()
    {
        var a = Assess(null, Symptoms(3, ("neurologicalDeficits", 4)), Count(5 * 24 + 4, granulocytes: 0.2));
        Assert.True(a.MultiOrganInjury);
        Assert.False(a.RegenerativeCandidate);
        Assert.Contains(a.Notes, n => n.Contains("Multi-organ injury", StringComparison.Ordinal) && n.Contains("excluded", StringComparison.Ordinal));
    }

    [Fact]
    public void Erythema_over_40_percent_BSA_is_multi_organ_injury_and_an_ulcer_is_not()
    {
        var erythema = Assess(null, Obs(ObservationKind.Skin, 30, new ObservationData { Signs = new Dictionary<string, double> { ["erythema"] = 4 } }), Count(5 * 24 + 4, granulocytes: 0.2));
        Assert.True(erythema.MultiOrganInjury);
        Assert.False(erythema.RegenerativeCandidate);
        var ulcer = Assess(null, Obs(ObservationKind.Skin, 30, new ObservationData { Signs = new Dictionary<string, double> { ["ulcer"] = 4 } }), Count(5 * 24 + 4, granulocytes: 0.2));
        Assert.False(ulcer.MultiOrganInjury);
        Assert.True(ulcer.RegenerativeCandidate);
    }

    [Fact]
    public void Lymphocyte_H4_on_day_1_is_a_possible_H4_not_a_candidate()
    {
        var a = Assess(null, Count(30, lymphocytes: 0.3));
        Assert.Equal(4, a.Metrepol[0].H);
        Assert.False(a.RegenerativeCandidate);
        Assert.True(a.PossibleH4);
    }

    [Fact]
    public void Goans_ignores_counts_after_8_h_with_a_note()
    {
        var a = Assess(null, Count(1, lymphocytes: 2.0), Count(7, lymphocytes: 1.2), Count(30, lymphocytes: 1.1), Count(40, lymphocytes: 1.05));
        var kinetics = Assert.Single(a.Doses, d => d.Rank == 2);
        var expected = LymphocyteKinetics.DoseFromK(Math.Log(2.0 / 1.2) / (6.0 / 24));
        Assert.Equal(expected, kinetics.EstimateGy!.Value, 9);
        Assert.Contains(a.Notes, n => n.Contains("2 count(s) after the first 8 h (at 30 h, 40 h) are not used", StringComparison.Ordinal));
    }

    [Fact]
    public void No_vomiting_counts_only_after_10_h()
    {
        var early = Assess(null, Obs(ObservationKind.Symptoms, 2, new ObservationData { NoVomiting = true }));
        Assert.Null(early.Triage);
        Assert.Contains(early.Notes, n => n.Contains("No vomiting so far (2 h after exposure): too early to count", StringComparison.Ordinal));

        var late = Assess(null, Obs(ObservationKind.Symptoms, 2, new ObservationData { NoVomiting = true }), Obs(ObservationKind.Symptoms, 11, new ObservationData { NoVomiting = true }));
        Assert.Equal("green", late.Triage);
    }

    [Fact]
    public void The_center_s_lowest_lymphocyte_table_is_used_and_named()
    {
        Observation[] counts = [Count(2, lymphocytes: 1.8), Count(30, lymphocytes: 0.45)];
        var mettler = Assess(null, counts);
        var iaea = Assess(new AssessmentOptions(LowestLymphocyteTable.Iaea2024), counts);
        var m = Assert.Single(mettler.Doses, d => d.Rank == 3);
        var i = Assert.Single(iaea.Doses, d => d.Rank == 3);
        Assert.Contains("Mettler & Voelz 2002", m.Method, StringComparison.Ordinal);
        Assert.Equal(4.0, m.LowerGy);
        Assert.Contains("IAEA 2024 Table 6", i.Method, StringComparison.Ordinal);
        Assert.Contains("IAEA EPR-Medical 2024, Table 6", i.Reference, StringComparison.Ordinal);
        Assert.Equal(2.0, i.LowerGy);
    }

    [Fact]
    public void Initial_granulocytosis_is_recorded_with_a_blood_count_and_grades_H4()
    {
        var data = new ObservationData { Granulocytes = 13, Signs = new Dictionary<string, double> { ["initialGranulocytosis"] = 1 } };
        ObservationRules.Validate(Adult, ObservationKind.BloodCount, Exposure.AddHours(20), data, Exposure.AddDays(1));
        var a = Assess(null, Obs(ObservationKind.BloodCount, 20, data));
        Assert.Equal(4, a.Metrepol[0].H);
        Assert.True(a.PossibleH4);
        Assert.False(a.RegenerativeCandidate);

        var bad = Assert.Throws<RadRegen.Core.DomainValidationException>(() => ObservationRules.Validate(Adult, ObservationKind.BloodCount, Exposure.AddHours(20),
            new ObservationData { Granulocytes = 3, Signs = new Dictionary<string, double> { ["nausea"] = 2 } }, Exposure.AddDays(1)));
        Assert.Equal("signs.nausea", bad.Errors[0].Field);
    }
}
