using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using RadRegen.Web.Pages.Care;

namespace RadRegen.Web.Tests.Care;

/// <summary>
/// Issue 12 item 8: the patient page listed every observation of a patient (the API's response had
/// reached 119 MB). Its timeline is paged: 100 rows a page, newest first, with the count and links;
/// a page number past the end is an empty page, one below 1 reads as the first.
/// </summary>
public partial class PatientPagePagingTests
{
    [Fact]
    public async Task The_timeline_shows_a_page_of_the_newest_entries_with_the_count_and_links_to_the_others()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var care = server.Services.GetRequiredService<CareService>();
        var physician = new Actor(1, "dr", new HashSet<Role> { Role.Physician });
        var start = DateTimeOffset.UtcNow.AddHours(-40);
        var incident = await care.CreateIncidentAsync(physician, new NewIncident("INC-PAGED", "Paged timeline", IncidentKind.LostOrOrphanSource, start, "Plant", ["Co-60"]));
        var patient = await care.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-PAGED", 40, Sex.Female, 60, start));
        const int observations = 250;
        var csv = "observedAt,lymphocytes\n" + string.Concat(Enumerable.Range(1, observations)
            .Select(i => start.AddMinutes(i).ToString("o", CultureInfo.InvariantCulture) + ",2.0\n"));
        await care.ImportObservationsAsync(physician, patient.Id, new StringReader(csv), null, "counts.csv", confirm: true);

        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            async Task<(string Html, int Rows)> PageAsync(string query)
            {
                var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/care/patients/{patient.Id}{query}", UriKind.Relative)));
                var table = html[html.IndexOf("data-testid=\"timeline\"", StringComparison.Ordinal)..];
                table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
                return (html, RowPattern().Matches(table).Count);
            }

            var (first, firstRows) = await PageAsync("");
            Assert.Equal(PatientModel.TimelinePageSize, firstRows);
            Assert.Contains("250 observation(s) and 0 therapy event(s), newest first;", first, StringComparison.Ordinal);
            Assert.Contains("page 1 of 3", first, StringComparison.Ordinal);
            Assert.Contains($"/care/patients/{patient.Id}?timelinePage=2#timeline", first, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"timeline-newer\"", first, StringComparison.Ordinal);
            // Newest first: the first row is the last observation.
            // Shown in the demo center's zone, named (ADR 0041): was the UTC text before times were local.
            Assert.Contains(RadRegen.Web.Localization.LocalTimeHtml.Format(start.AddMinutes(observations), RadRegen.Hosting.Configuration.CenterSettings.Demo.TimeZone), first[first.IndexOf("data-testid=\"timeline\"", StringComparison.Ordinal)..][..600],
                StringComparison.Ordinal);

            var (last, lastRows) = await PageAsync("?timelinePage=3");
            Assert.Equal(observations - (2 * PatientModel.TimelinePageSize), lastRows);
            Assert.Contains("data-testid=\"timeline-newer\"", last, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"timeline-older\"", last, StringComparison.Ordinal);

            var (far, farRows) = await PageAsync("?timelinePage=" + int.MaxValue.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(0, farRows);
            Assert.Contains("250 observation(s)", far, StringComparison.Ordinal);

            Assert.Equal(PatientModel.TimelinePageSize, (await PageAsync("?timelinePage=-5")).Rows);
        }
    }

    [GeneratedRegex("<tr><td>")]
    private static partial Regex RowPattern();
}
