using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Storage;

namespace RadRegen.Hosting;

/// <summary>Which demo data <see cref="RadRegenSetup.PrepareAsync(IServiceProvider, DemoData, CancellationToken)"/> seeds.</summary>
public enum DemoData
{
    None,

    /// <summary>One user per role (tests).</summary>
    UsersOnly,

    /// <summary>Users and every area's demo data (<c>serve --demo</c>).</summary>
    Full,
}

/// <summary>What every process does before it serves: migrate, seed the catalogue, and the demo data when asked.</summary>
public static class RadRegenSetup
{
    /// <summary>
    /// Migrates the database (refusing one from a newer RadRegen) and, with <paramref name="demo"/>,
    /// seeds the demo data. Returns the demo credentials, shown once.
    /// </summary>
    public static Task<DemoReport?> PrepareAsync(IServiceProvider services, bool demo, CancellationToken ct = default) =>
        PrepareAsync(services, demo ? DemoData.Full : DemoData.None, ct);

    /// <summary>Migrates, seeds the product catalogue and the chosen demo data (tests take the users alone).</summary>
    public static async Task<DemoReport?> PrepareAsync(IServiceProvider services, DemoData demo, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        await services.GetRequiredService<BankService>().EnsureCatalogueAsync(Actor.LocalOperator("system"), ct);
        if (demo == DemoData.None)
        {
            return null;
        }

        var report = await DemoSeeder.SeedAsync(services, ct);
        if (demo == DemoData.Full)
        {
            await BankDemoSeeder.SeedAsync(services, ct: ct);
            await LabDemoSeeder.SeedAsync(services, ct);
            await CareDemoSeeder.SeedAsync(services, ct: ct);
        }

        return report;
    }
}
