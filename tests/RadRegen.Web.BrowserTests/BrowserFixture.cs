using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Hosting.Demo;

namespace RadRegen.Web.BrowserTests;

/// <summary>
/// Debian's Chromium (never a downloaded browser), headless, driven by Playwright, against the
/// real server on a free loopback port. One server and browser for the class; a fresh context
/// (cookies) per test.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync("sqlite");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in as the demo user of <paramref name="role"/>.</summary>
    public async Task<IPage> SignInAsync(Role role)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(DemoSeeder.DemoUserName(role));
        await page.GetByLabel("Password").FillAsync(Server.PasswordOf(role));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>A browser test; skipped, saying why, only outside CI on a machine without Chromium.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(BrowserFixture.ChromiumPath) && !TestDatabases.InCi)
        {
            Skip = $"Browser tests were NOT run: {BrowserFixture.ChromiumPath} is missing (apt-get install chromium; scripts/test.sh does it as root).";
        }
    }
}
