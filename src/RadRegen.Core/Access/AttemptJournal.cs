using Microsoft.Extensions.Logging;
using RadRegen.Core.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace RadRegen.Core.Access;

/// <summary>
/// Journals refused e-signature attempts in a unit of work of their own. A signature is made inside
/// the caller's unit of work (the signed change and its signature commit together), and a refusal
/// rolls that unit back — with any journal entry written in it. So the refusal is written after:
/// each entry waits for the write lock the caller holds (SQLite's, or the journal's row lock on
/// PostgreSQL) and is appended once the caller's transaction has ended. Entries are written one
/// after the other, in the order they came; <see cref="FlushAsync"/> (and disposal, at shutdown)
/// waits for all of them. A write that fails is logged at Error with the record, never lost silently.
/// </summary>
public sealed partial class AttemptJournal(IUnitOfWorkFactory units, ILogger<AttemptJournal>? logger = null) : IAsyncDisposable
{
    private readonly ILogger _log = logger ?? (ILogger)NullLogger.Instance;
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    /// <summary>Queues <paramref name="record"/> by <paramref name="user"/>; returns at once (the entry is written after the caller's transaction ends).</summary>
    public void Append(string user, JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _tail = _tail.ContinueWith(_ => WriteAsync(user, record), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Waits until every queued entry is written (or its failure logged).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }

    public async ValueTask DisposeAsync() => await FlushAsync().ConfigureAwait(false);

    private async Task WriteAsync(string user, JournalRecord record)
    {
        try
        {
            await using var uow = await units.BeginAsync(WorkMode.Write).ConfigureAwait(false);
            await uow.Journal.AppendAsync(user, record).ConfigureAwait(false);
            await uow.CommitAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed write is logged with its record; the caller's request has already been answered
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WriteFailed(_log, ex, user, record.RecordType, record.RecordId, record.Action);
        }
    }

    [LoggerMessage(LogLevel.Error, "Could not journal {Action} on {RecordType} {RecordId} by {User}")]
    private static partial void WriteFailed(ILogger logger, Exception exception, string user, string recordType, string recordId, string action);
}
