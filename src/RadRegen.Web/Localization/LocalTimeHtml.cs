using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Web.Localization;

/// <summary>
/// Times on pages: stored in UTC, shown in the center's time zone (<c>Center:TimeZone</c>) with the zone
/// named, as a <c>&lt;time&gt;</c> element whose <c>datetime</c> attribute keeps the exact UTC instant.
/// Date and time inputs on pages are read in the same zone and stored in UTC (<see cref="FromInput"/>);
/// CSV, JSON and the API stay UTC ISO-8601 (ADR 0041).
/// </summary>
public static class LocalTimeHtml
{
    /// <summary>The value format of an HTML <c>datetime-local</c> input.</summary>
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>The instant in the center's zone, e.g. <c>2026-11-29 21:30 JST</c>; <c>—</c> for none.</summary>
    public static IHtmlContent LocalTime(this IHtmlHelper html, DateTimeOffset? instant, bool withTime = true, bool withSeconds = false)
    {
        ArgumentNullException.ThrowIfNull(html);
        if (instant is not { } at)
        {
            return new HtmlString("—");
        }

        var zone = Zone(html);
        var text = Format(at, zone, withTime, withSeconds);
        var utc = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var builder = new TagBuilder("time");
        builder.Attributes["datetime"] = utc;
        builder.Attributes["title"] = utc;
        builder.InnerHtml.Append(text);
        return builder;
    }

    /// <summary>The day in the center's zone, e.g. <c>2026-11-29 JST</c> (expiry dates, registrations).</summary>
    public static IHtmlContent LocalDate(this IHtmlHelper html, DateTimeOffset? instant) => LocalTime(html, instant, withTime: false);

    /// <summary>The zone's name now, for a label ("Started at (JST)") or a sentence.</summary>
    public static string ZoneName(this IHtmlHelper html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var zone = Zone(html);
        return ZoneName(zone, TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone));
    }

    /// <summary>The zone's name with its identifier, e.g. <c>JST (Asia/Tokyo)</c>; <c>UTC</c> alone for UTC.</summary>
    public static string ZoneDescription(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var name = ZoneName(zone, TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone));
        return name == "UTC" || name == zone.Id ? name : $"{name} ({zone.Id})";
    }

    /// <summary>The value of a <c>datetime-local</c> input showing <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static string InputValue(DateTimeOffset? instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return instant is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString(InputFormat, CultureInfo.InvariantCulture) : "";
    }

    /// <summary>
    /// A wall-clock time typed in the center's zone (a <c>datetime-local</c> input) as the instant it names.
    /// A time the clock skips (the hour lost when summer time begins) is refused naming <paramref name="field"/>;
    /// a time the clock shows twice (the hour repeated when it ends) is read as standard time.
    /// </summary>
    public static DateTimeOffset FromInput(DateTime local, TimeZoneInfo zone, string field)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            throw new DomainValidationException(field, $"{wall.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} does not exist in {zone.Id} (the clock skips it)");
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero);
    }

    /// <summary>The start of a day in the center's zone (a <c>date</c> input: "from", "consented on", "expires before").</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone, string field) =>
        FromInput(day.ToDateTime(TimeOnly.MinValue), zone, field);

    /// <summary>The text shown: date (and time) in <paramref name="zone"/> followed by the zone's abbreviation or offset.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone, bool withTime = true, bool withSeconds = false)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var pattern = !withTime ? "yyyy-MM-dd" : withSeconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm";
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

    /// <summary>The center's zone (<c>Center:TimeZone</c>), for page models that read a date or time input.</summary>
    public static TimeZoneInfo CenterZone(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<CenterSettings>().TimeZone;
    }

    private static TimeZoneInfo Zone(IHtmlHelper html) => html.ViewContext.HttpContext.CenterZone();
}
