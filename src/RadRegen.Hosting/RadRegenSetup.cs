using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
public static partial class RadRegenSetup
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
        var migration = await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        if (services.GetService<ILoggerFactory>()?.CreateLogger(typeof(RadRegenSetup)) is { } log)
        {
            var database = services.GetRequiredService<DatabaseTarget>().Description;
            if (migration.Applied.Count > 0)
            {
                MigrationsApplied(log, database, migration.FromVersion, migration.ToVersion, migration.Applied.Count,
                    string.Join(", ", migration.Applied.Select(m => m.Version.ToString("0000", System.Globalization.CultureInfo.InvariantCulture) + "_" + m.Name)));
            }
            else
            {
                SchemaCurrent(log, database, migration.ToVersion);
            }

            if (services.GetService<RadRegen.Core.Journal.IJournalCheckpoints>() is RadRegen.Hosting.Journal.JournalCheckpointLog checkpoints)
            {
                JournalAnchored(log, checkpoints.LogPath, checkpoints.KeyPath);
            }
            else
            {
                JournalNotAnchored(log, database);
            }
        }

        if (services.GetService<RadRegen.Core.Journal.IJournalCheckpoints>() is RadRegen.Hosting.Journal.JournalCheckpointLog anchor)
        {
            // The key now, not at the first checkpoint: a key that cannot be created or read stops
            // the start with the setting named, instead of every checkpoint failing later.
            try
            {
                anchor.SigningKey();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
            {
                throw new Configuration.ConfigurationException("Journal:SigningKey", $"{anchor.KeyPath}: {ex.Message}");
            }
        }

        if (services.GetRequiredService<Configuration.RadRegenSettings>().Network is { KeyFile: { } keyFile })
        {
            // The network keys now, for the same reason: a key file that cannot be created or read stops the start, naming the setting.
            try
            {
                _ = services.GetRequiredService<RadRegen.Network.Privacy.CenterKeyring>().Keys;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new Configuration.ConfigurationException("Network:KeyFile", $"{keyFile}: {ex.Message}");
            }
        }

        // A victims import left staging by a process that stopped is deleted (ADR 0028): never visible, never journaled.
        await services.GetRequiredService<RadRegen.Care.MassCasualty.MassCasualtyService>().SweepAbandonedImportsAsync(ct);
        await services.GetRequiredService<BankService>().EnsureCatalogueAsync(Actor.LocalOperator("system"), ct);
        // The configured priority policy is version 1, or a new version when the configuration changed (ADR 0015).
        await services.GetRequiredService<RadRegen.Care.Allocation.PriorityPolicyService>().EnsureConfiguredAsync(ct);
        // Who this center is, in the outbox before any later event of it (docs/network.md): at the
        // first start and whenever the profile changes; relayed when the center joins a network.
        if (services.GetRequiredService<Configuration.CenterSettings>() is { FacilityCode: { } code } center)
        {
            await services.GetRequiredService<RadRegen.Network.Centers.CenterProfilePublisher>().EnsurePublishedAsync(
                new RadRegen.Network.Centers.CenterProfile(code, center.Name, center.TimeZone.Id, center.Capabilities), ct);
        }
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
            await TrainingDemoSeeder.SeedAsync(services, ct);
        }

        return report;
    }

    [LoggerMessage(LogLevel.Information, "Database {Database} migrated from schema version {FromVersion} to {ToVersion}: {Count} migrations applied ({Migrations})")]
    private static partial void MigrationsApplied(ILogger logger, string database, int fromVersion, int toVersion, int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Journal checkpoints are signed into {CheckpointLog} with the key {SigningKey}")]
    private static partial void JournalAnchored(ILogger logger, string checkpointLog, string signingKey);

    [LoggerMessage(LogLevel.Warning, "The journal of {Database} is not anchored outside the database: set Journal:CheckpointLog (docs/operations.md, \"Journal checkpoints\")")]
    private static partial void JournalNotAnchored(ILogger logger, string database);

    [LoggerMessage(LogLevel.Information, "Database {Database} is at schema version {Version}; no migration to apply")]
    private static partial void SchemaCurrent(ILogger logger, string database, int version);
}
