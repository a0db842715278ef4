using Microsoft.AspNetCore.Http;
using RadRegen.Core;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// The one check that no text reaches the services with a NUL character (U+0000) from the URL or a
/// form: the path, every query parameter and every form field (pages and API alike). JSON bodies
/// are checked while they are read (<see cref="NulRefusingStringConverter"/>), CSV uploads by the
/// CSV reader. PostgreSQL cannot store NUL in text and answered 503; SQLite stored it. An API
/// request gets 400 problem details naming the field; a page gets a plain 400.
/// </summary>
public static class NulCharacterFilter
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var field = await FindAsync(context.Request);
        if (field is null)
        {
            await next();
            return;
        }

        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainValidationException(field, NulRefusingStringConverter.Refusal);
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    /// <summary>The first field of <paramref name="request"/> holding a NUL character, or null.</summary>
    private static async Task<string?> FindAsync(HttpRequest request)
    {
        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return "path";
        }

        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
            {
                return key.Replace("\0", "", StringComparison.Ordinal);
            }
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (key, values) in form)
            {
                if (key.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                {
                    return key.Replace("\0", "", StringComparison.Ordinal);
                }
            }
        }

        return null;
    }
}
