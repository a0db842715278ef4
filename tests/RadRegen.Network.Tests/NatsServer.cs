using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RadRegen.Testing;

namespace RadRegen.Network.Tests;

/// <summary>
/// A real <c>nats-server -js</c> (Debian's package) on a free loopback port with a store directory
/// of its own, started once per test class (<c>IClassFixture</c>), stoppable and restartable on the
/// same port and store (the server-restart test). Without the binary the tests are skipped with a
/// message (<see cref="NatsFactAttribute"/>), except under CI (<c>CI=true</c>), where they fail.
/// </summary>
public sealed class NatsServer : IAsyncLifetime
{
    private readonly TempDirectory _store = new();
    private Process? _process;

    public int Port { get; } = FreePort();

    public Uri Url => new($"{Scheme}://127.0.0.1:{Port}");

    public string StoreDirectory => _store.Path;

    /// <summary>A nats-server configuration file's text (authorization, TLS), passed with <c>-c</c>; null: none.</summary>
    public string? Config { get; init; }

    /// <summary>The URL's scheme: <c>tls</c> for a server that requires TLS.</summary>
    public string Scheme { get; init; } = "nats";

    /// <summary>The binary: on PATH, else Debian's /usr/sbin (not on a normal user's PATH).</summary>
    public static string? Binary { get; } = Find();

    public Task InitializeAsync() => Binary is null && !TestDatabases.InCi ? Task.CompletedTask : StartAsync();

    public async Task StartAsync()
    {
        var binary = Binary ?? throw new InvalidOperationException(
            "nats-server is not installed (apt-get install nats-server; .ci/run installs it): the network tests need a real server");
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", StoreDirectory,
                     "--server_name", "radregen-test"])
        {
            info.ArgumentList.Add(arg);
        }

        if (Config is not null)
        {
            var file = Path.Combine(StoreDirectory, "nats-server.conf");
            await File.WriteAllTextAsync(file, Config);
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(file);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("nats-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _store.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin"))
        {
            var path = Path.Combine(dir, "nats-server");
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs nats-server: skipped with the reason when it is missing, except under CI, where it runs and fails.</summary>
public sealed class NatsFactAttribute : FactAttribute
{
    public NatsFactAttribute()
    {
        if (NatsServer.Binary is null && !TestDatabases.InCi)
        {
            Skip = "nats-server is NOT installed: the network tests with a real NATS server were not run (apt-get install nats-server; .ci/run installs it).";
        }
    }
}
