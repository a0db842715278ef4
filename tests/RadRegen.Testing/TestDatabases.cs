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

    /// <summary>A fresh, empty database on <paramref name="engine"/>; removed on dispose.</summary>
    public static async Task<TestDatabase> CreateAsync(string engine)
    {
        if (engine == "sqlite")
        {
            var dir = new TempDirectory();
            return new TestDatabase(DatabaseTarget.Parse(Path.Combine(dir.Path, "radregen.db")), dir, null);
        }

        var admin = PostgresAdminConnectionString
            ?? throw new InvalidOperationException($"PostgreSQL tests need {PostgresVariable} (a connection string); .ci/run sets it.");
        var name = "rr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection); // name is generated, not input
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false };
        return new TestDatabase(DatabaseTarget.Parse(builder.ConnectionString), null, async () =>
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
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
