using Microsoft.Data.Sqlite;
using Npgsql;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests;

public class AdminCommandTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static string Db(TestDatabase db) => db.Target.Engine == Engine.Sqlite
        ? new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource
        : db.Target.ConnectionString;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Users_are_added_listed_reset_and_disabled_and_the_journal_verifies(string engine)
    {
        await using var db = await TestDatabases.CreateAsync(engine);
        var database = Db(db);
        var add = await CliRunner.RunAsync("users", "add", "qa1", "--role", "qa-officer,auditor", "--display-name", "Quinn Archer", "--database", database);
        Assert.True(add.Exit == 0, add.Err);
        Assert.Contains("created user qa1 (qa-officer,auditor)", add.Out, StringComparison.Ordinal);
        Assert.Matches("password \\(shown once\\): [A-Za-z2-9]{18}", add.Out);

        var list = await CliRunner.RunAsync("users", "list", "--json", "--database", database);
        Assert.Contains("\"userName\": \"qa1\"", list.Out, StringComparison.Ordinal);

        var reset = await CliRunner.RunAsync("users", "reset-password", "qa1", "--database", database);
        Assert.Equal(0, reset.Exit);
        var disable = await CliRunner.RunAsync("users", "disable", "qa1", "--reason", "left", "--database", database);
        Assert.Equal(0, disable.Exit);
        var table = await CliRunner.RunAsync("users", "list", "--database", database);
        Assert.Contains("disabled", table.Out, StringComparison.Ordinal);

        var verify = await CliRunner.RunAsync("audit", "verify", "--database", database);
        Assert.Equal(0, verify.Exit);
        // The first line as before; the lines after it say how the journal stands against its checkpoints.
        Assert.StartsWith("journal intact: 3 entries verified" + Environment.NewLine, verify.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Audit_verify_exits_3_naming_the_first_tampered_entry(string engine)
    {
        // A copy of the migrated template: the case is about the journal; the first command on an
        // empty database (it migrates) is the case above.
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        var database = Db(db);
        foreach (var name in new[] { "a1", "a2", "a3", "a4" })
        {
            Assert.Equal(0, (await CliRunner.RunAsync("users", "add", name, "--role", "trainer", "--database", database)).Exit);
        }

        const string Tamper = "UPDATE journal SET payload = '{\"userName\":\"mallory\"}' WHERE seq = 3";
        if (db.Target.Engine == Engine.Sqlite)
        {
            await using var c = new SqliteConnection(db.Target.ConnectionString);
            await c.OpenAsync();
            await using var cmd = new SqliteCommand("DROP TRIGGER journal_no_update; " + Tamper, c);
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            await using var c = new NpgsqlConnection(db.Target.ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("DROP TRIGGER journal_no_update ON journal; " + Tamper, c);
            await cmd.ExecuteNonQueryAsync();
        }

        var verify = await CliRunner.RunAsync("audit", "verify", "--database", database);
        Assert.Equal(3, verify.Exit);
        Assert.Contains("entry 3 does not verify", verify.Err, StringComparison.Ordinal);
        Assert.Contains("2 entries before it verified", verify.Err, StringComparison.Ordinal);
        var json = await CliRunner.RunAsync("audit", "verify", "--json", "--database", database);
        Assert.Equal(3, json.Exit);
        Assert.Contains("\"firstBroken\": 3", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_created_once_listed_without_secrets_and_revoked()
    {
        await using var db = await TestDatabases.CreateAsync("sqlite");
        var database = Db(db);
        await CliRunner.RunAsync("users", "add", "lims", "--role", "cpc-technician", "--database", database);
        var create = await CliRunner.RunAsync("tokens", "create", "--user", "lims", "--expires", "30", "--name", "lims feed", "--database", database);
        Assert.Equal(0, create.Exit);
        var secret = create.Out.Split("secret (shown once): ")[1].Trim();
        Assert.StartsWith("rr_", secret, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync("tokens", "list", "--database", database);
        Assert.Contains("lims feed", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("tokens", "revoke", "1", "--reason", "rotated", "--database", database)).Exit);
        Assert.Contains("revoked", (await CliRunner.RunAsync("tokens", "list", "--database", database)).Out, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync("tokens", "revoke", "1", "--database", database);
        Assert.Equal(1, again.Exit);
        Assert.Contains("already revoked", again.Err, StringComparison.Ordinal);
        var tooLong = await CliRunner.RunAsync("tokens", "create", "--user", "lims", "--expires", "999", "--database", database);
        Assert.Equal(1, tooLong.Exit);
        Assert.Contains("expires: must be between 1 and 366 days", tooLong.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_1_with_the_field_named_and_usage_errors_exit_2()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "r.db");
        var role = await CliRunner.RunAsync("users", "add", "x1", "--role", "surgeon", "--database", database);
        Assert.Equal(1, role.Exit);
        Assert.Contains("--role: unknown role 'surgeon'", role.Err, StringComparison.Ordinal);

        var malformed = await CliRunner.RunAsync("audit", "verify", "--database", "Host=127.0.0.1;Nonsense Key=1");
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("--database: not a valid PostgreSQL connection string", malformed.Err, StringComparison.Ordinal);

        var file = Path.Combine(dir.Path, "plain-file");
        await File.WriteAllTextAsync(file, "x");
        // A read command names the missing file; only a write command tries (and fails) to create the folder.
        var missing = await CliRunner.RunAsync("audit", "verify", "--database", Path.Combine(file, "sub", "r.db"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("database file not found", missing.Err, StringComparison.Ordinal);
        var unwritable = await CliRunner.RunAsync("users", "add", "x2", "--role", "trainer", "--database", Path.Combine(file, "sub", "r.db"));
        Assert.Equal(1, unwritable.Exit);
        Assert.Contains("cannot write to the data directory", unwritable.Err, StringComparison.Ordinal);

        var unknown = await CliRunner.RunAsync("users", "disable", "ghost", "--reason", "x", "--database", database);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no user named 'ghost'", unknown.Err, StringComparison.Ordinal);

        var usage = await CliRunner.RunAsync("users", "add", "x1");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("--role", usage.Err, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync("no-such-command")).Exit);
    }

    [Fact]
    public async Task A_database_from_a_newer_RadRegen_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "r.db");
        // A command that writes creates the database (audit verify no longer does: it only reads).
        Assert.Equal(0, (await CliRunner.RunAsync("users", "add", "seed", "--role", "admin", "--database", database)).Exit);
        await using (var c = new SqliteConnection($"Data Source={database}"))
        {
            await c.OpenAsync();
            await using var cmd = new SqliteCommand("INSERT INTO schema_migrations VALUES (42, 'future', 'x')", c);
            await cmd.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var refused = await CliRunner.RunAsync("users", "add", "x1", "--role", "admin", "--database", database);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("schema version 42, newer than this RadRegen understands", refused.Err, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync("audit", "verify", "--database", database);
        Assert.Equal(1, list.Exit);
    }
}
