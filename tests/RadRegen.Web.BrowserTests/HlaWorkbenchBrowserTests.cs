using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>The HLA workbench in a browser (issue 17 item 3): parse a typing (a bad one names the part), match a patient, see the coverage chart.</summary>
public class HlaWorkbenchBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_typing_is_explained_or_its_bad_part_named_and_a_patient_is_matched_to_the_homozygous_line()
    {
        var vials = await TherapySeed.ReleasedVialsAsync(fixture.Server.Services, 1, "HLAW");
        var page = await fixture.SignInAsync(Role.Physician);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Add(m.Text);
            }
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                errors.Add($"{r.Status} {r.Url}");
            }
        };

        // The menu opens the workbench (no longer a placeholder).
        await page.GotoAsync("/");
        await page.GetByTestId("nav-hla").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "HLA workbench" })).ToBeVisibleAsync();

        // A pre-2010 name: the error names it.
        await page.GetByTestId("gl").FillAsync("A*01:01+A*0201^B*08:01+B*07:02");
        await page.GetByTestId("explain").ClickAsync();
        await Expect(page.GetByTestId("gl-error")).ToContainTextAsync("A*0201");

        // A good typing: normalised, locus by locus, the MAC's missing file named.
        await page.GetByTestId("gl").FillAsync("HLA-A*24:MDP+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02");
        await page.GetByTestId("explain").ClickAsync();
        await Expect(page.GetByTestId("normalised")).ToHaveTextAsync("A*24:MDP+A*02:01^B*52:01+B*07:02");
        await Expect(page.GetByTestId("loci-table")).ToContainTextAsync("B*52:01");
        await Expect(page.GetByTestId("name-problem")).ToContainTextAsync("alpha.v3.txt");

        // Match: the seeded homozygous line is HvG-compatible with a patient carrying its haplotype.
        await page.GotoAsync("/hla/match");
        await page.GetByTestId("typing").FillAsync(TherapySeed.MatchingPatient);
        await page.GetByTestId("set").SelectOptionAsync("CAU");
        await page.GetByTestId("match").ClickAsync();
        var lines = page.GetByTestId("lines-table");
        await Expect(lines).ToContainTextAsync("homozygous");
        await Expect(lines.Locator("tbody tr").First).ToContainTextAsync("yes");
        await Expect(lines.Locator("tbody tr").First).ToContainTextAsync("100.00 %");
        await Expect(page.GetByTestId("probability")).ToContainTextAsync("CAU");

        // Coverage: the chart draws (Chart.js from wwwroot, no inline script).
        await page.GotoAsync("/hla/coverage?set=API");
        await Expect(page.Locator("#coverage-chart")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recruit-table").Locator("tbody tr")).ToHaveCountAsync(10);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof Chart !== 'undefined' && Chart.getChart(document.getElementById('coverage-chart')) !== undefined"));
        Assert.NotEmpty(vials);
        Assert.Empty(errors);
    }
}
