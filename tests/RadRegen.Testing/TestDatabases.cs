using Npgsql;
using RadRegen.Storage;

namespace RadRegen.Testing;

/// <summary>
/// Databases for tests. SQLite always; PostgreSQL when <c>RADREGEN_TEST_POSTGRES</c> holds a
/// connection string to a server where the user may create databases (<c>.ci/run</c> starts one
/// and sets it). Outside CI the PostgreSQL cases are left out and one visible skipped test says
/// so; under CI (<c>CI=true</c>) a missing server fails that test.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "RADREGEN_TEST_POSTGRES";

    public static string? PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static bool InCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The engines to run storage tests on: SQLite, and PostgreSQL when configured.</summary>
    public static TheoryData<string> Engines
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (PostgresAdminConnectionString is not null || InCi)
            {
                data.Add("postgres");
            }

            return data;
        }
    }

    // Migrating a new database costs far more than copying a migrated one, so each test process
    // migrates one template per engine, once, and copies it for every test that wants a migrated
    // database (SQLite: a file copy; PostgreSQL: CREATE DATABASE ... TEMPLATE). The template is made
    // by the same Migrator, so the copy is what migrating would have produced; tests about migrating
    // itself use CreateAsync (empty). Process-wide by design: the SQLite template is removed when the
    // test process exits; the PostgreSQL one is kept for the next run (see CreatePostgresTemplateAsync).
    private static readonly Lazy<Task<string>> SqliteTemplate = new(CreateSqliteTemplateAsync);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(CreatePostgresTemplateAsync);

    /// <summary>A fresh, empty database on <paramref name="engine"/>; removed on dispose.</summary>
    public static Task<TestDatabase> CreateAsync(string engine) => CreateAsync(engine, migrated: false);

    /// <summary>A fresh database on <paramref name="engine"/> at the latest schema version (a copy of a migrated template); removed on dispose.</summary>
    public static Task<TestDatabase> CreateMigratedAsync(string engine) => CreateAsync(engine, migrated: true);

    private static async Task<TestDatabase> CreateAsync(string engine, bool migrated)
    {
        if (engine == "sqlite")
        {
            var dir = new TempDirectory();
            var file = Path.Combine(dir.Path, "radregen.db");
            if (migrated)
            {
                File.Copy(await SqliteTemplate.Value, file);
            }

            return new TestDatabase(DatabaseTarget.Parse(file), dir, null);
        }

        var admin = PostgresAdmin;
        var name = "rr_test_" + Guid.NewGuid().ToString("N")[..16];
        var template = migrated ? " TEMPLATE " + await PostgresTemplate.Value : "";
        await AdminCommandAsync(admin, $"CREATE DATABASE {name}{template}"); // names are generated, not input

        // Pooled, as the product runs: without a pool every unit of work paid a new backend and a
        // SCRAM handshake (the demo seeding alone took 18 s on PostgreSQL against 4 s on SQLite).
        // The drop clears this database's pool first, and WITH (FORCE) ends any session still open.
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 20 };
        var connectionString = builder.ConnectionString;
        return new TestDatabase(DatabaseTarget.Parse(connectionString), null, async () =>
        {
            await using (var pooled = new NpgsqlConnection(connectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }

            await AdminCommandAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static string PostgresAdmin => PostgresAdminConnectionString
        ?? throw new InvalidOperationException($"PostgreSQL tests need {PostgresVariable} (a connection string); .ci/run sets it.");

    private static async Task AdminCommandAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> CreateSqliteTemplateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "radregen-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // left for the OS to clean up
            }
        };
        var file = Path.Combine(dir, "radregen.db");
        var target = DatabaseTarget.Parse(file);
        var database = new Database(target);
        await new Migrator(database).MigrateAsync();
        await using (var connection = await database.OpenAsync())
        {
            // Everything into the main file, so that copying that file alone copies the database.
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return file;
    }

    private static async Task<string> CreatePostgresTemplateAsync()
    {
        // One template per schema (named by a hash of the migrations), shared by every test process
        // on the server and kept: test assemblies run in parallel, so none of them may drop it, and
        // the next run reuses it. A template is built under another name and renamed when complete,
        // so a run killed half-way never leaves a half-migrated template behind that name.
        var admin = PostgresAdmin;
        var sql = string.Concat(Migrator.Known(Engine.Postgres).Select(m => $"{m.Version}:{m.Name}:{m.Sql}\n"));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql)))[..16];
        var name = "rr_template_" + hash;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(7271002)", connection))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        try
        {
            await using (var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection))
            {
                exists.Parameters.AddWithValue("name", name);
                if ((long)(await exists.ExecuteScalarAsync())! > 0)
                {
                    return name;
                }
            }

            var building = name + "_building";
            await AdminCommandAsync(admin, $"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
            await AdminCommandAsync(admin, $"CREATE DATABASE {building}");
            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = building, Pooling = false };
            await new Migrator(new Database(DatabaseTarget.Parse(builder.ConnectionString))).MigrateAsync();
            await AdminCommandAsync(admin, $"ALTER DATABASE {building} RENAME TO {name}");
            return name;
        }
        finally
        {
            // Explicitly: a pooled connection keeps its session (and a session lock) when closed.
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(7271002)", connection);
            await unlock.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A database made for one test.</summary>
public sealed class TestDatabase(DatabaseTarget target, TempDirectory? directory, Func<Task>? drop) : IAsyncDisposable
{
    public DatabaseTarget Target { get; } = target;

    /// <summary>The folder a SQLite test database lives in (null on PostgreSQL).</summary>
    public string? Directory => directory?.Path;

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (drop is not null)
        {
            await drop();
        }

        directory?.Dispose();
    }
}

/// <summary>One test that says, visibly, whether the PostgreSQL half of the storage tests ran.</summary>
public sealed class PostgresConfiguredFactAttribute : FactAttribute
{
    public PostgresConfiguredFactAttribute()
    {
        if (TestDatabases.PostgresAdminConnectionString is null && !TestDatabases.InCi)
        {
            Skip = $"PostgreSQL storage tests were NOT run: set {TestDatabases.PostgresVariable} to a connection string (bash .ci/run does).";
        }
    }
}
