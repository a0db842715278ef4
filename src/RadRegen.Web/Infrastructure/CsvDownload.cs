using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace RadRegen.Web.Infrastructure;

/// <summary>
/// A CSV file written straight to the response (RadRegen.Core.Csv.CsvOutput over the body), for
/// pages and the API alike: rows stream out as they are read, so an export of any size needs the
/// memory of one page of rows, not of the whole file.
/// </summary>
public sealed class CsvDownload(string fileName, Func<Stream, CancellationToken, Task> write) : IActionResult, IResult
{
    public const string ContentType = "text/csv";

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.Headers.ContentDisposition =
            new ContentDispositionHeaderValue("attachment") { FileName = fileName, FileNameStar = fileName }.ToString();
        await write(httpContext.Response.Body, httpContext.RequestAborted);
    }
}
