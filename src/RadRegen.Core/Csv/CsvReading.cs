using System.Globalization;
using System.Text;
using CsvHelper;

namespace RadRegen.Core.Csv;

/// <summary>One record of a CSV file and the line of the file it starts on (1 = the first line, usually the header).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>How strict a read is beyond RFC 4180 itself.</summary>
/// <param name="Source">The file as the person knows it (<c>victims.csv</c>), put before every row in errors; empty for none.</param>
/// <param name="SameWidth">Every record has exactly as many fields as the first (the header); an extra or a missing field is an error.</param>
/// <param name="MaxRows">At most this many records after the header (an import's row cap, <see cref="Limits.ImportRows"/>); null for none.</param>
public sealed record CsvReadOptions(string Source = "", bool SameWidth = true, int? MaxRows = null);

/// <summary>
/// The one CSV reader of RadRegen (RFC 4180 through CsvHelper): comma-separated, double-quoted
/// fields with <c>""</c> for a quote, CRLF, LF or CR line ends, quoted commas and line breaks,
/// a UTF-8 byte-order mark tolerated. It is strict where a lenient reader loses data without a
/// word: an unterminated quote, text after a closing quote or a quote inside an unquoted field,
/// a record wider or narrower than the header, and bytes that are not UTF-8 are errors, each a
/// <see cref="DomainValidationException"/> whose field says <c>row N, column X</c> (row = line of
/// the file the record starts on). Blank and all-white-space lines are skipped.
/// </summary>
public static class CsvReading
{
    /// <summary>UTF-8 that throws on bytes that are not UTF-8 instead of decoding them as U+FFFD.</summary>
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a whole file (an upload, a request body) and decodes it as UTF-8, refusing bytes that
    /// are not UTF-8 with the row and column they sit in (a Latin-1 <c>é</c> must not become U+FFFD
    /// in the database). A byte-order mark is dropped.
    /// </summary>
    public static async Task<TextReader> DecodeAsync(Stream stream, string source = "", CancellationToken ct = default) =>
        new StringReader(await DecodeTextAsync(stream, source, ct).ConfigureAwait(false));

