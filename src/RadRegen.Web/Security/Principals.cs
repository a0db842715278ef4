using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using RadRegen.Core.Access;

namespace RadRegen.Web.Security;

/// <summary>Between the domain's <see cref="Core.Access.Actor"/> and ASP.NET Core's claims principal.</summary>
public static class Principals
{
    public const string CookieScheme = "Cookies";
    public const string BearerScheme = "Bearer";
    public const string SmartScheme = "RadRegen";

    public static ClaimsPrincipal ToPrincipal(Actor actor, string scheme, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, actor.UserId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, actor.UserName),
            new(ClaimTypes.GivenName, displayName ?? actor.UserName),
        };
        claims.AddRange(actor.Roles.Select(r => new Claim(ClaimTypes.Role, r.Name())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The signed-in actor; throws when the request is anonymous (the fallback policy prevents that).</summary>
    public static Actor Actor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            throw new UnauthorizedAccessException("not signed in");
        }

        var id = long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture);
        var roles = new HashSet<Role>();
        foreach (var claim in principal.FindAll(ClaimTypes.Role))
        {
            if (RoleNames.TryParse(claim.Value, out var role))
            {
                roles.Add(role);
            }
        }

        return new Actor(id, principal.Identity.Name!, roles);
    }

    public static Actor Actor(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Actor();
    }

    /// <summary>
    /// Whether the signed-in person may do <paramref name="operation"/> (the permission table in
    /// <see cref="Permissions"/>): pages and menus ask this, the services demand the same row.
    /// </summary>
    public static bool May(this ClaimsPrincipal principal, Operation operation) =>
        principal?.Identity?.IsAuthenticated == true && Permissions.Allows(principal.Actor(), operation);

    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal?.FindFirstValue(ClaimTypes.GivenName) ?? principal?.Identity?.Name ?? "";
}
