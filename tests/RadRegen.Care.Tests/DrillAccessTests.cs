using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Care.Tests;

/// <summary>
/// Issue 12 item 9, ADR 0026: a trainer reads drill incidents and their patients only, never a real
/// patient; the administrator reads no patient at all.
/// </summary>
[Trait("Kind", "Integration")]
public class DrillAccessTests : CareTestBase
{
    private static readonly Actor Trainer = As(Role.Trainer, "trainer1");

    private static readonly Actor Admin = As(Role.Admin, "admin1");

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_trainer_reads_drill_incidents_and_their_patients_only(string engine)
    {
        await using var w = await OpenAsync(engine);
        var care = w.Services.GetRequiredService<CareService>();
        var real = await care.CreateIncidentAsync(Coordinator, AnIncident("INC-REAL"));
        var drill = await care.CreateIncidentAsync(Coordinator, AnIncident("DRILL-1") with { Drill = true });
        Assert.False(real.Drill);
        Assert.True(drill.Drill);
        var realPatient = await care.RegisterPatientAsync(Physician, real.Id, APatient("P-1"));
        var drillPatient = await care.RegisterPatientAsync(Physician, drill.Id, APatient("P-1"));

        Assert.Equal(["DRILL-1"], (await care.ListIncidentsAsync(Trainer)).Select(i => i.Code));
        Assert.Equal(2, (await care.ListIncidentsAsync(Auditor)).Count);
        Assert.Equal(drill.Id, (await care.GetIncidentAsync(Trainer, drill.Id)).Id);
        Assert.Equal(drill.Id, (await care.FindIncidentAsync(Trainer, "DRILL-1")).Id);
        Assert.Single(await care.ListPatientsAsync(Trainer, drill.Id));
        Assert.Equal(drillPatient.Id, (await care.GetPatientAsync(Trainer, drillPatient.Id)).Patient.Id);
        Assert.Equal([drillPatient.Id], (await care.FindPatientsByCodeAsync(Trainer, "P-1")).Select(p => p.Id));
        Assert.Equal(2, (await care.FindPatientsByCodeAsync(Physician, "P-1")).Count);
        await care.AssessmentHistoryAsync(Trainer, drillPatient.Id);
        await care.ListAssessmentsAsync(Trainer, drill.Id);
        await w.Services.GetRequiredService<MassCasualtyService>().QueueAsync(Trainer, drill.Id);
        await w.Services.GetRequiredService<TherapyService>().ListForPatientAsync(Trainer, drillPatient.Id);

        Func<Task>[] refused =
        [
            () => care.GetIncidentAsync(Trainer, real.Id),
            () => care.FindIncidentAsync(Trainer, "INC-REAL"),
            () => care.GetIncidentAsync(Trainer, 999_999), // no telling which ids exist
            () => care.ListPatientsAsync(Trainer, real.Id),
            () => care.GetPatientAsync(Trainer, realPatient.Id),
            () => care.AssessmentHistoryAsync(Trainer, realPatient.Id),
            () => care.ListAssessmentsAsync(Trainer, real.Id),
            () => w.Services.GetRequiredService<MassCasualtyService>().QueueAsync(Trainer, real.Id),
            () => w.Services.GetRequiredService<TherapyService>().ListForPatientAsync(Trainer, realPatient.Id),
            () => w.Services.GetRequiredService<TherapyService>().ListForIncidentAsync(Trainer, real.Id),
            // a trainer changes nothing, drills included
            () => care.CreateIncidentAsync(Trainer, AnIncident("DRILL-2") with { Drill = true }),
            () => care.RegisterPatientAsync(Trainer, drill.Id, APatient("P-2")),
        ];
        foreach (var call in refused)
        {
            await Assert.ThrowsAsync<ForbiddenException>(call);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_administrator_reads_no_patient_and_opens_no_incident(string engine)
    {
        await using var w = await OpenAsync(engine);
        var care = w.Services.GetRequiredService<CareService>();
        var drill = await care.CreateIncidentAsync(Coordinator, AnIncident("DRILL-1") with { Drill = true });
        var patient = await care.RegisterPatientAsync(Physician, drill.Id, APatient());
        Func<Task>[] refused =
        [
            () => care.ListIncidentsAsync(Admin),
            () => care.GetIncidentAsync(Admin, drill.Id),
            () => care.GetPatientAsync(Admin, patient.Id),
            () => care.CreateIncidentAsync(Admin, AnIncident("INC-ADMIN")),
            () => care.RegisterPatientAsync(Admin, drill.Id, APatient("P-9")),
        ];
        foreach (var call in refused)
        {
            await Assert.ThrowsAsync<ForbiddenException>(call);
        }
    }
}
