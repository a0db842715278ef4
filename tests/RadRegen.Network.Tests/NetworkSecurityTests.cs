using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Inbox;
using RadRegen.Testing;

namespace RadRegen.Network.Tests;

/// <summary>
/// NATS authentication and TLS (ADR 0029) against a real nats-server started with a configuration:
/// a center with the right password joins; one with a wrong password keeps running and says why in
/// its status (never the password); a server that requires TLS, with a certificate made here by
/// .NET's CertificateRequest, is joined with <c>Network:Tls:CaFile</c>.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class NetworkSecurityTests
{
    private const string Password = "pa55-w0rd-not-in-status";

    private static string NewNetwork() => "t" + Guid.NewGuid().ToString("N")[..10];

    [NatsFact]
    public async Task With_the_password_a_center_joins_with_a_wrong_one_it_runs_on_and_status_says_why()
    {
        var server = new NatsServer { Config = $"authorization {{ user: center, password: \"{Password}\" }}\n" };
        await server.StartAsync();
        try
        {
            var network = NewNetwork();
            await using var a = await TestCenter.CreateAsync("W0001", server.Url, network,
                configure: n => n with { Auth = new NetworkAuth("center", Password, null, null) });
            await using var b = await TestCenter.CreateAsync("W0002", server.Url, network,
                configure: n => n with { Auth = new NetworkAuth("center", Password, null, null) });
            await using var wrong = await TestCenter.CreateAsync("W0003", server.Url, network,
                configure: n => n with { Auth = new NetworkAuth("center", "not-the-password", null, null) });
            await a.WriteAsync("thing/1", 1);
            await Eventually.TrueAsync(() => Task.FromResult(b.Handler.Applied.Any(e => e.EntityKey == "thing/1")), "B applies A's event through the authenticated server");

            await Eventually.TrueAsync(async () => (await wrong.StatusAsync()).Link?.LastError is not null, "the refused center records why");
            var status = await wrong.StatusAsync();
            Assert.NotEqual(LinkStatus.Connected, status.Link!.Status);
            Assert.Contains("refused this center's credentials", status.Link.LastError, StringComparison.Ordinal);
            Assert.Contains("Network:Password", status.Link.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", status.Link.LastError, StringComparison.Ordinal);
            Assert.True(await wrong.PendingAsync() > 0); // its own events wait in its outbox; nothing crashed
            await wrong.WriteAsync("thing/2", 2);         // and it keeps working
            Assert.Null((await a.StatusAsync()).Link?.LastError);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [NatsFact]
    public async Task A_server_that_requires_TLS_is_joined_with_the_CA_file()
    {
        using var dir = new TempDirectory();
        var (caFile, certFile, keyFile) = Certificates(dir.Path);
        var server = new NatsServer { Config = $"tls {{\n  cert_file: \"{certFile}\"\n  key_file: \"{keyFile}\"\n}}\n" };
        await server.StartAsync();
        try
        {
            var network = NewNetwork();
            var tls = new NetworkTls(caFile, null, null);
            await using var a = await TestCenter.CreateAsync("W0001", server.Url, network, configure: n => n with { Tls = tls });
            await using var b = await TestCenter.CreateAsync("W0002", server.Url, network, configure: n => n with { Tls = tls });
            await using var untrusting = await TestCenter.CreateAsync("W0003", server.Url, network, configure: n => n with { Tls = new NetworkTls(null, null, null) });
            await a.WriteAsync("thing/1", 1);
            await Eventually.TrueAsync(() => Task.FromResult(b.Handler.Applied.Any(e => e.EntityKey == "thing/1")), "B applies A's event over TLS");
            Assert.Equal(LinkStatus.Connected, (await a.StatusAsync()).Link?.Status);

            // Without the CA the server's certificate is not trusted: the center runs on and says so.
            await Eventually.TrueAsync(async () => (await untrusting.StatusAsync()).Link?.LastError is not null, "the center without the CA records why");
            Assert.Contains("TLS with the NATS server", (await untrusting.StatusAsync()).Link!.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain(b.Handler.Applied, e => e.SourceCenter == "W0003");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 it signed, as PEM files (made here: no download, nothing kept).</summary>
    private static (string Ca, string Cert, string Key) Certificates(string dir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RadRegen test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));

        var files = (Ca: Path.Combine(dir, "ca.pem"), Cert: Path.Combine(dir, "server.pem"), Key: Path.Combine(dir, "server-key.pem"));
        File.WriteAllText(files.Ca, ca.ExportCertificatePem());
        File.WriteAllText(files.Cert, cert.ExportCertificatePem());
        File.WriteAllText(files.Key, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }
}
