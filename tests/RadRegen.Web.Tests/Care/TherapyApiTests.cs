using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Care;

/// <summary>Therapy requests through the real server on each engine: the whole path, the errors, and the roles.</summary>
public class TherapyApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<(long First, long Second)> PatientsAsync(TestServer server)
    {
        var care = server.Services.GetRequiredService<CareService>();
        var coordinator = Actor.LocalOperator("api-test", Role.Coordinator); // issue 12 item 9: a coordinator opens incidents and registers patients, not the administrator
        var exposure = server.Services.GetRequiredService<IClock>().UtcNow.AddHours(-12);
        var incident = await care.CreateIncidentAsync(coordinator, new NewIncident("INC-API1", "API", IncidentKind.ReactorAccident, exposure, "Site", ["Cs-137"]));
        var a = await care.RegisterPatientAsync(coordinator, incident.Id, new NewPatient("P-API-0001", 50, Sex.Female, 80, exposure, HlaTyping: TherapySeed.MatchingPatient));
        var b = await care.RegisterPatientAsync(coordinator, incident.Id, new NewPatient("P-API-0002", 30, Sex.Male, 75, exposure, HlaTyping: TherapySeed.MatchingPatient));
        return (a.Id, b.Id);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Request_match_reserve_dispatch_receive_administer_follow_up(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var vials = await TherapySeed.ReleasedVialsAsync(server.Services, 3);
        var (first, second) = await PatientsAsync(server);
        var doctor = await server.WithTokenAsync(Role.Physician);
        var tech = await server.WithTokenAsync(Role.CpcTechnician);

        var created = await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{first}/therapy-requests"),
            new { productCode = "S9102", dose = 2, urgency = "emergency", treatingCenter = "Hospital A" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await OkJson(created);
        var id = request.GetProperty("id").GetInt64();
        Assert.Equal(2, request.GetProperty("vialsNeeded").GetInt32()); // 2×10⁶/kg × 80 kg = 160 ×10⁶ cells; 100 per vial
        Assert.Equal("emergency", request.GetProperty("urgency").GetString());

        var matches = await OkJson(await doctor.GetAsync(U($"/api/v1/care/therapy-requests/{id}/matches")));
        Assert.Equal(3, matches.GetProperty("offers").GetArrayLength());
        Assert.Equal(2, matches.GetProperty("vialsStillNeeded").GetInt32());
        var top = matches.GetProperty("offers")[0];
        Assert.Equal(1.0, top.GetProperty("compatibility").GetDouble());
        Assert.Contains("HvG 0", top.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        var reserved = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/reservations"), new { best = true }));
        Assert.Equal("reserved", reserved.GetProperty("request").GetProperty("status").GetString());
        var held = reserved.GetProperty("vials").EnumerateArray().Select(v => v.GetProperty("vialId").GetInt64()).ToList();
        Assert.Equal(2, held.Count);

        // Someone else's request: the held vials are not offered, and asking for one is 409.
        var other = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{second}/therapy-requests"),
            new { productCode = "S9102", dose = 1, urgency = "urgent", treatingCenter = "Hospital B" }));
        var otherId = other.GetProperty("id").GetInt64();
        var left = await OkJson(await doctor.GetAsync(U($"/api/v1/care/therapy-requests/{otherId}/matches")));
        Assert.Equal(vials.Select(v => v.Id).Except(held), left.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("vialId").GetInt64()));
        var conflict = await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{otherId}/reservations"), new { vialIds = new[] { held[0] } }),
            HttpStatusCode.Conflict);
        Assert.Contains("reserved by someone else", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await Problem(await doctor.PostAsync(U($"/api/v1/care/therapy-requests/{id}/dispatch"), null), HttpStatusCode.Forbidden);
        var dispatched = await OkJson(await tech.PostAsync(U($"/api/v1/care/therapy-requests/{id}/dispatch"), null));
        Assert.Equal("dispatched", dispatched.GetProperty("request").GetProperty("status").GetString());
        Assert.Equal(1, dispatched.GetProperty("shipments").GetArrayLength());
        await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/receipt"), new { note = "intact, dry ice" }));

        var unsigned = await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/administration"), new { password = "not my password" });
        Assert.False(unsigned.IsSuccessStatusCode);
        var given = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/administration"),
            new { password = server.PasswordOf(Role.Physician), note = "i.v." }));
        Assert.Equal("administered", given.GetProperty("request").GetProperty("status").GetString());

        var follow = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/follow-ups"), new { outcome = "improved", note = "ANC rising" }));
        Assert.Equal("improved", follow.GetProperty("outcome").GetString());
        var record = await OkJson(await doctor.GetAsync(U($"/api/v1/care/therapy-requests/{id}")));
        Assert.Equal(1, record.GetProperty("followUps").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_input_and_roles(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        await TherapySeed.ReleasedVialsAsync(server.Services, 1);
        var (first, _) = await PatientsAsync(server);
        var doctor = await server.WithTokenAsync(Role.Physician);

        var bad = await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{first}/therapy-requests"),
            new { productCode = "XX", dose = 0, urgency = "later", treatingCenter = "" }), HttpStatusCode.BadRequest);
        var fields = bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["productCode", "dose", "urgency", "treatingCenter"], fields);
        await Problem(await doctor.PostAsJsonAsync(U("/api/v1/care/patients/999999/therapy-requests"),
            new { productCode = "S9102", dose = 1, urgency = "urgent", treatingCenter = "H" }), HttpStatusCode.NotFound);

        var qa = await server.WithTokenAsync(Role.QaOfficer);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/care/patients/{first}/therapy-requests"),
            new { productCode = "S9102", dose = 1, urgency = "urgent", treatingCenter = "H" }), HttpStatusCode.Forbidden);
        await Problem(await qa.GetAsync(U($"/api/v1/care/patients/{first}/therapy-requests")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous().GetAsync(U($"/api/v1/care/patients/{first}/therapy-requests"))).StatusCode);

        var request = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{first}/therapy-requests"),
            new { productCode = "S9102", dose = 1, urgency = "urgent", treatingCenter = "H" }));
        var id = request.GetProperty("id").GetInt64();
        var tech = await server.WithTokenAsync(Role.CpcTechnician);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/reservations"), new { best = true }), HttpStatusCode.Forbidden);
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/reservations"), new { vialIds = Array.Empty<long>() }), HttpStatusCode.BadRequest);
        await Problem(await doctor.PostAsync(U($"/api/v1/care/therapy-requests/{id}/dispatch"), null), HttpStatusCode.Forbidden);
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/care/therapy-requests/{id}/follow-ups"), new { outcome = "improved" }), (HttpStatusCode)422);
    }
}
