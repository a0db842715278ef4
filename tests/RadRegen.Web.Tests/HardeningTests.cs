using System.Net;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadRegen.Hosting.Configuration;
using RadRegen.Testing;

namespace RadRegen.Web.Tests;

/// <summary>Issue 12 item 10: files readable by the service account only, HSTS only over HTTPS.</summary>
/// <remarks>The cases on a running server read file modes, headers and refusals (their one change, a journal verification, writes nothing another case reads): they share one server.</remarks>
public class HardeningTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    [Fact]
    public async Task The_database_and_key_ring_are_readable_by_the_service_account_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes; Windows inherits the folder's ACL
        }

        var server = await servers.ForAsync("sqlite");
        var file = server.Database.Target.SqliteFile!;
        var keys = Path.Combine(Path.GetDirectoryName(file)!, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var companion in new[] { file + "-wal", file + "-shm" }.Where(File.Exists))
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(companion) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Fact]
    public async Task A_plain_http_loopback_server_sends_no_hsts_and_does_not_redirect()
    {
        var server = await servers.ForAsync("sqlite");
        using var client = server.Anonymous();
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task An_https_url_configures_hsts_and_a_plain_one_does_not()
    {
        Assert.True(RadRegenHost.ServesHttps("http://127.0.0.1:5080;https://0.0.0.0:5443"));
        Assert.False(RadRegenHost.ServesHttps("http://127.0.0.1:5080"));

        await using var database = await TestDatabases.CreateMigratedAsync("sqlite");
        var settings = RadRegenSettings.ForDemo(database.Target);
        await using var https = RadRegenHost.Build(new RadRegenHostOptions(settings with { Web = WebSettings.Default with { Urls = "https://127.0.0.1:0" } })
        {
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        Assert.Equal(TimeSpan.FromDays(365), https.Services.GetRequiredService<IOptions<HstsOptions>>().Value.MaxAge);

        await using var plain = RadRegenHost.Build(new RadRegenHostOptions(settings with { Web = WebSettings.Default with { Urls = "http://127.0.0.1:0" } })
        {
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        Assert.NotEqual(TimeSpan.FromDays(365), plain.Services.GetRequiredService<IOptions<HstsOptions>>().Value.MaxAge);
    }

    [Fact]
    public async Task A_key_ring_certificate_that_cannot_be_loaded_stops_the_start_naming_the_setting()
    {
        await using var database = await TestDatabases.CreateMigratedAsync("sqlite");
        var settings = RadRegenSettings.ForDemo(database.Target);
        var missing = Path.Combine(Path.GetDirectoryName(database.Target.SqliteFile!)!, "no-such.pfx");
        var ex = Assert.Throws<ConfigurationException>(() => RadRegenHost.Build(new RadRegenHostOptions(
            settings with { Web = WebSettings.Default with { KeyRingCertificatePath = missing, KeyRingCertificatePassword = "pw" } })
        {
            ConfigureLogging = logging => logging.ClearProviders(),
        }));
        Assert.Equal("DataProtection:CertificatePath", ex.Setting);
        Assert.DoesNotContain("pw", ex.Message.Replace(missing, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_authenticated_api_change_without_the_antiforgery_header_is_a_400_naming_it()
    {
        var server = await servers.ForAsync("sqlite");
        var (client, _) = await server.SignInAsync("demo-auditor", server.PasswordOf(RadRegen.Core.Access.Role.Auditor));
        using var __ = client;
        client.DefaultRequestHeaders.Remove(RadRegenHost.AntiforgeryHeader);
        var refused = await client.PostAsync(new Uri("/api/v1/audit/verify", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains(RadRegenHost.AntiforgeryHeader, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // On /fhir the same refusal is an OperationOutcome, as every FHIR error.
        using var bundle = new StringContent("{\"resourceType\":\"Bundle\",\"type\":\"batch\"}", System.Text.Encoding.UTF8, "application/fhir+json");
        var fhir = await client.PostAsync(new Uri("/fhir/r4", UriKind.Relative), bundle);
        Assert.Equal(HttpStatusCode.BadRequest, fhir.StatusCode);
        Assert.Equal("application/fhir+json", fhir.Content.Headers.ContentType!.MediaType);
        var outcome = System.Text.Json.JsonDocument.Parse(await fhir.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Equal("security", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.Contains(RadRegenHost.AntiforgeryHeader, outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);

        // Reading needs no header; the same change with the header is accepted.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/audit/verify", UriKind.Relative));
        request.Headers.Add(RadRegenHost.AntiforgeryHeader, "1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        // A bearer token needs no header.
        using var machine = await server.WithTokenAsync(RadRegen.Core.Access.Role.Auditor);
        Assert.Equal(HttpStatusCode.OK, (await machine.PostAsync(new Uri("/api/v1/audit/verify", UriKind.Relative), null)).StatusCode);
    }
}
