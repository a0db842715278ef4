using System.Globalization;
using Microsoft.AspNetCore.Http;
using RadRegen.Core;

namespace RadRegen.Web.Api;

/// <summary>Optimistic concurrency over HTTP: a record's version goes out as its ETag and comes back in If-Match.</summary>
internal static class ApiVersions
{
    public static void ETag(HttpContext http, long version) =>
        http.Response.Headers.ETag = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version in If-Match (<c>"3"</c> or <c>W/"3"</c>), or null when absent or <c>*</c>.</summary>
    public static long? IfMatch(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return long.TryParse(text.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= int.MaxValue
            ? v
            : throw new DomainValidationException("If-Match", "give the version from the ETag, e.g. \"3\"");
    }

    /// <summary>The same for records whose version is an <see cref="int"/> (the bank's).</summary>
    public static int? IfMatchInt32(HttpContext http) => IfMatch(http) is { } v ? (int)v : null;
}
