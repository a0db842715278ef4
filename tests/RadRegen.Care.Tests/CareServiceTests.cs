using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Tests;

[Trait("Kind", "Integration")]
public class CareServiceTests : CareTestBase
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Observations_recompute_the_assessment_and_every_version_is_on_the_journal(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var start = patient.ExposureStart;

        var (_, first) = await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.Symptoms, start.AddHours(2),
            new ObservationData { VomitingOnsetAt = start.AddMinutes(50), Signs = new Dictionary<string, double> { ["nausea"] = 2 } });
        Assert.Equal(1, first.Version);
        Assert.Equal("red", first.Triage); // < 1 h to vomiting: 4–6 Gy band (IAEA EPR-Medical 2024 Table 3)

        await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, start.AddHours(4), new ObservationData { Lymphocytes = 2.0, Granulocytes = 6, Platelets = 250 });
        var (_, third) = await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, start.AddHours(28), new ObservationData { Lymphocytes = 0.7, Granulocytes = 7, Platelets = 210 });
        Assert.Equal(3, third.Version);
        // Changed with issue 11 (F6): Goans' K uses only counts within the first 8 h; one count (4 h) is not enough.
        Assert.DoesNotContain(third.Doses, d => d.Rank == 2);
        Assert.Contains(third.Notes, n => n.Contains("within the first 8 h", StringComparison.Ordinal));
        Assert.Contains(third.Doses, d => d.Rank == 3); // a count at ≥ 24 h: the 48-h table applies
        Assert.Equal(2, third.Metrepol.Count); // day 0 and day 1
        Assert.Equal(3, third.Metrepol[1].H);  // lymphocytes 0.7 → H3

        var (_, withCyto) = await care.RecordObservationAsync(LabTechnician, patient.Id, ObservationKind.Cytogenetics, start.AddHours(30),
            new ObservationData { Cells = 500, Aberrations = 150, Curve = TestCurve });
        Assert.Equal(1, withCyto.Doses[0].Rank);
        Assert.Equal(withCyto.BasisDoseGy, withCyto.Doses[0].EstimateGy);
        var expected = RadRegen.Dosimetry.Estimation.WholeBodyEstimator.Merkle(ObservationRules.ToCurve(TestCurve),
            RadRegen.Dosimetry.Counts.CountRow.FromTotals("x", null, 500, 150));
        Assert.Equal(expected.Dose!.Value.Estimate, withCyto.BasisDoseGy!.Value, 9);

        var record = await care.GetPatientAsync(Auditor, patient.Id);
        Assert.Equal(4, record.Observations.Count);
        Assert.Equal(4, record.Assessment!.Version);
        Assert.Equal(withCyto.BasisDoseGy, record.Assessment.BasisDoseGy);
        Assert.True(record.Patient.Burns);

        var history = await care.AssessmentHistoryAsync(Auditor, patient.Id);
        Assert.Equal(4, history.Count);
        Assert.Contains("\"version\":1", history[^1].Payload, StringComparison.Ordinal);
        Assert.Contains("\"triage\":\"red\"", history[^1].Payload, StringComparison.Ordinal);
        var audit = services.GetRequiredService<AuditService>();
        Assert.Equal(1, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "incident"))).Total);
        Assert.Equal(1, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "patient"))).Total);
        Assert.Equal(4, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "observation"))).Total);
        Assert.True((await audit.VerifyAsync(Admin)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Impossible_counts_and_observations_before_the_exposure_are_refused_and_nothing_is_written(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());

        var negative = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.BloodCount, patient.ExposureStart.AddHours(3), new ObservationData { Lymphocytes = -0.2 }));
        Assert.Equal("lymphocytes", negative.Errors[0].Field);
        var perMicrolitre = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.BloodCount, patient.ExposureStart.AddHours(3), new ObservationData { Lymphocytes = 1800, Platelets = 250 }));
        Assert.Contains("check the unit", perMicrolitre.Errors[0].Message, StringComparison.Ordinal);
        var differential = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.BloodCount, patient.ExposureStart.AddHours(3), new ObservationData { Lymphocytes = 3, Granulocytes = 6, Leukocytes = 5 }));
        Assert.Equal("leukocytes", differential.Errors[0].Field);
        var before = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.BloodCount, patient.ExposureStart.AddHours(-1), new ObservationData { Lymphocytes = 2 }));
        Assert.Equal("observedAt", before.Errors[0].Field);
        Assert.Contains("before the exposure", before.Errors[0].Message, StringComparison.Ordinal);
        var sign = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.Symptoms, patient.ExposureStart.AddHours(1), new ObservationData { Signs = new Dictionary<string, double> { ["nausea"] = 7 } }));
        Assert.Equal("signs.nausea", sign.Errors[0].Field);
        var badCyto = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationAsync(Physician, patient.Id,
            ObservationKind.Cytogenetics, patient.ExposureStart.AddHours(30), new ObservationData { Cells = 100, Aberrations = 5, Distribution = [95, 3, 1], Curve = TestCurve }));
        Assert.Equal("distribution", badCyto.Errors[0].Field);
        var earlyPatient = await Assert.ThrowsAsync<DomainValidationException>(() =>
            care.RegisterPatientAsync(Physician, incident.Id, APatient("P-0002") with { ExposureStart = IncidentStart.AddHours(-2), WeightKg = 0 }));
        Assert.Equal(["weightKg", "exposureStart"], earlyPatient.Errors.Select(e => e.Field));

        var record = await care.GetPatientAsync(Physician, patient.Id);
        Assert.Empty(record.Observations);
        Assert.Null(record.Assessment);
        Assert.Single(await care.ListPatientsAsync(Physician, incident.Id));
        var audit = services.GetRequiredService<AuditService>();
        Assert.Equal(0, (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "observation"))).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Roles_are_enforced_by_the_service(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        await Assert.ThrowsAsync<ForbiddenException>(() => care.CreateIncidentAsync(Auditor, AnIncident()));
        await Assert.ThrowsAsync<ForbiddenException>(() => care.CreateIncidentAsync(LabTechnician, AnIncident()));
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var patient = await care.RegisterPatientAsync(Coordinator, incident.Id, APatient());
        var count = new ObservationData { Lymphocytes = 1.9 };
        await Assert.ThrowsAsync<ForbiddenException>(() => care.RecordObservationAsync(Coordinator, patient.Id, ObservationKind.BloodCount, patient.ExposureStart.AddHours(2), count));
        await Assert.ThrowsAsync<ForbiddenException>(() => care.RecordObservationAsync(Auditor, patient.Id, ObservationKind.BloodCount, patient.ExposureStart.AddHours(2), count));
        await Assert.ThrowsAsync<ForbiddenException>(() => care.RecordObservationAsync(LabTechnician, patient.Id, ObservationKind.BloodCount, patient.ExposureStart.AddHours(2), count));
        await care.RecordObservationAsync(LabTechnician, patient.Id, ObservationKind.Cytogenetics, patient.ExposureStart.AddHours(20),
            new ObservationData { Cells = 500, Aberrations = 3, Curve = TestCurve });
        Assert.NotEmpty(await care.ListIncidentsAsync(Auditor));
        await Assert.ThrowsAsync<ForbiddenException>(() => care.ListIncidentsAsync(As(Core.Access.Role.QaOfficer, "qa")));
        await Assert.ThrowsAsync<ConflictException>(() => care.CreateIncidentAsync(Physician, AnIncident()));
        await Assert.ThrowsAsync<ConflictException>(() => care.RegisterPatientAsync(Physician, incident.Id, APatient()));
        await Assert.ThrowsAsync<NotFoundException>(() => care.GetPatientAsync(Physician, 999));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task HLA_typing_uses_the_row_version(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var typed = await care.SetHlaTypingAsync(Physician, patient.Id, "HLA-A*24:02+HLA-A*33:03^HLA-B*52:01+HLA-B*44:03^HLA-DRB1*15:02+HLA-DRB1*13:02", patient.Version);
        Assert.Equal(patient.Version + 1, typed.Version);
        await Assert.ThrowsAsync<ConflictException>(() => care.SetHlaTypingAsync(Physician, patient.Id, "HLA-A*02:01+HLA-A*02:01", patient.Version));
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => care.SetHlaTypingAsync(Physician, patient.Id, "not a typing", typed.Version));
        Assert.Equal("hlaTyping", bad.Errors[0].Field);
    }

    [Theory]
    [InlineData("HLA-A*24:MDP+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02", "MAC code A*24:MDP cannot be resolved: the operator has not loaded an NMDP MAC file; enter the alleles as a GL String")]
    [InlineData("A*24:02+A*02:01^B2535+B7", "serological antigen B2535 cannot be resolved: the operator has not loaded the WMDA file rel_dna_ser.txt; enter the alleles as a GL String")]
    public async Task A_typing_matching_cannot_handle_is_refused_at_registration_and_on_the_HLA_form(string typing, string expected)
    {
        // issue 12 item 5: accepted only if matching can handle it as entered; nothing is written.
        await using var w = await OpenAsync("sqlite");
        var care = w.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Physician, AnIncident());
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => care.RegisterPatientAsync(Physician, incident.Id, APatient() with { HlaTyping = typing }));
        Assert.Equal("hlaTyping", refused.Errors[0].Field);
        Assert.StartsWith(expected, refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Empty(await care.ListPatientsAsync(Physician, incident.Id));

        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => care.SetHlaTypingAsync(Physician, patient.Id, typing, patient.Version));
        Assert.Equal("hlaTyping", bad.Errors[0].Field);
        Assert.StartsWith(expected, bad.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null((await care.GetPatientAsync(Physician, patient.Id)).Patient.HlaTyping);
    }

    private static readonly Core.Access.Actor Admin = Core.Access.Actor.LocalOperator("test");
}
