using System.Text.Json;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests;

/// <summary><c>radregen network status</c>: reads the database, never creates one.</summary>
public class NetworkCommandTests
{
    [Fact]
    public async Task Network_status_reads_the_outbox_and_never_creates_a_database()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "radregen.db");
        var (code, _, error) = await CliRunner.RunAsync("network", "status", "--database", db, "--json");
        Assert.Equal(1, code);
        Assert.Contains("database file not found", error, StringComparison.Ordinal);
        Assert.False(File.Exists(db));

        // A write command creates the database.
        Assert.Equal(0, (await CliRunner.RunAsync("users", "add", "qa1", "--role", "qa-officer", "--database", db)).Exit);
        var (statusCode, output, _) = await CliRunner.RunAsync("network", "status", "--database", db, "--json",
            "--setting", "Network:Url=nats://127.0.0.1:4222", "--setting", "Network:Center=W0005");
        Assert.Equal(0, statusCode);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("W0005", json.GetProperty("center").GetString());
        Assert.True(json.GetProperty("joined").GetBoolean());
        Assert.Equal("radregen", json.GetProperty("network").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("link").ValueKind);
        Assert.Equal(0, json.GetProperty("centers").GetArrayLength());
        Assert.Equal(0, json.GetProperty("parked").GetProperty("count").GetInt64());
    }
}
