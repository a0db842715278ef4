using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using RadRegen.Core.Diagnostics;

namespace RadRegen.Hosting.Telemetry;

/// <summary>
/// The "service defaults" of every RadRegen server process, in one place: OpenTelemetry with
/// RadRegen's own traces and metrics (<see cref="RadRegenDiagnostics"/>: units of work, imports,
/// allocations, lock-outs) under the service name <see cref="ServiceName"/>, and, when an OTLP
/// endpoint is configured, traces, metrics and logs exported there. The web host adds its own part
/// (ASP.NET Core instrumentation and the Prometheus endpoint) on the builder returned.
/// </summary>
/// <remarks>The pattern is eShop's ServiceDefaults: one extension every host calls, so they all report alike.</remarks>
public static class RadRegenTelemetry
{
    /// <summary>The OpenTelemetry <c>service.name</c>.</summary>
    public const string ServiceName = "radregen";

    /// <summary>The standard OpenTelemetry variable naming the OTLP collector; unset, nothing leaves the process but what <c>/metrics</c> serves.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Registers OpenTelemetry with RadRegen's activity source and meter. With
    /// <paramref name="otlpEndpoint"/> (the value of <see cref="OtlpEndpointVariable"/>), traces,
    /// metrics and logs are also exported by OTLP, configured by the standard <c>OTEL_*</c> variables.
    /// </summary>
    public static IOpenTelemetryBuilder AddRadRegenTelemetry(this IServiceCollection services, string? otlpEndpoint = null)
    {
        var version = typeof(RadRegenTelemetry).Assembly.GetName().Version?.ToString();
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: version))
            .WithTracing(tracing => tracing.AddSource(RadRegenDiagnostics.Name))
            .WithMetrics(metrics => metrics.AddMeter(RadRegenDiagnostics.Name));
        if (!string.IsNullOrWhiteSpace(otlpEndpoint))
        {
            builder.WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
            builder.UseOtlpExporter();
        }

        return builder;
    }
}
