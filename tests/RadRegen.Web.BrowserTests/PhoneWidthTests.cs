using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RadRegen.Care;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>
/// Phones (issue 17 item 6): the incident dashboard and the patient page at 390 × 844 CSS pixels
/// (a current mid-size phone in portrait), and the HLA workbench's pages: the page never scrolls sideways (wide tables scroll inside
/// their own box) and every chart fits the screen at a readable width.
/// </summary>
public class PhoneWidthTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const int Width = 390;
    private const int Height = 844;

    // Elements sticking out of the viewport that are not inside a box that scrolls sideways:
    // what would make the page itself scroll sideways (reported so a failure says what to fix).
    private const string Offenders = """
        (w) => {
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.right <= w + 0.5) continue;
                let p = el.parentElement, clipped = false;
                while (p && p !== document.body) {
                    const s = getComputedStyle(p);
                    if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') && p.getBoundingClientRect().right <= w + 0.5) { clipped = true; break; }
                    p = p.parentElement;
                }
                if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(r.right));
            }
            return out.slice(0, 15);
        }
        """;

    [BrowserFact]
    public async Task The_incident_dashboard_and_the_patient_page_fit_a_390_pixel_phone_without_sideways_scroll()
    {
        await CareDemoSeeder.SeedAsync(fixture.Server.Services, victims: 6);
        var care = fixture.Server.Services.GetRequiredService<CareService>();
        var reader = Actor.LocalOperator("phone-test", Role.Physician);
        var incident = (await care.ListIncidentsAsync(reader)).Single(i => i.Code == CareDemoSeeder.IncidentCode);
        var patient = (await care.ListPatientsAsync(reader, incident.Id))[0];

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(Role.Physician));
        await page.GetByLabel("Password").FillAsync(fixture.Server.PasswordOf(Role.Physician));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));

        foreach (var (url, charts) in new[]
        {
            ($"/care/incidents/{incident.Id}", new[] { "#timeline-chart", "#rc-chart" }),
            ($"/care/patients/{patient.Id}", new[] { "#dose-chart", "#metrepol-chart" }),
            // The HLA workbench's pages too (not required by item 6, but new pages should not regress).
            ("/hla?gl=" + Uri.EscapeDataString("A*24:02+A*02:01/A*02:06/A*02:07^B*52:01+B*35:01^DRB1*15:02+DRB1*04:05"), Array.Empty<string>()),
            ("/hla/match?set=API&typing=" + Uri.EscapeDataString(RadRegen.Testing.TherapySeed.MatchingPatient), Array.Empty<string>()),
            ("/hla/coverage?set=API", new[] { "#coverage-chart" }),
        })
        {
            await page.GotoAsync(url);
            foreach (var chart in charts)
            {
                await Expect(page.Locator(chart)).ToBeVisibleAsync();
            }

            // Layout settled: the load event, web fonts, and two animation frames for the charts'
            // resize. Not NetworkIdle: on a loaded CI machine Playwright's network-idle wait timed out
            // after 30 s although the event had fired (CI of 745a82d).
            await page.WaitForLoadStateAsync(LoadState.Load);
            await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var offenders = await page.EvaluateAsync<string[]>(Offenders, Width);
            output.WriteLine($"{url}: scrollWidth {scrollWidth}");
            Assert.True(scrollWidth <= Width, $"{url}: the page is {scrollWidth} px wide at {Width} px: {string.Join("; ", offenders)}");
            // Nothing is cut off at the screen's edge either (content reachable only by a box's own scroll).
            Assert.True(offenders.Length == 0, $"{url}: sticks out of the {Width} px screen: {string.Join("; ", offenders)}");

            foreach (var chart in charts)
            {
                var box = (await page.Locator(chart).BoundingBoxAsync())!;
                output.WriteLine($"{url} {chart}: x {box.X:0}, {box.Width:0} × {box.Height:0} px");
                Assert.True(box.X >= 0 && box.X + box.Width <= Width + 0.5, $"{url} {chart}: x {box.X}, width {box.Width} does not fit {Width} px");
                // Readable: the chart uses most of the screen's width and is tall enough to read its axes.
                Assert.True(box.Width >= Width * 0.75, $"{url} {chart}: only {box.Width} px wide");
                Assert.True(box.Height >= 150, $"{url} {chart}: only {box.Height} px high");
            }
        }

        await context.CloseAsync();
    }
}
