using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

public partial class CareWalkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Open_an_incident_add_a_patient_see_the_dashboard_counts_and_run_the_allocation()
    {
        var page = await fixture.SignInAsync(Role.Physician);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        await page.GotoAsync("/care");
        await page.GetByTestId("incident-code").FillAsync("INC-WALK");
        await page.GetByTestId("incident-title").FillAsync("Walk-through source");
        await page.GetByTestId("incident-kind").SelectOptionAsync("lost-or-orphan-source");
        await page.GetByTestId("incident-start").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("incident-place").FillAsync("Test site");
        await page.GetByTestId("incident-nuclides").FillAsync("Co-60");
        await page.GetByTestId("open-incident").ClickAsync();
        await Expect(page.GetByTestId("incident-heading")).ToHaveTextAsync("INC-WALK");
        await Expect(page.GetByTestId("patient-count")).ToHaveTextAsync("0");
        var dashboard = page.Url;

        // a bad age is refused beside the field, what was typed is kept
        await page.GetByTestId("patient-code").FillAsync("P-0001");
        await page.GetByTestId("patient-age").FillAsync("130");
        await page.GetByTestId("patient-weight").FillAsync("70");
        await page.GetByTestId("add-patient").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("age");
        await Expect(page.GetByTestId("patient-code")).ToHaveValueAsync("P-0001");

        await page.GetByTestId("patient-age").FillAsync("34");
        await page.GetByTestId("patient-sex").SelectOptionAsync("female");
        await page.GetByTestId("patient-weight").FillAsync("62.5");
        await page.GetByTestId("patient-exposure-hours").FillAsync("0");
        await page.GetByLabel("Burns").CheckAsync();
        await page.GetByTestId("patient-hla").FillAsync("A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*15:01");
        await page.GetByTestId("add-patient").ClickAsync();
        await Expect(page).ToHaveURLAsync(PatientUrl());
        errors.Clear(); // only the dashboard and allocation pages are this walk's concern

        await page.GotoAsync(dashboard);
        await Expect(page.GetByTestId("patient-count")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("patients")).ToContainTextAsync("P-0001");
        await Expect(page.GetByTestId("triage-not-assessed")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("rc-not-assessed")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("queue")).ToContainTextAsync("P-0001");

        await page.GetByRole(AriaRole.Link, new() { Name = "Allocation" }).ClickAsync();
        await page.GetByTestId("transport-limits").FillAsync("CPC=5");
        await page.GetByTestId("run-allocation").ClickAsync();
        await Expect(page.GetByTestId("vials-requested")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("algorithm")).ToContainTextAsync("min-cost flow");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("allocation-csv").ClickAsync());
        Assert.EndsWith("-allocation.csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("request,patient,product,priority,vialsRequested,vialsAllocated,line,site,vials,compatibility,explanation", csv, StringComparison.Ordinal);
        await page.GetByTestId("transport-limits").FillAsync("CPC=lots");
        await page.GetByTestId("run-allocation").ClickAsync();
        await Expect(page.GetByTestId("error")).ToContainTextAsync("SITE=N");
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task A_QA_officer_is_refused_the_care_pages()
    {
        var page = await fixture.SignInAsync(Role.QaOfficer);
        await page.GotoAsync("/care");
        await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/care/patients/\d+$")]
    private static partial Regex PatientUrl();
}