    /// <summary>As <see cref="DecodeAsync"/>, the text itself (for a reader that reads it more than once).</summary>
    public static async Task<string> DecodeTextAsync(Stream stream, string source = "", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source);
    }

    /// <summary>Decodes a file's bytes as UTF-8 (see <see cref="DecodeAsync"/>).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string source = "")
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            // Index is where the bad bytes start; the text before it is good UTF-8.
            var at = Math.Clamp(ex.Index, 0, bytes.Length);
            var before = StrictUtf8.GetString(bytes[..at]);
            var (line, column) = Locate(before);
            var shown = string.Join(" ", (ex.BytesUnknown ?? (at < bytes.Length ? [bytes[at]] : [])).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
            throw Error(source, line, column.ToString(CultureInfo.InvariantCulture),
                $"byte {shown} is not UTF-8 (save the file as UTF-8; a Latin-1 or Windows-1252 file is refused rather than stored with U+FFFD)");
        }
    }

    /// <summary>Every record of <paramref name="reader"/>, the header included, read strictly as the class says.</summary>
    public static IEnumerable<CsvRecord> Records(TextReader reader, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Iterate(reader, options ?? new CsvReadOptions());
    }

    /// <summary>All records (see <see cref="Records"/>).</summary>
    public static IReadOnlyList<CsvRecord> ReadAll(TextReader reader, CsvReadOptions? options = null) => [.. Records(reader, options)];

    /// <summary>The error of one cell: field <c>[source ]row N, column X</c>.</summary>
    public static DomainValidationException Error(string source, int row, string column, string message) =>
        new(Where(source, row, column), message);

    /// <summary><c>[source ]row N, column X</c>, as every CSV error names its place.</summary>
    public static string Where(string source, int row, string column) =>
        $"{(string.IsNullOrEmpty(source) ? "" : source + " ")}row {row.ToString(CultureInfo.InvariantCulture)}, column {column}";

    private static IEnumerable<CsvRecord> Iterate(TextReader text, CsvReadOptions options)
    {
        CsvMalformedRecord? malformed = null;
        var settings = CsvReaderOptions.Default with
        {
            Separator = ',',
            Mode = CsvMode.Rfc4180,
            HasHeader = false,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            TrackLineNumbers = true,
            DetectSeparatorHint = false,
            FieldCountMismatch = CsvFieldCountHandling.Allow, // checked below, to name the header's column
            MalformedData = CsvMalformedDataHandling.Recover,
            // The first malformed record ends the read (below) with its row and column; recovering would lose data silently.
            OnMalformedRecord = m => malformed ??= m,
        };
        try
        {
            if (text.Peek() == '\uFEFF')
            {
                text.Read(); // a byte-order mark that a decoder left in the text
            }
        }
        catch (DecoderFallbackException ex)
        {
            throw Error(options.Source, 1, "1", $"the text is not UTF-8 ({ex.Message})");
        }

        using var reader = CsvReader.Create(text, settings, leaveOpen: true);
        int? width = null;
        var records = 0;
        IReadOnlyList<string>? header = null;
        while (true)
        {
            string[] fields;
            int line;
            try
            {
                if (!reader.Read())
                {
                    if (malformed is { } last)
                    {
                        throw Malformed(last, header, options.Source);
                    }

                    yield break;
                }

                fields = reader.Current.ToArray();
                line = (int)reader.LineNumber;
            }
            catch (DecoderFallbackException ex)
            {
                throw Error(options.Source, (int)Math.Max(1, reader.LineNumber), "1", $"the text is not UTF-8 ({ex.Message})");
            }
            catch (CsvFormatException ex)
            {
                throw Error(options.Source, (int)Math.Max(1, ex.LineNumber), ex.FieldIndex >= 0 ? Column(ex.FieldIndex, header) : "1", ex.Message);
            }

            if (malformed is { } bad && bad.LineNumber <= line)
            {
                throw Malformed(bad, header, options.Source);
            }

            for (var c = 0; c < fields.Length; c++)
            {
                if (fields[c].Contains('\uFFFD', StringComparison.Ordinal))
                {
                    throw Error(options.Source, line, Column(c, header), "holds U+FFFD, the mark of bytes that were not UTF-8 (save the file as UTF-8)");
                }

                if (fields[c].Length > Limits.LongestText.MaxLength)
                {
                    // The ceiling of every text (issue 12 item 8): a 10 MB cell is refused here, before any column rule.
                    throw Error(options.Source, line, Column(c, header), InputLimits.TooLong(fields[c].Length, Limits.LongestText));
                }

                if (fields[c].Contains('\0', StringComparison.Ordinal))
                {
                    // PostgreSQL cannot store NUL in text (it answered 503); refused on both engines alike.
                    throw Error(options.Source, line, Column(c, header), "holds a NUL character (U+0000), which no text field accepts");
                }
            }

            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (options.MaxRows is { } maxRows && ++records > maxRows + 1)
            {
                throw Error(options.Source, line, "1", $"the file has more than {maxRows:N0} rows; import it in parts ({Limits.ImportRows.Reason})");
            }

            if (options.SameWidth)
            {
                if (width is null)
                {
                    width = fields.Length;
                    header = fields;
                }
                else if (fields.Length > width)
                {
                    throw Error(options.Source, line, Column(width.Value, header),
                        $"an extra field: the header has {width} columns, this row {fields.Length} (quote a field that holds a comma)");
                }
                else if (fields.Length < width)
                {
                    throw Error(options.Source, line, Column(fields.Length, header),
                        $"a missing field: the header has {width} columns, this row {fields.Length}");
                }
            }
            else
            {
                header ??= fields;
            }

            yield return new CsvRecord(line, fields);
        }
    }

    /// <summary>
    /// The error of a record CsvHelper found malformed. Left to recover, CsvHelper would read on to
    /// the end of the file after an unterminated quote (the rest of the file one field) and keep a
    /// stray quote as text; the column is found by walking the raw record.
    /// </summary>
    private static DomainValidationException Malformed(CsvMalformedRecord bad, IReadOnlyList<string>? header, string source)
    {
        var raw = bad.RawRecord ?? "";
        var (column, unclosed) = QuoteProblem(raw);
        var message = bad.Reason switch
        {
            CsvMalformedReason.UnterminatedQuote =>
                $"the quote that opens this field is never closed (the rest of the file, {raw.Length} characters, would be read as one field)",
            CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote; quote the whole field and double a quote inside it (\"\")",
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field; quote the whole field and double a quote inside it (\"\")",
            _ when unclosed => "the quote that opens this field is never closed",
            _ => $"malformed ({bad.Reason})",
        };
        return Error(source, (int)Math.Max(1, bad.LineNumber), Column(column, header), message);
    }

    /// <summary>The 0-based column of the first quoting problem of a raw record, and whether it is a quote never closed.</summary>
    private static (int Column, bool Unclosed) QuoteProblem(string raw)
    {
        var column = 0;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] == '"')
            {
                i++;
                var closed = false;
                while (i < raw.Length)
                {
                    if (raw[i] == '"' && i + 1 < raw.Length && raw[i + 1] == '"')
                    {
                        i += 2;
                    }
                    else if (raw[i++] == '"')
                    {
                        closed = true;
                        break;
                    }
                }

                if (!closed)
                {
                    return (column, true);
                }

                if (i < raw.Length && raw[i] != ',')
                {
                    return (column, false);
                }
            }
            else
            {
                while (i < raw.Length && raw[i] != ',')
                {
                    if (raw[i++] == '"')
                    {
                        return (column, false);
                    }
                }
            }

            if (i < raw.Length)
            {
                i++; // the comma
                column++;
            }
        }

        return (column, false);
    }

    /// <summary>Column <paramref name="index"/> (0-based) as a person reads it: its header name when known, else its number.</summary>
    private static string Column(int index, IReadOnlyList<string>? header) =>
        header is not null && index < header.Count && header[index].Trim().Length > 0
            ? $"{(index + 1).ToString(CultureInfo.InvariantCulture)} ({header[index].Trim().TrimStart('\uFEFF')})"
            : (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The record (by the line it starts on) and column the end of <paramref name="before"/> lies in.</summary>
    private static (int Line, int Column) Locate(string before)
    {
        var physical = 1;
        var record = 1;
        var column = 1;
        var quoted = false;
        foreach (var c in before)
        {
            switch (c)
            {
                case '"':
                    quoted = !quoted;
                    break;
                case ',' when !quoted:
                    column++;
                    break;
                case '\n':
                    physical++;
                    if (!quoted)
                    {
                        record = physical;
                        column = 1;
                    }

                    break;
            }
        }

        return (record, column);
    }
}
