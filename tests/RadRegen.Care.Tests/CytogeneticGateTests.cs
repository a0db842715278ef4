using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Laboratory;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hosting.Demo;

namespace RadRegen.Care.Tests;

/// <summary>The cytogenetic gates of issue 11 item 7 and issue 12 item 9 (ADR 0018), in the domain services.</summary>
[Trait("Kind", "Integration")]
public class CytogeneticGateTests : CareTestBase
{
    private static readonly Actor Admin = Actor.LocalOperator("test");

    private static async Task<(LaboratoryService Lab, CareService Care, Patient Patient, LabCurve Curve)> ArrangeAsync(TestWorldLike w)
    {
        var lab = w.Services.GetRequiredService<LaboratoryService>();
        var care = w.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var curve = await lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995);
        curve = await lab.ActivateCurveAsync(await QaSignerAsync(w.Services), curve.Id, Signed);
        return (lab, care, patient, curve);
    }

    private sealed record TestWorldLike(IServiceProvider Services);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task More_dicentrics_than_cells_can_carry_are_refused_naming_the_field_and_nothing_is_written(string engine)
    {
        await using var w = await OpenAsync(engine);
        var (lab, care, patient, _) = await ArrangeAsync(new TestWorldLike(w.Services));

        // 99,999 dicentrics in 500 cells is 200 per cell; a metaphase has 46 centromeres, so at most 45 dicentrics (IAEA 2011).
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 99_999)));
        var error = Assert.Single(ex.Errors, e => e.Field == "aberrations");
        Assert.Contains("200 per cell", error.Message, StringComparison.Ordinal);
        Assert.Contains("45", error.Message, StringComparison.Ordinal);

        // A distribution with a cell carrying 46 dicentrics, consistent in its sums, is refused too.
        var dist = new long[47];
        dist[0] = 499;
        dist[46] = 1;
        var column = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 46, dist)));
        Assert.Contains(column.Errors, e => e.Field == "distribution" && e.Message.Contains("C46", StringComparison.Ordinal));

        // Exactly the bound (45 per cell) is accepted as a count; the dose is then far outside the curve.
        Assert.Empty((await care.GetPatientAsync(Auditor, patient.Id)).Observations);

        // The same bound applies to a calibration count table (field counts, the row named).
        var fit = await Assert.ThrowsAsync<DomainValidationException>(() => lab.FitCurveAsync(LabTechnician,
            new FitCurveRequest("dicentric", "typo", CountsCsv: "dose,cells,aberrations\n0,5000,8\n1,2000,100\n2,1000,99999\n3,1000,700")));
        Assert.Contains(fit.Errors, e => e.Field == "counts" && e.Message.Contains("dose point 3", StringComparison.Ordinal) && e.Message.Contains("per cell", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_case_beyond_the_calibrated_range_is_flagged_and_cannot_by_itself_lower_the_colour(string engine)
    {
        await using var w = await OpenAsync(engine);
        var (lab, care, patient, curve) = await ArrangeAsync(new TestWorldLike(w.Services));
        Assert.Equal(0, curve.CalibratedFromGy);
        Assert.Equal(5, curve.CalibratedToGy);

        // 1200 dicentrics in 500 cells (2.4 per cell) on Barquinero is ≈ 6 Gy: above the 5 Gy calibration.
        var high = await lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 1200));
        Assert.True(high.Dose!.Extrapolated);
        Assert.InRange(high.Dose.EstimateGy!.Value, 5.5, 6.5);
        Assert.Equal("red", high.Assessment.Triage);
        Assert.Contains(high.Assessment.Notes, n => n.StartsWith("Extrapolation:", StringComparison.Ordinal) && n.Contains("0–5 Gy", StringComparison.Ordinal));

        // Within the range: not flagged.
        var other = await care.RegisterPatientAsync(Physician, patient.IncidentId, APatient("P-0002"));
        var normal = await lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(other.Id, "dicentric", 500, 25));
        Assert.False(normal.Dose!.Extrapolated);
        Assert.DoesNotContain(normal.Assessment.Notes, n => n.StartsWith("Extrapolation:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_observation_that_lowers_the_triage_colour_needs_confirmation_and_nothing_is_written_without_it(string engine)
    {
        await using var w = await OpenAsync(engine);
        var (lab, care, patient, _) = await ArrangeAsync(new TestWorldLike(w.Services));
        var red = await lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 600)); // ≈ 4 Gy
        Assert.Equal("red", red.Assessment.Triage);
        var journalBefore = (await w.Services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery())).Total;

        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 25)));
        var confirm = Assert.Single(ex.Errors);
        Assert.Equal("confirm", confirm.Field);
        Assert.Contains("from red to green", confirm.Message, StringComparison.Ordinal);

        var record = await care.GetPatientAsync(Auditor, patient.Id);
        Assert.Single(record.Observations);
        Assert.Equal(red.Assessment.Version, record.Assessment!.Version);
        Assert.Equal(journalBefore, (await w.Services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery())).Total);

        // Raising or keeping the colour needs no confirmation; lowering with confirm = true is recorded.
        var lowered = await lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 25, Confirm: true));
        Assert.Equal("green", lowered.Assessment.Triage);
        Assert.Equal(2, (await care.GetPatientAsync(Auditor, patient.Id)).Observations.Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_file_of_observations_that_lowers_the_triage_colour_needs_confirmation_too(string engine)
    {
        await using var w = await OpenAsync(engine);
        var care = w.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var start = patient.ExposureStart;
        // Vomiting 50 min after exposure: 4–6 Gy, red (IAEA EPR-Medical 2024 Table 3).
        var (_, red) = await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.Symptoms, start.AddHours(2), new ObservationData { VomitingOnsetAt = start.AddMinutes(50) });
        Assert.Equal("red", red.Triage);
        var journalBefore = (await w.Services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery())).Total;

        // A normal lowest 48-h lymphocyte count (more trusted than time to vomiting) reads green: the file is refused whole.
        string Csv() => "observedAt,lymphocytes\n" + start.AddHours(4).ToString("o", System.Globalization.CultureInfo.InvariantCulture) + ",2.2\n"
            + start.AddHours(26).ToString("o", System.Globalization.CultureInfo.InvariantCulture) + ",2.1\n";
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => care.ImportObservationsAsync(Physician, patient.Id, new StringReader(Csv()), null, "counts.csv"));
        var confirm = Assert.Single(ex.Errors);
        Assert.Equal("confirm", confirm.Field);
        Assert.Contains("from red to green", confirm.Message, StringComparison.Ordinal);
        Assert.Single((await care.GetPatientAsync(Auditor, patient.Id)).Observations);
        Assert.Equal(journalBefore, (await w.Services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery())).Total);

        var (count, lowered) = await care.ImportObservationsAsync(Physician, patient.Id, new StringReader(Csv()), null, "counts.csv", confirm: true);
        Assert.Equal(2, count);
        Assert.Equal("green", lowered.Triage);
    }

    [Fact]
    public void Implausible_coefficients_and_a_poor_fit_warn()
    {
        LabCurve Curve(double c, double alpha, double beta, LabFitSummary? fit = null, double? to = 5) =>
            new(1, "dicentric", "x", "lq", c, alpha, beta, [[0, 0, 0], [0, 0, 0], [0, 0, 0]], "s", null, null, fit, "lab", IncidentStart, false, 1)
            { CalibratedFromGy = 0, CalibratedToGy = to };

        Assert.Empty(Curve(0.0013, 0.021, 0.063, new LabFitSummary("poisson", 0.82, 8, 6.8, [])).Warnings);
        Assert.Contains(Curve(0.0013, -0.01, 0.07).Warnings, w => w.Contains("α", StringComparison.Ordinal) && w.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(Curve(0.0013, 0.02, -0.01).Warnings, w => w.Contains("β", StringComparison.Ordinal));
        Assert.Contains(Curve(0.05, 0.02, 0.06).Warnings, w => w.Contains("background", StringComparison.Ordinal));
        // φ = 3 on 8 df: χ² = 24, p ≈ 0.002 < 0.05.
        Assert.Contains(Curve(0.0013, 0.021, 0.063, new LabFitSummary("quasi-poisson", 3, 8, 24, [])).Warnings, w => w.StartsWith("Poor fit", StringComparison.Ordinal));
        Assert.Contains(Curve(0.0013, 0.021, 0.063, to: null).Warnings, w => w.Contains("calibrated dose range", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_entered_curve_keeps_its_calibrated_range_and_activation_journals_its_warnings(string engine)
    {
        await using var w = await OpenAsync(engine);
        var lab = w.Services.GetRequiredService<LaboratoryService>();
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995 with { CalibratedFromGy = 4, CalibratedToGy = 2 }));
        Assert.Contains(bad.Errors, e => e.Field == "calibratedToGy");

        var high = await lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995 with { Name = "high C", C = 0.05, CalibratedFromGy = null, CalibratedToGy = null });
        Assert.Null(high.CalibratedToGy);
        Assert.Equal(2, high.Warnings.Count);
        await lab.ActivateCurveAsync(await QaSignerAsync(w.Services), high.Id, Signed);
        var entry = (await w.Services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery(RecordType: "lab-curve"))).Entries
            .Single(e => e.Action == "activated");
        Assert.Contains("background", entry.Payload, StringComparison.Ordinal);
    }
}
