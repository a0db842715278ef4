using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using RadRegen.Core;
using RadRegen.Core.Diagnostics;

namespace RadRegen.Storage;

/// <summary>
/// Told the journal's new head after each committed unit of work that appended to it, so that the
/// head can be anchored outside the database (ADR 0019). Called on the committing thread right
/// after the commit: it must only note the head and return.
/// </summary>
public interface IJournalHeadObserver
{
    void Committed(long sequence, string hash);
}

/// <summary>
/// Told after each committed unit of work that enqueued a network event (the network's relay wakes
/// instead of waiting for its next look; ADR 0022). Called on the committing thread: it must only signal.
/// </summary>
public interface IOutboxCommitObserver
{
    void Committed();
}

/// <summary>Opens <see cref="SqlUnitOfWork"/>s on the configured database.</summary>
public sealed class SqlUnitOfWorkFactory(Database database, IClock clock, StoreRegistry stores, IJournalHeadObserver? journalHead = null,
    IOutboxCommitObserver? outboxCommitted = null)
    : IUnitOfWorkFactory
{
    public Database Database => database;

    /// <summary>
    /// Opens a connection and begins its transaction. Every unit of work starts here, so this is
    /// where database telemetry is taken: a <c>BEGIN</c> span (connection opening included), then
    /// at the end a <c>COMMIT</c> or <c>ROLLBACK</c> span, the unit's duration and the outcome
    /// count (<see cref="RadRegenDiagnostics"/>).
    /// </summary>
    public async Task<IUnitOfWork> BeginAsync(WorkMode mode, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var telemetry = new UnitOfWorkTelemetry(database.Engine, mode);
        using var activity = telemetry.Start("BEGIN");
        DbConnection connection;
        try
        {
            connection = await database.OpenAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            RadRegenDiagnostics.Failed(activity, ex);
            throw;
        }

        try
        {
            DbTransaction tx = connection is SqliteConnection sqlite
                // Writers take SQLite's write lock at BEGIN (IMMEDIATE), so two writers queue
                // rather than fail at commit; readers start deferred and never block.
                ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: mode == WorkMode.Read)
                : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            if (mode == WorkMode.Read && database.Engine == Engine.Postgres)
            {
                await connection.ExecuteAsync(new CommandDefinition("SET TRANSACTION READ ONLY", transaction: tx,
                    cancellationToken: cancellationToken));
            }

            return new SqlUnitOfWork(new SqlSession(connection, tx, database.Engine), clock, stores, telemetry, started, journalHead)
            {
                OutboxCommitted = outboxCommitted,
            };
        }
        catch (Exception ex)
        {
            RadRegenDiagnostics.Failed(activity, ex);
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>The spans and measurements of one unit of work, tagged with its engine and mode.</summary>
internal sealed class UnitOfWorkTelemetry(Engine engine, WorkMode mode)
{
    // The semantic conventions' db.system.name values.
    private readonly string _system = engine == Engine.Sqlite ? "sqlite" : "postgresql";
    private readonly string _mode = mode == WorkMode.Read ? "read" : "write";

    public Activity? Start(string operation)
    {
        var activity = RadRegenDiagnostics.Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag(RadRegenDiagnostics.Tags.DbSystem, _system);
        activity?.SetTag(RadRegenDiagnostics.Tags.DbOperation, operation);
        activity?.SetTag(RadRegenDiagnostics.Tags.WorkMode, _mode);
        return activity;
    }

    /// <summary>Records the end of the unit begun at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Ended(long started, bool committed)
    {
        var tags = new TagList
        {
            { RadRegenDiagnostics.Tags.DbSystem, _system },
            { RadRegenDiagnostics.Tags.WorkMode, _mode },
            { RadRegenDiagnostics.Tags.Outcome, committed ? "commit" : "rollback" },
        };
        RadRegenDiagnostics.Transactions.Add(1, tags);
        RadRegenDiagnostics.UnitOfWorkDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}

/// <summary>One database transaction with the journal and the stores bound to it.</summary>
public sealed class SqlUnitOfWork : IUnitOfWork
{
    private readonly SqlSession _session;
    private readonly StoreRegistry _registry;
    private readonly SqlJournal _journal;
    private readonly Dictionary<Type, object> _stores = [];
    private readonly UnitOfWorkTelemetry _telemetry;
    private readonly long _started;
    private readonly IJournalHeadObserver? _journalHead;
    private bool _completed;

    internal SqlUnitOfWork(SqlSession session, IClock clock, StoreRegistry registry, UnitOfWorkTelemetry telemetry, long started,
        IJournalHeadObserver? journalHead = null)
    {
        _journalHead = journalHead;
        _session = session;
        _registry = registry;
        _journal = new SqlJournal(session, clock);
        _telemetry = telemetry;
        _started = started;
    }

    public IJournal Journal => _journal;

    public SqlSession Session => _session;

    internal IOutboxCommitObserver? OutboxCommitted { get; init; }

    public TStore Store<TStore>() where TStore : class
    {
        if (!_stores.TryGetValue(typeof(TStore), out var store))
        {
            store = _registry.Create(typeof(TStore), _session);
            _stores[typeof(TStore)] = store;
        }

        return (TStore)store;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        using (var activity = _telemetry.Start("COMMIT"))
        {
            try
            {
                await _session.Transaction.CommitAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                RadRegenDiagnostics.Failed(activity, ex);
                throw;
            }
        }

        _completed = true;
        _telemetry.Ended(_started, committed: true);
        if (_journal.Appended is { } head)
        {
            _journalHead?.Committed(head.Sequence, head.Hash);
        }

        if (_session.OutboxWritten)
        {
            OutboxCommitted?.Committed();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            using (_telemetry.Start("ROLLBACK"))
            {
                try
                {
                    await _session.Transaction.RollbackAsync();
                }
                catch (InvalidOperationException)
                {
                    // Already rolled back by the engine after an error.
                }
                catch (DbException)
                {
                    // The connection broke; the server rolls back on its side.
                }
            }

            _telemetry.Ended(_started, committed: false);
        }

        _completed = true;
        _journal.Dispose();
        await _session.Transaction.DisposeAsync();
        await _session.Connection.DisposeAsync();
    }
}
