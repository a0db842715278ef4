using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Hosting.Demo;

namespace RadRegen.Web.Tests.Care;

[Trait("Category", "Slow")] // seeds the demo bank and incident
public class CareDemoTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task The_demo_incident_is_assessed_and_its_pages_and_allocation_run_over_the_demo_bank()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        await BankDemoSeeder.SeedAsync(server.Services, donors: 30);
        Assert.Equal(20, await CareDemoSeeder.SeedAsync(server.Services));
        Assert.Equal(0, await CareDemoSeeder.SeedAsync(server.Services)); // idempotent

        using var physician = await server.WithTokenAsync(Role.Physician);
        var incidents = JsonDocument.Parse(await physician.GetStringAsync(U("/api/v1/care/incidents"))).RootElement;
        var id = incidents.EnumerateArray().Single(i => i.GetProperty("code").GetString() == CareDemoSeeder.IncidentCode).GetProperty("id").GetInt64();
        var incident = JsonDocument.Parse(await physician.GetStringAsync(U($"/api/v1/care/incidents/{id}"))).RootElement;
        Assert.Equal(20, incident.GetProperty("patients").GetInt32());
        Assert.Equal(20, incident.GetProperty("assessed").GetInt32());
        Assert.Equal(0, incident.GetProperty("byTriage").GetProperty("not-assessed").GetInt32());

        // The demo incident is a drill: issue 15 item 2 (ADR 0035) keeps drill patients from the bank's
        // real stock, so its allocation over the demo bank is refused with the reason (it ran before).
        var run = await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/allocations"), new { maxHvg = 2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, run.StatusCode);
        Assert.Contains("is a drill: its simulated patients are never allocated real stock", await run.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (browser, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), server.PasswordOf(Role.Coordinator));
        var dashboard = await browser.GetAsync(U($"/care/incidents/{id}"));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(CareDemoSeeder.IncidentCode, html, StringComparison.Ordinal);
        Assert.Contains("data-chart=", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(U($"/care/incidents/{id}/allocation"))).StatusCode);

        // The patient list exports as CSV, filtered like the table; a bad filter is named.
        var csv = await browser.GetAsync(U($"/care/incidents/{id}?handler=Csv"));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, lines.Length);
        Assert.StartsWith("patient,ageYears,sex,weightKg,colour,rc,basisDoseGy", lines[0], StringComparison.Ordinal);
        var colours = lines.Skip(1).Select(l => l.Split(',')[4]).ToList();
        var worst = colours.Contains("red") ? "red" : colours.Contains("yellow") ? "yellow" : "green";
        var filtered = (await browser.GetStringAsync(U($"/care/incidents/{id}?handler=Csv&colour={worst}&sort=dose")))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(colours.Count(c => c == worst), filtered.Count);
        Assert.All(filtered, l => Assert.Equal(worst, l.Split(',')[4]));
        var doses = filtered.Select(l => double.Parse(l.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(doses.OrderByDescending(d => d), doses);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync(U($"/care/incidents/{id}?handler=Csv&sort=height"))).StatusCode);
        var incidentsCsv = await browser.GetStringAsync(U("/care?handler=Csv"));
        Assert.StartsWith("code,title,kind,startedAt,place,radionuclides", incidentsCsv, StringComparison.Ordinal);
        Assert.Contains(CareDemoSeeder.IncidentCode, incidentsCsv, StringComparison.Ordinal);
        var kind = incident.GetProperty("incident").GetProperty("kind").GetString();
        var other = kind == "criticality" ? "nuclear-detonation" : "criticality";
        Assert.Contains(CareDemoSeeder.IncidentCode, await browser.GetStringAsync(U($"/care?handler=Csv&kind={kind}")), StringComparison.Ordinal);
        Assert.DoesNotContain(CareDemoSeeder.IncidentCode, await browser.GetStringAsync(U($"/care?handler=Csv&kind={other}")), StringComparison.Ordinal);
        var page = await browser.GetStringAsync(U($"/care/incidents/{id}?colour={worst}"));
        Assert.Contains($"data-testid=\"patient-list-total\">{filtered.Count} of 20 patients", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(U("/care/incidents/999999"))).StatusCode);

        var (qa, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.QaOfficer), server.PasswordOf(Role.QaOfficer));
        var refused = await qa.GetAsync(U($"/care/incidents/{id}"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/access-denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
