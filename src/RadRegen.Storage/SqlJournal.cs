using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using NpgsqlTypes;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Storage;

/// <summary>The journal table, within one transaction.</summary>
/// <remarks>
/// Once this transaction has appended an entry it holds the journal until it ends (SQLite: the write
/// lock taken by the insert; PostgreSQL: the advisory transaction lock), so no other writer can
/// append after it: the entry it wrote is the chain's head, and the next append chains to it without
/// reading the table again. The insert is one command re-executed with new values (SQLite keeps the
/// statement prepared). Bulk imports of 10,000 patients append 20,000 entries in one transaction.
/// </remarks>
internal sealed class SqlJournal(SqlSession session, IClock clock) : IJournal, IDisposable
{
    // Serialises appenders on PostgreSQL so that sequence and previous hash are taken from the true
    // last entry (SQLite's IMMEDIATE write transaction already serialises writers).
    private const long PostgresJournalLock = 7_271_002;

    private const string Columns =
        "seq AS Sequence, time AS Time, user_name AS UserName, record_type AS RecordType, record_id AS RecordId, "
        + "action AS Action, reason AS Reason, payload AS Payload, previous_hash AS PreviousHash, hash AS Hash";

    private (long Sequence, string Hash)? _head;
    private DbCommand? _insert;

    /// <summary>The last entry this transaction appended, or null when it appended none.</summary>
    public (long Sequence, string Hash)? Appended => _head;

    public async Task<JournalEntry> AppendAsync(string user, JournalRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (sequence, hash) = await HeadAsync(cancellationToken);
        var entry = JournalChain.Next(sequence, hash, clock.UtcNow, user, record);
        await InsertAsync(entry, cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<JournalEntry>> AppendAllAsync(string user, IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        // Canonical JSON of the payloads is most of the work and does not depend on the chain.
        var payloads = new string[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => payloads[i] = CanonicalJson.Serialize(records[i].Payload));
        var entries = new JournalEntry[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var (sequence, hash) = await HeadAsync(cancellationToken);
            entries[i] = JournalChain.Next(sequence, hash, clock.UtcNow, user, records[i], payloads[i]);
            await InsertAsync(entries[i], cancellationToken);
        }

        return entries;
    }

    public async Task<IReadOnlyList<JournalEntry>> AppendPreparedAsync(IReadOnlyList<PreparedJournalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        // Holding the journal (HeadAsync takes it on PostgreSQL; SQLite's writer holds it from BEGIN),
        // chain every entry in memory in order — one SHA-256 each over bytes prepared before the
        // transaction — then insert them in bulk (ADR 0021).
        var (sequence, hash) = await HeadAsync(cancellationToken);
        var entries = new JournalEntry[records.Count];
        using (var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            for (var i = 0; i < records.Count; i++)
            {
                entries[i] = records[i].Chain(sequence, hash, JournalTime.ToText(clock.UtcNow), sha256);
                (sequence, hash) = (entries[i].Sequence, entries[i].Hash);
            }
        }

        await SqlBulk.InsertAsync(session, "journal", BulkColumns, entries.Length, (i, v) =>
        {
            var e = entries[i];
            v[0] = e.Sequence;
            v[1] = e.Time;
            v[2] = e.User;
            v[3] = e.RecordType;
            v[4] = e.RecordId;
            v[5] = e.Action;
            v[6] = e.Reason;
            v[7] = e.Payload;
            v[8] = e.PreviousHash;
            v[9] = e.Hash;
        }, cancellationToken);
        _head = (sequence, hash);
        return entries;
    }

    private static readonly BulkColumn[] BulkColumns =
    [
        new("seq", DbType.Int64, NpgsqlDbType.Bigint), new("time", DbType.String, NpgsqlDbType.Text), new("user_name", DbType.String, NpgsqlDbType.Text),
        new("record_type", DbType.String, NpgsqlDbType.Text), new("record_id", DbType.String, NpgsqlDbType.Text), new("action", DbType.String, NpgsqlDbType.Text),
        new("reason", DbType.String, NpgsqlDbType.Text), new("payload", DbType.String, NpgsqlDbType.Text), new("previous_hash", DbType.String, NpgsqlDbType.Text),
        new("hash", DbType.String, NpgsqlDbType.Text),
    ];

    public void Dispose() => _insert?.Dispose();

    private async Task<(long Sequence, string Hash)> HeadAsync(CancellationToken cancellationToken)
    {
        if (_head is { } head)
        {
            return head;
        }

        if (session.Engine == Engine.Postgres)
        {
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = PostgresJournalLock }, cancellationToken);
        }

        var last = await session.SingleOrDefaultAsync<LastRow>(
            "SELECT seq AS Sequence, hash AS Hash FROM journal ORDER BY seq DESC LIMIT 1", null, cancellationToken);
        return (last?.Sequence ?? 0, last?.Hash ?? JournalChain.GenesisHash);
    }

