using RadRegen.Dosimetry.Assessment;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Dosimetry.Tests;

/// <summary>
/// The published tables, copied here with their sources (reference/dosimetry/methods.md), and the rules
/// issue 11 items 1–3 build on them (reference/clinical findings F1, F2, F4, F6, F7, F11, F12; ADR 0014).
/// </summary>
public class SourceTableTests
{
    private static Dictionary<string, double> Signs(params (string Key, double Value)[] s) => s.ToDictionary(x => x.Key, x => x.Value);

    // ASH / Blood 2008;111:5440 (Weinstock et al.) Table 2, "Grades of hematopoietic response to radiation in
    // humans" (modified from Dainiak and Fliedner et al.), ×10⁹/L, degrees 1..4:
    //   lymphocytes ≥ 1.5 / 1–1.5 / 0.5–1 / < 0.5
    //   granulocytes ≥ 2 / 1–2 / 0.5–1 / < 0.5 or initial granulocytosis
    //   platelets ≥ 100 / 50–100 / 20–50 / < 20
    // Shared ends (1.5, 1, 0.5, 2, 100, 50, 20) are in the row they open.
    [Theory]
    [InlineData("lymphocytes", 3.0, 1)]
    [InlineData("lymphocytes", 1.5, 1)]
    [InlineData("lymphocytes", 1.49, 2)]
    [InlineData("lymphocytes", 1.0, 2)]
    [InlineData("lymphocytes", 0.99, 3)]
    [InlineData("lymphocytes", 0.5, 3)]
    [InlineData("lymphocytes", 0.49, 4)]
    [InlineData("granulocytes", 6.0, 1)]
    [InlineData("granulocytes", 2.0, 1)]
    [InlineData("granulocytes", 1.99, 2)]
    [InlineData("granulocytes", 1.0, 2)]
    [InlineData("granulocytes", 0.99, 3)]
    [InlineData("granulocytes", 0.5, 3)]
    [InlineData("granulocytes", 0.49, 4)]
    [InlineData("platelets", 250, 1)]
    [InlineData("platelets", 100, 1)]
    [InlineData("platelets", 99, 2)]
    [InlineData("platelets", 50, 2)]
    [InlineData("platelets", 49, 3)]
    [InlineData("platelets", 20, 3)]
    [InlineData("platelets", 19, 4)]
    public void Ash_table_2_H_thresholds(string sign, double count, int degree) =>
        Assert.Equal(degree, MetrepolGrading.Grade(1, Signs((sign, count))).H);

