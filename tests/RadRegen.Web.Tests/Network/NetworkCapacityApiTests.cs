using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Demo;
using RadRegen.Network.Events;
using RadRegen.Network.Transfers;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Network;

/// <summary>Capacity and transfers through the real server (issue 13 items 4 and 5): API, problem details, roles, and the two pages.</summary>
public partial class NetworkCapacityApiTests
{
    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Token();

    [Fact]
    public async Task The_capacity_form_shows_each_error_beside_its_row_and_writes_nothing_until_it_is_right()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            async Task<HttpResponseMessage> PostAsync(string available)
            {
                var page = await client.GetStringAsync(U("/network/capacity"));
                // As the browser sends it: every row, the unfilled ones blank.
                var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value };
                foreach (var (type, i) in RadRegen.Network.Capacity.BedTypes.All.Select((t, i) => (t, i)))
                {
                    fields[$"Beds[{i}].BedType"] = RadRegen.Network.Capacity.BedTypes.Name(type);
                    fields[$"Beds[{i}].Baseline"] = type == RadRegen.Network.Capacity.BedType.Bmt ? "12" : "";
                    fields[$"Beds[{i}].Available"] = type == RadRegen.Network.Capacity.BedType.Bmt ? available : "";
                    fields[$"Beds[{i}].Comment"] = "";
                }

