using System.Data.Common;
using Dapper;

namespace RadRegen.Storage;

/// <summary>
/// A connection and its open transaction: what every SQL store works through. All SQL is
/// parameterised; stores never build SQL from values.
/// </summary>
public sealed class SqlSession(DbConnection connection, DbTransaction transaction, Engine engine)
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public Engine Engine { get; } = engine;

    /// <summary>Whether a network event was enqueued in this transaction (the relay is told after the commit).</summary>
    internal bool OutboxWritten { get; set; }

    public Task<int> ExecuteAsync(string sql, object? args, CancellationToken ct) =>
        Connection.ExecuteAsync(new CommandDefinition(sql, args, Transaction, cancellationToken: ct));

    public Task<T?> ScalarAsync<T>(string sql, object? args, CancellationToken ct) =>
        Connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, args, Transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args, CancellationToken ct) =>
        [.. await Connection.QueryAsync<T>(new CommandDefinition(sql, args, Transaction, cancellationToken: ct))];

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? args, CancellationToken ct) =>
        Connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, args, Transaction, cancellationToken: ct));

    /// <summary>Runs an INSERT … RETURNING id (both engines support RETURNING) and gives the id.</summary>
    public async Task<long> InsertReturningIdAsync(string sql, object? args, CancellationToken ct) =>
        Convert.ToInt64(await Connection.ExecuteScalarAsync(new CommandDefinition(sql, args, Transaction, cancellationToken: ct)),
            System.Globalization.CultureInfo.InvariantCulture);
}
