using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Fhir;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;
using FhirResource = Hl7.Fhir.Model.Resource;

namespace RadRegen.Web.Api;

/// <summary>
/// HL7 FHIR R4 at <c>/fhir/r4</c> (issue 17 item 1, ADR 0037, docs/fhir.md): <c>metadata</c>, read and
/// search of the five types <see cref="FhirService"/> serves, and <c>POST /fhir/r4</c> of a
/// transaction or batch Bundle of lab Observations. Authenticated as every endpoint (cookie or
/// bearer); the role checks live in the domain services. Bodies are FHIR JSON
/// (<c>application/fhir+json</c>, <c>application/json</c> accepted); every error is an
/// OperationOutcome with its HTTP status.
/// </summary>
public static partial class FhirEndpoints
{
    public const string Root = "/fhir/r4";

    private const string ContentType = FhirJson.MediaType + "; charset=utf-8";

    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(Root).RequireAuthorization().WithTags("fhir").ExcludeFromDescription();
        fhir.AddEndpointFilter(AsOperationOutcomeAsync);

        fhir.MapGet("/metadata", Metadata);
        fhir.MapGet("/{type}", SearchAsync);
        fhir.MapGet("/{type}/{id}", ReadAsync);
        fhir.MapPost("/", PostBundleAsync).Demands(Operation.CareObservationRecord);

        // Anything else under /fhir (another method, a deeper path): an OperationOutcome, not an empty 404/405.
        app.MapFallback(Root + "/{**rest}", Unsupported).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static IResult Metadata(HttpContext http, IClock clock) => Fhir(200, FhirService.Capabilities(BaseUrl(http), clock.UtcNow));

    private static async Task<IResult> SearchAsync(string type, HttpContext http, FhirService fhir, CancellationToken ct)
    {
        FhirService.RequireServed(type);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in http.Request.Query)
        {
            if (values.Count != 1)
            {
                throw FhirException.Invalid($"search parameter '{key}' is given {values.Count} times; give it once", key);
            }

            parameters[key] = values[0] ?? "";
        }

        return Fhir(200, await fhir.SearchAsync(http.Actor(), type, new FhirQuery(parameters), BaseUrl(http), ct));
    }

    private static async Task<IResult> ReadAsync(string type, string id, HttpContext http, FhirService fhir, CancellationToken ct) =>
        Fhir(200, await fhir.ReadAsync(http.Actor(), type, id, ct));

    private static async Task<IResult> PostBundleAsync(HttpContext http, FhirService fhir, CancellationToken ct)
    {
        var body = await ReadBodyAsync(http.Request, ct);
        var confirm = http.Request.Query["confirm"] is { Count: 1 } c && bool.TryParse(c[0], out var yes) && yes;
        return Fhir(200, await fhir.PostBundleAsync(http.Actor(), body, confirm, BaseUrl(http), ct));
    }

    private static IResult Unsupported(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var segments = path[Root.Length..].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var refusal = segments.Length >= 1 && !FhirService.Served.ContainsKey(segments[0])
            ? FhirException.NotSupported(404, $"resource type '{segments[0]}' is not served here; served: {string.Join(", ", FhirService.Served.Keys)}")
            : FhirException.NotSupported(HttpMethods.IsGet(http.Request.Method) ? 404 : 405,
                $"{http.Request.Method} {path} is not offered: this server reads and searches ({string.Join(", ", FhirService.Served.Keys)}) and takes a Bundle of lab Observations at POST {Root}");
        return Fhir(refusal.Status, FhirOutcome.Outcome(refusal.Issues));
    }

    /// <summary>The request body as a FHIR resource: FHIR JSON or plain JSON, else 415.</summary>
    private static async Task<FhirResource> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var type = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(type, FhirJson.MediaType, StringComparison.OrdinalIgnoreCase) && !string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw FhirException.NotSupported(415, $"the body must be {FhirJson.MediaType} (or application/json), not {type ?? "(none)"}");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string text;
        try
        {
            text = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw FhirException.NotSupported(413, ex.Message);
        }

        return FhirJson.Parse(text);
    }

    /// <summary>Every failure of a FHIR endpoint — the operation check of <c>.Demands</c> too — as an OperationOutcome.</summary>
    private static async ValueTask<object?> AsOperationOutcomeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (FhirOutcome.From(ex) is { } known)
            {
                return Fhir(known.Status, known.Outcome);
            }

            var http = context.HttpContext;
            var traceId = DomainExceptionHandler.TraceId(http);
            Failed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FhirEndpoints)), ex, http.Request.Method, http.Request.Path, traceId);
            return Fhir(500, FhirOutcome.Unexpected(traceId));
        }
    }

    [LoggerMessage(LogLevel.Error, "{Method} {Path} failed with 500; trace {TraceId}")]
    private static partial void Failed(ILogger logger, Exception exception, string method, string path, string traceId);

    /// <summary>
    /// Answers a request under <c>/fhir</c> that is not signed in: 401 with an OperationOutcome (issue
    /// code <c>login</c>), as every other FHIR error. The authentication handlers call it from their
    /// challenge, which runs before any endpoint.
    /// </summary>
    internal static Task NotSignedInAsync(HttpResponse response) =>
        WriteOutcomeAsync(response, StatusCodes.Status401Unauthorized, FhirOutcome.NotSignedIn());

    /// <summary>Answers a request under <c>/fhir</c> that a middleware refuses for its credentials' sake (<paramref name="status"/>, issue code <c>security</c>).</summary>
    internal static Task RefusedAsync(HttpResponse response, int status, string detail) =>
        WriteOutcomeAsync(response, status, FhirOutcome.Security(detail));

    private static Task WriteOutcomeAsync(HttpResponse response, int status, FhirResource outcome)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        return response.WriteAsync(FhirJson.Serialize(outcome), Encoding.UTF8);
    }

    /// <summary>Whether <paramref name="path"/> is under <c>/fhir</c>.</summary>
    internal static bool Serves(PathString path) => path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase);

    private static IResult Fhir(int status, FhirResource resource) => Results.Text(FhirJson.Serialize(resource), ContentType, Encoding.UTF8, status);

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{Root}";
}
