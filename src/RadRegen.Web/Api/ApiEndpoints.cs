using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>The foundation's REST API under <c>/api/v1</c>. Role checks live in the services.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapRadRegenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization();

        api.MapGet("/me", (HttpContext http) =>
        {
            var actor = http.Actor();
            return TypedResults.Ok(new MeResponse(actor.UserId, actor.UserName, http.User.DisplayName(),
                [.. actor.Roles.Order().Select(r => r.Name())]));
        }).WithSummary("The signed-in user or token owner, with roles.").WithTags("access");

        var audit = api.MapGroup("/audit").WithTags("audit");
        audit.MapGet("/entries", async Task<Ok<JournalPageResponse>> (HttpContext http, AuditService service,
            string? recordType, string? recordId, string? user, DateTimeOffset? from, DateTimeOffset? to,
            int? page, int? pageSize, string? sort, CancellationToken ct) =>
        {
            var result = await service.BrowseAsync(http.Actor(),
                new JournalQuery(recordType, recordId, user, from, to, page ?? 1, pageSize ?? 50, sort), ct);
            ApiLists.Headers(http, new ListPage<JournalEntry>(result.Entries, result.Total, result.Page, result.PageSize, JournalLists.Entries.Require(sort).ToString()));
            return TypedResults.Ok(new JournalPageResponse(result.Entries, result.Total, result.Page, result.PageSize));
        }).WithSummary("Journal entries, filtered by record, user and time; newest first, or sort by sequence, time, user, recordType (\"-\" for descending); paged (the page object, and the headers of ApiLists: X-Total-Count, Link) (auditor, QA officer, admin).");

        audit.MapPost("/verify", async Task<Ok<JournalVerification>> (HttpContext http, AuditService service, CancellationToken ct) =>
            TypedResults.Ok(await service.VerifyAsync(http.Actor(), ct)))
            .WithSummary("Recomputes the journal's hash chain and names the first entry that does not verify.")
            .Demands(Operation.AuditRead);

        audit.MapGet("/signatures", async Task<Ok<IReadOnlyList<ElectronicSignature>>> (HttpContext http, AuditService service,
            string recordType, string recordId, CancellationToken ct) =>
            TypedResults.Ok(await service.SignaturesAsync(http.Actor(), recordType, recordId, ct)))
            .WithSummary("Electronic signatures on one record.");

        api.MapGet("/users", async Task<Ok<IEnumerable<UserResponse>>> (HttpContext http, AccessService access, CancellationToken ct) =>
            TypedResults.Ok((await access.ListUsersAsync(http.Actor(), ct)).Select(UserResponse.From)))
            .WithSummary("Accounts (admin, auditor).").WithTags("access");

        return app;
    }

    public sealed record MeResponse(long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles);

    public sealed record JournalPageResponse(IReadOnlyList<JournalEntry> Entries, long Total, int Page, int PageSize);

    public sealed record UserResponse(long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, bool Disabled,
        DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt)
    {
        public static UserResponse From(UserAccount a) =>
            new(a.Id, a.UserName, a.DisplayName, [.. a.Roles.Order().Select(r => r.Name())], a.Disabled, a.LockedUntil, a.CreatedAt);
    }
}
