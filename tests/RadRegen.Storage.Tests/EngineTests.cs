using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>Base for tests that run once per engine, each on a <see cref="TestWorld"/> of its own.</summary>
public abstract class EngineTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    protected static readonly Actor Admin = TestWorld.System;

    /// <summary>Runs raw SQL in its own transaction, as someone with direct database access would.</summary>
    protected static async Task RawAsync(ServiceProvider services, string sql, object? args = null)
    {
        await using var uow = (SqlUnitOfWork)await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
        await uow.Session.ExecuteAsync(sql, args, CancellationToken.None);
        await uow.CommitAsync();
    }

    protected static string DropJournalGuards(TestDatabase db) => db.Target.Engine == Engine.Sqlite
        ? "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;"
        : "DROP TRIGGER journal_no_update ON journal;";
}

public class PostgresConfigurationTests
{
    [PostgresConfiguredFact]
    public async Task PostgreSQL_is_reachable_for_the_storage_tests()
    {
        await using var db = await TestDatabases.CreateAsync("postgres");
        Assert.Equal(Engine.Postgres, db.Target.Engine);
    }
}
