using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Web.Localization;

/// <summary>
/// Times on pages: stored in UTC, shown in the center's time zone (<c>Center:TimeZone</c>) with the zone
/// named, as a <c>&lt;time&gt;</c> element whose <c>datetime</c> attribute keeps the exact UTC instant.
/// </summary>
public static class LocalTimeHtml
{
    /// <summary>The instant in the center's zone, e.g. <c>2026-11-29 21:30 JST</c>; <c>—</c> for none.</summary>
    public static IHtmlContent LocalTime(this IHtmlHelper html, DateTimeOffset? instant, bool withTime = true)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (instant is not { } at)
        {
            return new HtmlString("—");
        }

        var zone = html.ViewContext.HttpContext.RequestServices.GetRequiredService<CenterSettings>().TimeZone;
        var text = Format(at, zone, withTime);
        var utc = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var builder = new TagBuilder("time");
        builder.Attributes["datetime"] = utc;
        builder.Attributes["title"] = utc;
        builder.InnerHtml.Append(text);
        return builder;
    }

    /// <summary>The text shown: date (and time) in <paramref name="zone"/> followed by the zone's abbreviation or offset.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone, bool withTime = true)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var pattern = withTime ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd";
        return local.ToString(pattern, CultureInfo.InvariantCulture) + " " + ZoneName(zone, local);
    }

    /// <summary>
    /// "UTC" for UTC; a common abbreviation where the zone has one (JST for Asia/Tokyo); else the offset
    /// (UTC+09:00). Abbreviations are few on purpose: the IANA database no longer invents them.
    /// </summary>
    public static string ZoneName(TimeZoneInfo zone, DateTimeOffset local)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (zone.Id is "UTC" or "Etc/UTC" || zone == TimeZoneInfo.Utc)
        {
            return "UTC";
        }

        if (zone.Id is "Asia/Tokyo" or "Tokyo Standard Time")
        {
            return "JST";
        }

        var offset = local.Offset;
        return "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
