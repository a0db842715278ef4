using Npgsql;
using RadRegen.Core;

namespace RadRegen.Storage;

/// <summary>The two engines RadRegen stores on.</summary>
public enum Engine
{
    /// <summary>Embedded, one file: the default for a single workstation and for trying RadRegen.</summary>
    Sqlite,

    /// <summary>The system of record for a center.</summary>
    Postgres,
}

/// <summary>Which database to use: a SQLite file or a PostgreSQL connection string.</summary>
public sealed record DatabaseTarget(Engine Engine, string ConnectionString, string Description)
{
    /// <summary>The default SQLite file, relative to the working directory.</summary>
    public const string DefaultSqlitePath = "data/radregen.db";

    /// <summary>
    /// Reads the <c>--database</c> value: empty for the default file, a connection string
    /// (<c>Host=...;Database=...</c>) for PostgreSQL, anything else a SQLite file path. Errors name
    /// the field and never echo a password.
    /// </summary>
    public static DatabaseTarget Parse(string? value, string field = "database")
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return Sqlite(DefaultSqlitePath, field);
        }

        if (LooksLikeConnectionString(value))
        {
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(value);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new DomainValidationException(field, $"not a valid PostgreSQL connection string: {ex.Message}");
            }

            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new DomainValidationException(field, "the PostgreSQL connection string names no Host");
            }

            return new DatabaseTarget(Engine.Postgres, builder.ConnectionString,
                $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
        }

        return Sqlite(value, field);
    }

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains('=', StringComparison.Ordinal) && (value.Contains(';', StringComparison.Ordinal)
            || value.StartsWith("Host", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("Server", StringComparison.OrdinalIgnoreCase));

    private static DatabaseTarget Sqlite(string path, string field)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new DomainValidationException(field, $"'{path}' is not a usable file path: {ex.Message}");
        }

        if (Directory.Exists(full))
        {
            throw new DomainValidationException(field, $"'{full}' is a directory; give the path of a database file");
        }

        var directory = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(directory);
            // Prove the directory is writable before anything else is attempted (SQLite also writes
            // its -wal and -shm files beside the database).
            var probe = Path.Combine(directory, $".radregen-write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DomainValidationException(field, $"cannot write to the data directory '{directory}': {ex.Message}");
        }

        if (File.Exists(full) && (File.GetAttributes(full) & FileAttributes.ReadOnly) != 0)
        {
            throw new DomainValidationException(field, $"the database file '{full}' is read-only");
        }

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = full,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        };
        return new DatabaseTarget(Engine.Sqlite, builder.ConnectionString, $"SQLite {full}");
    }

    /// <summary>The SQLite database file's full path; null on PostgreSQL.</summary>
    public string? SqliteFile => Engine == Engine.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource
        : null;

    /// <summary>
    /// The same database for a command that only reads: on SQLite, a missing file is an error
    /// ("database file not found: PATH") and the connection opens in <c>Mode=ReadWrite</c>, so that
    /// SQLite itself never creates the file either. PostgreSQL never creates a database on connect.
    /// </summary>
    public DatabaseTarget Existing(string field = "database")
    {
        if (SqliteFile is not { } file)
        {
            return this;
        }

        if (!File.Exists(file))
        {
            throw new DomainValidationException(field, $"database file not found: {file}");
        }

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString)
        {
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWrite,
        };
        return this with { ConnectionString = builder.ConnectionString };
    }

    public override string ToString() => Description;
}
