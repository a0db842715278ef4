using Microsoft.Extensions.Diagnostics.HealthChecks;
using RadRegen.Storage;

namespace RadRegen.Web.Infrastructure;

/// <summary>Healthy when the database answers and is at the schema version this build expects.</summary>
public sealed class DatabaseHealthCheck(Migrator migrator, Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await migrator.CurrentVersionAsync(cancellationToken);
            var expected = Migrator.LatestVersion(database.Engine);
            return version == expected
                ? HealthCheckResult.Healthy($"{database.Engine} schema {version}")
                : HealthCheckResult.Unhealthy($"{database.Engine} schema {version}, expected {expected}");
        }
#pragma warning disable CA1031 // A health check reports every failure as unhealthy rather than throwing.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"{database.Engine} not reachable", ex);
        }
    }
}
