using Microsoft.Playwright;
using RadRegen.Core.Access;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>The hub's forms (issue 14): a coordinator declares a State and requests assistance for it, signed, in the browser.</summary>
public class HubFormTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_coordinator_declares_a_member_and_creates_a_request_through_the_forms()
    {
        var page = await fixture.SignInAsync(Role.Coordinator);
        await page.GotoAsync("/hub");
        await page.GetByTestId("enter").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Declare a member and its capabilities" })).ToBeVisibleAsync();

        var member = page.GetByTestId("member-form");
        await member.Locator("#m-code").FillAsync("BW-CA");
        await member.Locator("#m-name").FillAsync("Competent authority of State BW");
        await member.Locator("#m-kind").SelectOptionAsync("state-contact-point");
        await member.Locator("#m-country").FillAsync("XS");
        await page.GetByTestId("declare-member").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Member BW-CA declared");

        await page.GotoAsync("/hub/enter");
        var request = page.GetByTestId("request-form");
        await request.Locator("#r-requester").SelectOptionAsync("BW-CA");
        await request.Locator("#r-subject").FillAsync("Burn beds for 3 workers (browser)");
        await request.Locator("#r-scope").FillAsync("Treatment of 3 workers with radiation burns");
        await request.Locator("#r-l0-area").SelectOptionAsync("medical-support");
        await request.Locator("#r-l0-kind").SelectOptionAsync("burn-beds");
        await request.Locator("#r-l0-qty").FillAsync("3");
        await request.Locator("#r-hours").FillAsync("0");
        await request.Locator("#r-pw").FillAsync(fixture.Server.PasswordOf(Role.Coordinator));
        await page.GetByTestId("create-request").ClickAsync();
        // Refused beside the field, what was typed kept.
        await Expect(page.GetByTestId("request-form").Locator(".invalid-feedback")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("request-form").Locator("#r-subject")).ToHaveValueAsync("Burn beds for 3 workers (browser)");

        await page.GetByTestId("request-form").Locator("#r-hours").FillAsync("24");
        await page.GetByTestId("request-form").Locator("#r-pw").FillAsync(fixture.Server.PasswordOf(Role.Coordinator));
        await page.GetByTestId("create-request").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("created, signed and sent (restricted)");
        await Expect(page.GetByText("Burn beds for 3 workers (browser)")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-hub-form.png"), FullPage = true });
    }
}
