using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RadRegen.Hosting.Telemetry;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// The web host's part of telemetry, on top of the service defaults (<see cref="RadRegenTelemetry"/>):
/// ASP.NET Core's request traces and metrics, and the Prometheus-format <c>/metrics</c> endpoint,
/// open to a scraper on this machine and otherwise to a signed-in principal only (<see cref="MetricsAccess"/>).
/// </summary>
public static class WebTelemetry
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The authorization policy of <see cref="MetricsPath"/>.</summary>
    public const string MetricsPolicy = "metrics";

    public static IServiceCollection AddRadRegenWebTelemetry(this IServiceCollection services, string? otlpEndpoint)
    {
        services.AddRadRegenTelemetry(otlpEndpoint)
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(o =>
                // A scrape every few seconds and the health probe would drown the requests people make.
                o.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase)
                    && !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, policy => policy.RequireAssertion(context =>
            context.Resource is HttpContext http ? MetricsAccess.IsAllowed(http) : MetricsAccess.IsAllowed(null, context.User)));
        return services;
    }

    /// <summary>Maps <see cref="MetricsPath"/> under <see cref="MetricsPolicy"/> (instead of the fallback's sign-in).</summary>
    public static IEndpointConventionBuilder MapRadRegenMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(MetricsPolicy);
}

/// <summary>
/// Who may read <c>/metrics</c>: a request from this machine (a local Prometheus, without
/// credentials), or any authenticated principal (a remote scraper with a bearer token). A request
/// that came through a proxy says so in <c>Forwarded</c>/<c>X-Forwarded-For</c>: it is not counted
/// as local even when the proxy itself connects from loopback.
/// </summary>
public static class MetricsAccess
{
    public static bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var forwarded = context.Request.Headers.ContainsKey("Forwarded") || context.Request.Headers.ContainsKey("X-Forwarded-For");
        return IsAllowed(forwarded ? null : context.Connection.RemoteIpAddress, context.User);
    }

    /// <summary>The rule itself: a loopback <paramref name="remote"/> address, or an authenticated <paramref name="user"/>.</summary>
    public static bool IsAllowed(IPAddress? remote, System.Security.Claims.ClaimsPrincipal? user) =>
        IsLoopback(remote) || user?.Identity?.IsAuthenticated == true;

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