    private async Task InsertAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        if (_insert is null)
        {
            _insert = session.Connection.CreateCommand();
            _insert.Transaction = session.Transaction;
            _insert.CommandText = "INSERT INTO journal (seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash) "
                + "VALUES (@Sequence, @Time, @User, @RecordType, @RecordId, @Action, @Reason, @Payload, @PreviousHash, @Hash)";
            foreach (var (name, type) in InsertParameters)
            {
                var p = _insert.CreateParameter();
                p.ParameterName = name;
                p.DbType = type;
                _insert.Parameters.Add(p);
            }
        }

        object?[] values = [entry.Sequence, entry.Time, entry.User, entry.RecordType, entry.RecordId, entry.Action, entry.Reason, entry.Payload, entry.PreviousHash, entry.Hash];
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        await _insert.ExecuteNonQueryAsync(cancellationToken);
        // Only now does this transaction hold the journal on every engine (see remarks).
        _head = (entry.Sequence, entry.Hash);
    }

    private static readonly (string Name, DbType Type)[] InsertParameters =
    [
        ("@Sequence", DbType.Int64), ("@Time", DbType.String), ("@User", DbType.String), ("@RecordType", DbType.String),
        ("@RecordId", DbType.String), ("@Action", DbType.String), ("@Reason", DbType.String), ("@Payload", DbType.String),
        ("@PreviousHash", DbType.String), ("@Hash", DbType.String),
    ];

    // Times are fixed-width UTC text (JournalTime): text order is time order on both engines.
    private static readonly SqlListing EntryListing = new(
        new Dictionary<string, string> { ["sequence"] = "seq", ["time"] = "time", ["user"] = "user_name", ["recordType"] = "record_type" },
        [], "seq");

    public async Task<JournalPage> QueryAsync(JournalQuery query, SortOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(order);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, 500);
        // The WHERE clause is assembled from constant fragments only; every value is a parameter.
        var where = new StringBuilder(" WHERE 1=1");
        if (!string.IsNullOrWhiteSpace(query.RecordType))
        {
            where.Append(" AND record_type = @RecordType");
        }

        if (!string.IsNullOrWhiteSpace(query.RecordId))
        {
            where.Append(" AND record_id = @RecordId");
        }

        if (!string.IsNullOrWhiteSpace(query.User))
        {
            where.Append(" AND user_name = @User");
        }

        if (query.From is not null)
        {
            where.Append(" AND time >= @From");
        }

        if (query.To is not null)
        {
            where.Append(" AND time < @To");
        }

        var args = new Dapper.DynamicParameters(new
        {
            RecordType = query.RecordType?.Trim(),
            RecordId = query.RecordId?.Trim(),
            User = query.User?.Trim(),
            From = query.From is { } f ? JournalTime.ToText(f) : null,
            To = query.To is { } t ? JournalTime.ToText(t) : null,
        });
        // 64-bit offset: (page − 1) × size in int wrapped negative for page=100000000, and SQLite read it as no offset.
        SqlListing.AddPaging(args, page, size);
        // The order is a key of JournalLists.Entries, parsed once by the caller (the service refused any other), mapped to a
        // column named here (ADR 0040); a key without a column is refused by EntryListing, never written into the SQL.
        var total = await session.ScalarAsync<long>("SELECT COUNT(*) FROM journal" + where, args, cancellationToken);
        var rows = await session.QueryAsync<Row>(
            $"SELECT {Columns} FROM journal{where}" + EntryListing.OrderAndPage(order), args, cancellationToken);
        return new JournalPage([.. rows.Select(r => r.ToEntry())], total, page, size);
    }

    public async IAsyncEnumerable<JournalEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Pages by sequence so a journal of millions of entries is never held in memory at once.
        // Stored order is the primary key order: exactly what verification must walk.
        const int Batch = 2000;
        long after = long.MinValue;
        while (true)
        {
            var rows = await session.QueryAsync<Row>(
                $"SELECT {Columns} FROM journal WHERE seq > @After ORDER BY seq LIMIT @Batch",
                new { After = after, Batch }, cancellationToken);
            foreach (var row in rows)
            {
                yield return row.ToEntry();
            }

            if (rows.Count < Batch)
            {
                yield break;
            }

            after = rows[^1].Sequence;
        }
    }

    private sealed class LastRow
    {
        public long Sequence { get; set; }

        public string Hash { get; set; } = "";
    }

    private sealed class Row
    {
        public long Sequence { get; set; }

        public string Time { get; set; } = "";

        public string UserName { get; set; } = "";

        public string RecordType { get; set; } = "";

        public string RecordId { get; set; } = "";

        public string Action { get; set; } = "";

        public string? Reason { get; set; }

        public string Payload { get; set; } = "";

        public string PreviousHash { get; set; } = "";

        public string Hash { get; set; } = "";

        public JournalEntry ToEntry() =>
            new(Sequence, Time, UserName, RecordType, RecordId, Action, Reason, Payload, PreviousHash, Hash);
    }
}
