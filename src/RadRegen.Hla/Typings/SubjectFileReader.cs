using System.Collections.Immutable;
using RadRegen.Hla.GlStrings;

namespace RadRegen.Hla.Typings;

/// <summary>A subject (line or donor) read from a file, with its row for messages.</summary>
public sealed record SubjectTyping(string Id, HlaTyping Typing, int Row);

/// <summary>
/// Reads a lines or donors file: CSV with header <c>id,typing</c>, the typing a GL String (GL
/// Strings contain no commas), read by the library's one CSV reader (<see cref="HlaCsv"/>: quotes,
/// exact field count). UTF-8, BOM tolerated, blank lines skipped. Every error names the
/// file, row and field (and, for a GL String, the token and its position in the field).
/// </summary>
public static class SubjectFileReader
{
    /// <param name="reader">The file's text.</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="haplotypeMeansHomozygous">
    /// For homozygous lines: a typing written as one haplotype (<c>A*02:01~B*08:01~DRB1*03:01</c>, no
    /// <c>+</c>) means that haplotype on both chromosomes.
    /// </param>
    public static ImmutableArray<SubjectTyping> Read(TextReader reader, string source, bool haplotypeMeansHomozygous = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var records = HlaCsv.Records(reader, source).GetEnumerator();
        if (!records.MoveNext())
        {
            throw HlaInputException.At("empty file: expected a header row 'id,typing'", source, 1);
        }

        var columns = records.Current.Fields.Select(c => c.Trim().ToLowerInvariant()).ToArray();
        var idCol = Array.IndexOf(columns, "id");
        var typingCol = Array.IndexOf(columns, "typing");
        if (idCol < 0 || typingCol < 0)
        {
            throw HlaInputException.At($"header '{string.Join(",", records.Current.Fields)}' must have the columns id and typing", source, 1);
        }

        var result = ImmutableArray.CreateBuilder<SubjectTyping>();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var (row, cells) = (records.Current.Row, records.Current.Fields);
            var id = cells[idCol].Trim();
            if (id.Length == 0)
            {
                throw HlaInputException.At("empty id", source, row, "id");
            }

            if (firstRow.TryGetValue(id, out var earlier))
            {
                throw HlaInputException.At($"id '{id}' is already used at row {earlier}", source, row, "id");
            }

            firstRow[id] = row;
            var text = cells[typingCol].Trim();
            try
            {
                if (haplotypeMeansHomozygous && text.Length > 0 && !text.Contains('+', StringComparison.Ordinal)
                    && !text.Contains('|', StringComparison.Ordinal) && !text.Contains('^', StringComparison.Ordinal))
                {
                    GlString.Parse(text);   // errors at the positions of the text as written
                    text = $"{text}+{text}";
                }

                result.Add(new SubjectTyping(id, HlaTyping.Parse(text), row));
            }
            catch (HlaInputException ex)
            {
                throw ex.InFile(source, row, "typing");
            }
        }

        if (result.Count == 0)
        {
            throw HlaInputException.At("no rows after the header", source);
        }

        return result.ToImmutable();
    }
}
