using Microsoft.Data.Sqlite;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Hub;

/// <summary><c>radregen hub …</c> (issue 14): the registry from JSON files, search, JSON output, bad input exit 1.</summary>
public sealed class HubCommandTests
{
    [Fact]
    public async Task Members_are_declared_from_json_searched_and_bad_input_exits_1_naming_the_field()
    {
        await using var db = await TestDatabases.CreateMigratedAsync("sqlite");
        var database = new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource;
        using var dir = new TempDirectory();
        string[] Here(params string[] args) => ["--setting", "Center:FacilityCode=A0001", .. args, "--database", database];
        var member = Path.Combine(dir.Path, "member.json");
        await File.WriteAllTextAsync(member, """
            {"code":"A0001","name":"This center","kind":"collaborating-center","country":"JP","center":"A0001",
             "capabilities":[{"area":"dose-assessment","kind":"biodosimetry","quantity":150,"description":"dicentric assay","validFrom":"2026-01-01"}]}
            """);
        var declared = await CliRunner.RunAsync(Here("hub", "declare", "--file", member));
        Assert.True(declared.Exit == 0, declared.Err);
        Assert.Contains("member A0001 declared with 1 capabilities", declared.Out, StringComparison.Ordinal);

        var found = await CliRunner.RunAsync(Here("hub", "capabilities", "--area", "dose-assessment", "--json"));
        Assert.True(found.Exit == 0, found.Err);
        Assert.Contains("\"kind\": \"biodosimetry\"", found.Out, StringComparison.Ordinal);
        Assert.Contains("\"unit\": \"samples/week\"", found.Out, StringComparison.Ordinal);

        var bad = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(bad, """{"code":"XS-CA","name":"X","kind":"state-contact-point","capabilities":[{"area":"weather","kind":"experts","quantity":1,"validFrom":"2026-01-01"}]}""");
        var refused = await CliRunner.RunAsync(Here("hub", "declare", "--file", bad));
        Assert.Equal(1, refused.Exit);
        Assert.Contains("capabilities[0].area: 'weather' is not a coded capability area", refused.Err, StringComparison.Ordinal);

        var unsigned = await CliRunner.RunAsync(Here("hub", "offer", "accept", "00000000-0000-0000-0000-000000000000", "--as", "nobody"));
        Assert.Equal(1, unsigned.Exit);
        Assert.Contains("--password-stdin", unsigned.Err, StringComparison.Ordinal);

        var none = await CliRunner.RunAsync(Here("hub", "request", "list", "--json"));
        Assert.True(none.Exit == 0, none.Err);
        Assert.Contains("\"total\": 0", none.Out, StringComparison.Ordinal);
        var missing = await CliRunner.RunAsync(Here("hub", "export", "--request", "nope", "--format", "irix"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no request nope", missing.Err, StringComparison.Ordinal);
    }
}
