using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Web.Localization;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages;

/// <summary>
/// The language switcher (the layout's English / 日本語 buttons post here): the choice goes into the culture
/// cookie and, for a signed-in person, onto their account, so it follows them at the next sign-in (ADR 0041).
/// </summary>
public sealed class LanguageModel(AccessService access) : BankPageModel
{
    /// <summary>en, ja, or browser (the browser's Accept-Language decides).</summary>
    [BindProperty] public string? Language { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        string? tag = null;
        var ok = await TryAsync("language", async () =>
        {
            tag = InterfaceLanguages.Parse(Language, "language");
            if (User.Identity?.IsAuthenticated == true)
            {
                await access.SetLanguageAsync(User.Actor(), tag, ct);
            }
        });
        if (!ok)
        {
            return Page();
        }

        UiCultures.Remember(HttpContext, tag);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
