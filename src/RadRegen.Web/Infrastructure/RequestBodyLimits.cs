using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// The request body limit of each route group (issue 12 item 8), set before anything reads the
/// body: CSV imports (an API path ending in <c>/imports</c>, a page's multipart upload) may send
/// <see cref="ImportBytes"/>; every other request — JSON bodies, forms — <see cref="JsonBytes"/>.
/// A declared Content-Length over the limit is refused at once; a chunked body is cut by Kestrel
/// when it passes the limit. Both are answered 413 problem details naming <c>body</c> and the
/// limit (<see cref="RequestErrors"/>). docs/security.md "Limits" lists them.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>A JSON body or a form: the largest real one (a policy change, a donor with markers) is a few kB.</summary>
    public const long JsonBytes = 1L * 1024 * 1024;

    /// <summary>A CSV import: 100,000 victims with observations over ten days (the benchmark, the drill's file) is 57.5 MB; twice that fits.</summary>
    public const long ImportBytes = 128L * 1024 * 1024;

    /// <summary>The body limit of <paramref name="request"/>'s route.</summary>
    public static long For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "";
        var isApiImport = request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && path.TrimEnd('/').EndsWith("/imports", StringComparison.OrdinalIgnoreCase);
        var isPageUpload = !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        return isApiImport || isPageUpload ? ImportBytes : JsonBytes;
    }

    public static Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var limit = For(context.Request);
        if (context.Request.ContentLength is { } length && length > limit)
        {
            throw TooLarge(limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next();
    }

    /// <summary>The 413 for a body over <paramref name="limit"/> bytes.</summary>
    public static BadHttpRequestException TooLarge(long limit) =>
        new($"Request body too large: this route accepts at most {limit / (1024 * 1024)} MB ({limit:N0} bytes).", StatusCodes.Status413PayloadTooLarge);
}
