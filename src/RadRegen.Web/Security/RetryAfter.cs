using System.Globalization;

namespace RadRegen.Web.Security;

/// <summary>The <c>Retry-After</c> header's value (RFC 9110 §10.2.3): whole seconds, rounded up, at least 1.</summary>
public static class RetryAfter
{
    public static string Seconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
