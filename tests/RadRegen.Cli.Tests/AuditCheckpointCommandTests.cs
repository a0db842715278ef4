using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using RadRegen.Core.Journal;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests;

/// <summary>
/// <c>audit verify</c> against the signed checkpoints (issue 12 item 2): each way of tampering the
/// probe found passing now exits 3 or is reported; and commands that read never create a database (item 3).
/// </summary>
public class AuditCheckpointCommandTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    /// <summary>A database with 4 journal entries, each anchored by the command that wrote it.</summary>
    private sealed class Journaled(TestDatabase db, TempDirectory files) : IAsyncDisposable
    {
        public TestDatabase Db => db;

        public string Database => db.Target.SqliteFile ?? db.Target.ConnectionString;

        /// <summary>On SQLite the defaults beside the file; on PostgreSQL (no default) set explicitly.</summary>
        public string LogPath => db.Target.SqliteFile is { } file
            ? Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + ".checkpoints.jsonl")
            : Path.Combine(files.Path, "checkpoints.jsonl");

        public string[] Args(params string[] args) => db.Target.Engine == Engine.Sqlite
            ? [.. args, "--database", Database]
            : [.. args, "--database", Database, "--setting", "Journal:CheckpointLog=" + LogPath];

        public async Task RawAsync(string sql, object? args = null)
        {
            var guards = db.Target.Engine == Engine.Sqlite
                ? "DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete; "
                : "DROP TRIGGER IF EXISTS journal_no_update ON journal; ";
            if (db.Target.Engine == Engine.Sqlite)
            {
                await using var c = new SqliteConnection(db.Target.ConnectionString);
                await c.OpenAsync();
                await using var cmd = new SqliteCommand(guards + sql, c);
                Bind(args, (n, v) => cmd.Parameters.AddWithValue(n, v));
                await cmd.ExecuteNonQueryAsync();
            }
            else
            {
                await using var c = new NpgsqlConnection(db.Target.ConnectionString);
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand(guards + sql, c);
                Bind(args, (n, v) => cmd.Parameters.AddWithValue(n, v));
                await cmd.ExecuteNonQueryAsync();
            }

            SqliteConnection.ClearAllPools();
        }

        public async Task<List<JournalEntry>> EntriesAsync()
        {
            var all = new List<JournalEntry>();
            var database = new Database(db.Target);
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash FROM journal ORDER BY seq";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                all.Add(new JournalEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9)));
            }

            return all;
        }

        private static void Bind(object? args, Action<string, object> add)
        {
            if (args is null)
            {
                return;
            }

            foreach (var p in args.GetType().GetProperties())
            {
                add("@" + p.Name, p.GetValue(args) ?? DBNull.Value);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await db.DisposeAsync();
            files.Dispose();
        }
    }

    // A copy of the migrated template (what the first command's migration would have made): these
    // cases are about the journal and its checkpoints, and migrating an empty PostgreSQL database
    // cost each of them about 2 s. The first command on an empty database stays covered by
    // AdminCommandTests (both engines) and Commands_that_read_do_not_migrate_an_older_database.
    private static async Task<Journaled> JournaledAsync(string engine)
    {
        var j = new Journaled(await TestDatabases.CreateMigratedAsync(engine), new TempDirectory());
        foreach (var name in new[] { "a1", "a2", "a3", "a4" })
        {
            var add = await CliRunner.RunAsync(j.Args("users", "add", name, "--role", "trainer"));
            Assert.True(add.Exit == 0, add.Err);
        }

        return j;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_untouched_journal_verifies_anchored_and_audit_checkpoint_prints_the_latest(string engine)
    {
        await using var j = await JournaledAsync(engine);
        var verify = await CliRunner.RunAsync(j.Args("audit", "verify", "--require-anchored"));
        Assert.True(verify.Exit == 0, verify.Err);
        Assert.Contains("anchored: up to entry 4 by the checkpoint of", verify.Out, StringComparison.Ordinal);
        Assert.Contains("signatures verified with key sha256:", verify.Out, StringComparison.Ordinal);

        var text = await CliRunner.RunAsync(j.Args("audit", "checkpoint"));
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains("sequence:  4", text.Out, StringComparison.Ordinal);
        var json = await CliRunner.RunAsync(j.Args("audit", "checkpoint", "--json"));
        Assert.Equal(0, json.Exit);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("sequence").GetInt64());
        Assert.Equal(64, root.GetProperty("head").GetString()!.Length);
        Assert.StartsWith("sha256:", root.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Contains("BEGIN PUBLIC KEY", root.GetProperty("publicKey").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("signaturesChecked").GetBoolean());

        // A witness verifies with copies of the log and the public key alone.
        using var witness = new TempDirectory();
        var publicKey = Path.Combine(witness.Path, "witness.pub.pem");
        await File.WriteAllTextAsync(publicKey, root.GetProperty("publicKey").GetString());
        var copy = Path.Combine(witness.Path, "witness.jsonl");
        File.Copy(j.LogPath, copy);
        var withWitness = await CliRunner.RunAsync(j.Args("audit", "verify", "--checkpoints", copy, "--public-key", publicKey));
        Assert.True(withWitness.Exit == 0, withWitness.Err);
        Assert.Contains("anchored: up to entry 4", withWitness.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_cut_tail_exits_3(string engine)
    {
        await using var j = await JournaledAsync(engine);
        await j.RawAsync("DELETE FROM journal WHERE seq > 2");
        var verify = await CliRunner.RunAsync(j.Args("audit", "verify"));
        Assert.Equal(3, verify.Exit);
        Assert.Contains("journal intact: 2 entries verified", verify.Out, StringComparison.Ordinal); // the chain alone
        Assert.Contains("the journal ends at entry 2 but the checkpoint", verify.Err, StringComparison.Ordinal);
        Assert.Contains("2 entries are missing", verify.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deleted_journal_exits_3(string engine)
    {
        await using var j = await JournaledAsync(engine);
        await j.RawAsync("DELETE FROM journal");
        var verify = await CliRunner.RunAsync(j.Args("audit", "verify", "--json"));
        Assert.Equal(3, verify.Exit);
        using var doc = JsonDocument.Parse(verify.Out);
        Assert.False(doc.RootElement.GetProperty("intact").GetBoolean());
        Assert.Contains("the journal is empty", doc.RootElement.GetProperty("anchoring").GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task History_rewritten_with_the_chain_recomputed_exits_3(string engine)
    {
        await using var j = await JournaledAsync(engine);
        var entries = await j.EntriesAsync();
        var previous = entries[1].Hash;
        var sql = "";
        foreach (var e in entries.Skip(2))
        {
            var payload = e.Sequence == 3 ? e.Payload.Replace("a3", "mallory", StringComparison.Ordinal) : e.Payload;
            var hash = JournalChain.ComputeHash(previous, e.Sequence, e.Time, e.User, e.RecordType, e.RecordId, e.Action, e.Reason, payload);
            sql += $"UPDATE journal SET payload = '{payload}', previous_hash = '{previous}', hash = '{hash}' WHERE seq = {e.Sequence}; ";
            previous = hash;
        }

        await j.RawAsync(sql);
        var verify = await CliRunner.RunAsync(j.Args("audit", "verify"));
        Assert.Equal(3, verify.Exit);
        Assert.Contains("journal intact: 4 entries verified", verify.Out, StringComparison.Ordinal); // the chain alone is fooled
        Assert.Contains("entry 3 is not the entry the checkpoint", verify.Err, StringComparison.Ordinal);
        Assert.Contains("history was rewritten", verify.Err, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_forged_release_appended_is_reported_not_yet_anchored_and_its_forged_checkpoint_exits_3(string engine)
    {
        await using var j = await JournaledAsync(engine);
        var last = (await j.EntriesAsync())[^1];
        var forged = JournalChain.Next(last.Sequence, last.Hash, DateTimeOffset.UtcNow, "qa1",
            new JournalRecord("lot", "W0001 26 000001", "released", new { status = "released" }));
        await j.RawAsync("INSERT INTO journal (seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash) "
            + "VALUES (@Sequence, @Time, @User, @RecordType, @RecordId, @Action, @Reason, @Payload, @PreviousHash, @Hash)", forged);

        var verify = await CliRunner.RunAsync(j.Args("audit", "verify"));
        Assert.Equal(0, verify.Exit);
        Assert.Contains("not yet anchored: 1 entries after entry 4", verify.Out, StringComparison.Ordinal);
        var strict = await CliRunner.RunAsync(j.Args("audit", "verify", "--require-anchored"));
        Assert.Equal(3, strict.Exit);

        // The forger adds a checkpoint for it, signed with their own key: caught.
        var lines = await File.ReadAllLinesAsync(j.LogPath);
        using var mallory = CheckpointKey.Create();
        await File.AppendAllTextAsync(j.LogPath, mallory.Sign(forged.Sequence, forged.Hash, DateTimeOffset.UtcNow, lines[^1]).ToLine() + "\n");
        var forgedCheckpoint = await CliRunner.RunAsync(j.Args("audit", "verify"));
        Assert.Equal(3, forgedCheckpoint.Exit);
        Assert.Contains($"checkpoint log line {lines.Length + 1} is signed by key", forgedCheckpoint.Err, StringComparison.Ordinal);
        var checkpoint = await CliRunner.RunAsync(j.Args("audit", "checkpoint"));
        Assert.Equal(3, checkpoint.Exit);
        Assert.Contains("sequence:  4", checkpoint.Out, StringComparison.Ordinal); // the last genuine one
    }

    [Fact]
    public async Task Commands_that_read_never_create_a_database()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "wrong", "..", "typo.db");
        var full = Path.GetFullPath(missing);
        string[][] reads =
        [
            ["audit", "verify"],
            ["users", "list"],
            ["tokens", "list"],
            ["incident", "list"],
            ["triage", "--incident", "INC-1"],
            ["bank", "products"],
            ["bank", "search"],
        ];
        foreach (var read in reads)
        {
            var run = await CliRunner.RunAsync([.. read, "--database", missing]);
            Assert.True(run.Exit == 1, $"{string.Join(' ', read)}: exit {run.Exit} {run.Out} {run.Err}");
            Assert.Contains($"database file not found: {full}", run.Err, StringComparison.Ordinal);
            Assert.Equal("", run.Out);
            Assert.False(File.Exists(full), string.Join(' ', read));
        }

        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_read_command_on_a_path_in_a_missing_folder_creates_no_folder()
    {
        // Issue 12 item 3: reading the settings used to create the parent folder (and probe it).
        using var dir = new TempDirectory();
        var folder = Path.Combine(dir.Path, "x", "nope");
        var database = Path.Combine(folder, "r.db");
        var run = await CliRunner.RunAsync("audit", "verify", "--database", database);
        Assert.Equal(1, run.Exit);
        Assert.Contains($"database file not found: {database}", run.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "x")));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Commands_that_read_do_not_migrate_an_older_database()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "r.db");
        Assert.Equal(0, (await CliRunner.RunAsync("users", "add", "seed", "--role", "admin", "--database", database)).Exit);
        await using (var c = new SqliteConnection($"Data Source={database}"))
        {
            await c.OpenAsync();
            await using var cmd = new SqliteCommand("DELETE FROM schema_migrations WHERE version = 10", c);
            await cmd.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var list = await CliRunner.RunAsync("users", "list", "--database", database);
        Assert.Equal(1, list.Exit);
        Assert.Contains("lacks migrations 0010; commands that only read do not migrate", list.Err, StringComparison.Ordinal);
        await using (var c = new SqliteConnection($"Data Source={database}"))
        {
            await c.OpenAsync();
            await using var cmd = new SqliteCommand("SELECT COUNT(*) FROM schema_migrations WHERE version = 10", c);
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        SqliteConnection.ClearAllPools();
    }
}
