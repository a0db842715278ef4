using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>The physician's path on the patient page: counts and symptoms → RC and dose → request → reserve the top match.</summary>
public class CareTherapyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Counts_and_symptoms_give_RC_and_dose_then_the_top_match_is_reserved_and_no_longer_offered_to_others()
    {
        await TherapySeed.ReleasedVialsAsync(fixture.Server.Services, 3, "BRW");
        var exposure = DateTimeOffset.UtcNow.AddHours(-30);
        var page = await fixture.SignInAsync(Role.Physician);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(m.Text);
            }
        };

        // Every script, style and page loads (a missing favicon is the one known 404).
        page.Response += (_, r) =>
        {
            if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{r.Status} {r.Url}");
            }
        };

        // Open the incident and register two patients on its dashboard.
        await page.GotoAsync("/care");
        await page.GetByTestId("incident-code").FillAsync("INC-BRW1");
        await page.GetByTestId("incident-title").FillAsync("Criticality, browser walk");
        await page.GetByTestId("incident-kind").SelectOptionAsync("criticality");
        await page.GetByTestId("incident-start").FillAsync(Local(exposure));
        await page.GetByTestId("incident-place").FillAsync("Fuel plant");
        await page.GetByTestId("incident-nuclides").FillAsync("U-235");
        await page.GetByTestId("open-incident").ClickAsync();
        await Expect(page.GetByTestId("incident-heading")).ToHaveTextAsync("INC-BRW1");
        var dashboard = page.Url;
        var patientUrls = new List<string>();
        foreach (var (code, age, weight) in new[] { ("P-BRW-0002", "35", "60"), ("P-BRW-0001", "41", "70") })
        {
            await page.GotoAsync(dashboard);
            await page.GetByTestId("patient-code").FillAsync(code);
            await page.GetByTestId("patient-age").FillAsync(age);
            await page.GetByTestId("patient-weight").FillAsync(weight);
            await page.GetByTestId("patient-hla").FillAsync(TherapySeed.MatchingPatient);
            await page.GetByTestId("add-patient").ClickAsync();
            await Expect(page.GetByTestId("patient-code")).ToHaveTextAsync(code);
            patientUrls.Add(page.Url);
        }

        await Expect(page.GetByTestId("no-dose")).ToBeVisibleAsync();

        // Symptoms: vomiting from 1 h after exposure, moderate nausea.
        var form = page.GetByTestId("form-symptoms");
        await form.GetByLabel("Vomiting began at (JST)").FillAsync(Local(exposure.AddHours(1)));
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
        await Expect(page.Locator("#metrepol-chart")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("lymphocytes 0.6");

        // An impossible count is refused beside its field and nothing is written.
        await page.GetByTestId("lymphocytes").FillAsync("600");
        await page.GetByTestId("save-count").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("lymphocytes");
        await Expect(page.GetByTestId("timeline").Locator("tbody tr")).ToHaveCountAsync(2);
        // Issue 12 item 8: the timeline is paged, with its count; two entries fit one page, so no page links.
        await Expect(page.GetByTestId("timeline-count")).ToContainTextAsync("2 observation(s) and 0 therapy event(s), newest first; page 1 of 1");
        await Expect(page.GetByTestId("timeline-older")).ToHaveCountAsync(0);

        // Undifferentiated iPSC stock is starting material (ADR 0016): the request is refused with the reason, nothing written.
        await page.GetByTestId("request-product").SelectOptionAsync("S9100");
        await page.GetByTestId("request-dose").FillAsync("1");
        await page.GetByTestId("request-center").FillAsync("Hospital A");
        await page.GetByTestId("request-submit").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("S9100");
        await Expect(page.GetByTestId("error")).ToContainTextAsync("starting material");
        await Expect(page.GetByTestId("request-status")).ToHaveCountAsync(0);

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
        await page.GotoAsync(patientUrls[0]);
        await page.GetByTestId("request-product").SelectOptionAsync("S9102");
        await page.GetByTestId("request-dose").FillAsync("1");
        await page.GetByTestId("request-center").FillAsync("Hospital B");
        await page.GetByTestId("request-submit").ClickAsync();
        await Expect(page.GetByTestId("offers").GetByTestId("offer")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("offers")).Not.ToContainTextAsync(top);
        Assert.Empty(errors);
    }

    /// <summary>A datetime-local value: the demo center's wall clock (Asia/Tokyo, ADR 0041), as its people type it.</summary>
    private static string Local(DateTimeOffset t) =>
        TimeZoneInfo.ConvertTime(t, RadRegen.Hosting.Configuration.CenterSettings.Demo.TimeZone).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
