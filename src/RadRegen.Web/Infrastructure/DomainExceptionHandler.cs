using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// Turns the domain's exceptions into RFC 9457 problem details for API requests: 400 bad input
/// (each field with its message; a body or query the API could not read names its field, see
/// <see cref="RequestErrors"/>), 403, 404, 409, 422, 429 with <c>Retry-After</c> for throttled
/// password attempts; 503 when the database is unavailable and 500
/// for anything unexpected, both carrying the <c>traceId</c>. Pages handle the domain's exceptions
/// themselves beside the field; a refusal that escapes a page goes to the access-denied page (not a
/// 500), anything else reaching here from a page goes to the error page (500).
/// Every exception that ends in a 5xx is logged here, at Error, with its trace id: the one log
/// line an operator needs to find the request's trace (RadRegenHost silences the middleware's own).
/// </summary>
public sealed partial class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        // The middleware has already re-pointed Request.Path at the error page; the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerFeature>()?.Path ?? httpContext.Request.Path;
        var api = path.StartsWith("/api", StringComparison.OrdinalIgnoreCase);
        if (!api && exception is ForbiddenException)
        {
            httpContext.Response.Redirect("/access-denied");
            return true;
        }

        var problem = api ? ToProblem(exception) ?? Unexpected() : null;
        var status = problem?.Status ?? StatusCodes.Status500InternalServerError;
        if (status >= StatusCodes.Status500InternalServerError)
        {
            ServerError(logger, exception, status, httpContext.Request.Method, path, TraceId(httpContext));
            // What the middleware would have added to http.server.request.duration had it not been silenced.
            httpContext.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("error.type", exception.GetType().FullName));
        }

        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (exception is TooManyAttemptsException throttled)
        {
            httpContext.Response.Headers.RetryAfter = Security.RetryAfter.Seconds(throttled.RetryAfter);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The W3C trace id of the request (what a trace backend searches by), or ASP.NET Core's request id without a trace.</summary>
    public static string TraceId(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return Activity.Current is { } activity ? activity.TraceId.ToHexString() : httpContext.TraceIdentifier;
    }

    /// <summary>
    /// The problem for an exception nobody expected: no detail (it may hold anything), and the
    /// <c>traceId</c> extension that ASP.NET Core adds to every problem, which the log line quotes.
    /// </summary>
    private static ProblemDetails Unexpected() => new()
    {
        Status = StatusCodes.Status500InternalServerError,
        Title = "An unexpected error occurred; nothing was saved.",
        Detail = "Tell an administrator the traceId of this response.",
    };

    [LoggerMessage(LogLevel.Error, "{Method} {Path} failed with {StatusCode}; trace {TraceId}")]
    private static partial void ServerError(ILogger logger, Exception exception, int statusCode, string method, string path, string traceId);

    /// <summary>The problem for a domain exception, or null for an unexpected one.</summary>
    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        DomainValidationException v => new ValidationProblemDetails(
            v.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The input is not valid.",
            Detail = v.Message,
        },
        BadHttpRequestException or System.Text.Json.JsonException => RequestErrors.ToProblem(exception),
        TooManyAttemptsException t => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many failed password attempts.",
            Detail = t.Message,
        },
        ForbiddenException f => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed.", Detail = f.Message },
        NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = n.Message },
        ConflictException c => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = c.Message },
        RuleViolationException r => new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "Refused by a rule.", Detail = r.Message },
        DbException => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is not available." },
        _ => null,
    };
}
