using System.Globalization;
using System.Text;
using CsvHelper;

namespace RadRegen.Core.Csv;

/// <summary>
/// The one CSV writer of RadRegen (RFC 4180 through CsvHelper's <see cref="CsvWriter"/>, CRLF,
/// UTF-8 without a byte-order mark). It writes to any <see cref="TextWriter"/>, so an export
/// streams row by row to a response or a file instead of being built in memory. Text is quoted
/// and defused against spreadsheet formula injection (<see cref="Defuse"/>); numbers, codes and
/// times are written as they are (quoted only when they hold a comma, quote or line break).
/// </summary>
public sealed class CsvOutput : IDisposable, IAsyncDisposable
{
    /// <summary>The encoding of every export: UTF-8 without a byte-order mark.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly CsvWriter writer;

    /// <param name="sameWidth">Every row as wide as the first (RFC 4180); a row of another width throws. Off only for a format whose rows differ by design.</param>
    public CsvOutput(TextWriter output, bool leaveOpen = false, bool sameWidth = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        writer = CsvWriter.Create(output, Options with { ValidateFieldCount = sameWidth }, leaveOpen);
    }

    private CsvOutput(Stream output, bool leaveOpen)
    {
        writer = CsvWriter.Create(output, Options, leaveOpen);
    }

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        NewLine = "\r\n",
        Quoting = CsvQuoting.WhenNeeded,
        // Defusing is done by Defuse on text only: a negative number is data, not a formula.
        Injection = CsvInjection.None,
        WriteByteOrderMark = false,
    };

    /// <summary>A writer over a stream (a response body, a file), UTF-8 without a byte-order mark.</summary>
    public static CsvOutput Over(Stream stream, bool leaveOpen = false) => new(stream ?? throw new ArgumentNullException(nameof(stream)), leaveOpen);

    /// <summary>A header row: the names as they are.</summary>
    public CsvOutput Header(params IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            writer.WriteField(name);
        }

        return EndRow();
    }

    /// <summary>A text field: quoted (<c>""</c> for a quote) and defused; null and empty are an empty field.</summary>
    public CsvOutput Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            writer.WriteField("", CsvQuoting.WhenNeeded);
        }
        else
        {
            writer.WriteField(Defuse(value), CsvQuoting.Always);
        }

        return this;
    }

    /// <summary>A value as it is (a number, a code, a time); quoted only when it needs to be.</summary>
    public CsvOutput Value(string? value)
    {
        writer.WriteField(value ?? "");
        return this;
    }

    /// <summary>Several fields, each as <see cref="Value"/>.</summary>
    public CsvOutput Values(params IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var v in values)
        {
            Value(v);
        }

        return this;
    }

    /// <summary>Ends the row.</summary>
    public CsvOutput EndRow()
    {
        writer.EndRecord();
        return this;
    }

    /// <summary>Ends the row, writing to the destination asynchronously when the buffer is mostly full (a response body allows no synchronous writes).</summary>
    public async ValueTask EndRowAsync(CancellationToken ct = default) => await writer.EndRecordAsync(ct).ConfigureAwait(false);

    public async Task FlushAsync(CancellationToken ct = default) => await writer.FlushAsync(ct).ConfigureAwait(false);

    public void Dispose() => writer.Dispose();

    public ValueTask DisposeAsync() => writer.DisposeAsync();

    /// <summary>
    /// Prefixes a leading <c>= + - @</c>, tab or CR with an apostrophe so that a spreadsheet shows
    /// the text instead of running it as a formula (OWASP, "CSV Injection").
    /// </summary>
    public static string Defuse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
    }

    /// <summary>One text field as <see cref="Text"/> writes it, for a caller that builds a line itself.</summary>
    public static string Quote(string? value) =>
        string.IsNullOrEmpty(value) ? "" : "\"" + Defuse(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Writes rows to a string (small exports, tests).</summary>
    public static string ToText(Action<CsvOutput> write, bool sameWidth = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvOutput(text, leaveOpen: true, sameWidth))
        {
            write(csv);
        }

        return text.ToString();
    }
}
