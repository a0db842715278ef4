using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RadRegen.Core.Access;

namespace RadRegen.Web.Security;

/// <summary>The operations an API endpoint performs, as endpoint metadata (the role matrix test reads it).</summary>
/// <param name="Operations">One of these must be allowed; the service then demands the exact one.</param>
public sealed record OperationMetadata(IReadOnlyList<Operation> Operations);

/// <summary>
/// Every changing API endpoint names its operation of the permission table (issue 12 item 9, ADR 0026).
/// The check runs before the handler, so a role the table refuses hears 403 — never a 400 about the
/// fields it sent or a 404 about a record it may not see. The domain service still demands the
/// operation itself: this is the first guard, not the only one.
/// </summary>
public static class OperationEndpoints
{
    public static TBuilder Demands<TBuilder>(this TBuilder builder, params Operation[] operations)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfZero(operations.Length);
        builder.WithMetadata(new OperationMetadata(operations));
        builder.AddEndpointFilter(async (context, next) =>
        {
            Permissions.RequireAny(context.HttpContext.Actor(), operations);
            return await next(context);
        });
        return builder;
    }
}
