using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Allocation;
using RadRegen.Care.Laboratory;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>
/// Issue 12 item 8 in the care services: a 10 MB incident title was stored and journaled. Every text
/// field and list of incidents, therapy, the laboratory, the priority policy and observations is held
/// to its named limit (Core.Limits) before anything is written; the refusal names the field.
/// One database for the class: every case is refused, so none disturbs another.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class FieldLimitsTests : CareTestBase, IAsyncLifetime
{
    private static readonly string TenMegabytes = new('T', 10 * 1024 * 1024);

    private TestWorld world = null!;

    public async Task InitializeAsync() => world = await OpenAsync("sqlite");

    public async Task DisposeAsync() => await world.DisposeAsync();

    private static string Text(int length) => new('x', length);

    private async Task<DomainValidationException> RefusedAsync(Func<Task> act, params string[] fields)
    {
        var before = await world.JournalCountAsync();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(act);
        foreach (var field in fields)
        {
            Assert.Contains(ex.Errors, e => e.Field == field && e.Message.Contains("at most", StringComparison.Ordinal));
        }

        Assert.Equal(before, await world.JournalCountAsync());
        return ex;
    }

    [Fact]
    public async Task A_10_MB_incident_title_is_refused_naming_the_title_and_never_reaches_the_journal()
    {
        var care = world.Services.GetRequiredService<CareService>();
        var ex = await RefusedAsync(() => care.CreateIncidentAsync(Coordinator, AnIncident("INC-BIG") with { Title = TenMegabytes }), "title");
        Assert.Contains("10,485,760 characters", ex.Errors.Single(e => e.Field == "title").Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 1_000, "the refusal does not echo the title");
        var journal = await world.Services.GetRequiredService<AuditService>().BrowseAsync(TestWorld.System, new JournalQuery(PageSize: 500));
        Assert.DoesNotContain(journal.Entries, e => e.Payload.Contains("TTTTTTTTTT", StringComparison.Ordinal) || e.RecordId == "INC-BIG");
        Assert.DoesNotContain(await care.ListIncidentsAsync(Coordinator), i => i.Code == "INC-BIG");
    }

    [Fact]
    public async Task Therapy_texts_are_held_to_their_limits()
    {
        var care = world.Services.GetRequiredService<CareService>();
        var therapy = world.Services.GetRequiredService<TherapyService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident("INC-THER"));
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient("P-THER"));

        await RefusedAsync(() => therapy.RequestAsync(Physician, patient.Id, new NewTherapyRequest(Text(201), 2, "urgent", Text(201), Text(4_001))),
            "productCode", "treatingCenter", "note");
        await RefusedAsync(() => therapy.CancelAsync(Physician, 1, Text(4_001)), "reason");
        await RefusedAsync(() => therapy.ReceiveAsync(Physician, 1, Text(4_001)), "note");
        await RefusedAsync(() => therapy.AdministerAsync(Physician, 1, "pw", Text(4_001)), "note");
        await RefusedAsync(() => therapy.RecordFollowUpAsync(Physician, 1, IncidentStart.AddDays(1), Text(201), Text(4_001)), "outcome", "note");
    }

    [Fact]
    public async Task Laboratory_curves_policy_reasons_and_observation_signs_are_held_to_their_limits()
    {
        var lab = world.Services.GetRequiredService<LaboratoryService>();
        await RefusedAsync(() => lab.EnterCurveAsync(LabTechnician, new PublishedCurveRequest("dicentric", Text(201), "lq", 0.001, 0.02, 0.06,
            [[0, 0, 0], [0, 0, 0], [0, 0, 0]], Text(501), Text(201))), "name", "source", "radiationQuality");
        await RefusedAsync(() => lab.EnterCurveAsync(LabTechnician, new PublishedCurveRequest(Text(201), "n", Text(201), 0.001, 0.02, 0.06,
            [[0, 0, 0], [0, 0, 0], [0, 0, 0]], "s")), "assay", "model");
        var rows = Enumerable.Range(0, Limits.ShortList.MaxCount + 1).Select(i => new LabCountRow(i * 0.05, 1000, i)).ToList();
        await RefusedAsync(() => lab.FitCurveAsync(LabTechnician, new FitCurveRequest("dicentric", "fit", Rows: rows, Citation: Text(501))), "rows", "citation");

        var policy = world.Services.GetRequiredService<PriorityPolicyService>();
        await RefusedAsync(() => policy.ChangeAsync(Physician, new JsonObject(), Text(4_001), "pw"), "reason");
        var many = new JsonObject();
        foreach (var i in Enumerable.Range(0, 101))
        {
            many["k" + i] = 1;
        }

        await RefusedAsync(() => policy.ChangeAsync(Physician, many, "why", "pw"), "policy");

        var care = world.Services.GetRequiredService<CareService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident("INC-OBS"));
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient("P-OBS"));
        var signs = Enumerable.Range(0, 5_000).ToDictionary(i => "sign" + i, _ => 1.0);
        var ex = await RefusedAsync(() => care.RecordObservationAsync(Physician, patient.Id, ObservationKind.Symptoms, patient.ExposureStart.AddHours(2),
            new ObservationData { Signs = signs }), "signs");
        Assert.Single(ex.Errors); // one error for the list, not one per unknown sign
    }
}
