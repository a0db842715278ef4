using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace RadRegen.Web.Infrastructure;

/// <summary>A sortable column heading: a link (keyboard reachable) with aria-sort and an arrow for the order shown.</summary>
public static class SortHeaderHtml
{
    public static IHtmlContent SortHeader(this IHtmlHelper html, ListView list, string key, string label)
    {
        ArgumentNullException.ThrowIfNull(list);
        var th = new TagBuilder("th");
        th.Attributes["scope"] = "col";
        th.Attributes["aria-sort"] = list.AriaSort(key);
        var link = new TagBuilder("a");
        link.Attributes["href"] = list.SortLink(key);
        link.Attributes["data-testid"] = "sort-" + key;
        link.AddCssClass("link-body-emphasis text-decoration-none");
        link.InnerHtml.Append(label);
        var arrow = list.AriaSort(key) switch { "ascending" => " ▲", "descending" => " ▼", _ => "" };
        if (arrow.Length > 0)
        {
            var mark = new TagBuilder("span");
            mark.Attributes["aria-hidden"] = "true";
            mark.InnerHtml.Append(arrow);
            link.InnerHtml.AppendHtml(mark);
        }

        th.InnerHtml.AppendHtml(link);
        return th;
    }
}
