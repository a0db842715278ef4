using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Web.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>The physician's path on the patient page: counts and symptoms → RC and dose → request → reserve the top match.</summary>
public class CareTherapyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> SignInAsync(Role role)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(role));
        await page.GetByLabel("Password").FillAsync(fixture.Server.PasswordOf(role));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }

    [BrowserFact]
    public async Task Counts_and_symptoms_give_RC_and_dose_then_the_top_match_is_reserved_and_no_longer_offered_to_others()
    {
        var services = fixture.Server.Services;
        await TherapySeed.ReleasedVialsAsync(services, 3, "BRW");
        var care = services.GetRequiredService<CareService>();
        var admin = Actor.LocalOperator("browser-test");
        var now = services.GetRequiredService<RadRegen.Core.IClock>().UtcNow;
        var exposure = now.AddHours(-30);
        var incident = await care.CreateIncidentAsync(admin, new NewIncident("INC-BRW1", "Criticality, browser walk", IncidentKind.Criticality, exposure, "Fuel plant", ["U-235"]));
        var first = await care.RegisterPatientAsync(admin, incident.Id, new NewPatient("P-BRW-0001", 41, Sex.Male, 70, exposure, HlaTyping: TherapySeed.MatchingPatient));
        var second = await care.RegisterPatientAsync(admin, incident.Id, new NewPatient("P-BRW-0002", 35, Sex.Female, 60, exposure, HlaTyping: TherapySeed.MatchingPatient));

        var page = await SignInAsync(Role.Physician);
        await page.GotoAsync($"/care/patients/{first.Id}");
        await Expect(page.GetByTestId("no-dose")).ToBeVisibleAsync();

        // Symptoms: vomiting from 1 h after exposure, moderate nausea.
        var form = page.GetByTestId("form-symptoms");
        await form.GetByLabel("Vomiting began at (UTC)").FillAsync(Local(exposure.AddHours(1)));
        await page.GetByTestId("sign-nausea").FillAsync("2");
        await page.GetByTestId("save-symptoms").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("recomputed");

        // A lymphocyte count 30 h after exposure.
        await page.GetByTestId("lymphocytes").FillAsync("0.6");
        await page.GetByTestId("save-count").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("recomputed");
        await Expect(page.GetByTestId("rc")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^RC[1-4]$"));
        await Expect(page.GetByTestId("triage")).Not.ToHaveTextAsync("not triaged");
        await Expect(page.GetByTestId("basis-dose")).ToContainTextAsync("Gy");
        await Expect(page.GetByTestId("metrepol")).ToContainTextAsync("RC");
        await Expect(page.Locator("#dose-chart")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("lymphocytes 0.6");

        // An impossible count is refused beside its field and nothing is written.
        await page.GetByTestId("lymphocytes").FillAsync("600");
        await page.GetByTestId("save-count").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("lymphocytes");
        await Expect(page.GetByTestId("timeline").Locator("tbody tr")).ToHaveCountAsync(2);

        // Request 1×10⁶ cells/kg of the MSC-like product: 70 ×10⁶ cells, one vial.
        await page.GetByTestId("request-product").SelectOptionAsync("S9102");
        await page.GetByTestId("request-dose").FillAsync("1");
        await page.GetByTestId("request-center").FillAsync("Hospital A");
        await page.GetByTestId("request-submit").ClickAsync();
        var offers = page.GetByTestId("offers");
        await Expect(offers.GetByTestId("offer")).ToHaveCountAsync(3);
        var top = (await offers.GetByTestId("offer-vial").First.TextContentAsync())!.Trim();
        await page.GetByTestId("reserve-1").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("reserved");
        await Expect(page.GetByTestId("request-status")).ToHaveTextAsync("reserved");
        await Expect(page.GetByTestId("held-vials")).ToContainTextAsync(top);

        // Another physician's patient: the reserved vial is no longer offered.
        await page.GotoAsync($"/care/patients/{second.Id}");
        await page.GetByTestId("request-product").SelectOptionAsync("S9102");
        await page.GetByTestId("request-dose").FillAsync("1");
        await page.GetByTestId("request-center").FillAsync("Hospital B");
        await page.GetByTestId("request-submit").ClickAsync();
        await Expect(page.GetByTestId("offers").GetByTestId("offer")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("offers")).Not.ToContainTextAsync(top);
    }

    private static string Local(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
