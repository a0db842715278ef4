using RadRegen.Core.Journal;

namespace RadRegen.Core;

/// <summary>Whether a unit of work will write.</summary>
public enum WorkMode
{
    Read,
    Write,
}

/// <summary>
/// Opens units of work: one database transaction each. Every change a service makes, and the
/// journal entries that record it, are written in one unit of work or not at all.
/// </summary>
public interface IUnitOfWorkFactory
{
    Task<IUnitOfWork> BeginAsync(WorkMode mode, CancellationToken cancellationToken = default);
}

/// <summary>One transaction: the journal and the stores of every module, committed together.</summary>
public interface IUnitOfWork : IAsyncDisposable
{
    IJournal Journal { get; }

    /// <summary>A module's store (a port the storage layer implements), bound to this transaction.</summary>
    TStore Store<TStore>() where TStore : class;

    /// <summary>Commits; disposing without committing rolls everything back.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>The append-only journal, within a unit of work.</summary>
public interface IJournal
{
    /// <summary>Appends an entry for <paramref name="record"/> by <paramref name="user"/>, chained to the last one.</summary>
    Task<JournalEntry> AppendAsync(string user, JournalRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends an entry for each record, in order, exactly as <see cref="AppendAsync"/> one by one
    /// would (bulk imports); an implementation may prepare the payloads in parallel and reuse one
    /// statement, but the entries, their order and their chain are the same.
    /// </summary>
    async Task<IReadOnlyList<JournalEntry>> AppendAllAsync(string user, IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var entries = new List<JournalEntry>(records.Count);
        foreach (var record in records)
        {
            entries.Add(await AppendAsync(user, record, cancellationToken));
        }

        return entries;
    }

    /// <summary>
    /// Appends an entry for each prepared record, in order, each chained to the one before as
    /// <see cref="AppendAsync"/> would (bulk imports, ADR 0021). The payloads were serialised
    /// before the unit of work began, so holding the journal costs only the hashing and the insert.
    /// </summary>
    async Task<IReadOnlyList<JournalEntry>> AppendPreparedAsync(IReadOnlyList<PreparedJournalRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var entries = new List<JournalEntry>(records.Count);
        foreach (var record in records)
        {
            entries.Add(await AppendAsync(record.User, record.ToRecord(), cancellationToken));
        }

        return entries;
    }

    /// <summary>
    /// Entries matching a filter, one page at a time, in <paramref name="order"/> (a key of <see cref="JournalLists.Entries"/>, parsed
    /// once by the caller as the donor, line and lot lists do; <see cref="JournalQuery.Sort"/> is not read again).
    /// </summary>
    Task<JournalPage> QueryAsync(JournalQuery query, SortOrder order, CancellationToken cancellationToken = default);

    /// <summary>Entries matching a filter, one page at a time, in the query's order (newest first by default; <see cref="JournalQuery.Sort"/>).</summary>
    Task<JournalPage> QueryAsync(JournalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync(query, JournalLists.Entries.Require(query.Sort), cancellationToken);
    }

    /// <summary>Every entry in sequence order, streamed (for verification and export).</summary>
    IAsyncEnumerable<JournalEntry> ReadAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>A journal filter. Null fields do not filter.</summary>
/// <param name="Sort">A key of <see cref="Journal.JournalLists.Entries"/> ("-" in front for descending); null for newest first.</param>
public sealed record JournalQuery(
    string? RecordType = null,
    string? RecordId = null,
    string? User = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Page = 1,
    int PageSize = 50,
    string? Sort = null);

public sealed record JournalPage(IReadOnlyList<JournalEntry> Entries, long Total, int Page, int PageSize);

/// <summary>The current time, so that tests can hold it still.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

/// <summary>The machine's clock.</summary>
public sealed class SystemClock : IClock
{
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
