using System.Globalization;
using System.Text;

namespace RadRegen.Hla;

/// <summary>One record of a CSV file: the line it starts on (1 = the header) and its fields.</summary>
internal sealed record HlaCsvRecord(int Row, string[] Fields);

/// <summary>
/// The one CSV reader of RadRegen.Hla (frequency files, lines and donors files), kept here so that
/// the library has no package dependency; RadRegen.Core.Csv is the application's reader and
/// follows the same rules. RFC 4180: comma-separated, a field that starts with a quote runs to the
/// closing quote (commas and line breaks inside it are text, <c>""</c> is a quote), a UTF-8 BOM
/// tolerated, blank lines skipped. Strict where a lenient reader would lose data without a word:
/// an unterminated quote, text after a closing quote, a quote inside an unquoted field, a record
/// wider or narrower than the header and U+FFFD (bytes that were not UTF-8) are each an
/// <see cref="HlaInputException"/> naming the file, row and column.
/// </summary>
internal static class HlaCsv
{
    /// <summary>UTF-8 that throws on bytes that are not UTF-8 (a Latin-1 file is refused, not read with U+FFFD).</summary>
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every non-blank record, the header first; all as wide as the header.</summary>
    public static IEnumerable<HlaCsvRecord> Records(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Iterate(reader, source);
    }

    /// <summary>The field name of column <paramref name="index"/> (0-based) for messages: its header name, else <c>column N</c>.</summary>
    public static string ColumnName(int index, string[]? header) =>
        header is not null && index < header.Length && header[index].Trim().Length > 0
            ? header[index].Trim()
            : "column " + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<HlaCsvRecord> Iterate(TextReader reader, string source)
    {
        string[]? header = null;
        var lineNumber = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (ReadLine(reader, source, lineNumber) is { } first)
        {
            lineNumber++;
            var row = lineNumber;
            var line = row == 1 ? first.TrimStart('\uFEFF') : first;
            fields.Clear();
            var i = 0;
            while (true)
            {
                if (i < line.Length && line[i] == '"')
                {
                    field.Clear();
                    i++;
                    while (true)
                    {
                        if (i >= line.Length)
                        {
                            // A line break inside quotes is part of the field.
                            line = ReadLine(reader, source, lineNumber)
                                ?? throw HlaInputException.At("the quote that opens this field is never closed (the rest of the file would be one field)",
                                    source, row, ColumnName(fields.Count, header));
                            lineNumber++;
                            field.Append('\n');
                            i = 0;
                            continue;
                        }

                        var c = line[i++];
                        if (c != '"')
                        {
                            field.Append(c);
                        }
                        else if (i < line.Length && line[i] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            break;
                        }
                    }

                    if (i < line.Length && line[i] != ',')
                    {
                        throw HlaInputException.At("text after the closing quote; quote the whole field and double a quote inside it", source, row,
                            ColumnName(fields.Count, header));
                    }

                    fields.Add(field.ToString());
                }
                else
                {
                    var comma = line.IndexOf(',', i);
                    var end = comma < 0 ? line.Length : comma;
                    var text = line[i..end];
                    if (text.Contains('"', StringComparison.Ordinal))
                    {
                        throw HlaInputException.At("a quote inside an unquoted field; quote the whole field and double a quote inside it", source, row,
                            ColumnName(fields.Count, header));
                    }

                    fields.Add(text);
                    i = end;
                }

                if (i >= line.Length)
                {
                    break;
                }

                i++; // the comma; a comma at the end of the line is followed by an empty field
            }

            for (var c = 0; c < fields.Count; c++)
            {
                if (fields[c].Contains('\uFFFD', StringComparison.Ordinal))
                {
                    throw HlaInputException.At("holds U+FFFD, the mark of bytes that were not UTF-8 (save the file as UTF-8)", source, row, ColumnName(c, header));
                }
            }

            if (fields.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (header is null)
            {
                header = [.. fields];
            }
            else if (fields.Count != header.Length)
            {
                throw HlaInputException.At($"has {fields.Count} fields; the header has {header.Length}", source, row,
                    ColumnName(Math.Min(fields.Count, header.Length), header));
            }

            yield return new HlaCsvRecord(row, [.. fields]);
        }
    }

    private static string? ReadLine(TextReader reader, string source, int linesRead)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (DecoderFallbackException ex)
        {
            throw HlaInputException.At($"the file is not UTF-8 ({ex.Message})", source, linesRead + 1);
        }
    }
}
