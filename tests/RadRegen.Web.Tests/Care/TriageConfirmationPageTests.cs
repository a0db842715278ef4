using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;

namespace RadRegen.Web.Tests.Care;

/// <summary>The patient page asks for confirmation before one observation lowers the triage colour (issue 11, item 7; ADR 0018).</summary>
public partial class TriageConfirmationPageTests
{
    [Fact]
    public async Task A_blood_count_that_lowers_the_colour_is_shown_for_confirmation_and_recorded_only_when_confirmed()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var care = server.Services.GetRequiredService<CareService>();
        var physician = new Actor(1, "dr", new HashSet<Role> { Role.Physician });
        var start = DateTimeOffset.UtcNow.AddHours(-40);
        var incident = await care.CreateIncidentAsync(physician, new NewIncident("INC-PAGE", "Confirm page", IncidentKind.LostOrOrphanSource, start, "Plant", ["Co-60"]));
        var patient = await care.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-PAGE", 40, Sex.Female, 60, start));
        // Vomiting 20 min after exposure (6–8 Gy, IAEA EPR-Medical 2024 Table 3): red; one early count changes nothing yet.
        await care.RecordObservationAsync(physician, patient.Id, ObservationKind.Symptoms, start.AddHours(1), new ObservationData { VomitingOnsetAt = start.AddMinutes(20) });
        var (_, before) = await care.RecordObservationAsync(physician, patient.Id, ObservationKind.BloodCount, start.AddHours(4), new ObservationData { Lymphocytes = 2.0 });
        Assert.Equal("red", before.Triage);

        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            var url = new Uri($"/care/patients/{patient.Id}?handler=Observation", UriKind.Relative);
            async Task<HttpResponseMessage> PostAsync(bool confirm)
            {
                var page = await client.GetStringAsync(new Uri($"/care/patients/{patient.Id}", UriKind.Relative));
                var fields = new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
                    ["Kind"] = "blood-count",
                    // The form's time is the center's wall clock (Asia/Tokyo for the demo center, ADR 0041).
                    ["ObservedAt"] = TimeZoneInfo.ConvertTime(start.AddHours(28), server.Services.GetRequiredService<RadRegen.Hosting.Configuration.CenterSettings>().TimeZone)
                        .ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
                    ["Lymphocytes"] = "1.9",
                };
                if (confirm)
                {
                    fields["Confirm"] = "true";
                }

                using var content = new FormUrlEncodedContent(fields);
                return await client.PostAsync(url, content);
            }

            // A second count within 48 h gives a lymphocyte-kinetics dose well below 1 Gy: green. Not recorded; the page asks.
            var asked = await PostAsync(confirm: false);
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var html = WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync());
            Assert.Contains("data-testid=\"confirm-warning\"", html, StringComparison.Ordinal);
            Assert.Contains("from red to green", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"confirm-count\"", html, StringComparison.Ordinal);
            Assert.Contains("value=\"1.9\"", html, StringComparison.Ordinal); // what was typed stays
            Assert.Equal(2, (await care.GetPatientAsync(physician, patient.Id)).Observations.Count);

            var confirmed = await PostAsync(confirm: true);
            Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
            var record = await care.GetPatientAsync(physician, patient.Id);
            Assert.Equal(3, record.Observations.Count);
            Assert.Equal("green", record.Assessment!.Triage);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
