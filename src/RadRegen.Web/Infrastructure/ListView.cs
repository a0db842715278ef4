using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using RadRegen.Core;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// A list page's search, sort and page as the URL carries them (<c>q</c>, <c>sort</c>, <c>page</c>,
/// <c>pageSize</c>: the same names as the API), so every view of a list can be bookmarked and shared (ADR 0040).
/// The pager, search box and sortable headers (Pages/Shared/_ListSearch, _Pager; <see cref="SortHeaderHtml.SortHeader"/>) draw from it.
/// </summary>
public sealed class ListView
{
    private readonly HttpRequest _request;

    private ListView(HttpRequest request, ListQuery query, SortKeys keys, IReadOnlyList<FieldError> errors)
    {
        _request = request;
        Query = query;
        Keys = keys;
        Errors = errors;
        Order = keys.Parse(query.Sort, out _) ?? keys.Default;
    }

    /// <summary>The query the request asked for (its bad parts replaced by defaults; see <see cref="Errors"/>).</summary>
    public ListQuery Query { get; }

    /// <summary>The sorts the list accepts.</summary>
    public SortKeys Keys { get; }

    /// <summary>The order shown.</summary>
    public SortOrder Order { get; private set; }

    /// <summary>What was wrong in the URL's list parameters (shown above the list; the list shows its defaults).</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Rows in the whole list matching the search (set by <see cref="Show"/>).</summary>
    public long Total { get; private set; }

    /// <summary>Pages in the whole list (at least 1).</summary>
    public long Pages { get; private set; } = 1;

    /// <summary>Reads the list parameters of <paramref name="request"/>; a value that is not a number or outside the rules is reported and replaced by the default.</summary>
    public static ListView From(HttpRequest request, SortKeys keys, int defaultPageSize = ListQuery.DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        var errors = new List<FieldError>();
        var page = Number(request, "page", 1, errors);
        var size = Number(request, "pageSize", defaultPageSize, errors);
        var query = new ListQuery(request.Query["q"].ToString(), page, size, request.Query["sort"].ToString());
        try
        {
            query.Validate(keys);
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
            var bad = ex.Errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
            query = new ListQuery(
                bad.Contains("q") ? null : query.Search,
                bad.Contains("page") ? 1 : query.Page,
                bad.Contains("pageSize") ? defaultPageSize : query.PageSize,
                bad.Contains("sort") ? null : query.Sort);
        }

        return new ListView(request, query, keys, errors);
    }

    /// <summary>Takes the totals of the page shown.</summary>
    public ListPage<T> Show<T>(ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Total = page.Total;
        Pages = page.Pages;
        Order = Keys.Parse(page.Sort, out _) ?? Order;
        return page;
    }

    /// <summary>The URL of this list with <paramref name="changes"/> applied (null removes a parameter).</summary>
    public string Link(params (string Name, string? Value)[] changes)
    {
        var values = _request.Query.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        values.Remove("handler");
        foreach (var (name, value) in changes)
        {
            if (string.IsNullOrEmpty(value))
            {
                values.Remove(name);
            }
            else
            {
                values[name] = new StringValues(value);
            }
        }

        var query = new QueryBuilder();
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var v in value)
            {
                query.Add(key, v ?? "");
            }
        }

        return _request.PathBase + _request.Path + query.ToQueryString();
    }

    /// <summary>The URL of page <paramref name="page"/>.</summary>
    public string PageLink(long page) => Link(("page", page <= 1 ? null : page.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The URL sorting by <paramref name="key"/>: ascending first, the other way when it is the order shown; back to page 1.</summary>
    public string SortLink(string key) =>
        Link(("sort", new SortOrder(key, Order.Key == key && !Order.Descending).ToString()), ("page", null));

    /// <summary>The aria-sort value of the column sorted by <paramref name="key"/>.</summary>
    public string AriaSort(string key) => Order.Key != key ? "none" : Order.Descending ? "descending" : "ascending";

    /// <summary>The first and last row shown (1-based), for "rows 51–100 of 312".</summary>
    public (long First, long Last) Rows(int shown) =>
        shown == 0 ? (0, 0) : (Query.Offset + 1, Query.Offset + shown);

    private static int Number(HttpRequest request, string name, int fallback, List<FieldError> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new FieldError(name, $"'{(text.Length > 20 ? text[..20] + "…" : text)}' is not a whole number"));
        return fallback;
    }
}
