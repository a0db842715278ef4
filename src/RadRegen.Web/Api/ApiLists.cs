using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using RadRegen.Core;

namespace RadRegen.Web.Api;

/// <summary>
/// Lists in the API (ADR 0040): the query parameters <c>q</c>, <c>page</c>, <c>pageSize</c> (1–500, default
/// 500 so a client that never pages keeps getting whole small lists) and <c>sort</c> ("-" for descending);
/// the body is the page's items and the paging is in headers, as the observation list already did:
/// <c>X-Total-Count</c>, <c>X-Page</c>, <c>X-Page-Size</c>, <c>X-Sort</c> and an RFC 8288 <c>Link</c> with
/// first/prev/next/last. The vials and the journal keep their page object as the body and send the same
/// headers. A bad parameter is a 400 problem naming it.
/// </summary>
public static class ApiLists
{
    /// <summary>The query of the request's list parameters (validated by the domain service that runs it).</summary>
    public static ListQuery Query(string? q, int? page, int? pageSize, string? sort) =>
        new(q, page ?? 1, pageSize ?? Paging.PageSizeLimit.MaxCount, sort);

    /// <summary>The page's items, with the paging headers set on the response.</summary>
    public static IReadOnlyList<T> Items<T>(HttpContext http, ListPage<T> page)
    {
        Headers(http, page);
        return page.Items;
    }

    /// <summary>
    /// Sets the paging headers of <paramref name="page"/> on the response: for the lists whose body stays
    /// the page object it always was (the vials, the journal), as for every other list.
    /// </summary>
    public static void Headers<T>(HttpContext http, ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(page);
        var headers = http.Response.Headers;
        headers["X-Total-Count"] = page.Total.ToString(CultureInfo.InvariantCulture);
        headers["X-Page"] = page.Page.ToString(CultureInfo.InvariantCulture);
        headers["X-Page-Size"] = page.PageSize.ToString(CultureInfo.InvariantCulture);
        headers["X-Sort"] = page.Sort;
        var links = new List<string> { Link(http, 1, "first"), Link(http, page.Pages, "last") };
        if (page.Page > 1)
        {
            links.Add(Link(http, Math.Min(page.Page - 1, page.Pages), "prev"));
        }

        if (page.Page < page.Pages)
        {
            links.Add(Link(http, page.Page + 1, "next"));
        }

        headers.Link = string.Join(", ", links);
    }

    private static string Link(HttpContext http, long page, string rel)
    {
        var query = new QueryBuilder(http.Request.Query
            .Where(kv => kv.Key != "page")
            .SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? ""))))
        {
            { "page", page.ToString(CultureInfo.InvariantCulture) },
        };
        return $"<{http.Request.PathBase}{http.Request.Path}{query.ToQueryString()}>; rel=\"{rel}\"";
    }
}
