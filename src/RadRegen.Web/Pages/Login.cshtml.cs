using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages;

[EnableRateLimiting(RadRegenHost.LoginRateLimit)]
public sealed class LoginModel(AccessService access) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>What an unknown name, a wrong password and a disabled account all hear.</summary>
    public const string WrongCredentials = "The user name or password is wrong, or the account is disabled.";

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await access.LoginAsync(UserName, Password, ct);
        switch (outcome)
        {
            case LoginOutcome.Succeeded ok:
                var principal = Principals.ToPrincipal(ok.Account.ToActor(), Principals.CookieScheme, ok.Account.DisplayName);
                await HttpContext.SignInAsync(Principals.CookieScheme, principal, new AuthenticationProperties { IsPersistent = false });
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case LoginOutcome.Throttled throttled:
                // The same words whether the name exists or not: unknown names are throttled too.
                Message = $"Too many failed sign-ins for this name from this computer: try again after {JournalTime.ToText(throttled.Until)[..19].Replace('T', ' ')} UTC. An administrator can end this by resetting the password.";
                break;
            default:
                Message = WrongCredentials;
                break;
        }

        Password = "";
        return Page();
    }
}
