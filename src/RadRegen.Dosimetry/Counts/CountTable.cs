using System.Globalization;

namespace RadRegen.Dosimetry.Counts;

/// <summary>What a count table holds: calibration dose points (first column D) or cases (ID).</summary>
public enum CountTableKind
{
    /// <summary>Calibration data: first column <c>D</c>, the dose in Gy.</summary>
    Calibration,

    /// <summary>Case data: first column <c>ID</c>.</summary>
    Cases,
}

/// <summary>A parsed count table (Biodose Tools CSV layout: <c>D</c> or <c>ID</c>, then C0..Ck or N, X).</summary>
/// <param name="Kind">Calibration or cases.</param>
/// <param name="Rows">The rows in file order.</param>
public sealed record CountTable(CountTableKind Kind, IReadOnlyList<CountRow> Rows);

/// <summary>
/// Reads count tables: a header row, first column <c>D</c> (Gy) or <c>ID</c>, then either
/// <c>C0, C1, …, Ck</c> (any k, including two-digit columns such as C10; Biodose Tools bug #27 was
/// a wrong X for k ≥ 10) or aggregated <c>N, X</c>, read by the library's one CSV reader
/// (<see cref="DosimetryCsv"/>: quotes, exact cell count). UTF-8 with or without BOM; cells may be
/// padded with spaces; blank lines are ignored. Errors name the source, the row (the header is row 1) and
/// the column, and nothing is returned when any row is bad.
/// </summary>
public static class CountTableParser
{
    /// <summary>Parses a whole table from text.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="source">Name of the file or stream, used in error messages.</param>
    /// <exception cref="DosimetryInputException">The header or a row is malformed.</exception>
    public static CountTable Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var records = DosimetryCsv.Records(reader, source).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DosimetryInputException(source, "is empty; expected a header row such as \"D,C0,C1,C2\" or \"ID,N,X\"");
        }

        var header = Trimmed(records.Current.Fields);
        var lineNo = records.Current.Row;
        var headerRow = lineNo;
        var first = header[0];
        CountTableKind kind;
        if (first.Equals("D", StringComparison.OrdinalIgnoreCase) || first.Equals("dose", StringComparison.OrdinalIgnoreCase))
        {
            kind = CountTableKind.Calibration;
        }
        else if (first.Equals("ID", StringComparison.OrdinalIgnoreCase))
        {
            kind = CountTableKind.Cases;
        }
        else
        {
            throw new DosimetryInputException($"{source} row {headerRow}, column 1", $"must be \"D\" (dose) or \"ID\" (case), got \"{first}\"");
        }

        var cIndex = new List<(int Col, int K)>();
        int nCol = -1, xCol = -1;
        for (var i = 1; i < header.Length; i++)
        {
            var name = header[i];
            if (name.Length >= 2 && (name[0] == 'C' || name[0] == 'c')
                && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            {
                cIndex.Add((i, k));
            }
            else if (name.Equals("N", StringComparison.OrdinalIgnoreCase))
            {
                nCol = i;
            }
            else if (name.Equals("X", StringComparison.OrdinalIgnoreCase))
            {
                xCol = i;
            }
            else
            {
                throw new DosimetryInputException($"{source} row {headerRow}, column {i + 1}", $"unknown column \"{name}\"; expected C0..Ck or N, X");
            }
        }

        for (var j = 0; j < cIndex.Count; j++)
        {
            if (cIndex[j].K != j)
            {
                throw new DosimetryInputException($"{source} row {headerRow}, column {cIndex[j].Col + 1}", $"expected C{j} here, got C{cIndex[j].K}; columns must run C0, C1, C2, … without gaps");
            }
        }

        if (cIndex.Count == 0 && (nCol < 0 || xCol < 0))
        {
            throw new DosimetryInputException($"{source} row {headerRow}", "needs columns C0..Ck, or N and X");
        }

        var rows = new List<CountRow>();
        double? previousDose = null;
        while (records.MoveNext())
        {
            lineNo = records.Current.Row;
            var cells = Trimmed(records.Current.Fields); // the reader guarantees as many cells as the header

            string id;
            double? dose = null;
            if (kind == CountTableKind.Calibration)
            {
                if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    || double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw new DosimetryInputException($"{source} row {lineNo}, column {header[0]}", $"\"{cells[0]}\" is not a number");
                }

                if (d < 0)
                {
                    throw new DosimetryInputException($"{source} row {lineNo}, column {header[0]}", $"dose must not be negative (got {cells[0]})");
                }

                if (previousDose is { } p && d <= p)
                {
                    throw new DosimetryInputException($"{source} row {lineNo}, column {header[0]}", $"doses must be strictly increasing ({cells[0]} Gy follows {p.ToString(CultureInfo.InvariantCulture)} Gy)");
                }

                previousDose = d;
                dose = d;
                id = cells[0];
            }
            else
            {
                id = cells[0];
                if (id.Length == 0)
                {
                    throw new DosimetryInputException($"{source} row {lineNo}, column {header[0]}", "is empty; every case needs an ID");
                }
            }

            long ReadCount(int col) =>
                long.TryParse(cells[col], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                    ? v >= 0 ? v : throw new DosimetryInputException($"{source} row {lineNo}, column {header[col]}", $"must not be negative (got {cells[col]})")
                    : throw new DosimetryInputException($"{source} row {lineNo}, column {header[col]}", $"\"{cells[col]}\" is not a whole number of cells or aberrations");

            CountRow row;
            try
            {
                if (cIndex.Count > 0)
                {
                    var counts = new long[cIndex.Count];
                    for (var j = 0; j < cIndex.Count; j++)
                    {
                        counts[j] = ReadCount(cIndex[j].Col);
                    }

                    row = CountRow.FromDistribution(id, dose, counts);
                    if (nCol >= 0 && ReadCount(nCol) != row.Cells)
                    {
                        throw new DosimetryInputException($"{source} row {lineNo}, column N", $"is {cells[nCol]} but C0..C{cIndex.Count - 1} add up to {row.Cells}");
                    }

                    if (xCol >= 0 && ReadCount(xCol) != row.Aberrations)
                    {
                        throw new DosimetryInputException($"{source} row {lineNo}, column X", $"is {cells[xCol]} but Σk·Ck = {row.Aberrations}");
                    }
                }
                else
                {
                    row = CountRow.FromTotals(id, dose, ReadCount(nCol), ReadCount(xCol));
                }
            }
            catch (DosimetryInputException ex) when (!ex.Field.StartsWith(source, StringComparison.Ordinal))
            {
                throw new DosimetryInputException($"{source} row {lineNo}", ex.Message);
            }
            catch (OverflowException)
            {
                throw new DosimetryInputException($"{source} row {lineNo}", "counts are too large");
            }

            rows.Add(row);
        }

        if (rows.Count == 0)
        {
            throw new DosimetryInputException(source, "has a header but no data rows");
        }

        return new CountTable(kind, rows);
    }

    /// <summary>Parses a distribution written as "C0,C1,C2,…" (for example "302,28,22,8,1,0").</summary>
    public static CountRow ParseDistribution(string text, string id = "case")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = Trimmed(DosimetryCsv.Records(new StringReader(text), "--distribution").FirstOrDefault()?.Fields ?? [""]);
        var counts = new long[parts.Length];
        for (var k = 0; k < parts.Length; k++)
        {
            if (!long.TryParse(parts[k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out counts[k]))
            {
                throw new DosimetryInputException($"--distribution C{k}", $"\"{parts[k]}\" is not a whole number");
            }
        }

        return CountRow.FromDistribution(id, null, counts);
    }

    /// <summary>Cells may be padded with spaces.</summary>
    private static string[] Trimmed(string[] fields) => [.. fields.Select(f => f.Trim())];
}
