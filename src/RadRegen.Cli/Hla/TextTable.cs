namespace RadRegen.Cli.Hla;

/// <summary>Plain aligned text tables for terminal output (readable when piped or captured).</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        // The last column is not padded (explanations can be long).
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        output.WriteLine(Line([.. widths.Select(w => new string('-', w))]));
        foreach (var r in all)
        {
            output.WriteLine(Line(r));
        }
    }
}
