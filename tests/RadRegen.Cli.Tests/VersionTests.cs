using System.Globalization;
using RadRegen.Storage;

namespace RadRegen.Cli.Tests;

public class VersionTests
{
    [Fact]
    public async Task Version_prints_RadRegens_the_bundled_SQLites_and_the_schemas_versions()
    {
        var (exit, output, err) = await CliRunner.RunAsync("--version");
        Assert.True(exit == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^RadRegen \d+\.\d+\.\d+", lines[0]);

        // The bundled library, not whatever libsqlite3 the machine has: 3.53 came with SQLitePCLRaw 3.0.5.
        var sqlite = Assert.Single(System.Text.RegularExpressions.Regex.Matches(lines[1], @"^SQLite (\d+)\.(\d+)\.(\d+)$"));
        var minor = int.Parse(sqlite.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal("3", sqlite.Groups[1].Value);
        Assert.True(minor >= 53, lines[1]);

        Assert.Equal($"schema {Migrator.LatestVersion(Engine.Sqlite)}", lines[2]);
        Assert.True(Migrator.LatestVersion(Engine.Sqlite) >= 5);
    }

    [Fact]
    public async Task Version_with_a_command_is_a_usage_error()
    {
        var (exit, _, err) = await CliRunner.RunAsync("--version", "users", "list");
        Assert.Equal(2, exit);
        Assert.Contains("--version", err, StringComparison.Ordinal);
    }
}
