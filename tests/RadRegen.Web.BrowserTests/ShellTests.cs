using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

public class ShellTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> SignInAsync(Role role)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(role));
        await page.GetByLabel("Password").FillAsync(fixture.Server.PasswordOf(role));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    [BrowserFact]
    public async Task An_auditor_signs_in_sees_the_dashboard_and_verifies_the_journal()
    {
        var page = await SignInAsync(Role.Auditor);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Demo auditor" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync("Your roles: auditor");
        await Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync("demo-auditor");
        foreach (var area in new[] { "Bank", "HLA", "Care", "Network", "Training", "Audit" })
        {
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = area, Exact = true })).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Browse and verify" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit journal" })).ToBeVisibleAsync();
        await page.GetByTestId("verify").ClickAsync();
        await Expect(page.GetByTestId("verify-result")).ToContainTextAsync("Intact:");
        await page.GetByLabel("User").FillAsync("demo-auditor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByTestId("journal-table").Locator("tbody tr").First).ToContainTextAsync("demo-auditor");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-audit.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task A_technician_is_refused_the_audit_page_and_does_not_see_it_in_the_navigation()
    {
        var page = await SignInAsync(Role.CpcTechnician);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Demo cpc technician" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true })).ToHaveCountAsync(0);
        var response = await page.GotoAsync("/audit");
        Assert.Equal(403, response!.Status);
        await Expect(page.GetByTestId("access-denied")).ToHaveTextAsync("Not allowed");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-denied.png") });
    }

    [BrowserFact]
    public async Task A_wrong_password_keeps_the_person_on_the_login_page_with_a_message()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/login");
        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("demo-trainer");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("not the password");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("user name or password is wrong");
        await Expect(page.GetByLabel("User name")).ToHaveValueAsync("demo-trainer");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-login.png") });
    }

    [BrowserFact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await SignInAsync(Role.Physician);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Demo physician" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Care", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Emergency care" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2F"));
    }
}
