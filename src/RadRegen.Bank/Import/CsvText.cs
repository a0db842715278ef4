using System.Text;

namespace RadRegen.Bank.Import;

/// <summary>One CSV record and the line of the file it starts on (1 = the header).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>An RFC 4180 reader: comma-separated, double-quoted fields with "" for a quote, CRLF or LF, a UTF-8 BOM tolerated.</summary>
public static class CsvText
{
    public static IReadOnlyList<CsvRecord> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd().TrimStart('\uFEFF');
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(new CsvRecord(recordLine, [.. fields]));
                    fields.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }

        if (any || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new CsvRecord(recordLine, [.. fields]));
        }

        return records;
    }
}
