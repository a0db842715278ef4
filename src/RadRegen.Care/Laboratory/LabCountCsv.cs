using System.Globalization;
using RadRegen.Core;
using RadRegen.Core.Csv;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Counts;

namespace RadRegen.Care.Laboratory;

/// <summary>
/// Reads a calibration count table typed or pasted by the laboratory: one dose point a line,
/// <c>dose,cells,aberrations</c> and optionally the distribution <c>C0,C1,…</c> after them; a header
/// line is allowed. A table in Biodose Tools' layout (header <c>D,C0,C1,…</c> or <c>D,N,X</c>) is
/// read by RadRegen.Dosimetry's <see cref="CountTableParser"/>. Every bad row is named (field
/// <c>counts</c>); nothing is returned when any row is bad.
/// </summary>
public static class LabCountCsv
{
    public const string Field = "counts";

    public static IReadOnlyList<LabCountRow> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainValidationException(Field, "paste the count table: one line per dose, \"dose,cells,aberrations\"");
        }

        IReadOnlyList<CsvRecord> records;
        try
        {
            // Rows differ in width (the distribution C0, C1, … is optional), so the width is checked below, not by the reader.
            records = CsvReading.ReadAll(new StringReader(text), new CsvReadOptions(SameWidth: false));
        }
        catch (DomainValidationException ex)
        {
            throw new DomainValidationException([.. ex.Errors.Select(e => new FieldError(Field, e.ToString()))]);
        }

        if (records.Count > 0 && records[0].Fields[0].Trim() is "D" or "d")
        {
            try
            {
                var table = CountTableParser.Parse(new StringReader(text), "counts");
                return [.. table.Rows.Select(r => new LabCountRow(r.Dose ?? 0, r.Cells, r.Aberrations, r.Distribution))];
            }
            catch (DosimetryInputException ex)
            {
                throw new DomainValidationException(Field, ex.Message);
            }
        }

        var rows = new List<LabCountRow>();
        var errors = new List<FieldError>();
        foreach (var record in records)
        {
            var cells = record.Fields.Select(c => c.Trim()).ToArray();
            if (rows.Count == 0 && errors.Count == 0 && !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                continue; // a header line
            }

            var where = $"row {record.Line}";
            if (cells.Length < 3)
            {
                errors.Add(new FieldError(Field, $"{where}: needs dose, cells and aberrations (got {cells.Length} value{(cells.Length == 1 ? "" : "s")})"));
                continue;
            }

            var ok = true;
            if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var dose))
            {
                errors.Add(new FieldError(Field, $"{where}: dose '{cells[0]}' is not a number of Gy"));
                ok = false;
            }

            var counts = new long[cells.Length - 1];
            for (var k = 1; k < cells.Length; k++)
            {
                if (!long.TryParse(cells[k], NumberStyles.Integer, CultureInfo.InvariantCulture, out counts[k - 1]))
                {
                    var what = k switch { 1 => "cells", 2 => "aberrations", _ => $"C{k - 3}" };
                    errors.Add(new FieldError(Field, $"{where}: {what} '{cells[k]}' is not a whole number"));
                    ok = false;
                }
            }

            if (ok)
            {
                rows.Add(new LabCountRow(dose, counts[0], counts[1], counts.Length > 2 ? counts[2..] : null));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        if (rows.Count == 0)
        {
            throw new DomainValidationException(Field, "holds no dose points");
        }

        return rows;
    }

    /// <summary>The rows as CSV text (<c>dose,cells,aberrations[,C0,…]</c>, RadRegen's one writer), as <see cref="Parse"/> reads them.</summary>
    public static string Format(IEnumerable<LabCountRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvOutput.ToText(csv =>
        {
            csv.Header("dose", "cells", "aberrations");
            foreach (var r in rows)
            {
                csv.Value(r.DoseGy.ToString("R", CultureInfo.InvariantCulture)).Value(r.Cells.ToString(CultureInfo.InvariantCulture))
                    .Value(r.Aberrations.ToString(CultureInfo.InvariantCulture));
                foreach (var c in r.Distribution ?? [])
                {
                    csv.Value(c.ToString(CultureInfo.InvariantCulture));
                }

                csv.EndRow();
            }
        }, sameWidth: false);
    }
}
