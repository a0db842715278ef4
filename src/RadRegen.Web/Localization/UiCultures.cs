using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using RadRegen.Core.Access;

namespace RadRegen.Web.Localization;

/// <summary>
/// The languages of the interface: English (the default and the language of the domain's messages) and
/// Japanese, the language of the seed's center. Chosen per user (the <see cref="CookieName"/> cookie) or
/// by the browser's Accept-Language; numbers and units are written the same in both (invariant digits).
/// </summary>
public static class UiCultures
{
    /// <summary>The cookie that carries a user's choice (ASP.NET Core's culture cookie format).</summary>
    public const string CookieName = ".RadRegen.Culture";

    /// <summary>The cultures offered (<see cref="InterfaceLanguages"/>), the first the default.</summary>
    public static IReadOnlyList<CultureInfo> Supported { get; } = [.. InterfaceLanguages.All.Select(CultureInfo.GetCultureInfo)];

    /// <summary>
    /// Remembers <paramref name="language"/> in the culture cookie (a year; the account keeps it too when the
    /// person is signed in), or forgets the choice when null so the browser's Accept-Language decides again.
    /// </summary>
    public static void Remember(HttpContext context, string? language)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (language is null)
        {
            context.Response.Cookies.Delete(CookieName);
            return;
        }

        context.Response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            IsEssential = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
    }

    /// <summary>The language of this request's interface ("en" or "ja").</summary>
    public static string Current => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is var two && InterfaceLanguages.All.Contains(two)
        ? two : InterfaceLanguages.English;

    /// <summary>Request localization: the user's cookie first, then the browser; English otherwise.</summary>
    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Supported[0]),
            SupportedCultures = [.. Supported],
            SupportedUICultures = [.. Supported],
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }
}
