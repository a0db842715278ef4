using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// Turns the domain's exceptions into RFC 9457 problem details for API requests: 400 bad input
/// (each field with its message), 403, 404, 409, 422. Pages handle these themselves beside the
/// field; a refusal that escapes a page goes to the access-denied page (not a 500), anything else
/// reaching here from a page goes to the error page.
/// </summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // The middleware has already re-pointed Request.Path at the error page; the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerFeature>()?.Path ?? httpContext.Request.Path;
        if (!path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            if (exception is ForbiddenException)
            {
                httpContext.Response.Redirect("/access-denied");
                return true;
            }

            return false;
        }

        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

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
        BadHttpRequestException b => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "The request is malformed.", Detail = b.Message },
        ForbiddenException f => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed.", Detail = f.Message },
        NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = n.Message },
        ConflictException c => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = c.Message },
        RuleViolationException r => new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "Refused by a rule.", Detail = r.Message },
        DbException => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is not available." },
        _ => null,
    };
}
