using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Journal;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>The journal anchored by signed checkpoints outside the database (issue 12 item 2, ADR 0019).</summary>
public class JournalCheckpointTests : EngineTests
{
    private sealed class World(TestDatabase database, TempDirectory files, ServiceProvider services) : IAsyncDisposable
    {
        public TestDatabase Database => database;

        public ServiceProvider Services => services;

        public string LogPath => Path.Combine(files.Path, "checkpoints.jsonl");

        public JournalCheckpointLog Log => services.GetRequiredService<JournalCheckpointLog>();

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            await database.DisposeAsync();
            files.Dispose();
        }
    }

    /// <summary>A migrated database whose checkpoints go to a temporary folder (both engines).</summary>
    private static async Task<World> CreateAsync(string engine)
    {
        var database = await TestDatabases.CreateMigratedAsync(engine);
        var files = new TempDirectory();
        var settings = RadRegenSettings.ForDemo(database.Target) with
        {
            Journal = JournalSettings.Default(database.Target, Path.Combine(files.Path, "checkpoints.jsonl")),
        };
        return new World(database, files, new ServiceCollection().AddRadRegen(settings).BuildServiceProvider());
    }

    private static async Task AppendAsync(World w, int count)
    {
        var units = w.Services.GetRequiredService<IUnitOfWorkFactory>();
        for (var i = 1; i <= count; i++)
        {
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await uow.Journal.AppendAsync("tech1", new JournalRecord("lot", $"L{i}", "created", new { n = i }));
            await uow.CommitAsync();
            // The writer coalesces heads that arrive while it writes; waiting here gives one checkpoint per commit.
            await w.Log.FlushAsync();
        }

        Assert.Null(w.Log.LastError);
    }

    private static Task<JournalVerification> VerifyAsync(World w) => w.Services.GetRequiredService<AuditService>().VerifyAsync(Admin);

    private static async Task<List<JournalEntry>> EntriesAsync(World w)
    {
        await using var uow = await w.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        var all = new List<JournalEntry>();
        await foreach (var e in uow.Journal.ReadAllAsync())
        {
            all.Add(e);
        }

        return all;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Each_commit_that_journals_is_anchored_by_a_signed_checkpoint(string engine)
    {
        await using var w = await CreateAsync(engine);
        await AppendAsync(w, 3);
        var result = await VerifyAsync(w);
        Assert.True(result.IsIntact, result.Problem ?? result.Anchoring?.Problem);
        Assert.Equal(3, result.Anchoring!.AnchoredSequence);
        Assert.Equal(0, result.Anchoring.Unanchored);
        Assert.True(result.Anchoring.SignaturesChecked);
        var lines = await File.ReadAllLinesAsync(w.LogPath);
        Assert.Equal([1L, 2L, 3L], lines.Select(l => JournalCheckpoint.Parse(l).Sequence));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(w.Log.KeyPath));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_cut_tail_and_a_deleted_journal_contradict_the_last_checkpoint(string engine)
    {
        await using var w = await CreateAsync(engine);
        await AppendAsync(w, 5);
        await RawAsync(w.Services, DropJournalGuards(w.Database) + " DELETE FROM journal WHERE seq > 3");
        var cut = await VerifyAsync(w);
        Assert.False(cut.IsIntact);
        Assert.Null(cut.FirstBrokenSequence); // the chain alone still verifies: only the checkpoint shows the loss
        Assert.Contains("ends at entry 3 but the checkpoint", cut.Anchoring!.Problem, StringComparison.Ordinal);

        await RawAsync(w.Services, "DELETE FROM journal");
        var deleted = await VerifyAsync(w);
        Assert.False(deleted.IsIntact);
        Assert.Contains("the journal is empty but the checkpoint", deleted.Anchoring!.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task History_rewritten_with_the_chain_recomputed_contradicts_the_checkpoints(string engine)
    {
        await using var w = await CreateAsync(engine);
        await AppendAsync(w, 4);
        var entries = await EntriesAsync(w);
        var previous = entries[0].Hash;
        var sql = DropJournalGuards(w.Database);
        foreach (var e in entries.Skip(1))
        {
            var payload = e.Sequence == 2 ? "{\"n\":200}" : e.Payload;
            var hash = JournalChain.ComputeHash(previous, e.Sequence, e.Time, e.User, e.RecordType, e.RecordId, e.Action, e.Reason, payload);
            sql += $" UPDATE journal SET payload = '{payload}', previous_hash = '{previous}', hash = '{hash}' WHERE seq = {e.Sequence};";
            previous = hash;
        }

        await RawAsync(w.Services, sql);
        var result = await VerifyAsync(w);
        Assert.Null(result.FirstBrokenSequence);
        Assert.False(result.IsIntact);
        Assert.Contains("entry 2 is not the entry the checkpoint", result.Anchoring!.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_forged_entry_appended_after_the_last_checkpoint_is_reported_not_yet_anchored_and_a_forged_checkpoint_is_caught(string engine)
    {
        await using var w = await CreateAsync(engine);
        await AppendAsync(w, 2);
        var last = (await EntriesAsync(w))[^1];
        var forged = JournalChain.Next(last.Sequence, last.Hash, DateTimeOffset.UtcNow, "qa1", new JournalRecord("lot", "L9", "released", new { status = "released" }));
        await RawAsync(w.Services, "INSERT INTO journal (seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash) "
            + "VALUES (@Sequence, @Time, @User, @RecordType, @RecordId, @Action, @Reason, @Payload, @PreviousHash, @Hash)", forged);
        var result = await VerifyAsync(w);
        Assert.True(result.IsIntact);
        Assert.Equal(1, result.Anchoring!.Unanchored);
        Assert.Equal(2, result.Anchoring.AnchoredSequence);

        // The forger also appends a checkpoint for the forged entry, signed with a key of their own.
        var lines = await File.ReadAllLinesAsync(w.LogPath);
        using var mallory = CheckpointKey.Create();
        await File.AppendAllTextAsync(w.LogPath, mallory.Sign(forged.Sequence, forged.Hash, DateTimeOffset.UtcNow, lines[^1]).ToLine() + "\n");
        var withForgedCheckpoint = await VerifyAsync(w);
        Assert.False(withForgedCheckpoint.IsIntact);
        Assert.Contains("line 3 is signed by key", withForgedCheckpoint.Anchoring!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_checkpoint_line_fails_its_signature_and_a_removed_one_breaks_the_line_chain()
    {
        await using var w = await CreateAsync("sqlite");
        await AppendAsync(w, 3);
        var lines = await File.ReadAllLinesAsync(w.LogPath);
        await File.WriteAllLinesAsync(w.LogPath, [lines[0], lines[1], lines[2].Replace("\"sequence\":3", "\"sequence\":4", StringComparison.Ordinal)]);
        Assert.Contains("line 3: the signature does not verify", (await VerifyAsync(w)).Anchoring!.Problem, StringComparison.Ordinal);
        await File.WriteAllLinesAsync(w.LogPath, [lines[0], lines[2]]);
        Assert.Contains("line 2 does not follow line 1", (await VerifyAsync(w)).Anchoring!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_commits_leave_one_increasing_signed_chain_of_checkpoints_and_the_last_head_is_written_on_shutdown()
    {
        var database = await TestDatabases.CreateMigratedAsync("sqlite");
        using var files = new TempDirectory();
        var logPath = Path.Combine(files.Path, "cp.jsonl");
        var settings = RadRegenSettings.ForDemo(database.Target) with { Journal = JournalSettings.Default(database.Target, logPath) };
        await using (database)
        {
            await using (var services = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider())
            {
                var units = services.GetRequiredService<IUnitOfWorkFactory>();
                await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
                {
                    await using var uow = await units.BeginAsync(WorkMode.Write);
                    await uow.Journal.AppendAsync($"u{i}", new JournalRecord("vial", $"V{i}", "moved", new { i }));
                    await uow.CommitAsync();
                }));
            }

            var lines = await File.ReadAllLinesAsync(logPath);
            var sequences = lines.Select(l => JournalCheckpoint.Parse(l).Sequence).ToList();
            Assert.Equal(40, sequences[^1]);
            Assert.Equal(sequences.Order().Distinct(), sequences);
            await using var again = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider();
            var result = await again.GetRequiredService<AuditService>().VerifyAsync(Admin);
            Assert.True(result.IsIntact, result.Anchoring?.Problem);
            Assert.Equal(0, result.Anchoring!.Unanchored);
        }
    }

    [Fact]
    public async Task A_signing_key_that_cannot_be_read_stops_the_start_naming_the_setting()
    {
        await using var database = await TestDatabases.CreateMigratedAsync("sqlite");
        using var files = new TempDirectory();
        var key = Path.Combine(files.Path, "key.pem");
        await File.WriteAllTextAsync(key, "not a key");
        var settings = RadRegenSettings.ForDemo(database.Target) with
        {
            Journal = JournalSettings.Default(database.Target, Path.Combine(files.Path, "cp.jsonl"), key),
        };
        await using var services = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider();
        var refused = await Assert.ThrowsAsync<ConfigurationException>(() => RadRegenSetup.PrepareAsync(services, DemoData.None));
        Assert.Equal("Journal:SigningKey", refused.Setting);
        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_the_checkpoints_creates_neither_the_log_nor_the_key()
    {
        await using var w = await CreateAsync("sqlite");
        var result = await VerifyAsync(w);
        Assert.True(result.IsIntact);
        Assert.Equal(0, result.Anchoring!.Checkpoints);
        Assert.False(File.Exists(w.LogPath));
        Assert.False(File.Exists(w.Log.KeyPath));
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_the_application_role_may_insert_and_read_the_journal_but_not_change_delete_or_take_it()
    {
        var admin = TestDatabases.PostgresAdminConnectionString!;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var role = "rr_app_" + suffix;
        var name = "rr_test_owner_" + suffix;
        var password = Guid.NewGuid().ToString("N");
        await AdminAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD '{password}'"); // generated names, not input
        await AdminAsync(admin, $"CREATE DATABASE {name} OWNER {role}");
        try
        {
            // Migrated by a superuser (as a DBA would, or migration 0010 run again by a DBA afterwards).
            var asAdmin = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
            await new Migrator(new Database(DatabaseTarget.Parse(asAdmin))).MigrateAsync();
            Assert.Equal("radregen_journal_owner", await ScalarAsync(asAdmin, "SELECT tableowner FROM pg_tables WHERE tablename = 'journal'"));

            var asApp = new NpgsqlConnectionStringBuilder(admin) { Database = name, Username = role, Password = password, Pooling = false }.ConnectionString;
            var entry = JournalChain.Next(0, JournalChain.GenesisHash, DateTimeOffset.UtcNow, "tech1", new JournalRecord("lot", "L1", "created", null));
            await ExecuteAsync(asApp, $"INSERT INTO journal (seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash) "
                + $"VALUES (1, '{entry.Time}', 'tech1', 'lot', 'L1', 'created', NULL, '{entry.Payload}', '{entry.PreviousHash}', '{entry.Hash}')");
            Assert.Equal("1", await ScalarAsync(asApp, "SELECT COUNT(*)::text FROM journal"));
            foreach (var sql in new[]
            {
                "UPDATE journal SET payload = '{}'",
                "DELETE FROM journal",
                "TRUNCATE journal",
                "DROP TRIGGER journal_no_update ON journal",
                "ALTER TABLE journal DISABLE TRIGGER ALL",
                "CREATE OR REPLACE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
                "SET ROLE radregen_journal_owner",
                "DROP TABLE journal CASCADE",
            })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asApp, sql));
                Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege || refused.MessageText.Contains("cannot be dropped", StringComparison.Ordinal),
                    $"{sql}: {refused.SqlState} {refused.MessageText}");
            }

            Assert.Equal("1", await ScalarAsync(asApp, "SELECT COUNT(*)::text FROM journal"));
        }
        finally
        {
            await AdminAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await AdminAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_the_application_migrating_itself_leaves_a_warning_and_the_DBA_script_then_takes_the_journal_away_from_it()
    {
        var admin = TestDatabases.PostgresAdminConnectionString!;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var role = "rr_app_" + suffix;
        var name = "rr_test_script_" + suffix;
        var password = Guid.NewGuid().ToString("N");
        await AdminAsync(admin, $"CREATE ROLE {role} LOGIN PASSWORD '{password}'"); // generated names, not input
        await AdminAsync(admin, $"CREATE DATABASE {name} OWNER {role}");
        try
        {
            // The README's set-up: RadRegen's own (non-superuser) role owns the database and migrates it at start.
            var asApp = new NpgsqlConnectionStringBuilder(admin) { Database = name, Username = role, Password = password, Pooling = false }.ConnectionString;
            var target = DatabaseTarget.Parse(asApp);
            await new Migrator(new Database(target)).MigrateAsync();
            Assert.Equal(role, await ScalarAsync(asApp, "SELECT tableowner FROM pg_tables WHERE tablename = 'journal'"));

            // The DBA's one step, as a superuser: migration 0010's own file, as the README says.
            var asAdmin = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
            var script = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "RadRegen.Storage", "Migrations", "postgres", "0010_journal_owner.sql"));
            await ExecuteAsync(asAdmin, script);
            await ExecuteAsync(asAdmin, script); // safe to run again
            Assert.Equal("radregen_journal_owner", await ScalarAsync(asApp, "SELECT tableowner FROM pg_tables WHERE tablename = 'journal'"));

            // Migration 0035 (journal payloads in LZ4, ADR 0043) run by the application's role on a journal it no
            // longer owns: a warning, not a failure, and the compression stays; the DBA running the same file sets it.
            const string Compression = "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'journal'::regclass AND attname = 'payload'";
            var lz4 = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "RadRegen.Storage", "Migrations", "postgres", "0035_journal_payload_lz4.sql"));
            Assert.Equal("l", await ScalarAsync(asApp, Compression));
            await ExecuteAsync(asAdmin, "ALTER TABLE journal ALTER COLUMN payload SET COMPRESSION pglz");
            await ExecuteAsync(asApp, lz4);
            Assert.Equal("p", await ScalarAsync(asApp, Compression));
            await ExecuteAsync(asAdmin, lz4);
            Assert.Equal("l", await ScalarAsync(asApp, Compression));

            // RadRegen keeps working as its role (journaling included) and can no longer change the journal.
            await using (var services = new ServiceCollection().AddRadRegen(RadRegenSettings.ForDemo(target)).BuildServiceProvider())
            {
                await RadRegenSetup.PrepareAsync(services, DemoData.UsersOnly);
                var verify = await services.GetRequiredService<AuditService>().VerifyAsync(Admin);
                Assert.True(verify.IsIntact);
                Assert.True(verify.Verified > 0);
            }

            var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asApp, "UPDATE journal SET payload = '{}'"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
            var drop = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asApp, "DROP TABLE journal CASCADE"));
            Assert.Contains("cannot be dropped", drop.MessageText, StringComparison.Ordinal);
            var dropGuard = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asApp, "DROP FUNCTION radregen_guard.journal_no_drop() CASCADE"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, dropGuard.SqlState);
        }
        finally
        {
            await AdminAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await AdminAsync(admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RadRegen.slnx")) && !Directory.Exists(Path.Combine(dir.FullName, ".git")) && !File.Exists(Path.Combine(dir.FullName, ".git")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Noting_the_head_after_each_commit_does_not_slow_commits_measurably()
    {
        // 300 single-entry commits with and without the checkpoint writer; the writer works beside
        // the commits (it coalesces heads), so the commit path only notes the head.
        async Task<TimeSpan> RunAsync(bool anchored)
        {
            await using var database = await TestDatabases.CreateMigratedAsync("sqlite");
            using var files = new TempDirectory();
            var settings = RadRegenSettings.ForDemo(database.Target) with
            {
                Journal = anchored ? JournalSettings.Default(database.Target, Path.Combine(files.Path, "cp.jsonl")) : JournalSettings.None,
            };
            await using var services = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider();
            var units = services.GetRequiredService<IUnitOfWorkFactory>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 300; i++)
            {
                await using var uow = await units.BeginAsync(WorkMode.Write);
                await uow.Journal.AppendAsync("tech1", new JournalRecord("vial", $"V{i}", "moved", new { i }));
                await uow.CommitAsync();
            }

            return watch.Elapsed;
        }

        await RunAsync(false); // warm-up
        var plain = await RunAsync(false);
        var anchored = await RunAsync(true);
        Console.WriteLine($"300 commits: {plain.TotalMilliseconds:0} ms without checkpoints, {anchored.TotalMilliseconds:0} ms with");
        Assert.True(anchored < plain * 2 + TimeSpan.FromSeconds(1), $"{anchored} with checkpoints against {plain} without");
    }

    private static async Task AdminAsync(string connectionString, string sql) => await ExecuteAsync(connectionString, sql);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
