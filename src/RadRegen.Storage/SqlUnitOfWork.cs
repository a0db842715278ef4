using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using RadRegen.Core;

namespace RadRegen.Storage;

/// <summary>Opens <see cref="SqlUnitOfWork"/>s on the configured database.</summary>
public sealed class SqlUnitOfWorkFactory(Database database, IClock clock, StoreRegistry stores) : IUnitOfWorkFactory
{
    public Database Database => database;

    public async Task<IUnitOfWork> BeginAsync(WorkMode mode, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken);
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

            return new SqlUnitOfWork(new SqlSession(connection, tx, database.Engine), clock, stores);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One database transaction with the journal and the stores bound to it.</summary>
public sealed class SqlUnitOfWork : IUnitOfWork
{
    private readonly SqlSession _session;
    private readonly StoreRegistry _registry;
    private readonly SqlJournal _journal;
    private readonly Dictionary<Type, object> _stores = [];
    private bool _completed;

    internal SqlUnitOfWork(SqlSession session, IClock clock, StoreRegistry registry)
    {
        _session = session;
        _registry = registry;
        _journal = new SqlJournal(session, clock);
    }

    public IJournal Journal => _journal;

    public SqlSession Session => _session;

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
        await _session.Transaction.CommitAsync(cancellationToken);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
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

        _completed = true;
        _journal.Dispose();
        await _session.Transaction.DisposeAsync();
        await _session.Connection.DisposeAsync();
    }
}