                using var form = new FormUrlEncodedContent(fields);
                return await client.PostAsync(U("/network/capacity?handler=Report"), form);
            }

            var refused = await PostAsync("-2");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
            Assert.Contains("-2 is not a number of beds", html, StringComparison.Ordinal);
            Assert.Contains("value=\"12\"", html, StringComparison.Ordinal); // what was typed stays
            var view = server.Services.GetRequiredService<RadRegen.Network.Capacity.CapacityService>();
            Assert.Empty((await view.ViewAsync(new Actor(0, "t", new HashSet<Role> { Role.Auditor }))).Centers);

            Assert.Equal(HttpStatusCode.Redirect, (await PostAsync("7")).StatusCode);
            var after = await view.ViewAsync(new Actor(0, "t", new HashSet<Role> { Role.Auditor }));
            Assert.Equal((Here, 7), (after.Centers.Single().Center, after.AvailableTotal));
        }
    }

    private const string Here = CenterSettings.DemoFacilityCode;

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Capacity_is_reported_measured_against_a_request_and_shown_on_its_page()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var coordinator = await server.WithTokenAsync(Role.Coordinator);
        var created = await coordinator.PostAsJsonAsync(U("/api/v1/network/capacity/reports"),
            new { beds = new object[] { new { bedType = "BMT", baseline = 20, available = 8 }, new { bedType = "AdultICU", baseline = 30, available = 4 } } });
        var saved = await OkJson(created, HttpStatusCode.Created);
        Assert.Equal("BMT", saved[0].GetProperty("bedType").GetString());

        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/network/capacity/reports"),
            new { beds = new object[] { new { bedType = "BMT", baseline = 20, available = -1 } } }), HttpStatusCode.BadRequest, "beds[0].available");
        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/network/capacity/requests"), new { reference = "", requiredPerCenter = 0 }),
            HttpStatusCode.BadRequest, "requiredPerCenter");
        await OkJson(await coordinator.PostAsJsonAsync(U("/api/v1/network/capacity/requests"), new { reference = "RITN-style drill", requiredPerCenter = 300 }), HttpStatusCode.Created);
        foreach (var role in new[] { Role.Admin, Role.Trainer })
        {
            var other = await server.WithTokenAsync(role);
            await Problem(await other.PostAsJsonAsync(U("/api/v1/network/capacity/reports"), new { beds = new object[] { new { bedType = "BMT", baseline = 1, available = 1 } } }),
                HttpStatusCode.Forbidden);
            await Problem(await other.GetAsync(U("/api/v1/network/capacity")), HttpStatusCode.Forbidden);
        }

        var physician = await server.WithTokenAsync(Role.Physician);
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/network/capacity/requests"), new { reference = "x", requiredPerCenter = 1 }), HttpStatusCode.Forbidden);

        var view = await OkJson(await (await server.WithTokenAsync(Role.Auditor)).GetAsync(U("/api/v1/network/capacity")));
        Assert.Equal((300, 12, 288), (view.GetProperty("requiredTotal").GetInt32(), view.GetProperty("availableTotal").GetInt32(), view.GetProperty("shortfallTotal").GetInt32()));
        Assert.Equal(Here, view.GetProperty("centers")[0].GetProperty("center").GetString());

        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), server.PasswordOf(Role.Coordinator));
        using (client)
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(U("/network/capacity")));
            Assert.Contains("Network: bed capacity", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"shortfall-total\">288<", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/network/transfers\"", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"report-capacity\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_transfer_asked_of_this_center_is_accepted_and_its_record_becomes_a_patient_here()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var now = server.Services.GetRequiredService<IClock>().UtcNow;
        var handler = server.Services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.PatientTransfer);
        var units = server.Services.GetRequiredService<IUnitOfWorkFactory>();
        async Task ApplyAsync(string key, string json, long version)
        {
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await handler.ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), 1, "B0002", EventKinds.PatientTransfer, key, version, now, json), CancellationToken.None);
            await uow.CommitAsync();
        }

        var id = Guid.NewGuid().ToString("D");
        var state = new TransferStatePayload(id, "B0002", Here, "red", 3, 4.2, "BMT", "no BMT bed", now.AddMinutes(-5), "dr.b", null, null, null, null,
            null, null, null, null, null, null, null, null, "requested");
        await ApplyAsync(TransferStatePayload.EntityKey(id), JsonSerializer.Serialize(state, RadRegen.Network.NetworkJson.Options), 1);

        var physician = await server.WithTokenAsync(Role.Physician);
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/network/transfers"), new { toCenter = "nowhere" }), HttpStatusCode.BadRequest, "toCenter");
        await Problem(await physician.PostAsync(U($"/api/v1/network/transfers/{id}/dispatch"), null), HttpStatusCode.UnprocessableEntity);
        await Problem(await physician.PostAsJsonAsync(U($"/api/v1/network/transfers/{id}/decline"), new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        await Problem(await (await server.WithTokenAsync(Role.Admin)).PostAsync(U($"/api/v1/network/transfers/{id}/accept"), null), HttpStatusCode.Forbidden);

        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            var page = WebUtility.HtmlDecode(await client.GetStringAsync(U("/network/transfers")));
            Assert.Contains("Network: patient transfers", page, StringComparison.Ordinal);
            Assert.Contains("B0002 → " + Here, page, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"accept\"", page, StringComparison.Ordinal);
            Assert.Contains("href=\"/network/capacity\"", page, StringComparison.Ordinal);
        }

        var accepted = await OkJson(await physician.PostAsync(U($"/api/v1/network/transfers/{id}/accept"), null));
        Assert.Equal(("accepted", "triaged"), (accepted.GetProperty("status").GetString(), accepted.GetProperty("tepStatus").GetString()));

        var exposure = now.AddDays(-1);
        var record = new TransferRecordPayload(state with { Accepted = true, RecordSentAt = now, Status = "accepted" },
            new TransferredIncident("INC-B1", "Distant event", "nuclear-detonation", exposure.AddMinutes(-5), "City", ["Cs-137"]),
            new TransferredPatient("B-0042", 35, "Female", 62, exposure, 0, "External", false, false, false, "HLA-A*02:01+HLA-A*24:02^HLA-B*07:02+HLA-B*52:01^HLA-DRB1*15:01+HLA-DRB1*15:02"),
            [new TransferredObservationPayload("symptoms", exposure.AddHours(1), new ObservationData { VomitingOnsetAt = exposure.AddMinutes(40) }, "dr.b", exposure.AddHours(1))],
            new SourceAssessment(1, "red", null, null));
        await ApplyAsync(TransferRecordPayload.EntityKey(Here, id), JsonSerializer.Serialize(record, CareJson.Options), 2);

        var got = await OkJson(await physician.GetAsync(U($"/api/v1/network/transfers/{id}")));
        var url = got.GetProperty("receivedPatientUrl").GetString()!;
        var patientId = long.Parse(url[(url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var patient = await server.Services.GetRequiredService<CareService>().GetPatientAsync(Actor.LocalOperator("t", Role.Physician), patientId);
        Assert.Equal(("B-0042", 1, "red"), (patient.Patient.Code, patient.Observations.Count, patient.Assessment!.Triage));
        Assert.NotNull(patient.Patient.HlaTyping);
    }
}
