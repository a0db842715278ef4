using RadRegen.Core;
using RadRegen.Core.Csv;

namespace RadRegen.Bank.Import;

/// <summary>
/// The inventory file's records, read by RadRegen's one CSV reader (<see cref="CsvReading"/>):
/// RFC 4180, a UTF-8 BOM tolerated, every record as wide as the header, an unterminated quote or
/// a stray quote an error naming its row and column.
/// </summary>
public static class CsvText
{
    public static IReadOnlyList<CsvRecord> Parse(TextReader reader, string source = "") => CsvReading.ReadAll(reader, new CsvReadOptions(source, MaxRows: Limits.ImportRows.MaxCount));
}
