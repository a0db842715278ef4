using Microsoft.AspNetCore.Authorization;
using RadRegen.Core.Access;

namespace RadRegen.Web.Security;

/// <summary>
/// The permission table as ASP.NET Core authorization policies, one per operation and named as it
/// (<c>care.read</c>), so that a page is gated by the same row its service demands.
/// </summary>
public static class OperationPolicies
{
    public static AuthorizationBuilder AddOperationPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var permission in Permissions.All)
        {
            builder.AddPolicy(permission.Name, policy => policy.RequireAuthenticatedUser().RequireRole(permission.Roles.Select(r => r.Name())));
        }

        return builder;
    }
}

/// <summary>Opens a page (or endpoint) only to the roles the permission table allows for <see cref="Operation"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class AuthorizeOperationAttribute(Operation operation) : AuthorizeAttribute(operation.Name())
{
    public Operation Operation { get; } = operation;
}
