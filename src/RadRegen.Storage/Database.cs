using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RadRegen.Storage;

/// <summary>Opens connections to the configured database.</summary>
public sealed class Database
{
    public Database(DatabaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        if (target.Engine == Engine.Sqlite)
        {
            // The bundled e_sqlite3 native library; idempotent, required once per process.
            SQLitePCL.Batteries_V2.Init();
        }
    }

    public DatabaseTarget Target { get; }

    public Engine Engine => Target.Engine;

    /// <summary>
    /// The version of the SQLite library this build bundles, as the engine itself reports it
    /// (<c>sqlite_version()</c> on an in-memory database; nothing on disk is touched).
    /// </summary>
    public static string SqliteVersion()
    {
        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Engine == Engine.Sqlite
            ? new SqliteConnection(Target.ConnectionString)
            : new NpgsqlConnection(Target.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            if (connection is SqliteConnection sqlite)
            {
                // A writer that finds the write lock taken waits in SQLite's own busy handler, which
                // retries after 1, 2, 5, 10 … 100 ms, instead of Microsoft.Data.Sqlite's loop, which
                // sleeps 150 ms at every try: while a victims import wrote its chunks, reservations and
                // the import's own writer each lost up to 150 ms per collision (ADR 0042). The limit
                // is the connection's command timeout, as before.
                SQLitePCL.raw.sqlite3_busy_timeout(sqlite.Handle!, sqlite.DefaultTimeout * 1000);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }
}
