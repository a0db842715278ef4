using System.Globalization;
using RadRegen.Csv;

namespace RadRegen.Dosimetry;

/// <summary>
/// The one CSV reader of RadRegen.Dosimetry (count tables: calibration data and cases): the
/// scientific libraries' shared <see cref="StrictCsvReader"/> (src/Shared/StrictCsvReader.cs,
/// compiled in), with every malformed record a <see cref="DosimetryInputException"/> whose field is
/// <c>source row N, column X</c>.
/// </summary>
internal static class DosimetryCsv
{
    /// <summary>Every non-blank record, the header first; all as wide as the header.</summary>
    public static IEnumerable<StrictCsvRecord> Records(TextReader reader, string source) =>
        new StrictCsvReader("cells", (reason, row, column, header) =>
            new DosimetryInputException(Where(source, row, ColumnName(Math.Max(column, 0), header)), reason)).Records(reader);

    /// <summary>Column <paramref name="index"/> (0-based) for messages: its header name, else its number.</summary>
    private static string ColumnName(int index, string[]? header) =>
        header is not null && index < header.Length && header[index].Trim().Length > 0
            ? header[index].Trim()
            : (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The place of a cell as every count-table error names it: <c>source row N, column X</c>.</summary>
    private static string Where(string source, int row, string column) =>
        string.Create(CultureInfo.InvariantCulture, $"{source} row {row}, column {column}");
}
