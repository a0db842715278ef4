using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadRegen.Core.Access;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Web;
using RadRegen.Hosting.Demo;

namespace RadRegen.Testing;

/// <summary>
/// The real RadRegen server (Kestrel, not a test host) on a free loopback port, on a database of
/// its own, with one demo user per role.
/// </summary>
public sealed partial class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase _database;

    private TestServer(WebApplication app, TestDatabase database, DemoReport demo)
    {
        _app = app;
        _database = database;
        Demo = demo;
        BaseAddress = new Uri(app.Urls.First());
    }

    public Uri BaseAddress { get; }

    public DemoReport Demo { get; }

    public IServiceProvider Services => _app.Services;

    public TestDatabase Database => _database;

    public static async Task<TestServer> StartAsync(string engine, Func<RadRegenHostOptions, RadRegenHostOptions>? configure = null)
    {
        // A copy of the migrated template: the server's own start-up migration then finds nothing to do.
        var database = await TestDatabases.CreateMigratedAsync(engine);
        var options = new RadRegenHostOptions(RadRegenSettings.ForDemo(database.Target) with { Web = WebSettings.Default with { Urls = "http://127.0.0.1:0" } })
        {
            ConfigureLogging = logging => logging.ClearProviders(),
            ConfigureServices = services => services.AddTestPasswordHashing(),
        };
        options = configure?.Invoke(options) ?? options;
        var app = RadRegenHost.Build(options);
        var demo = (await RadRegenSetup.PrepareAsync(app.Services, DemoData.UsersOnly))!;
        await app.StartAsync();
        return new TestServer(app, database, demo);
    }

    public string PasswordOf(Role role) =>
        Demo.Created.Single(c => c.Role == role.Name()).Password;

    public AccessService Access => _app.Services.GetRequiredService<AccessService>();

    /// <summary>A client with no credentials and no redirects followed.</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    /// <summary>A client carrying a fresh API token for the demo user of <paramref name="role"/>.</summary>
    public async Task<HttpClient> WithTokenAsync(Role role)
    {
        var issued = await Access.CreateTokenAsync(Actor.LocalOperator("test"), DemoSeeder.DemoUserName(role), "test", 1);
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issued.Secret);
        return client;
    }

    /// <summary>Signs in through the login form like a browser (antiforgery token included); returns the client and the response.</summary>
    public async Task<(HttpClient Client, HttpResponseMessage Response)> SignInAsync(string userName, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        var form = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), content);
        // Like a page's script calling the API: cookie-authenticated API changes need this header
        // (issue 12 item 10; HardeningTests removes it to see the refusal).
        client.DefaultRequestHeaders.Add(RadRegenHost.AntiforgeryHeader, "1");
        return (client, response);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
