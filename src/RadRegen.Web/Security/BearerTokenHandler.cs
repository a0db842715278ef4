using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadRegen.Core.Access;
using RadRegen.Web.Api;

namespace RadRegen.Web.Security;

/// <summary>Authenticates machines by <c>Authorization: Bearer rr_…</c> API tokens.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessService access) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var account = await access.AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return account is null
            ? AuthenticateResult.Fail("the API token is unknown, expired or revoked")
            : AuthenticateResult.Success(new AuthenticationTicket(
                Principals.ToPrincipal(account.ToActor(), Scheme.Name, account.DisplayName), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return FhirEndpoints.Serves(Request.Path) ? FhirEndpoints.NotSignedInAsync(Response) : Task.CompletedTask;
    }
}
