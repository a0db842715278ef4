using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.MassCasualty;
using RadRegen.Testing;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Cli.Tests.Care;

public class CareCliTests
{
    private const string Line24 = "HLA-A*24:02+HLA-A*24:02^HLA-B*52:01+HLA-B*52:01^HLA-DRB1*15:02+HLA-DRB1*15:02";

    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.RunAsync(args);

    private static string Write(TempDirectory dir, string name, string text)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Import_triage_and_allocate_against_the_database()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "t.db");
        // Changed with issue 11 (F11): granulocytes < 0.5 on day 1 no longer make V-1 a stem-cell candidate; a count on
        // day 5 (T(125)) confirms H4, so the incident began 7 days ago.
        var started = DateTimeOffset.UtcNow.AddDays(-7).ToString("yyyy-MM-dd'T'HH:00:00'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var t0 = DateTimeOffset.Parse(started, System.Globalization.CultureInfo.InvariantCulture);
        string T(double h) => t0.AddHours(h).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var (exit, _, err) = await Run("incident", "create", "--code", "INC-9", "--title", "Test", "--kind", "criticality", "--started", started, "--database", db);
        Assert.True(exit == 0, err);
        var victims = Write(dir, "v.csv",
            "patient,age,sex,weightKg,hla,observedAt,vomitingOnsetMinutes,lymphocytes,granulocytes,platelets\n"
            + $"V-1,34,female,60,\"HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:01\",{T(1)},25,1.2,5,200\n"
            + $"V-1,,,,,{T(25)},,0.3,0.4,15\n"
            + $"V-1,,,,,{T(125)},,0.2,0.3,12\n"
            + $"V-2,8,male,25,,{T(2)},none,2.4,4,260\n");
        (exit, var output, err) = await Run("incident", "import", victims, "--incident", "INC-9", "--database", db, "--json");
        Assert.True(exit == 0, err);
        Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetProperty("patients").GetInt32());

        (exit, output, err) = await Run("triage", "--incident", "INC-9", "--database", db, "--json");
        Assert.True(exit == 0, err);
        var triage = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, triage.GetProperty("byColour").GetProperty("red").GetInt32());
        Assert.Equal("V-1", triage.GetProperty("queue")[0].GetProperty("patient").GetString());

        var inventory = Write(dir, "inv.csv", $"vial,product,line,hla,site,expiry\nX1,S9105,L24,{Line24},Kyoto,2099-01-01T00:00:00Z\nX2,S9105,L24,{Line24},Kyoto,2099-01-01T00:00:00Z\n");
        (exit, output, err) = await Run("allocate", "--incident", "INC-9", "--inventory", inventory, "--transport", "Kyoto=1", "--database", db, "--json");
        Assert.True(exit == 0, err);
        var alloc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, alloc.GetProperty("vialsAllocated").GetInt32());
        Assert.Contains("min-cost flow", alloc.GetProperty("algorithm").GetString(), StringComparison.Ordinal);
        var explanation = alloc.GetProperty("outcomes")[0].GetProperty("explanation").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(explanation, e => e!.Contains("ships at most 1", StringComparison.Ordinal));

        // Importing the same victims again: every clash named, exit 1, nothing written.
        (exit, _, err) = await Run("incident", "import", victims, "--incident", "INC-9", "--database", db);
        Assert.Equal(1, exit);
        Assert.Contains("V-1 is already registered", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allocate_without_an_inventory_file_draws_on_the_banks_released_stock()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "t.db");
        // Changed with issue 11 (F11): H4 is confirmed by the day-5 granulocytes (T(125)), so the incident began 7 days ago.
        var started = DateTimeOffset.UtcNow.AddDays(-7).ToString("yyyy-MM-dd'T'HH:00:00'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var (exit, _, err) = await Run("incident", "create", "--code", "INC-B", "--title", "Bank", "--kind", "criticality", "--started", started, "--database", db);
        Assert.True(exit == 0, err);
        var t0 = DateTimeOffset.Parse(started, System.Globalization.CultureInfo.InvariantCulture);
        string T(double h) => t0.AddHours(h).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var victims = Write(dir, "v.csv", "patient,age,sex,weightKg,hla,observedAt,vomitingOnsetMinutes,lymphocytes,granulocytes,platelets\n"
            + $"V-1,34,female,60,{TherapySeed.MatchingPatient},{T(1)},25,1.2,5,200\n" + $"V-1,,,,,{T(25)},,0.3,0.4,8\n" + $"V-1,,,,,{T(125)},,0.2,0.3,12\n");
        (exit, _, err) = await Run("incident", "import", victims, "--incident", "INC-B", "--database", db);
        Assert.True(exit == 0, err);

        int inStock;
        await using (var services = new ServiceCollection()
            .AddRadRegen(RadRegenSettings.ForDemo(RadRegen.Storage.DatabaseTarget.Parse(db))).BuildServiceProvider())
        {
            await services.GetRequiredService<RadRegen.Storage.Migrator>().MigrateAsync();
            await TherapySeed.ReleasedVialsAsync(services, 4, "CLI", "S9105");
            inStock = (await services.GetRequiredService<IProductInventory>().AvailableAsync(["S9105"], CancellationToken.None)).Count;
        }

        (exit, var output, err) = await Run("allocate", "--incident", "INC-B", "--database", db, "--json");
        Assert.True(exit == 0, err);
        var alloc = JsonDocument.Parse(output).RootElement;
        Assert.Equal(4, inStock);
        Assert.Equal(4, alloc.GetProperty("vialsInStock").GetInt32());
        // Platelets 8 ≤ 10 ×10⁹/L (AABB): repeated doses over the H4 nadir, more than the 4 in stock (was one dose, 3 vials; issue 11 item 6).
        Assert.Equal(4, alloc.GetProperty("vialsAllocated").GetInt32());
    }

    [Fact]
    public async Task Bad_input_exits_1_naming_row_and_field_and_usage_exits_2()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "t.db");
        var (exit, _, err) = await Run("incident", "create", "--code", "INC-1", "--title", "T", "--kind", "meteor", "--started", "2026-11-20T06:00:00Z", "--database", db);
        Assert.Equal(1, exit);
        Assert.Contains("--kind", err, StringComparison.Ordinal);
        (exit, _, _) = await Run("incident", "create", "--code", "INC-1", "--title", "T", "--kind", "criticality", "--started", "2026-11-20T06:00:00Z", "--database", db);
        Assert.Equal(0, exit);
        var bad = Write(dir, "bad.csv", "patient,age,sex,weightKg,observedAt,lymphocytes\nA,30,female,70,2026-11-20T07:00:00Z,1800\nB,30,male,70,2026-11-20T05:00:00Z,1.5\n");
        (exit, var output, err) = await Run("incident", "import", bad, "--incident", "INC-1", "--database", db);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("bad.csv row 2: lymphocytes", err, StringComparison.Ordinal);
        Assert.Contains("bad.csv row 3: observedAt", err, StringComparison.Ordinal);
        (exit, _, err) = await Run("triage", "--incident", "NOPE", "--database", db);
        Assert.Equal(1, exit);
        Assert.Contains("no incident NOPE", err, StringComparison.Ordinal);
        (exit, _, _) = await Run("triage", "--database", db);
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Drill_runs_end_to_end_and_is_reproducible_for_a_seed()
    {
        var (exit, output, err) = await Run("drill", "--victims", "120", "--seed", "5", "--json");
        Assert.True(exit == 0, err);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal(120, r.GetProperty("victims").GetInt32());
        Assert.Equal(120, r.GetProperty("byColour").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(120, r.GetProperty("byResponseCategory").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(["simulate", "parse", "import + assess", "triage", "allocate"], r.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()));
        var (_, again, _) = await Run("drill", "--victims", "120", "--seed", "5", "--json");
        var r2 = JsonDocument.Parse(again).RootElement;
        Assert.Equal(r.GetProperty("byColour").ToString(), r2.GetProperty("byColour").ToString());
        Assert.Equal(r.GetProperty("vialsAllocated").GetInt32(), r2.GetProperty("vialsAllocated").GetInt32());
        (exit, _, err) = await Run("drill", "--victims", "0");
        Assert.Equal(1, exit);
        Assert.Contains("--victims", err, StringComparison.Ordinal);
    }
}
