using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages;

public sealed class LogoutModel(AccessService access) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await access.LogoutAsync(User.Actor(), ct);
        await HttpContext.SignOutAsync(Principals.CookieScheme);
        return Redirect("/login");
    }
}
