using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core.Access;
using RadRegen.Core.Work;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>The inbox (ADR 0040): what waits for the signed-in person, from every module, oldest first.</summary>
public static class InboxEndpoints
{
    /// <summary>One item as the API sends it: the roles who may act are names, as everywhere in the API.</summary>
    public sealed record InboxItemResponse(string Area, string Record, string Link, string NextStep, IReadOnlyList<string> By, DateTimeOffset Since, string? Detail);

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").RequireAuthorization().MapGet("/inbox", Inbox)
            .WithSummary("What waits for me: lots to release, deviations to close, shipments to dispatch or receive, therapy requests to act on, hub requests to answer — each with its next step and who may take it.")
            .WithTags("access");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<InboxItemResponse>>> Inbox(HttpContext http, Worklist worklist, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<InboxItemResponse>>([.. (await worklist.ForAsync(http.Actor(), ct))
            .Select(i => new InboxItemResponse(i.Area, i.Record, i.Link, i.Next.Action, [.. i.Next.By.Select(r => r.Name())], i.Since, i.Detail))]);
}
