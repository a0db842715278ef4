using System.Text;

namespace RadRegen.Csv;

/// <summary>One record of a CSV file: the line it starts on (1 = the header) and its fields.</summary>
internal sealed record StrictCsvRecord(int Row, string[] Fields);

/// <summary>
/// How a library reports a malformed record: the reason, the row, the column (0-based; -1 when the
/// fault is the whole line, as for bytes that are not UTF-8) and the header read so far, so that it
/// can name the column as its users know it and throw its own bad-input exception.
/// </summary>
internal delegate Exception StrictCsvFault(string reason, int row, int column, string[]? header);

/// <summary>
/// The CSV reader of the scientific libraries, RadRegen.Hla and RadRegen.Dosimetry. Its source is
/// this one file, compiled into each of them (a linked <c>Compile</c> item), because they take no
/// package dependency and no dependency on each other; the application's reader is
/// <c>RadRegen.Core.Csv</c> (CsvHelper) and follows the same rules (ADR 0011). RFC 4180:
/// comma-separated, a field that starts with a quote runs to the closing quote (commas and line
/// breaks inside it are text, <c>""</c> is a quote), a UTF-8 BOM tolerated, blank lines skipped.
/// Strict where a lenient reader would lose data without a word: an unterminated quote, text after
/// a closing quote, a quote inside an unquoted field, a record wider or narrower than the header and
/// U+FFFD (bytes that were not UTF-8) are each reported through the library's
/// <see cref="StrictCsvFault"/>.
/// </summary>
/// <param name="cellWord">What the library's messages call a field ("fields", "cells").</param>
/// <param name="fault">Builds the library's exception for a malformed record.</param>
internal sealed class StrictCsvReader(string cellWord, StrictCsvFault fault)
{
    /// <summary>UTF-8 that throws on bytes that are not UTF-8 (a Latin-1 file is refused, not read with U+FFFD).</summary>
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every non-blank record, the header first; all as wide as the header.</summary>
    public IEnumerable<StrictCsvRecord> Records(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Iterate(reader);
    }

    private IEnumerable<StrictCsvRecord> Iterate(TextReader reader)
    {
        string[]? header = null;
        var lineNumber = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (ReadLine(reader, lineNumber) is { } first)
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
                            line = ReadLine(reader, lineNumber)
                                ?? throw fault("the quote that opens this field is never closed (the rest of the file would be one field)",
                                    row, fields.Count, header);
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
                        throw fault("text after the closing quote; quote the whole field and double a quote inside it", row, fields.Count, header);
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
                        throw fault("a quote inside an unquoted field; quote the whole field and double a quote inside it", row, fields.Count, header);
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
                    throw fault("holds U+FFFD, the mark of bytes that were not UTF-8 (save the file as UTF-8)", row, c, header);
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
                throw fault($"has {fields.Count} {cellWord}, the header has {header.Length}", row, Math.Min(fields.Count, header.Length), header);
            }

            yield return new StrictCsvRecord(row, [.. fields]);
        }
    }

    private string? ReadLine(TextReader reader, int linesRead)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (DecoderFallbackException ex)
        {
            throw fault($"the file is not UTF-8 ({ex.Message})", linesRead + 1, -1, null);
        }
    }
}
