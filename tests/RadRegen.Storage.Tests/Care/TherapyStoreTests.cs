using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests.Care;

/// <summary>The therapy store's list of requests under way (the inbox's therapy source), on each engine.</summary>
[Trait("Kind", "Integration")]
public class TherapyStoreTests : EngineTests
{
    /// <summary>
    /// Requests of real and drill incidents in every status, some requested at the same instant: the list holds those
    /// open, reserved, dispatched or received, oldest first (then by id), at most <c>limit</c>, each with its incident's
    /// drill flag — computed here from what was written, independently of the store's single joined query.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Requests_under_way_come_oldest_first_with_their_incidents_drill_flag_and_no_more_than_the_limit(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var care = w.World.Care;
        var coordinator = await w.World.UserAsync("coord.store", Role.Coordinator);
        var start = w.Clock.UtcNow.AddHours(-6);
        var real = await care.CreateIncidentAsync(coordinator, new NewIncident("INC-S1", "Real", IncidentKind.Criticality, start, "Plant", []));
        var drill = await care.CreateIncidentAsync(coordinator, new NewIncident("DRILL-S1", "Drill", IncidentKind.Criticality, start, "Plant", [], Drill: true));
        var realPatient = await care.RegisterPatientAsync(w.Physician, real.Id, new NewPatient("P-S1", 40, Sex.Male, 70, start));
        var drillPatient = await care.RegisterPatientAsync(w.Physician, drill.Id, new NewPatient("P-S2", 40, Sex.Female, 60, start));

        var statuses = Enum.GetValues<TherapyStatus>();
        var written = new List<(TherapyRequest Request, bool Drill)>();
        var factory = w.Services.GetRequiredService<IUnitOfWorkFactory>();
        await using (var uow = await factory.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<ITherapyStore>();
            for (var i = 0; i < 24; i++)
            {
                var isDrill = i % 3 == 0;
                // Newest first in id order, with pairs at the same instant: the order is by time, then id.
                var at = start.AddMinutes(60 - (i / 2 * 5));
                var request = new TherapyRequest(0, isDrill ? drill.Id : real.Id, isDrill ? drillPatient.Id : realPatient.Id, "S9102", 1, "10^6 cells/kg", 70, 1,
                    Urgency.Urgent, "Hospital A", statuses[i % statuses.Length], null, "doc1", at);
                written.Add((request with { Id = await store.InsertRequestAsync(request, CancellationToken.None) }, isDrill));
            }

            await uow.CommitAsync();
        }

        TherapyStatus[] underWay = [TherapyStatus.Open, TherapyStatus.Reserved, TherapyStatus.Dispatched, TherapyStatus.Received];
        var expected = written.Where(x => underWay.Contains(x.Request.Status)).OrderBy(x => x.Request.RequestedAt).ThenBy(x => x.Request.Id).ToList();
        Assert.Equal(16, expected.Count);
        Assert.Contains(expected, x => x.Drill);
        Assert.Contains(expected, x => !x.Drill);
        await using (var uow = await factory.BeginAsync(WorkMode.Read))
        {
            var store = uow.Store<ITherapyStore>();
            Assert.Equal(expected, await store.ListUnderWayAsync(100, CancellationToken.None));
            Assert.Equal(expected.Take(5), await store.ListUnderWayAsync(5, CancellationToken.None));
        }
    }
}
