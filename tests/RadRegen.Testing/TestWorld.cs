using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Storage;

namespace RadRegen.Testing;

/// <summary>
/// One test's world: a migrated database of its own on one engine, the application's services over
/// it (on a <see cref="TestClock"/> when given one, else on the system clock), and people per role.
/// The one place tests set up a database: <c>await using var w = await TestWorld.CreateAsync(engine);</c>
/// </summary>
public sealed class TestWorld : IAsyncDisposable
{
    /// <summary>The password of every user <see cref="UserAsync"/> creates unless told otherwise.</summary>
    public const string Password = "correct horse battery";

    /// <summary>The local operator: what the CLI acts as, and who the tests set up data as.</summary>
    public static readonly Actor System = Actor.LocalOperator("test");

    private readonly TestClock? _clock;

    private TestWorld(TestDatabase database, ServiceProvider services, TestClock? clock)
    {
        Database = database;
        Services = services;
        _clock = clock;
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    /// <summary>The test clock the services read; a world made without one runs on the system clock.</summary>
    public TestClock Clock => _clock ?? throw new InvalidOperationException("this world runs on the system clock; pass a TestClock to CreateAsync");

    public BankService Bank => Get<BankService>();

    public CareService Care => Get<CareService>();

    public AccessService Access => Get<AccessService>();

    public AuditService Audit => Get<AuditService>();

    public IUnitOfWorkFactory Units => Get<IUnitOfWorkFactory>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// A migrated database on <paramref name="engine"/> and the services over it; with
    /// <paramref name="migrateFromEmpty"/>, an empty database that the Migrator brings to the latest
    /// version (for tests of migrating), else a copy of a migrated template (faster).
    /// </summary>
    public static async Task<TestWorld> CreateAsync(string engine, TestClock? clock = null, bool migrateFromEmpty = false)
    {
        var database = migrateFromEmpty ? await TestDatabases.CreateAsync(engine) : await TestDatabases.CreateMigratedAsync(engine);
        try
        {
            var services = migrateFromEmpty ? await TestServices.CreateAsync(database, clock) : TestServices.Build(database, clock);
            return new TestWorld(database, services, clock);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a user with one role (display name = user name) and returns them as an actor.</summary>
    public async Task<Actor> UserAsync(string userName, Role role, string password = Password) =>
        (await Access.AddUserAsync(System, userName, userName, new HashSet<Role> { role }, password)).ToActor();

    /// <summary>Runs raw SQL in its own transaction, as someone with direct database access would.</summary>
    public async Task RawAsync(string sql, object? args = null)
    {
        await using var uow = (SqlUnitOfWork)await Units.BeginAsync(WorkMode.Write);
        await uow.Session.ExecuteAsync(sql, args, CancellationToken.None);
        await uow.CommitAsync();
    }

    /// <summary>How many entries the journal holds.</summary>
    public async Task<long> JournalCountAsync()
    {
        await using var uow = await Units.BeginAsync(WorkMode.Read);
        return (await uow.Journal.QueryAsync(new JournalQuery(PageSize: 1))).Total;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
