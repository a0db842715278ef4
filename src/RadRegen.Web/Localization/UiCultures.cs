using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;

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

    /// <summary>The cultures offered, the first the default.</summary>
    public static IReadOnlyList<CultureInfo> Supported { get; } = [CultureInfo.GetCultureInfo("en"), CultureInfo.GetCultureInfo("ja")];

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
