using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace RadRegen.Web.Localization;

/// <summary>
/// Markup that sits inside a translated sentence: a value in <c>&lt;strong&gt;</c> or <c>&lt;code&gt;</c>, or a link,
/// passed as an argument of <c>L["… {0} …", Html.Strong(value)]</c> so that Japanese can put it where its word
/// order needs it (ADR 0041). The text is encoded with the page's encoder; the markup is written as given.
/// </summary>
public static class InlineHtml
{
    /// <summary>The text in <c>&lt;strong&gt;</c>; <paramref name="attributes"/> is written as given (e.g. <c>data-testid="x"</c>).</summary>
    public static IHtmlContent Strong(this IHtmlHelper html, object? text, string? attributes = null) =>
        Wrap(html, attributes is null ? "<strong>" : "<strong " + attributes + ">", text, "</strong>");

    /// <summary>The text in <c>&lt;em&gt;</c>.</summary>
    public static IHtmlContent Em(this IHtmlHelper html, object? text) => Wrap(html, "<em>", text, "</em>");

    /// <summary>The text in <c>&lt;code&gt;</c>.</summary>
    public static IHtmlContent Code(this IHtmlHelper html, object? text) => Wrap(html, "<code>", text, "</code>");

    /// <summary>A link: <c>&lt;a href="…"[ attributes]&gt;text&lt;/a&gt;</c>; <paramref name="attributes"/> is written as given (e.g. <c>data-testid="x"</c>).</summary>
    public static IHtmlContent Link(this IHtmlHelper html, string href, object? text, string? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Wrap(html, "<a href=\"" + html.Encode(href) + "\"" + (attributes is null ? "" : " " + attributes) + ">", text, "</a>");
    }

    private static HtmlContentBuilder Wrap(IHtmlHelper html, string open, object? text, string close)
    {
        ArgumentNullException.ThrowIfNull(html);
        var builder = new HtmlContentBuilder();
        builder.AppendHtml(open);
        if (text is IHtmlContent content)
        {
            builder.AppendHtml(content);
        }
        else
        {
            builder.Append(text?.ToString() ?? "");
        }

        builder.AppendHtml(close);
        return builder;
    }
}
