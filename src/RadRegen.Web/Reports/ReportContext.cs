using System.Globalization;
using Microsoft.Extensions.Localization;
using RadRegen.Core;
using RadRegen.Core.Reporting;
using RadRegen.Hosting.Configuration;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Reports;

/// <summary>
/// The fixed words of the PDF reports (headings, labels): <c>Text["English text"]</c>, the English text
/// being the key; Japanese in <c>Resources/Reports/ReportText.ja.resx</c> (docs/reports.md). Values —
/// numbers, units, codes, names, the domain's own messages — are printed as recorded.
/// </summary>
public sealed class ReportText;

/// <summary>
/// What every report builder needs: the reader's language (the request's UI culture, or <c>?lang=</c>),
/// the center (issuer, time zone) and the clock. Times are shown in the center's zone with the zone
/// named (<see cref="LocalTimeHtml.Format"/>), numbers in invariant form in both languages.
/// </summary>
public sealed class ReportContext(IStringLocalizer<ReportText> text, CenterSettings center, IClock clock)
{
    /// <summary>"ja" when the reader reads Japanese, else "en".</summary>
    public string Language { get; } = CultureInfo.CurrentUICulture.Name.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? "ja" : "en";

    /// <summary>A fixed text in the reader's language.</summary>
    public string this[string english] => text[english];

    /// <summary>A fixed text with placeholders ({0}) in the reader's language.</summary>
    public string Format(string english, params object[] arguments) => text[english, arguments];

    /// <summary>An instant in the center's zone, named (2026-11-29 21:30 JST); "—" for none.</summary>
    public string Time(DateTimeOffset? instant) => instant is { } at ? LocalTimeHtml.Format(at, center.TimeZone) : "—";

    /// <summary>A date in the center's zone (2026-11-29 JST).</summary>
    public string Date(DateTimeOffset instant) => LocalTimeHtml.Format(instant, center.TimeZone, withTime: false);

    /// <summary>A number as the pages write it (invariant, up to <paramref name="decimals"/> decimals); "—" for none.</summary>
    public static string Number(double? value, int decimals = 2) =>
        value is { } v ? Math.Round(v, decimals).ToString("0.########", CultureInfo.InvariantCulture) : "—";

    /// <summary>A document with the center as issuer and the generation time (center's zone and its IANA name).</summary>
    public ReportDocument Document(string title, string subtitle, IReadOnlyList<ReportSection> sections, string? banner = null)
    {
        var now = clock.UtcNow;
        return new ReportDocument(title, sections)
        {
            Subtitle = subtitle,
            Language = Language,
            Issuer = string.IsNullOrWhiteSpace(center.Name) ? null : center.Name,
            GeneratedAt = now,
            GeneratedAtText = $"{Time(now)} ({center.TimeZone.Id})",
            Banner = banner,
        };
    }

    /// <summary>Makes the context for a request: <paramref name="lang"/> ("en", "ja") overrides the request's language.</summary>
    /// <exception cref="DomainValidationException">An unknown language.</exception>
    public static void UseLanguage(string? lang)
    {
        if (string.IsNullOrWhiteSpace(lang))
        {
            return;
        }

        var culture = UiCultures.Supported.FirstOrDefault(c => string.Equals(c.Name, lang.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainValidationException("lang", $"reports are written in {string.Join(" or ", UiCultures.Supported.Select(c => c.Name))}, not '{lang}'");
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
    }
}
