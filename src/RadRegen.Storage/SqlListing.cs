using System.Text;
using RadRegen.Core;

namespace RadRegen.Storage;

/// <summary>
/// The SQL of a <see cref="ListQuery"/> (ADR 0040), the same on SQLite and PostgreSQL: a case-insensitive
/// search over columns the store names, <c>ORDER BY</c> a column the store maps from a whitelisted sort key
/// (never text from the request), and <c>LIMIT</c>/<c>OFFSET</c> as parameters. The search text is a
/// parameter with LIKE's wildcards escaped, so "50%" finds "50%" and nothing else.
/// </summary>
internal sealed class SqlListing
{
    private readonly IReadOnlyDictionary<string, string[]> _columns;
    private readonly string[] _searchColumns;
    private readonly string _tieBreak;

    /// <param name="columns">Sort key → the SQL expression it orders by (constants of the store).</param>
    /// <param name="searchColumns">The SQL expressions the search text is looked for in.</param>
    /// <param name="tieBreak">A unique column that makes the order total (paging never repeats or skips a row).</param>
    public SqlListing(IReadOnlyDictionary<string, string> columns, string[] searchColumns, string tieBreak)
        : this(columns.ToDictionary(kv => kv.Key, kv => new[] { kv.Value }, StringComparer.Ordinal), searchColumns, tieBreak)
    {
    }

    /// <param name="columns">Sort key → the SQL expressions it orders by, in turn, each in the asked direction (a place: box, then row, then column).</param>
    /// <param name="searchColumns">The SQL expressions the search text is looked for in.</param>
    /// <param name="tieBreak">A unique column that makes the order total (paging never repeats or skips a row).</param>
    public SqlListing(IReadOnlyDictionary<string, string[]> columns, string[] searchColumns, string tieBreak)
    {
        _columns = columns;
        _searchColumns = searchColumns;
        _tieBreak = tieBreak;
    }

    /// <summary>" AND (lower(a) LIKE @q ESCAPE '\' OR …)" when there is a search text, else "".</summary>
    public string SearchCondition(ListQuery query) =>
        query.Text is null || _searchColumns.Length == 0
            ? ""
            : " AND (" + string.Join(" OR ", _searchColumns.Select(c => $"lower({c}) LIKE @listSearch ESCAPE '\\'")) + ")";

    /// <summary>" ORDER BY column [DESC], tie-break LIMIT @listLimit OFFSET @listOffset".</summary>
    public string OrderAndPage(SortOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!_columns.TryGetValue(order.Key, out var columns))
        {
            throw new ArgumentException($"the store has no column for the sort key {order.Key}", nameof(order));
        }

        var direction = order.Descending ? " DESC" : "";
        var by = string.Join(", ", columns.Where(c => c != _tieBreak).Append(_tieBreak).Select(c => c + direction));
        return $" ORDER BY {by} LIMIT @listLimit OFFSET @listOffset";
    }

    /// <summary>
    /// One page of a list and the list's total, in two statements with the same parameters: <c>SELECT COUNT(*)
    /// <paramref name="from"/> WHERE …</c>, then <paramref name="select"/> (its FROM included) with the same
    /// WHERE, <see cref="OrderAndPage"/>. <paramref name="filter"/> is the store's own " AND …" conditions over
    /// <paramref name="args"/>; the search condition is added here.
    /// </summary>
    public async Task<ListPage<T>> PageAsync<TRow, T>(SqlSession session, string from, string select, string filter, object? args,
        ListQuery query, SortOrder order, Func<TRow, T> map, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(order);
        var where = " WHERE 1 = 1" + filter + SearchCondition(query);
        var parameters = Parameters(query, args);
        var total = await session.ScalarAsync<long>("SELECT COUNT(*) " + from + where, parameters, ct);
        var rows = await session.QueryAsync<TRow>(select + where + OrderAndPage(order), parameters, ct);
        return new ListPage<T>([.. rows.Select(map)], total, query.Page, query.PageSize, order.ToString());
    }

    /// <summary>The page parameters <see cref="OrderAndPage"/> uses, added to <paramref name="parameters"/> (for a list filtered by its own fields, not a <see cref="ListQuery"/>).</summary>
    public static void AddPaging(Dapper.DynamicParameters parameters, int page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add("listLimit", pageSize);
        parameters.Add("listOffset", Paging.Offset(page, pageSize));
    }

    /// <summary>The parameters <see cref="SearchCondition"/> and <see cref="OrderAndPage"/> use, added to <paramref name="args"/>.</summary>
    public static Dapper.DynamicParameters Parameters(ListQuery query, object? args = null)
    {
        var parameters = new Dapper.DynamicParameters(args);
        parameters.Add("listSearch", query.Text is { } text ? "%" + EscapeLike(text.ToLowerInvariant()) + "%" : null);
        parameters.Add("listLimit", query.PageSize);
        parameters.Add("listOffset", query.Offset);
        return parameters;
    }

    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
