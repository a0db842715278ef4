using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests;

/// <summary>The README's first command, as a person runs it: the real executable, a real port.</summary>
public class ServeProcessTests
{
    [Fact]
    public async Task Serve_demo_creates_the_database_prints_credentials_once_and_answers_health()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var first = await RunServeAsync(dir.Path, port, demo: true);
        Assert.Contains("demo-qa-officer", first.Output, StringComparison.Ordinal);
        Assert.Matches("demo-auditor +auditor +[A-Za-z2-9]{18}", first.Output);
        Assert.Equal("Healthy", first.Health);
        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "radregen.db")));

        var second = await RunServeAsync(dir.Path, port, demo: true);
        Assert.Contains("Demo users already present (passwords unchanged)", second.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch("demo-auditor +auditor +[A-Za-z2-9]{18}", second.Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(string Output, string Health)> RunServeAsync(string workingDirectory, int port, bool demo)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "radregen.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "serve", "--urls", $"http://127.0.0.1:{port}" }.Concat(demo ? ["--demo"] : []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("RADREGEN_DATABASE");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    var health = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"));
                    lock (output)
                    {
                        return (output.ToString(), health);
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
                catch (TaskCanceledException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
