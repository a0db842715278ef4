using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Bank.Import;

/// <summary>One data row of an inventory file: its line number and its cells by column name (trimmed).</summary>
internal sealed record InventoryRow(int Number, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string column] => Fields.GetValueOrDefault(column, "").Trim();
}

/// <summary>
/// Step 1 of an import: the file's rows. The CSV is read by RadRegen's one strict reader
/// (<see cref="CsvText"/>); the header must name every column of <see cref="InventoryImport.Columns"/>
/// (in any order, any case); rows whose cells are all empty are skipped. Also the cell readers
/// (yes/no, whole numbers, dates, box positions) that report a bad cell with its row and column.
/// </summary>
internal static class InventoryRows
{
    public static List<InventoryRow> Read(TextReader text)
    {
        var records = CsvText.Parse(text);
        if (records.Count == 0)
        {
            throw new DomainValidationException("file", "the file is empty; the first row must be the header");
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = InventoryImport.Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException("header",
                $"missing columns: {string.Join(", ", missing)} (expected {string.Join(",", InventoryImport.Columns)})");
        }

        var rows = new List<InventoryRow>();
        foreach (var record in records.Skip(1))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                fields[header[i]] = record.Fields[i]; // the reader guarantees every record is as wide as the header
            }

            if (fields.Values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(new InventoryRow(record.Line, fields));
        }

        return rows;
    }

    public static bool Bool(InventoryRow r, string c, ImportErrors errors)
    {
        switch (r[c].ToLowerInvariant())
        {
            case "yes" or "true" or "1" or "y":
                return true;
            case "no" or "false" or "0" or "n" or "":
                return false;
            default:
                errors.Add(r, c, "yes or no");
                return false;
        }
    }

    public static int Int(InventoryRow r, string c, ImportErrors errors)
    {
        if (int.TryParse(r[c], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(r, c, "a whole number");
        return 0;
    }

    public static DateTimeOffset? Date(InventoryRow r, string c, ImportErrors errors)
    {
        if (r[c].Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(r[c], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors.Add(r, c, "a date as yyyy-mm-dd");
        return null;
    }

    /// <summary>A box position as written on the box (<c>B7</c>: row B, column 7).</summary>
    public static bool TryPosition(string text, out int row, out int column)
    {
        row = column = 0;
        var t = (text ?? "").Trim().ToUpperInvariant();
        if (t.Length < 2 || t[0] is < 'A' or > 'Z' || !int.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out column) || column < 1)
        {
            return false;
        }

        row = t[0] - 'A' + 1;
        return true;
    }
}

/// <summary>The bad cells of an import, each as <c>row N: column</c>; shown sorted by row, at most 500.</summary>
internal sealed class ImportErrors
{
    private readonly List<FieldError> errors = [];

    public int Count => errors.Count;

    public void Add(InventoryRow r, string column, string message) => errors.Add(new FieldError($"row {r.Number}: {column}", message));

    public void Add(FieldError error) => errors.Add(error);

    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException([.. errors.OrderBy(e => RowOf(e.Field)).Take(500)]);
        }
    }

    private static int RowOf(string field) =>
        field.StartsWith("row ", StringComparison.Ordinal) && int.TryParse(field.AsSpan(4, field.IndexOf(':', StringComparison.Ordinal) - 4),
            CultureInfo.InvariantCulture, out var n) ? n : 0;
}
