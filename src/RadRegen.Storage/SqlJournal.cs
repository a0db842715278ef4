using System.Runtime.CompilerServices;
using System.Text;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Storage;

/// <summary>The journal table, within one transaction.</summary>
internal sealed class SqlJournal(SqlSession session, IClock clock) : IJournal
{
    // Serialises appenders on PostgreSQL so that sequence and previous hash are taken from the true
    // last entry (SQLite's IMMEDIATE write transaction already serialises writers).
    private const long PostgresJournalLock = 7_271_002;

    private const string Columns =
        "seq AS Sequence, time AS Time, user_name AS UserName, record_type AS RecordType, record_id AS RecordId, "
        + "action AS Action, reason AS Reason, payload AS Payload, previous_hash AS PreviousHash, hash AS Hash";

    public async Task<JournalEntry> AppendAsync(string user, JournalRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (session.Engine == Engine.Postgres)
        {
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = PostgresJournalLock }, cancellationToken);
        }

        var last = await session.SingleOrDefaultAsync<LastRow>(
            "SELECT seq AS Sequence, hash AS Hash FROM journal ORDER BY seq DESC LIMIT 1", null, cancellationToken);
        var entry = JournalChain.Next(last?.Sequence ?? 0, last?.Hash ?? JournalChain.GenesisHash, clock.UtcNow, user, record);
        await session.ExecuteAsync(
            "INSERT INTO journal (seq, time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash) "
            + "VALUES (@Sequence, @Time, @User, @RecordType, @RecordId, @Action, @Reason, @Payload, @PreviousHash, @Hash)",
            entry, cancellationToken);
        return entry;
    }

    public async Task<JournalPage> QueryAsync(JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
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

        var args = new
        {
            RecordType = query.RecordType?.Trim(),
            RecordId = query.RecordId?.Trim(),
            User = query.User?.Trim(),
            From = query.From is { } f ? JournalTime.ToText(f) : null,
            To = query.To is { } t ? JournalTime.ToText(t) : null,
            Take = size,
            Skip = (page - 1) * size,
        };
        var total = await session.ScalarAsync<long>("SELECT COUNT(*) FROM journal" + where, args, cancellationToken);
        var rows = await session.QueryAsync<Row>(
            $"SELECT {Columns} FROM journal{where} ORDER BY seq DESC LIMIT @Take OFFSET @Skip", args, cancellationToken);
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
