using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Care.Tests.Therapy;

/// <summary>
/// The inbox source for therapy requests (ADR 0040), on each engine: an open request waits for those who
/// may reserve (physician, coordinator) — a real one only for those who read real patients, a drill's for
/// those who read drills; the trainer reads drills but may not reserve (care.therapy.reserve), so nothing
/// waits for the trainer; a cancelled or administered request waits for no one.
/// </summary>
[Trait("Kind", "Integration")]
public class TherapyWorkTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    /// <summary>Shares one haplotype (A24-B52-DR15) with the world's homozygous line, as in <see cref="TherapyTests"/>.</summary>
    private const string PatientHla = "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05";

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Open_requests_wait_for_who_may_reserve_and_cancelled_or_administered_ones_for_no_one(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var care = w.Services.GetRequiredService<CareService>();
        var therapy = w.Services.GetRequiredService<TherapyService>();
        var work = new TherapyWork(w.Services.GetRequiredService<IUnitOfWorkFactory>());
        var trainer = await w.World.UserAsync("trainer.work", Role.Trainer, BankWorld.Password);
        var coordinator = await w.World.UserAsync("coord.work", Role.Coordinator, BankWorld.Password);
        await w.ReleasedLotAsync(2);

        var real = await care.CreateIncidentAsync(w.Physician, new NewIncident("INC-W1", "Real", IncidentKind.Criticality, w.Clock.UtcNow.AddHours(-6), "Plant", ["U-235"]));
        var drill = await care.CreateIncidentAsync(w.Physician, new NewIncident("DRILL-W1", "Drill", IncidentKind.Criticality, w.Clock.UtcNow.AddHours(-6), "Plant", ["U-235"],
            Drill: true));
        NewPatient Patient(string code) => new(code, 40, Sex.Male, 70, w.Clock.UtcNow.AddHours(-6), HlaTyping: PatientHla);
        var realPatient = await care.RegisterPatientAsync(w.Physician, real.Id, Patient("P-W1"));
        var drillPatient = await care.RegisterPatientAsync(w.Physician, drill.Id, Patient("P-W2"));
        var cancelledPatient = await care.RegisterPatientAsync(w.Physician, real.Id, Patient("P-W3"));
        var treatedPatient = await care.RegisterPatientAsync(w.Physician, real.Id, Patient("P-W4"));

        var open = await therapy.RequestAsync(w.Physician, realPatient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        var drillOpen = await therapy.RequestAsync(w.Physician, drillPatient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        var cancelled = await therapy.RequestAsync(w.Physician, cancelledPatient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        await therapy.CancelAsync(w.Physician, cancelled.Id, "no longer needed");
        var treated = await therapy.RequestAsync(w.Physician, treatedPatient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        await therapy.ReserveBestAsync(w.Physician, treated.Id);
        await therapy.DispatchAsync(w.Tech, treated.Id);
        w.Clock.Advance(TimeSpan.FromHours(3));
        await therapy.ReceiveAsync(w.Physician, treated.Id, null);
        var given = await therapy.AdministerAsync(w.Physician, treated.Id, BankWorld.Password, null);
        Assert.Equal(TherapyStatus.Administered, given.Request.Status);

        static string Link(TherapyRequest r) => $"/care/patients/{r.PatientId}#therapy";

        foreach (var prescriber in new[] { w.Physician, coordinator })
        {
            var items = await work.WaitingForAsync(prescriber, CancellationToken.None);
            var real1 = Assert.Single(items, i => i.Link == Link(open));
            Assert.Equal("reserve matched vials", real1.Next.Action);
            Assert.Equal(Operation.CareTherapyReserve, real1.Next.Operation);
            Assert.DoesNotContain("DRILL", real1.Record, StringComparison.Ordinal);
            var drill1 = Assert.Single(items, i => i.Link == Link(drillOpen));
            Assert.StartsWith("DRILL ", drill1.Record, StringComparison.Ordinal);
            Assert.Equal("reserve matched vials", drill1.Next.Action);
            Assert.DoesNotContain(items, i => i.Link == Link(cancelled) || i.Link == Link(treated));
            Assert.Equal(2, items.Count);
        }

        // The trainer reads drills but may not reserve: neither the real nor the drill request waits for them.
        Assert.False(Permissions.Allows(trainer, Operation.CareTherapyReserve));
        Assert.Empty(await work.WaitingForAsync(trainer, CancellationToken.None));
        // The auditor reads everything and takes no step; the technician dispatches, and nothing is reserved.
        Assert.Empty(await work.WaitingForAsync(w.Auditor, CancellationToken.None));
        Assert.Empty(await work.WaitingForAsync(w.Tech, CancellationToken.None));
    }
}
