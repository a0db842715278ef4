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

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Engine == Engine.Sqlite
            ? new SqliteConnection(Target.ConnectionString)
            : new NpgsqlConnection(Target.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }
}
