using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

public partial class LabWalkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task The_laboratory_enters_a_curve_activates_it_sees_the_chart_and_scores_a_case()
    {
        var care = fixture.Server.Services.GetRequiredService<CareService>();
        var physician = new Actor(1, "dr", new HashSet<Role> { Role.Physician });
        var start = DateTimeOffset.UtcNow.AddHours(-30);
        var incident = await care.CreateIncidentAsync(physician, new NewIncident("INC-WALK", "Lab walk", IncidentKind.LostOrOrphanSource, start, "Plant", ["Co-60"]));
        var patient = await care.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-WALK1", 35, Sex.Male, 80, start.AddMinutes(5)));

        var page = await fixture.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Location.Contains("favicon.ico", StringComparison.Ordinal)) // the site has no favicon
            {
                consoleErrors.Add($"{m.Text} ({m.Location})");
            }
        };
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(Role.CpcTechnician));
        await page.GetByLabel("Password").FillAsync(fixture.Server.PasswordOf(Role.CpcTechnician));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();

        await page.GotoAsync("/care/lab");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Biodosimetry laboratory" })).ToBeVisibleAsync();

        // a covariance that is not symmetric is refused beside the field, and what was typed stays
        var curve = LabDemoSeeder.Barquinero1995;
        string N(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByTestId("enter-name").FillAsync("Barquinero 1995 walk");
        await page.GetByTestId("enter-c").FillAsync(N(curve.C!.Value));
        await page.GetByTestId("enter-alpha").FillAsync(N(curve.Alpha!.Value));
        await page.GetByTestId("enter-beta").FillAsync(N(curve.Beta!.Value));
        await page.GetByTestId("enter-covariance").FillAsync("1e-7 1e-7 0\n-1e-7 1e-5 0\n0 0 1e-5");
        await page.GetByTestId("enter-source").FillAsync(curve.Source!);
        await page.GetByTestId("enter-calibrated-from").FillAsync("0");
        await page.GetByTestId("enter-calibrated-to").FillAsync("5");
        await page.GetByTestId("enter-submit").ClickAsync();
        await Expect(page.Locator("#enter .invalid-feedback")).ToContainTextAsync("symmetric");
        await Expect(page.GetByTestId("enter-name")).ToHaveValueAsync("Barquinero 1995 walk");

        await page.GetByTestId("enter-covariance").FillAsync(string.Join("\n", curve.Covariance!.Select(r => string.Join(" ", r.Select(N)))));
        await page.GetByTestId("enter-submit").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("entered");
        var row = page.Locator("[data-testid^='curve-row-']", new() { HasText = "Barquinero 1995 walk" });
        await Expect(row).ToContainTextAsync("inactive");

        // the laboratory cannot activate it: QA does, with an e-signature (ADR 0018)
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Activate" })).ToHaveCountAsync(0);
        var qa = await fixture.NewPageAsync();
        await qa.GotoAsync("/login");
        await qa.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(Role.QaOfficer));
        await qa.GetByLabel("Password").FillAsync(fixture.Server.PasswordOf(Role.QaOfficer));
        await qa.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(qa.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        await qa.GotoAsync("/care/lab");
        var qaRow = qa.Locator("[data-testid^='curve-row-']", new() { HasText = "Barquinero 1995 walk" });
        await Expect(qaRow).ToContainTextAsync("0–5"); // the calibrated dose range
        await qaRow.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(qa.Locator(".invalid-feedback")).ToContainTextAsync("re-enter your password");
        qaRow = qa.Locator("[data-testid^='curve-row-']", new() { HasText = "Barquinero 1995 walk" });
        await qaRow.Locator("input[type=password]").FillAsync(fixture.Server.PasswordOf(Role.QaOfficer));
        await qaRow.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Expect(qa.GetByTestId("notice")).ToContainTextAsync("now the active dicentric curve");
        await Expect(qa.Locator("[data-testid^='curve-row-']", new() { HasText = "Barquinero 1995 walk" }).GetByTestId("active-badge")).ToHaveTextAsync("active");
        await qa.Context.CloseAsync();

        await page.GotoAsync("/care/lab");
        await Expect(page.Locator("[data-testid^='curve-row-']", new() { HasText = "Barquinero 1995 walk" }).GetByTestId("active-badge")).ToHaveTextAsync("active");

        // the chart is drawn by Chart.js on the canvas (no CSP violation)
        var canvas = page.GetByTestId("curve-chart");
        await Expect(canvas).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => typeof Chart !== 'undefined' && !!Chart.getChart(document.getElementById('curve-chart'))"));
        Assert.True((await canvas.BoundingBoxAsync())!.Height > 50);

        // an unknown patient is named beside the field; then the case is scored
        await page.GetByTestId("score-patient").FillAsync("P-NOBODY");
        await page.GetByTestId("score-cells").FillAsync("500");
        await page.GetByTestId("score-aberrations").FillAsync("25");
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.Locator("#score .invalid-feedback")).ToContainTextAsync("no patient has the code P-NOBODY");

        await page.GetByTestId("score-patient").FillAsync("P-WALK1");
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.GetByTestId("score-dose")).ToHaveTextAsync(new Regex(@"^0\.7[2-4] Gy$"));
        await Expect(page.GetByTestId("patient-link")).ToHaveAttributeAsync("href", $"/care/patients/{patient.Id}");
        Assert.Equal(ObservationKind.Cytogenetics, Assert.Single((await care.GetPatientAsync(physician, patient.Id)).Observations).Kind);

        // 99,999 dicentrics in 500 cells: refused beside the field
        await page.GetByTestId("score-aberrations").FillAsync("99999");
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.Locator("#score .invalid-feedback")).ToContainTextAsync("per cell");

        // 1200 in 500 cells ≈ 6 Gy, beyond the curve's 5 Gy: flagged as an extrapolation on the patient page
        await page.GetByTestId("score-aberrations").FillAsync("1200");
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.GetByTestId("score-result")).ToBeVisibleAsync();
        await page.GetByTestId("patient-link").ClickAsync();
        await Expect(page.GetByTestId("doses").GetByTestId("extrapolated")).ToHaveTextAsync("extrapolated");
        await Expect(page.GetByTestId("considerations")).ToContainTextAsync("Extrapolation:");

        // back to 25 in 500 (green): it lowers the colour, so the page asks for confirmation and records nothing until given
        await page.GotoAsync("/care/lab");
        await page.GetByTestId("score-patient").FillAsync("P-WALK1");
        await page.GetByTestId("score-cells").FillAsync("500");
        await page.GetByTestId("score-aberrations").FillAsync("25");
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.GetByTestId("score-confirm-warning")).ToContainTextAsync("from red to green");
        Assert.Equal(2, (await care.GetPatientAsync(physician, patient.Id)).Observations.Count);
        await page.GetByTestId("score-confirm").CheckAsync();
        await page.GetByTestId("score-submit").ClickAsync();
        await Expect(page.GetByTestId("score-dose")).ToHaveTextAsync(new Regex(@"^0\.7[2-4] Gy$"));
        Assert.Equal(3, (await care.GetPatientAsync(physician, patient.Id)).Observations.Count);
        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors));
    }
}
