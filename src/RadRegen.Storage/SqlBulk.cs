using System.Data;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace RadRegen.Storage;

/// <summary>A column of a bulk insert: its name and its type on each engine.</summary>
internal sealed record BulkColumn(string Name, DbType Type, NpgsqlDbType PostgresType);

/// <summary>
/// A text value already encoded as UTF-8 (a serialised payload): SQLite binds the bytes as they
/// are, without a string in between (ADR 0042), and so does PostgreSQL's COPY (ADR 0043), which
/// checks the bytes are valid UTF-8 as it does for any text.
/// </summary>
internal readonly record struct Utf8Text(ReadOnlyMemory<byte> Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span);
}

/// <summary>
/// Inserts many rows into one table within the session's transaction (ADR 0021): on SQLite prepared
/// multi-row <c>INSERT … VALUES (…), (…)</c> statements (one per <see cref="SqliteRowsPerStatement"/>
/// rows, re-executed with new values, bound by position); on PostgreSQL binary <c>COPY … FROM STDIN</c>. Table and
/// column names are constants of the calling store, never values; every value is a parameter or a
/// COPY field.
/// </summary>
internal static class SqlBulk
{
    /// <summary>Rows per SQLite statement: few statement executions, far below SQLite's 32,766 parameters.</summary>
    public const int SqliteRowsPerStatement = 64;

    /// <summary>Inserts <paramref name="count"/> rows; <paramref name="fill"/> writes row i's values, in column order, into the buffer.</summary>
    public static Task InsertAsync(SqlSession session, string table, IReadOnlyList<BulkColumn> columns, int count,
        Action<int, object?[]> fill, CancellationToken ct) =>
        session.Engine == Engine.Postgres
            ? CopyAsync(session, table, columns, count, fill, ct)
            : InsertSqliteAsync(session, table, columns, count, fill, ct);

    private static async Task CopyAsync(SqlSession session, string table, IReadOnlyList<BulkColumn> columns, int count,
        Action<int, object?[]> fill, CancellationToken ct)
    {
        if (count == 0)
        {
            return;
        }

        var connection = (NpgsqlConnection)session.Connection;
        var values = new object?[columns.Count];
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < count; i++)
        {
            fill(i, values);
            await importer.StartRowAsync(ct);
            for (var c = 0; c < values.Length; c++)
            {
                if (values[c] is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else if (values[c] is Utf8Text utf8)
                {
                    await importer.WriteAsync(utf8.Bytes, columns[c].PostgresType, ct);
                }
                else
                {
                    await importer.WriteAsync(values[c], columns[c].PostgresType, ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static Task InsertSqliteAsync(SqlSession session, string table, IReadOnlyList<BulkColumn> columns, int count,
        Action<int, object?[]> fill, CancellationToken ct)
    {
        // Straight through SQLite's C API on the session's own connection (so inside its transaction):
        // Microsoft.Data.Sqlite binds every parameter by name on every execution, which for a statement
        // of 64 rows × 15 columns costs more than the insert itself. Here each value is bound by position.
        var db = ((SqliteConnection)session.Connection).Handle!;
        // A bulk insert into indexed tables dirties index pages all over each index (the journal's
        // (record_type, record_id) index takes ids in text order). With SQLite's default 2 MB page
        // cache those pages are spilled to the WAL and dirtied again many times over: measured, a
        // 100,000-victim import held the write lock 30 times as long as a 10,000-victim one. A larger
        // cache for the duration of the insert keeps them in memory until the commit; the
        // connection's own setting is restored after.
        var cacheSize = Pragma(db, "PRAGMA cache_size");
        Check(db, raw.sqlite3_exec(db, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {BulkCacheKiB}")));
        try
        {
            InsertSqlite(db, table, columns, count, fill, ct);
        }
        finally
        {
            raw.sqlite3_exec(db, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {cacheSize}"));
        }

        return Task.CompletedTask;
    }

    /// <summary>The page cache during a bulk insert: 256 MiB (a negative cache_size is in KiB), allocated only as used.</summary>
    private const long BulkCacheKiB = -262_144;

    private static long Pragma(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        using (statement)
        {
            return raw.sqlite3_step(statement) == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : -2000;
        }
    }

    private static void InsertSqlite(sqlite3 db, string table, IReadOnlyList<BulkColumn> columns, int count, Action<int, object?[]> fill, CancellationToken ct)
    {
        var values = new object?[columns.Count];
        var full = Math.Min(count, SqliteRowsPerStatement);
        var done = 0;
        if (full > 0)
        {
            using var many = Prepare(db, table, columns, full);
            for (; count - done >= full; done += full)
            {
                ct.ThrowIfCancellationRequested();
                Step(db, many, columns.Count, full, done, values, fill);
            }
        }

        if (count > done)
        {
            using var rest = Prepare(db, table, columns, count - done);
            Step(db, rest, columns.Count, count - done, done, values, fill);
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string table, IReadOnlyList<BulkColumn> columns, int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns.Count)) + ")";
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "" : ", ").Append(row);
        }

        Check(db, raw.sqlite3_prepare_v2(db, sql.ToString(), out var statement));
        return statement;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement, int width, int rows, int first, object?[] values, Action<int, object?[]> fill)
    {
        for (var r = 0; r < rows; r++)
        {
            fill(first + r, values);
            for (var c = 0; c < width; c++)
            {
                var index = r * width + c + 1;
                Check(db, values[c] switch
                {
                    null => raw.sqlite3_bind_null(statement, index),
                    long l => raw.sqlite3_bind_int64(statement, index, l),
                    int i => raw.sqlite3_bind_int64(statement, index, i),
                    double d => raw.sqlite3_bind_double(statement, index, d),
                    string t => raw.sqlite3_bind_text(statement, index, t),
                    Utf8Text u => raw.sqlite3_bind_text(statement, index, u.Bytes.Span),
                    var other => throw new ArgumentException($"no SQLite binding for {other.GetType().Name}", nameof(values)),
                });
            }
        }

        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }
}
