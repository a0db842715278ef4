using System.Globalization;
using System.Text;
using RadRegen.Csv;

namespace RadRegen.Hla;

/// <summary>
/// The one CSV reader of RadRegen.Hla (frequency files, lines and donors files): the scientific
/// libraries' shared <see cref="StrictCsvReader"/> (src/Shared/StrictCsvReader.cs, compiled in), with
/// every malformed record an <see cref="HlaInputException"/> naming the file, row and column.
/// </summary>
internal static class HlaCsv
{
    /// <summary>UTF-8 that throws on bytes that are not UTF-8 (a Latin-1 file is refused, not read with U+FFFD).</summary>
    public static Encoding StrictUtf8 => StrictCsvReader.StrictUtf8;

    /// <summary>Every non-blank record, the header first; all as wide as the header.</summary>
    public static IEnumerable<StrictCsvRecord> Records(TextReader reader, string source) =>
        new StrictCsvReader("fields", (reason, row, column, header) =>
            HlaInputException.At(reason, source, row, column < 0 ? null : ColumnName(column, header))).Records(reader);

    /// <summary>The field name of column <paramref name="index"/> (0-based) for messages: its header name, else <c>column N</c>.</summary>
    private static string ColumnName(int index, string[]? header) =>
        header is not null && index < header.Length && header[index].Trim().Length > 0
            ? header[index].Trim()
            : "column " + (index + 1).ToString(CultureInfo.InvariantCulture);
}
