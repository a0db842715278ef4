using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Storage;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Testing;

/// <summary>A clock a test can set and move.</summary>
public sealed class TestClock(DateTimeOffset start) : IClock
{
    public DateTimeOffset UtcNow { get; set; } = start;

    public void Advance(TimeSpan by) => UtcNow += by;
}

/// <summary>The application's services over a test database, migrated, optionally on a test clock (with <see cref="TestPasswordHashing"/>).</summary>
public static class TestServices
{
    public static async Task<ServiceProvider> CreateAsync(TestDatabase database, IClock? clock = null)
    {
        var provider = Build(database, clock);
        await provider.GetRequiredService<Migrator>().MigrateAsync();
        return provider;
    }

    /// <summary>The services over <paramref name="database"/> as it is (not migrated).</summary>
    public static ServiceProvider Build(TestDatabase database, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var services = new ServiceCollection().AddRadRegen(RadRegenSettings.ForDemo(database.Target)).AddTestPasswordHashing();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        return services.BuildServiceProvider();
    }
}
