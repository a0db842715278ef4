using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using RadRegen.Core.Access;
using RadRegen.Web.Localization;
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

    /// <summary>The message in English (the key of its translation, ADR 0041), with <see cref="MessageArguments"/> to fill in.</summary>
    public string? Message { get; private set; }

    public object[] MessageArguments { get; private set; } = [];

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
                if (ok.Account.Language is { } language)
                {
                    // The language the person chose follows them to this computer (ADR 0041).
                    UiCultures.Remember(HttpContext, language);
                }

                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case LoginOutcome.Throttled throttled:
                // The same words whether the name exists or not: unknown names are throttled too.
                Message = "Too many failed sign-ins for this name from this computer: try again after {0}. An administrator can end this by resetting the password.";
                MessageArguments = [LocalTimeHtml.Format(throttled.Until, HttpContext.CenterZone())];
                break;
            default:
                Message = WrongCredentials;
                break;
        }

        Password = "";
        return Page();
    }
}
