using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Records;
using RadRegen.Core;

namespace RadRegen.Care.Tests;

/// <summary>A batch of observations of several patients (a hospital's FHIR Bundle, ADR 0037): all or nothing, each error named by its item.</summary>
[Trait("Kind", "Integration")]
public class ObservationBatchTests : CareTestBase
{
    [Fact]
    public async Task A_batch_is_recorded_whole_or_not_at_all_and_each_bad_item_is_named()
    {
        await using var w = await OpenAsync("sqlite");
        var care = w.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var a = await care.RegisterPatientAsync(Physician, incident.Id, APatient("P-0001"));
        var b = await care.RegisterPatientAsync(Physician, incident.Id, APatient("P-0002"));
        BatchObservation Count(string field, long patient, double lymphocytes, double hours = 4) =>
            new(field, patient, ObservationKind.BloodCount, a.ExposureStart.AddHours(hours), new ObservationData { Lymphocytes = lymphocytes, Granulocytes = 5 });

        // One impossible value and one unknown patient: both named, nothing written for anyone.
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => care.RecordObservationBatchAsync(Physician,
            [Count("entry[0]", a.Id, 1.5), Count("entry[1]", b.Id, 900), Count("entry[2]", 999_999, 1.0)], "test"));
        Assert.Contains(refused.Errors, e => e.Field == "entry[1].lymphocytes");
        Assert.Contains(refused.Errors, e => e.Field == "entry[2].subject" && e.Message.Contains("no patient 999999", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Errors, e => e.Field.StartsWith("entry[0]", StringComparison.Ordinal));
        Assert.Empty((await care.GetPatientAsync(Physician, a.Id)).Observations);
        Assert.Empty((await care.GetPatientAsync(Physician, b.Id)).Observations);

        // The auditor may not record: refused before anything is read.
        await Assert.ThrowsAsync<ForbiddenException>(() => care.RecordObservationBatchAsync(Auditor, [Count("entry[0]", a.Id, 1.5)], "test"));

        // A good batch: every observation written, each patient reassessed once.
        var result = await care.RecordObservationBatchAsync(Physician, [Count("entry[0]", a.Id, 1.5), Count("entry[1]", b.Id, 1.2), Count("entry[2]", a.Id, 1.4, 6)], "test");
        Assert.Equal(3, result.Observations.Count);
        Assert.Equal(2, result.Assessments.Count);
        Assert.Equal(2, (await care.GetPatientAsync(Physician, a.Id)).Observations.Count);
        Assert.Equal(1, (await care.GetPatientAsync(Physician, b.Id)).Assessment!.Version);
    }
}
