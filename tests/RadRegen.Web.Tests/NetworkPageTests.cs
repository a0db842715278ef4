using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Network.Centers;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;
using RadRegen.Testing;

namespace RadRegen.Web.Tests;

/// <summary><c>/network</c>: the overview of the network of centers, on a server that runs alone and after events from another center.</summary>
public class NetworkPageTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task The_network_page_shows_the_centers_their_lag_the_parked_events_and_empty_sections_and_refuses_the_trainer()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        var (physician, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (physician)
        {
            var alone = await (await physician.GetAsync(U("/network"))).Content.ReadAsStringAsync();
            Assert.Contains("<h1 class=\"h3\">Network of centers</h1>", alone, StringComparison.Ordinal);
            Assert.Contains("runs alone: no network configured", alone, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"no-centers\"", alone, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"link-state\">none<", alone, StringComparison.Ordinal);
            foreach (var section in new[] { "inventory", "shipments", "capacity", "transfers" })
            {
                Assert.Contains($"data-testid=\"section-{section}\"><a href=\"/network/{section}\">", alone, StringComparison.Ordinal);
            }

            // Another center's profile arrives, then an event of a kind this RadRegen does not know.
            var inbox = server.Services.GetRequiredService<NetworkInbox>();
            var profile = new CenterProfile("W0042", "Hôpital d'instruction des armées Percy", "Europe/Paris", new CenterCapabilities(12, true, true, false));
            Assert.Equal(InboxOutcome.Applied, await inbox.ReceiveAsync(new NetworkEnvelope(Guid.NewGuid(), 1, "W0042", EventKinds.CenterProfile,
                CenterProfile.EntityKey("W0042"), 3, DateTimeOffset.UtcNow.AddMinutes(-5), profile.ToJson())));
            Assert.Equal(InboxOutcome.Parked, await inbox.ReceiveAsync(new NetworkEnvelope(Guid.NewGuid(), 1, "W0042", "weather.report",
                "weather/1", 4, DateTimeOffset.UtcNow, "{}")));

            var html = await (await physician.GetAsync(U("/network"))).Content.ReadAsStringAsync();
            Assert.Contains("<code>W0042</code>", html, StringComparison.Ordinal);
            Assert.Contains("Hôpital d'instruction des armées Percy", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            Assert.Contains("5 min", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"parked-count\">1<", html, StringComparison.Ordinal);
            Assert.Contains("unknown-kind", html, StringComparison.Ordinal);
        }

        var (trainer, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Trainer), server.PasswordOf(Role.Trainer));
        using (trainer)
        {
            var refused = await trainer.GetAsync(U("/network"));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            var location = refused.Headers.Location!;
            Assert.StartsWith("/access-denied", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, StringComparison.Ordinal);
        }
    }
}
