using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Laboratory;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hosting.Demo;

namespace RadRegen.Care.Tests;

[Trait("Kind", "Integration")]
public class LaboratoryTests : CareTestBase
{
    private static readonly Actor Admin = Actor.LocalOperator("test");

    private static PublishedCounts Barquinero => LabDemoSeeder.Published.Single(p => p.Assay == "dicentric");

    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what}: expected {expected}, got {actual}");

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Fitting_the_Barquinero_counts_reproduces_the_published_curve_and_covariance(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var lab = services.GetRequiredService<LaboratoryService>();
        var curve = await lab.FitCurveAsync(LabTechnician, new FitCurveRequest("dicentric", "Barquinero", "lq", CountsCsv: Barquinero.Text(),
            Citation: Barquinero.Citation, RadiationQuality: "⁶⁰Co γ"));

        // Reference fit F1 (Biodose Tools 3.7; RadRegen.Dosimetry CalibrationReferenceTests), relative 1e-6.
        var published = LabDemoSeeder.Barquinero1995;
        Relative(published.C!.Value, curve.C, 1e-6, "C");
        Relative(published.Alpha!.Value, curve.Alpha, 1e-6, "alpha");
        Relative(published.Beta!.Value, curve.Beta, 1e-6, "beta");
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Relative(published.Covariance![i][j], curve.Covariance[i][j], 1e-6, $"V[{i}][{j}]");
            }
        }

        Assert.Equal("poisson", curve.Fit!.Method);
        Assert.Equal(8, curve.Fit.Df);
        Assert.Equal(11, curve.Counts!.Count);
        Assert.NotNull(curve.Counts[0].Distribution);
        Assert.StartsWith("fitted from ", curve.Source, StringComparison.Ordinal);
        Assert.Contains("Barquinero", curve.Source, StringComparison.Ordinal);
        Assert.False(curve.Active);

        // The same counts as "dose,cells,aberrations" give the same curve.
        var simple = LabCountCsv.Format(curve.Counts.Select(r => r with { Distribution = null }));
        var again = await lab.FitCurveAsync(LabTechnician, new FitCurveRequest("dicentric", "Barquinero totals", CountsCsv: simple));
        Relative(curve.Beta, again.Beta, 1e-10, "beta from totals");

        var band = LaboratoryService.Band(curve);
        Assert.Equal(0, band[0].DoseGy);
        Assert.All(band, p => Assert.True(p.Lower <= p.Yield && p.Yield <= p.Upper));
        var at2 = band.Single(p => Math.Abs(p.DoseGy - 2) < 1e-12);
        Assert.Equal(curve.ToCalibration().Yield(2), at2.Yield, 12);
        Assert.Equal(CurveBand.Z95 * Math.Sqrt(curve.ToCalibration().YieldVariance(2)), at2.Upper - at2.Yield, 12);

        var audit = services.GetRequiredService<AuditService>();
        Assert.Equal(2, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "lab-curve"))).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Activation_keeps_exactly_one_active_curve_per_assay_and_is_journaled(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var lab = services.GetRequiredService<LaboratoryService>();
        var a = await lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995);
        var b = await lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995 with { Name = "second" });
        var mn = await lab.FitCurveAsync(LabTechnician, new FitCurveRequest("micronucleus", "MN", CountsCsv: LabDemoSeeder.Published.Single(p => p.Assay == "micronucleus").Text()));

        var qa = await QaSignerAsync(services);
        await lab.ActivateCurveAsync(qa, a.Id, Signed);
        await lab.ActivateCurveAsync(qa, mn.Id, Signed);
        var bActive = await lab.ActivateCurveAsync(qa, b.Id, Signed);
        Assert.True(bActive.Active);
        Assert.Equal("qa.sato", bActive.ActivatedBy);
        Assert.NotNull(bActive.ActivationSignatureId);

        var dicentric = await lab.ListCurvesAsync(Auditor, "dicentric");
        Assert.Equal(b.Id, Assert.Single(dicentric, c => c.Active).Id);
        Assert.Equal(mn.Id, (await lab.GetActiveCurveAsync(Auditor, "micronucleus"))!.Id);

        // A stale version is refused and changes nothing.
        await Assert.ThrowsAsync<ConflictException>(() => lab.ActivateCurveAsync(qa, a.Id, Signed with { ExpectedVersion = 1 }));
        Assert.Equal(b.Id, (await lab.GetActiveCurveAsync(Auditor, "dicentric"))!.Id);

        // Only QA activates (issue 12, item 9): the laboratory, physicians and admins no longer can; a wrong password signs nothing.
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ActivateCurveAsync(Coordinator, a.Id, Signed));
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ActivateCurveAsync(LabTechnician, a.Id, Signed));
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ActivateCurveAsync(Physician, a.Id, Signed));
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ActivateCurveAsync(As(Role.Admin, "admin"), a.Id, Signed));
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ActivateCurveAsync(qa, a.Id, new CurveActivation("wrong password")));
        var missing = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ActivateCurveAsync(qa, a.Id, new CurveActivation(null)));
        Assert.Contains(missing.Errors, e => e.Field == "password");
        Assert.Equal(b.Id, (await lab.GetActiveCurveAsync(Auditor, "dicentric"))!.Id);
        Assert.NotEmpty(await lab.ListCurvesAsync(qa)); // QA reads the curves it signs
        await Assert.ThrowsAsync<NotFoundException>(() => lab.ActivateCurveAsync(qa, 9999, Signed));

        var entries = (await services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery(RecordType: "lab-curve"))).Entries;
        Assert.Equal(3, entries.Count(e => e.Action == "activated"));
        await services.GetRequiredService<AttemptJournal>().FlushAsync(); // refused signatures are journaled after the refused unit of work
        var signatures = (await services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Entries;
        // Signed activations only: the wrong password above is journaled too, as signature-failed (issue 12 item 1).
        Assert.Equal(3, signatures.Count(e => e.Action == "signed" && e.RecordId.StartsWith("lab-curve/", StringComparison.Ordinal)));
        Assert.Equal(1, signatures.Count(e => e.Action == "signature-failed" && e.RecordId.StartsWith("lab-curve/", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Action == "activated" && e.RecordId == b.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            && e.Payload.Contains("previous", StringComparison.OrdinalIgnoreCase) && e.Payload.Contains("Barquinero", StringComparison.Ordinal));
    }

    public static TheoryData<string, PublishedCurveRequest> BadCurves
    {
        get
        {
            var ok = LabDemoSeeder.Barquinero1995;
            return new TheoryData<string, PublishedCurveRequest>
            {
                { "assay", ok with { Assay = "comet" } },
                { "name", ok with { Name = " " } },
                { "model", ok with { Model = "cubic" } },
                { "source", ok with { Source = null } },
                { "alpha", ok with { Alpha = -0.02 } },
                { "beta", ok with { Beta = double.NaN } },
                { "c", ok with { C = null } },
                { "covariance", ok with { Covariance = [[1e-7, 0], [0, 1e-5]] } },
                { "covariance[0][1]", ok with { Covariance = [[1e-7, 1e-7, 0], [-1e-7, 1e-5, 0], [0, 0, 1e-5]] } },
                { "covariance[1][1]", ok with { Covariance = [[1e-7, 0, 0], [0, -1e-5, 0], [0, 0, 1e-5]] } },
                // |correlation(C, α)| > 1: symmetric but not positive semi-definite.
                { "covariance", ok with { Covariance = [[1e-6, 1e-5, 0], [1e-5, 1e-5, 0], [0, 0, 1e-5]] } },
                // every 2×2 minor ≥ 0 but the determinant < 0.
                { "covariance", ok with { Covariance = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] } },
                { "beta", ok with { Model = "linear", Beta = 0.06 } },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadCurves))]
    public async Task A_bad_published_curve_is_refused_naming_the_field_and_nothing_is_written(string field, PublishedCurveRequest request)
    {
        await using var w = await OpenAsync("sqlite");
        var services = w.Services;
        var lab = services.GetRequiredService<LaboratoryService>();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => lab.EnterCurveAsync(LabTechnician, request));
        Assert.Contains(ex.Errors, e => e.Field == field);
        Assert.Empty(await lab.ListCurvesAsync(LabTechnician));
    }

    [Theory]
    [InlineData("", "counts", "paste the count table")]
    [InlineData("dose,cells,aberrations\n0,5000,8\n1,abc,100\n2,1000", "counts", "row 3: cells 'abc'")]
    [InlineData("0,5000,8\n1,2000,100", "counts", "at least 3 dose points")]
    [InlineData("0,5000,8\n1,2000,100\n0.5,2000,50", "counts", "strictly increasing")]
    [InlineData("0,5000,8\n1,2000,100,1900,50\n2,1000,300", "counts", "adds up to 1950 cells and 50 aberrations")]
    [InlineData("0,5000,0\n1,2000,0\n2,1000,0", "counts", "no aberrations")]
    [InlineData("D,C0,C1\n0,10,x", "counts", "row")]
    public async Task A_bad_count_table_is_refused_naming_the_field(string csv, string field, string message)
    {
        await using var w = await OpenAsync("sqlite");
        var services = w.Services;
        var lab = services.GetRequiredService<LaboratoryService>();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => lab.FitCurveAsync(LabTechnician, new FitCurveRequest("dicentric", "x", CountsCsv: csv)));
        Assert.Contains(ex.Errors, e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));

        var rows = await Assert.ThrowsAsync<DomainValidationException>(() => lab.FitCurveAsync(LabTechnician,
            new FitCurveRequest("dicentric", "x", Rows: [new LabCountRow(0, 5000, 8), new LabCountRow(1, 0, 10), new LabCountRow(2, 100, -1)])));
        Assert.Contains(rows.Errors, e => e.Field == "rows[1].cells");
        Assert.Contains(rows.Errors, e => e.Field == "rows[2].aberrations");
        Assert.Empty(await lab.ListCurvesAsync(LabTechnician));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Scoring_a_case_records_a_cytogenetics_observation_from_the_active_curve_and_recomputes_the_assessment(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var clock = w.Clock;
        var lab = services.GetRequiredService<LaboratoryService>();
        var care = services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var (_, first) = await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, clock.UtcNow.AddHours(-1),
            new ObservationData { Lymphocytes = 1.1 });

        // no active curve yet: a rule refuses (422), nothing recorded
        await Assert.ThrowsAsync<RuleViolationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 25)));
        var curve = await lab.EnterCurveAsync(LabTechnician, LabDemoSeeder.Barquinero1995);
        curve = await lab.ActivateCurveAsync(await QaSignerAsync(services), curve.Id, Signed);

        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 0, 25)));
        Assert.Contains(bad.Errors, e => e.Field == "cells");
        var noAssay = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(null, "comet", 500, 25)));
        Assert.Contains(noAssay.Errors, e => e.Field == "assay");
        Assert.Contains(noAssay.Errors, e => e.Field == "patientId");
        await Assert.ThrowsAsync<ForbiddenException>(() => lab.ScoreCaseAsync(Coordinator, new CaseScoringRequest(patient.Id, "dicentric", 500, 25)));

        // The lymphocyte band made the patient yellow; 0.73 Gy lowers it to green, which needs confirmation (issue 11, item 7).
        var unconfirmed = await Assert.ThrowsAsync<DomainValidationException>(() => lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 25)));
        Assert.Contains(unconfirmed.Errors, e => e.Field == "confirm");
        var result = await lab.ScoreCaseAsync(LabTechnician, new CaseScoringRequest(patient.Id, "dicentric", 500, 25, Confirm: true));
        Assert.Equal(ObservationKind.Cytogenetics, result.Observation.Kind);
        Assert.Equal(curve.Id, result.Curve.Id);
        Assert.Contains($"lab curve {curve.Id}", result.Observation.Data.Curve!.Name, StringComparison.Ordinal);
        Assert.Equal(first.Version + 1, result.Assessment.Version);
        Assert.Equal(1, result.Dose!.Rank);
        // IAEA 2011 §9.7.3: 25 dicentrics in 500 cells on the Barquinero curve ≈ 0.73 Gy.
        Assert.InRange(result.Dose.EstimateGy!.Value, 0.72, 0.74);
        Assert.Equal(result.Dose.EstimateGy, result.Assessment.BasisDoseGy);

        var record = await care.GetPatientAsync(Auditor, patient.Id);
        Assert.Equal(result.Assessment.Version, record.Assessment!.Version);
        Assert.Single(record.Observations, o => o.Kind == ObservationKind.Cytogenetics);
        Assert.True((await services.GetRequiredService<AuditService>().VerifyAsync(Admin)).IsIntact);
    }

    [Fact]
    public async Task The_demo_laboratory_has_one_active_published_curve_per_assay_and_seeding_twice_adds_nothing()
    {
        await using var w = await OpenAsync("sqlite");
        var services = w.Services;
        Assert.Equal(4, await LabDemoSeeder.SeedAsync(services));
        Assert.Equal(0, await LabDemoSeeder.SeedAsync(services));
        var lab = services.GetRequiredService<LaboratoryService>();
        foreach (var assay in LaboratoryService.Assays)
        {
            var active = await lab.GetActiveCurveAsync(Auditor, assay);
            Assert.NotNull(active);
            Assert.False(string.IsNullOrWhiteSpace(active.Source));
        }

        Assert.Contains("Barquinero", (await lab.GetActiveCurveAsync(Auditor, "dicentric"))!.Source, StringComparison.Ordinal);
    }
}
