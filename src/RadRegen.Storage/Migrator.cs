using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Storage;

/// <summary>One versioned SQL migration.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(int FromVersion, int ToVersion, IReadOnlyList<Migration> Applied);

/// <summary>
/// Applies the versioned SQL migrations embedded in this assembly (<c>Migrations/{engine}/NNNN_name.sql</c>),
/// each in its own transaction, and refuses a database that a newer RadRegen has migrated.
/// </summary>
public sealed class Migrator(Database database)
{
    // Any constant works; it only has to be the same for every RadRegen instance on one server.
    private const long PostgresMigrationLock = 7_271_001;

    public static IReadOnlyList<Migration> Known(Engine engine)
    {
        var folder = $"migrations/{(engine == Engine.Sqlite ? "sqlite" : "postgres")}/";
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)))
        {
            var file = name[folder.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..underscore], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, Path.GetFileNameWithoutExtension(file[(underscore + 1)..]), reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
        {
            // Numbers may leave a gap (a number reserved for work still on another branch), never repeat.
            if (list[i].Version == list[i - 1].Version)
            {
                throw new InvalidOperationException($"migrations for {engine} must have distinct numbers; {list[i].Version} is used twice");
            }
        }

        return list;
    }

    public static int LatestVersion(Engine engine) => Known(engine) is { Count: > 0 } known ? known[^1].Version : 0;

    /// <summary>The version the database is at (0 for a new one).</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await EnsureVersionTableAsync(connection, ct);
        return await ReadVersionAsync(connection, null, ct);
    }

    public async Task<MigrationReport> MigrateAsync(CancellationToken ct = default)
    {
        var known = Known(database.Engine);
        // Creating and migrating is the one path that may create the data folder and the file (private to the service account).
        database.Target.PrepareForWrite();
        await using var connection = await database.OpenAsync(ct);
        if (database.Engine == Engine.Sqlite)
        {
            // Write-ahead logging: readers never wait for the writer. Persistent in the file.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: ct));
        }

        await EnsureVersionTableAsync(connection, ct);
        var from = -1;
        var applied = new List<Migration>();
        foreach (var migration in known)
        {
            await using var tx = await BeginAsync(connection, ct);
            var current = await ReadVersionAsync(connection, tx, ct);
            if (from < 0)
            {
                from = current;
                RefuseNewer(current, known[^1].Version);
            }

            // Applied by number, not by "up to the highest": a migration whose number was reserved
            // and merged after a later one is still applied.
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, tx, cancellationToken: ct)) > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = JournalTime.ToText(DateTimeOffset.UtcNow) }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            applied.Add(migration);
        }

        var latest = known.Count > 0 ? known[^1].Version : 0;
        if (from < 0)
        {
            from = await ReadVersionAsync(connection, null, ct);
            RefuseNewer(from, latest);
        }

        return new MigrationReport(from, Math.Max(from, latest), applied);
    }

    /// <summary>
    /// For commands that only read: checks that the database is a RadRegen database with every known
    /// migration applied, creating and changing nothing (not even the version table). A database
    /// that lacks a migration is refused rather than migrated: reading never writes.
    /// </summary>
    public async Task RequireCurrentAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(database.Engine == Engine.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()",
            cancellationToken: ct));
        if (exists == 0)
        {
            throw new DomainValidationException("database",
                $"{database.Target.Description} is not a RadRegen database (it has no schema_migrations table); commands that only read never create or migrate one");
        }

        var applied = (await connection.QueryAsync<long>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: ct)))
            .Select(v => (int)v).ToHashSet();
        var known = Known(database.Engine);
        var current = applied.Count > 0 ? applied.Max() : 0;
        RefuseNewer(current, known.Count > 0 ? known[^1].Version : 0);
        var pending = known.Where(m => !applied.Contains(m.Version)).Select(m => m.Version.ToString("0000", CultureInfo.InvariantCulture)).ToList();
        if (pending.Count > 0)
        {
            throw new DomainValidationException("database",
                $"{database.Target.Description} lacks migrations {string.Join(", ", pending)}; commands that only read do not migrate: "
                + "start 'radregen serve' or run a command that writes to migrate it first");
        }
    }

    private void RefuseNewer(int current, int latest)
    {
        if (current > latest)
        {
            throw new DomainValidationException("database",
                $"{database.Target.Description} is at schema version {current}, newer than this RadRegen understands "
                + $"(up to {latest}). It was migrated by a newer RadRegen: upgrade RadRegen, or point --database elsewhere. Nothing was changed.");
        }
    }

    private async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        if (database.Engine == Engine.Postgres)
        {
            // Two instances starting together must not both apply a migration.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@Key)",
                new { Key = PostgresMigrationLock }, tx, cancellationToken: ct));
        }

        return tx;
    }

    private static Task EnsureVersionTableAsync(DbConnection connection, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken: ct));

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct) =>
        (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction: tx, cancellationToken: ct));
}
