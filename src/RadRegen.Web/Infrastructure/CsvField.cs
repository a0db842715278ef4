namespace RadRegen.Web.Infrastructure;

/// <summary>One field of a CSV export (RFC 4180), as every export of the site writes it.</summary>
public static class CsvField
{
    /// <summary>
    /// Quotes a field ("" for a quote) and defuses spreadsheet formula injection by prefixing a
    /// leading = + - @ tab or CR with an apostrophe (OWASP, CSV injection). Null and empty are an
    /// empty field.
    /// </summary>
    public static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if ("=+-@\t\r".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
