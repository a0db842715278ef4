using System.Text.Json;
using Microsoft.Data.Sqlite;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Plan;

/// <summary><c>radregen plan …</c> (issue 16): the scenario library, readiness as JSON, entering a scenario, bad input exit 1.</summary>
public sealed class PlanCommandTests
{
    [Fact]
    public async Task Scenarios_readiness_and_bad_input_through_the_command_line()
    {
        await using var db = await TestDatabases.CreateMigratedAsync("sqlite");
        var database = new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource;
        using var dir = new TempDirectory();
        string[] Here(params string[] args) => ["--setting", "Center:FacilityCode=A0001", .. args, "--database", database];

        var scenarios = await CliRunner.RunAsync(Here("plan", "scenarios", "--json"));
        Assert.True(scenarios.Exit == 0, scenarios.Err);
        using (var doc = JsonDocument.Parse(scenarios.Out))
        {
            var coleman = doc.RootElement.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "coleman-knebel-2015");
            var severe = coleman.GetProperty("bands").EnumerateArray().Single(b => b.GetProperty("key").GetString() == "rad-severe").GetProperty("counts");
            Assert.Equal((3_000, 6_000, 12_000), (severe.GetProperty("p50").GetInt32(), severe.GetProperty("p85").GetInt32(), severe.GetProperty("p95").GetInt32()));
            Assert.Equal(9_000, coleman.GetProperty("radiationOnly1_5To8_3Gy").GetProperty("p50").GetInt32());
        }

        var readiness = await CliRunner.RunAsync(Here("plan", "readiness", "--scenario", "coleman-knebel-2015", "--percentile", "95", "--json"));
        Assert.True(readiness.Exit == 0, readiness.Err);
        using (var doc = JsonDocument.Parse(readiness.Out))
        {
            var r = doc.RootElement;
            Assert.Equal(95, r.GetProperty("percentile").GetInt32());
            Assert.Equal(31, r.GetProperty("demand").GetProperty("byProduct").GetProperty("S9105").GetArrayLength());
            Assert.True(r.TryGetProperty("stock", out _));
            Assert.True(r.GetProperty("plan").TryGetProperty("binding", out _));
            Assert.InRange(r.GetProperty("score").GetProperty("plan").GetDouble(), 0, 1);
        }

        var badPercentile = await CliRunner.RunAsync(Here("plan", "readiness", "--scenario", "coleman-knebel-2015", "--percentile", "90"));
        Assert.Equal(1, badPercentile.Exit);
        Assert.Contains("percentile", badPercentile.Err, StringComparison.Ordinal);

        var negative = Path.Combine(dir.Path, "negative.json");
        await File.WriteAllTextAsync(negative, """
            {"id":"center-criticality","title":"Criticality","source":"planner","bands":[{"key":"rad-severe","injury":"radiation-only","doseFromGy":5.3,"doseToGy":8.3,"counts":[-2]}]}
            """);
        var refused = await CliRunner.RunAsync(Here("plan", "enter", "--file", negative, "--reason", "drill"));
        Assert.Equal(1, refused.Exit);
        Assert.Contains("bands[0].counts[0]", refused.Err, StringComparison.Ordinal);
        var still = await CliRunner.RunAsync(Here("plan", "scenarios", "--json"));
        Assert.DoesNotContain("center-criticality", still.Out, StringComparison.Ordinal); // nothing written

        var good = Path.Combine(dir.Path, "good.json");
        await File.WriteAllTextAsync(good, """
            {"id":"center-criticality","title":"Criticality","source":"planner","bands":[{"key":"rad-severe","injury":"radiation-only","doseFromGy":5.3,"doseToGy":8.3,"counts":[2]}]}
            """);
        var entered = await CliRunner.RunAsync(Here("plan", "enter", "--file", good, "--reason", "annual review"));
        Assert.True(entered.Exit == 0, entered.Err);
        Assert.Contains("scenario center-criticality version 1 entered", entered.Out, StringComparison.Ordinal);
        var text = await CliRunner.RunAsync(Here("plan", "readiness", "--scenario", "center-criticality"));
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains("readiness: shelf", text.Out, StringComparison.Ordinal);
    }
}
