using Microsoft.Extensions.DependencyInjection;

namespace RadRegen.Web.Care;

/// <summary>The care area's web-side views (the domain services are registered by <c>AddRadRegen</c>).</summary>
public static class CareWebServices
{
    public static IServiceCollection AddCareWeb(this IServiceCollection services)
    {
        services.AddSingleton<IncidentView>();
        services.AddSingleton<CareAllocation>();
        return services;
    }
}
