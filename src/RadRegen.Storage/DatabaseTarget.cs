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

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = full,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        };
        return new DatabaseTarget(Engine.Sqlite, builder.ConnectionString, $"SQLite {full}");
    }

    /// <summary>Read, written and searched by the service account only (0700): the folder RadRegen creates for its data.</summary>
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Read and written by the service account only (0600): the database file (SQLite gives its -wal and -shm the same mode).</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// For the commands that create or migrate the database (and only those: reading settings
    /// creates nothing): on SQLite, creates a missing data folder (0700 on Unix), proves it writable,
    /// refuses a read-only file and creates a missing database file empty with mode 0600 before
    /// SQLite opens it, so that the file and its -wal/-shm are never readable by other accounts.
    /// An existing file readable by others is narrowed to 0600. PostgreSQL: nothing to do.
    /// </summary>
    public void PrepareForWrite(string field = "database")
    {
        if (SqliteFile is not { } full)
        {
            return;
        }

        var directory = Path.GetDirectoryName(full)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    // Only the folder RadRegen creates is narrowed; an existing one is the operator's.
                    Directory.CreateDirectory(directory, PrivateFolderMode);
                }
            }

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

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (!File.Exists(full))
            {
                // An empty file is a new SQLite database; created here so that it is 0600 from its first byte.
                var options = new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite, UnixCreateMode = PrivateFileMode,
                };
                new FileStream(full, options).Dispose();
            }

            foreach (var file in new[] { full, full + "-wal", full + "-shm" })
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~PrivateFileMode) != 0)
                {
                    File.SetUnixFileMode(file, File.GetUnixFileMode(file) & PrivateFileMode);
                }
            }
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process created it first (its mode is set the same way).
        }
        catch (UnauthorizedAccessException)
        {
            // A file owned by another account: its owner sets its mode; SQLite reports whether it can write.
        }
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