    [Fact]
    public void Ash_table_2_initial_granulocytosis_is_a_recorded_finding_graded_H4_not_a_count_threshold()
    {
        var g = MetrepolGrading.Grade(1, Signs(("initialGranulocytosis", 1), ("granulocytes", 12)));
        Assert.Equal(4, g.H);
        Assert.Contains(g.Signs, s => s.Key == "initialGranulocytosis" && s.Criterion.Contains("initial granulocytosis", StringComparison.Ordinal));
        // A high count alone is not graded H4 (no source gives a count for "initial granulocytosis").
        Assert.Equal(1, MetrepolGrading.Grade(1, Signs(("granulocytes", 12))).H);
        Assert.Equal(0, MetrepolGrading.Grade(1, Signs(("initialGranulocytosis", 0))).H);
        var ex = Assert.Throws<DosimetryInputException>(() => MetrepolGrading.Grade(1, Signs(("initialGranulocytosis", 2))));
        Assert.Contains("1 (present) or 0 (absent)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_infection_row_until_the_primary_METREPOL_manual_is_checked()
    {
        // reference/clinical F5 is [U] (memory only); ADR 0014 records the decision not to add it.
        Assert.DoesNotContain(MetrepolGrading.Signs, s => s.Key.Contains("infection", StringComparison.OrdinalIgnoreCase));
    }

    // Merck Manual table adapted from Mettler & Voelz 2002 (NEJM 346:1554): lowest ALC within 48 h →
    // > 1.5 "0.4" Gy excellent; 1.0–1.499 0.5–1.9 Gy good; 0.5–0.999 2.0–3.9 Gy fair; 0.1–0.499 4.0–7.9 Gy poor;
    // < 0.1 ≥ 8.0 Gy almost always fatal.
    [Theory]
    [InlineData(2.0, 0, 0.4)]
    [InlineData(1.5, 0, 0.4)]
    [InlineData(1.499, 0.5, 1.9)]
    [InlineData(1.0, 0.5, 1.9)]
    [InlineData(0.999, 2.0, 3.9)]
    [InlineData(0.5, 2.0, 3.9)]
    [InlineData(0.45, 4.0, 7.9)]
    [InlineData(0.1, 4.0, 7.9)]
    [InlineData(0.099, 8.0, null)]
    public void Mettler_Voelz_2002_lowest_lymphocyte_table(double count, double lower, double? upper)
    {
        var band = LowestLymphocytes.Band(count, LowestLymphocyteTable.MettlerVoelz2002);
        Assert.Equal(lower, band.LowerGy);
        Assert.Equal(upper, band.UpperGy);
        Assert.Contains("Mettler & Voelz 2002", band.Source, StringComparison.Ordinal);
    }

    // IAEA EPR-Medical 2024 Table 6, ALC at 48 h (/µL): 700–1000 mild (survival good); 400–700 moderate
    // (probable); 100–400 severe (possible at a highly specialised centre); < 100 very severe (poor).
    // Dose by the severity column of Table 3 of the same publication: mild 1–2, moderate 2–4, severe 4–6,
    // very severe 6–8 and lethal > 8 Gy (Table 6's < 100 row covers both: ≥ 6 Gy). Above 1000: Table 4
    // "observe periodically", no severity, < 1 Gy.
    [Theory]
    [InlineData(1.5, 0, 1.0, "no ARS severity")]
    [InlineData(1.0, 1, 2.0, "mild")]
    [InlineData(0.7, 1, 2.0, "mild")]
    [InlineData(0.69, 2, 4.0, "moderate")]
    [InlineData(0.45, 2, 4.0, "moderate")]
    [InlineData(0.4, 2, 4.0, "moderate")]
    [InlineData(0.39, 4, 6.0, "severe")]
    [InlineData(0.1, 4, 6.0, "severe")]
    [InlineData(0.05, 6, null, "very severe")]
    public void Iaea_2024_table_6_lowest_lymphocyte_table(double count, double lower, double? upper, string severity)
    {
        var band = LowestLymphocytes.Band(count, LowestLymphocyteTable.Iaea2024);
        Assert.Equal(lower, band.LowerGy);
        Assert.Equal(upper, band.UpperGy);
        Assert.Contains(severity, band.Label, StringComparison.Ordinal);
        Assert.Contains("IAEA EPR-Medical 2024, Table 6", band.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_two_tables_read_0_45_differently_and_the_assessment_names_the_one_it_used()
    {
        var mettler = CombinedAssessment.Assess(new PersonEvidence("a", LowestLymphocytes48h: 0.45));
        var iaea = CombinedAssessment.Assess(new PersonEvidence("a", LowestLymphocytes48h: 0.45, LowestLymphocyteTable: LowestLymphocyteTable.Iaea2024));
        Assert.Contains("Mettler & Voelz 2002", mettler.Evidence[0].Source, StringComparison.Ordinal);
        Assert.Contains("Mettler & Voelz 2002", mettler.Evidence[0].Reference, StringComparison.Ordinal);
        Assert.Equal(4.0, mettler.Evidence[0].DoseGy.Lower);
        Assert.Contains("IAEA 2024 Table 6", iaea.Evidence[0].Source, StringComparison.Ordinal);
        Assert.Contains("IAEA EPR-Medical 2024, Table 6", iaea.Evidence[0].Reference, StringComparison.Ordinal);
        Assert.Equal(2.0, iaea.Evidence[0].DoseGy.Lower);
        Assert.Equal(LowestLymphocyteTable.Iaea2024, LowestLymphocytes.Parse("iaea2024"));
        Assert.Equal(LowestLymphocyteTable.MettlerVoelz2002, LowestLymphocytes.Parse("MettlerVoelz2002"));
        Assert.Null(LowestLymphocytes.Parse("andrews1965"));
    }
}

public class MetrepolOverTimeTests
{
    private static Dictionary<string, double> Signs(params (string Key, double Value)[] s) => s.ToDictionary(x => x.Key, x => x.Value);

    private static MetrepolSeries Series(params (double Day, Dictionary<string, double> Signs)[] days) =>
        MetrepolGrading.GradeSeries("p", [.. days.Select(d => (d.Day, (IReadOnlyDictionary<string, double>)d.Signs))]);

    [Fact]
    public void A_day_without_an_H_sign_has_no_H_grade_and_RC_is_the_maximum_of_the_graded_systems()
    {
        var g = MetrepolGrading.Grade(3, Signs(("nausea", 2), ("erythema", 1)));
        Assert.Null(g.H);
        Assert.False(g.HasH);
        Assert.Equal(2, g.ResponseCategory);
        Assert.Equal("N2 H— C1 G0, day 3", g.Code);
    }

    [Fact]
    public void A_symptoms_only_day_after_H4_is_not_recovery()
    {
        var s = Series((1, Signs(("lymphocytes", 0.3))), (5, Signs(("granulocytes", 0.3))), (6, Signs(("nausea", 1))));
        Assert.Equal(4, s.MaxH);
        Assert.False(s.HaematopoieticRecovery);
    }

    [Fact]
    public void Recovery_only_when_the_peak_counts_are_measured_again_and_fall()
    {
        // The peak came from granulocytes: a later day with lymphocytes only does not re-grade it.
        var other = Series((5, Signs(("granulocytes", 0.3))), (8, Signs(("lymphocytes", 1.2))));
        Assert.False(other.HaematopoieticRecovery);
        var falling = Series((5, Signs(("granulocytes", 0.3))), (8, Signs(("granulocytes", 0.8))));
        Assert.True(falling.HaematopoieticRecovery);
        // The last time the peak is reached counts: H4, lower, then H4 again is not recovery.
        var relapse = Series((5, Signs(("granulocytes", 0.3))), (6, Signs(("granulocytes", 0.8))), (8, Signs(("granulocytes", 0.2))));
        Assert.False(relapse.HaematopoieticRecovery);
    }
}

public class CandidacyTests
{
    private static Dictionary<string, double> Signs(params (string Key, double Value)[] s) => s.ToDictionary(x => x.Key, x => x.Value);

    private static AssessmentResult Assess(params (double Day, Dictionary<string, double> Signs)[] days) =>
        CombinedAssessment.Assess(new PersonEvidence("p", Metrepol: MetrepolGrading.GradeSeries("p", [.. days.Select(d => (d.Day, (IReadOnlyDictionary<string, double>)d.Signs))])));

    private static bool Candidate(AssessmentResult r) => r.Considerations.Any(c => c.Treatment.StartsWith("regenerative", StringComparison.Ordinal));

    private static bool PossibleH4(AssessmentResult r) => r.Considerations.Any(c => c.Treatment == CombinedAssessment.PossibleH4Treatment);

    [Fact]
    public void Granulocytes_below_0_5_on_days_5_to_6_confirm_H4_and_make_a_candidate()
    {
        var r = Assess((1, Signs(("lymphocytes", 0.3))), (5, Signs(("granulocytes", 0.2))));
        Assert.True(Candidate(r));
        Assert.False(r.MultiOrganInjury);
        var c = Assert.Single(r.Considerations, x => x.Treatment.StartsWith("regenerative", StringComparison.Ordinal));
        Assert.Contains(c.Reasons, x => x.Contains("days 5–6", StringComparison.Ordinal));
    }

    [Fact]
    public void A_symptoms_only_day_after_the_H4_day_keeps_the_candidate()
    {
        var r = Assess((1, Signs(("lymphocytes", 0.3))), (5, Signs(("granulocytes", 0.2))), (6, Signs(("nausea", 2), ("fatigue", 2))));
        Assert.True(Candidate(r));
        Assert.Contains(r.Notes, n => n.Contains("No H grade on the latest grading", StringComparison.Ordinal));
    }

    [Fact]
    public void Recovery_on_measured_falling_counts_removes_the_candidate()
    {
        var r = Assess((5, Signs(("granulocytes", 0.2))), (9, Signs(("granulocytes", 1.4), ("lymphocytes", 1.1))));
        Assert.False(Candidate(r));
        Assert.Contains(r.Notes, n => n.Contains("autologous recovery", StringComparison.Ordinal));
    }

    [Fact]
    public void RC4_from_vomiting_alone_is_not_a_candidate()
    {
        var r = Assess((0.2, Signs(("vomitingPerDay", 12))));
        Assert.Equal(4, r.ResponseCategory);
        Assert.False(Candidate(r));
        Assert.False(PossibleH4(r));
        Assert.True(r.MultiOrganInjury); // N4
        Assert.Contains(r.Notes, n => n.Contains("not from H", StringComparison.Ordinal));
    }

    [Fact]
    public void N4_with_H4_is_multi_organ_injury_and_not_a_candidate()
    {
        var r = Assess((1, Signs(("neurologicalDeficits", 4), ("lymphocytes", 0.2))), (5, Signs(("granulocytes", 0.1))));
        Assert.True(r.MultiOrganInjury);
        Assert.False(Candidate(r));
        Assert.False(PossibleH4(r));
        Assert.Contains(r.Notes, n => n.Contains("Multi-organ injury (N4", StringComparison.Ordinal) && n.Contains("excluded", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gutBleeding", true)]
    [InlineData("erythema", true)]   // degree 4: "severe, > 40 % BSA"
    [InlineData("ulcer", false)]     // degree 4 states no area
    [InlineData("desquamation", false)]
    public void Multi_organ_injury_is_N4_G4_or_C4_over_more_than_40_percent_BSA(string sign, bool multi)
    {
        var r = Assess((2, Signs((sign, 4))), (5, Signs(("granulocytes", 0.1))));
        Assert.Equal(multi, r.MultiOrganInjury);
        Assert.Equal(!multi, Candidate(r));
    }

    [Fact]
    public void Lymphocyte_H4_on_day_1_is_a_possible_H4_not_a_candidate()
    {
        var r = Assess((1, Signs(("lymphocytes", 0.3))));
        Assert.False(Candidate(r));
        Assert.True(PossibleH4(r));
        var c = Assert.Single(r.Considerations, x => x.Treatment == CombinedAssessment.PossibleH4Treatment);
        Assert.Contains(c.Reasons, x => x.Contains("H4 from lymphocytes on day 1", StringComparison.Ordinal));
        Assert.Contains(c.Reasons, x => x.Contains("re-grade granulocytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Initial_granulocytosis_grades_H4_but_candidacy_still_waits_for_days_5_to_6()
    {
        var early = Assess((1, Signs(("granulocytes", 14), ("initialGranulocytosis", 1))));
        Assert.False(Candidate(early));
        Assert.True(PossibleH4(early));
        var highCountOnly = Assess((1, Signs(("granulocytes", 14))));
        Assert.Contains(highCountOnly.Notes, n => n.Contains("initialGranulocytosis", StringComparison.Ordinal));
        Assert.False(PossibleH4(highCountOnly));
    }

    [Fact]
    public void Granulocytopenia_only_after_day_6_is_left_to_the_clinician()
    {
        var r = Assess((9, Signs(("granulocytes", 0.3))));
        Assert.False(Candidate(r));
        Assert.True(PossibleH4(r));
    }
}

public class EstimatorWindowTests
{
    [Fact]
    public void Goans_uses_only_counts_within_8_h_and_says_which_were_left_out()
    {
        var e = LymphocyteKinetics.Estimate([new(0, 2.0), new(8, 1.0), new(24, 0.9), new(48, 0.85)]);
        TestData.Absolute(Math.Log(2) * 3, e.K!.Value, 1e-12);
        Assert.Equal(2, e.CountsOutsideWindow);
        Assert.Contains(e.Warnings, w => w.Contains("2 count(s) after the first 8 h (at 24 h, 48 h) are not used", StringComparison.Ordinal));

        var r = CombinedAssessment.Assess(new PersonEvidence("p", Kinetics: e));
        Assert.Contains(r.Notes, n => n.StartsWith("lymphocyte kinetics: 2 count(s) after the first 8 h", StringComparison.Ordinal));
    }

    [Fact]
    public void Fewer_than_two_counts_within_8_h_give_no_K_and_say_why()
    {
        var e = LymphocyteKinetics.Estimate([new(0, 2.0), new(24, 1.0)]);
        Assert.Null(e.K);
        Assert.Null(e.Dose);
        Assert.Equal(1, e.CountsOutsideWindow);
        Assert.Contains(e.Warnings, w => w.Contains("1 of 2 count(s) lie in that window", StringComparison.Ordinal));
        var r = CombinedAssessment.Assess(new PersonEvidence("p", Kinetics: e));
        Assert.Empty(r.Evidence);
        Assert.Contains(r.Notes, n => n.Contains("within the first 8 h", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(9.9, false)]
    [InlineData(10, true)]
    [InlineData(30, true)]
    public void No_vomiting_counts_only_from_10_h_after_exposure(double hours, bool counts)
    {
        var r = CombinedAssessment.Assess(new PersonEvidence("p", VomitingOnset: TimeSpan.MaxValue, NoVomitingObservedUntil: TimeSpan.FromHours(hours)));
        Assert.Equal(counts, r.Evidence.Count == 1);
        Assert.Equal(counts ? TriageColour.Green : null, r.Triage);
        Assert.Equal(!counts, r.Notes.Any(n => n.Contains("too early to count", StringComparison.Ordinal)));
    }

    [Fact]
    public void No_vomiting_without_the_time_it_was_checked_does_not_count()
    {
        var r = CombinedAssessment.Assess(new PersonEvidence("p", VomitingOnset: TimeSpan.MaxValue));
        Assert.Empty(r.Evidence);
        Assert.Contains(r.Notes, n => n.Contains("not counted", StringComparison.Ordinal));
    }
}

public class EstimatorWindowListTests
{
    [Fact]
    public void A_week_of_counts_is_listed_shortly()
    {
        var samples = Enumerable.Range(0, 30).Select(i => new LymphocyteSample(i * 6, 2.0 * Math.Exp(-0.01 * i))).ToList();
        var e = LymphocyteKinetics.Estimate(samples);
        Assert.Equal(28, e.CountsOutsideWindow);
        Assert.Contains(e.Warnings, w => w.Contains("28 count(s) after the first 8 h (at 12 h, 18 h, 24 h, … 174 h) are not used", StringComparison.Ordinal));
    }
}
