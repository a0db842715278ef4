namespace RadRegen.Cli.Infrastructure;

/// <summary>A plain aligned text table: readable on a terminal, in a log and in a test.</summary>
internal static class TextTable
{
    /// <summary>Writes a header, a rule under each column, and the rows; a short row leaves its last cells empty.</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        var all = rows.ToList();
        var widths = headers.Select((h, i) => all.Aggregate(h.Length, (w, r) => i < r.Count ? Math.Max(w, r[i].Length) : w)).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd();
        output.WriteLine(Line(headers));
        output.WriteLine(Line([.. widths.Select(w => new string('-', w))]));
        foreach (var row in all)
        {
            output.WriteLine(Line(row));
        }
    }
}
