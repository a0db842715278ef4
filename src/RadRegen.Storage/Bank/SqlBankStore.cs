using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Bank;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Bank;

/// <summary>
/// The cell bank's tables, over one unit of work's transaction. Parameterised SQL only.
/// One part per feature, each with its SQL and the row classes Dapper maps it to:
/// <list type="bullet">
/// <item><c>SqlBankStore.Products.cs</c>: the product catalogue;</item>
/// <item><c>SqlBankStore.Donors.cs</c>: donors and consent, lines, master and working cell banks;</item>
/// <item><c>SqlBankStore.Lots.cs</c>: lots and DIN sequences, QC results, deviations;</item>
/// <item><c>SqlBankStore.Vials.cs</c>: vials one by one, flags, expiry;</item>
/// <item><c>SqlBankStore.Storage.cs</c>: storage locations, temperatures, chain of custody;</item>
/// <item><c>SqlBankStore.Inventory.cs</c>: inventory search, available vials, counts, lineage.</item>
/// </list>
/// This file holds what they share: the JSON options and the text forms of times and enums.
/// </summary>
internal sealed partial class SqlBankStore(SqlSession session) : IBankStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static string T(DateTimeOffset t) => JournalTime.ToText(t);

    private static string? T(DateTimeOffset? t) => t is { } v ? JournalTime.ToText(v) : null;

    private static DateTimeOffset P(string t) => JournalTime.Parse(t);

    private static DateTimeOffset? P(string? t, bool _ = true) => t is null ? null : JournalTime.Parse(t);

    private static string Lower<TEnum>(TEnum e) where TEnum : struct, Enum => e.ToString().ToLowerInvariant();

    /// <summary>A column list template (<c>{0}</c> is the table alias) for one alias.</summary>
    private static string Cols(string template, string alias) => string.Format(CultureInfo.InvariantCulture, template, alias);

    /// <summary>
    /// Ids per SQLite statement when a query reads rows for many ids: Dapper expands <c>IN @ids</c> into one
    /// parameter per id, and SQLite refuses more than SQLITE_MAX_VARIABLE_NUMBER of them (999 before SQLite
    /// 3.32, 32766 since: https://www.sqlite.org/limits.html, item 9). PostgreSQL takes the ids as one array
    /// parameter (<c>= ANY(@ids)</c>), so it needs no chunks.
    /// </summary>
    internal const int SqliteIdsPerStatement = 900;

    /// <summary>
    /// The rows of <paramref name="select"/> whose <paramref name="column"/> is one of <paramref name="ids"/>, in
    /// <paramref name="orderBy"/> (which must lead with <paramref name="column"/> so that the chunks, taken in id order, stay in order):
    /// one statement on PostgreSQL, one per <see cref="SqliteIdsPerStatement"/> ids on SQLite.
    /// </summary>
    private async Task<List<TRow>> QueryByIdsAsync<TRow>(string select, string column, string orderBy, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rows = new List<TRow>();
        var sorted = ids.Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            return rows;
        }

        var postgres = session.Engine == Engine.Postgres;
        var condition = postgres ? column + " = ANY(@ids)" : column + " IN @ids";
        foreach (var chunk in postgres ? [sorted] : sorted.Chunk(SqliteIdsPerStatement))
        {
            rows.AddRange(await session.QueryAsync<TRow>(select + " WHERE " + condition + " ORDER BY " + orderBy, new { ids = chunk }, ct));
        }

        return rows;
    }
}
