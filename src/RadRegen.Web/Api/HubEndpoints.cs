using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core.Access;
using RadRegen.Network.Hub;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// <c>/api/v1/hub</c>: the international hub (issue 14, ADR 0032) — the registry of members and
/// capabilities by RANET area, requests for assistance and offers in EDXL-RM-named states, matching,
/// IRIX 1.0 export and import. Codes are written as the hub names them (kebab-case); every state
/// carries the EDXL-RM message that leads to it. Role checks and rules live in the services.
/// </summary>
public static class HubEndpoints
{
    public static IEndpointRouteBuilder MapHubApi(this IEndpointRouteBuilder app)
    {
        var hub = app.MapGroup("/api/v1/hub").RequireAuthorization().WithTags("hub");
        hub.MapGet("/members", ListMembers).WithName("ListHubMembers").WithSummary("The hub's members (State contact points, collaborating centers, liaison institutions) with their capabilities.");
        hub.MapGet("/members/{code}", GetMember).WithName("GetHubMember").WithSummary("One member.");
        hub.MapPost("/members", DeclareMember).WithName("DeclareHubMember").Demands(Operation.HubRegistryManage)
            .WithSummary("Declares a member this center keeps and its capabilities (the whole declaration: area, kind, quantity, terms, validity); published to the network. 400 names each bad field.");
        hub.MapGet("/capabilities", SearchCapabilities).WithName("SearchHubCapabilities")
            .WithSummary("The registry searched by area (RANET), kind, validOn (default today) and text.");
        hub.MapGet("/requests", ListRequests).WithName("ListHubRequests")
            .WithSummary("Requests for assistance, newest first, with their offers, state and answer timer; state, open=true, and asMember (what that member's label allows) filter.");
        hub.MapPost("/requests", CreateRequest).WithName("CreateHubRequest").Demands(Operation.HubRequest)
            .WithSummary("Requests assistance (EDXL-RM RequestResource): requester, subject, scope, lines coded by RANET area, patient counts by triage and response category, urgency, confidentiality, addressees, answerWithinHours; e-signed.");
        hub.MapGet("/requests/{id}", GetRequest).WithName("GetHubRequest").WithSummary("One request with its offers (asMember: as that member may see it).");
        hub.MapGet("/requests/{id}/matches", Matches).WithName("MatchHubRequest")
            .WithSummary("Members ranked for the request by declared capabilities and live network data (capacity snapshots, shared stock), with the reasoning.");
        hub.MapPost("/requests/{id}/offers", Offer).WithName("OfferHubAssistance").Demands(Operation.HubOffer)
            .WithSummary("Offers assistance against an open request (EDXL-RM ResponseToRequestResource): offerer, scope, lines, terms, cost; e-signed.");
        hub.MapPost("/requests/{id}/close", Close).WithName("CloseHubRequest").Demands(Operation.HubRequest)
            .WithSummary("The requesting side closes a delivered request; e-signed.");
        hub.MapPost("/requests/{id}/release", ReleaseRequest).WithName("ReleaseHubRequest").Demands(Operation.HubRequest)
            .WithSummary("The requesting side releases a request it no longer needs, with a reason (EDXL-RM ReleaseResource); its live offers are released; e-signed.");
        hub.MapGet("/requests/{id}/irix", ExportIrix).WithName("ExportHubIrix")
            .WithSummary("The request and the responses 'for' may see as an IRIX 1.0 report (application/xml); a members-only or restricted request needs 'for'. Each export is a new ReportUUID that Follows (or, once released, Revokes) the previous.");
        hub.MapPost("/irix", ImportIrix).WithName("ImportHubIrix").Demands(Operation.HubIrixImport)
            .WithSummary("Imports an IRIX 1.0 request report (xml, password): a new request, or one that Follows/Revokes a known report; responses become offers. 400 when it does not parse or fails the schema.");
        hub.MapGet("/offers/{id}", GetOffer).WithName("GetHubOffer").WithSummary("One offer.");
        hub.MapPost("/offers/{id}/accept", Accept).WithName("AcceptHubOffer").Demands(Operation.HubRequest)
            .WithSummary("The requesting side accepts an offer (EDXL-RM RequisitionResource); e-signed.");
        hub.MapPost("/offers/{id}/commit", Commit).WithName("CommitHubOffer").Demands(Operation.HubOffer)
            .WithSummary("The offering side commits the resources (EDXL-RM CommitResource); e-signed.");
        hub.MapPost("/offers/{id}/deliver", Deliver).WithName("DeliverHubOffer").Demands(Operation.HubOffer)
            .WithSummary("The offering side reports the assistance delivered (EDXL-RM ReportResourceDeploymentStatus); e-signed.");
        hub.MapPost("/offers/{id}/withdraw", Withdraw).WithName("WithdrawHubOffer").Demands(Operation.HubOffer)
            .WithSummary("The offering side withdraws its offer before delivery, with a reason; e-signed.");
        hub.MapPost("/offers/{id}/release", ReleaseOffer).WithName("ReleaseHubOffer").Demands(Operation.HubRequest)
            .WithSummary("The requesting side releases one offer it does not need, with a reason (EDXL-RM ReleaseResource); e-signed.");
        return app;
    }

    // ------------------------------------------------------------ shapes

    public sealed record CapabilityResponse(string Area, string Kind, string Unit, int Quantity, string? ProductType, double? HlaCoveragePercent, string? Description,
        string? Terms, DateOnly ValidFrom, DateOnly? ValidUntil)
    {
        public static CapabilityResponse From(Capability c) => new(c.Area.Name(), c.Kind.Name(), c.Kind.Unit(), c.Quantity, c.ProductType, c.HlaCoveragePercent,
            c.Description, c.Terms, c.ValidFrom, c.ValidUntil);
    }

    public sealed record MemberResponse(string Code, string Name, string Kind, string? Country, string? Organisation, string? Center, string Source,
        DateTimeOffset DeclaredAt, string DeclaredBy, IReadOnlyList<CapabilityResponse> Capabilities)
    {
        public static MemberResponse From(HubMember m) => new(m.Code, m.Name, m.Kind.Name(), m.Country, m.Organisation, m.Center, m.Source, m.DeclaredAt, m.DeclaredBy,
            [.. m.Capabilities.Select(CapabilityResponse.From)]);
    }

    public sealed record SearchHit(string Member, string MemberName, string MemberKind, string? Center, CapabilityResponse Capability);

    public sealed record LineResponse(string Area, string? Kind, string? Unit, int? Quantity, string? ProductType, string? Note)
    {
        public static LineResponse From(AssistanceLine l) => new(l.Area.Name(), l.Kind?.Name(), l.Kind?.Unit(), l.Quantity, l.ProductType, l.Note);
    }

    public sealed record OfferResponse(string Id, string RequestId, string State, string? EdxlRm, string Offerer, string Source, string RequestSource, string Scope,
        IReadOnlyList<LineResponse> Lines, string? Terms, decimal? CostAmount, string? CostCurrency, string Confidentiality, DateTimeOffset OfferedAt, string OfferedBy,
        DateTimeOffset? AcceptedAt, string? AcceptedBy, DateTimeOffset? CommittedAt, string? CommittedBy, DateTimeOffset? DeliveredAt, string? DeliveredBy,
        DateTimeOffset? ClosedAt, DateTimeOffset? WithdrawnAt, string? WithdrawnBy, DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason)
    {
        public static OfferResponse From(AssistanceOffer o) => new(o.Id, o.RequestId, o.State.Name(), o.State.EdxlRmMessage(), o.Offerer, o.Source, o.RequestSource,
            o.Scope, [.. o.Lines.Select(LineResponse.From)], o.Terms, o.CostAmount, o.CostCurrency, o.Confidentiality.Name(), o.OfferedAt, o.OfferedBy,
            o.AcceptedAt, o.AcceptedBy, o.CommittedAt, o.CommittedBy, o.DeliveredAt, o.DeliveredBy, o.ClosedAt, o.WithdrawnAt, o.WithdrawnBy,
            o.ReleasedAt, o.ReleasedBy, o.ReleaseReason);
    }

    /// <summary>A request; <c>overdue</c>: no answer within the window the requester stated (Assistance Convention Art. 2.3 "promptly").</summary>
    public sealed record RequestResponse(string Id, string State, string? EdxlRm, string Source, string Requester, string Subject, string Scope,
        IReadOnlyList<LineResponse> Lines, IReadOnlyList<PatientCount> Patients, string? SupportingInformation, string Urgency, string Confidentiality,
        IReadOnlyList<string> Addressees, int AnswerWithinHours, DateTimeOffset AnswerDue, DateTimeOffset? AnsweredAt, bool Overdue, double? AnswerRemainingMinutes,
        DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset? ClosedAt, DateTimeOffset? ReleasedAt, string? ReleaseReason, IReadOnlyList<OfferResponse> Offers)
    {
        public static RequestResponse From(RequestView v)
        {
            var r = v.Request;
            return new(r.Id, v.State.Name(), v.State.EdxlRmMessage(), r.Source, r.Requester, r.Subject, r.Scope, [.. r.Lines.Select(LineResponse.From)], r.Patients,
                r.SupportingInformation, r.Urgency.Name(), r.Confidentiality.Name(), r.Addressees, r.AnswerWithinHours, v.AnswerDue, v.AnsweredAt, v.Overdue,
                v.AnswerRemaining is { } left ? Math.Round(left.TotalMinutes, 1) : null, r.RequestedAt, r.RequestedBy, r.ClosedAt, r.ReleasedAt, r.ReleaseReason,
                [.. v.Offers.Select(OfferResponse.From)]);
        }
    }

    public sealed record LineMatchResponse(int Line, int Declared, int? Live, int Usable, int? Needed, double Coverage, IReadOnlyList<string> Reasons);

    public sealed record MatchResponse(string Member, string MemberName, string MemberKind, string? Center, double Score, int LinesMet, IReadOnlyList<LineMatchResponse> Lines);

    public sealed record MemberInputBody(string? Code, string? Name, string? Kind, string? Country, string? Organisation, string? Center, IReadOnlyList<CapabilityInput>? Capabilities);

    public sealed record RequestInput(string? Requester, string? Subject, string? Scope, IReadOnlyList<LineInput>? Lines, IReadOnlyList<PatientInput>? Patients,
        string? SupportingInformation, string? Urgency, string? Confidentiality, IReadOnlyList<string>? Addressees, int? AnswerWithinHours, string? Password);

    public sealed record OfferInput(string? Offerer, string? Scope, IReadOnlyList<LineInput>? Lines, string? Terms, decimal? CostAmount, string? CostCurrency,
        string? Confidentiality, string? Password);

    public sealed record SignInput(string? Password, string? Reason);

    public sealed record IrixInput(string? Xml, string? Password);

    // ------------------------------------------------------------ handlers

    private static async Task<Ok<IEnumerable<MemberResponse>>> ListMembers(HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok((await hub.ListMembersAsync(http.Actor(), ct)).Select(MemberResponse.From));

    private static async Task<Ok<MemberResponse>> GetMember(string code, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(MemberResponse.From(await hub.GetMemberAsync(http.Actor(), code, ct)));

    private static async Task<Created<MemberResponse>> DeclareMember(MemberInputBody input, HttpContext http, HubService hub, CancellationToken ct)
    {
        var m = await hub.DeclareMemberAsync(http.Actor(), new MemberInput(input.Code, input.Name, input.Kind, input.Country, input.Organisation, input.Center, input.Capabilities), ct);
        return TypedResults.Created($"/api/v1/hub/members/{m.Code}", MemberResponse.From(m));
    }

    private static async Task<Ok<IEnumerable<SearchHit>>> SearchCapabilities(string? area, string? kind, DateOnly? validOn, string? text, HttpContext http, HubService hub,
        CancellationToken ct) =>
        TypedResults.Ok((await hub.SearchAsync(http.Actor(), new CapabilitySearch(area, kind, validOn, text), ct))
            .Select(x => new SearchHit(x.Member.Code, x.Member.Name, x.Member.Kind.Name(), x.Member.Center, CapabilityResponse.From(x.Capability))));

    private static async Task<Ok<IEnumerable<RequestResponse>>> ListRequests(string? state, bool? open, string? asMember, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok((await hub.ListRequestsAsync(http.Actor(), state, open ?? false, asMember, ct)).Select(RequestResponse.From));

    private static async Task<Ok<RequestResponse>> GetRequest(string id, string? asMember, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(RequestResponse.From(await hub.GetRequestAsync(http.Actor(), id, asMember, ct)));

    private static async Task<Created<RequestResponse>> CreateRequest(RequestInput input, HttpContext http, HubService hub, CancellationToken ct)
    {
        var v = await hub.CreateRequestAsync(http.Actor(), new NewAssistanceRequest(input.Requester, input.Subject, input.Scope, input.Lines, input.Patients,
            input.SupportingInformation, input.Urgency, input.Confidentiality, input.Addressees, input.AnswerWithinHours), input.Password ?? "", ct);
        return TypedResults.Created($"/api/v1/hub/requests/{v.Request.Id}", RequestResponse.From(v));
    }

    private static async Task<Ok<IEnumerable<MatchResponse>>> Matches(string id, HttpContext http, HubMatching matching, CancellationToken ct) =>
        TypedResults.Ok((await matching.MatchAsync(http.Actor(), id, ct)).Select(m => new MatchResponse(m.Member.Code, m.Member.Name, m.Member.Kind.Name(), m.Member.Center,
            m.Score, m.LinesMet, [.. m.Lines.Select(l => new LineMatchResponse(l.Line, l.Declared, l.Live, l.Usable, l.Needed, l.Coverage, l.Reasons))])));

    private static async Task<Created<OfferResponse>> Offer(string id, OfferInput input, HttpContext http, HubService hub, CancellationToken ct)
    {
        var o = await hub.OfferAsync(http.Actor(), id, new NewAssistanceOffer(input.Offerer, input.Scope, input.Lines, input.Terms, input.CostAmount, input.CostCurrency,
            input.Confidentiality), input.Password ?? "", ct);
        return TypedResults.Created($"/api/v1/hub/offers/{o.Id}", OfferResponse.From(o));
    }

    private static async Task<Ok<RequestResponse>> Close(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(RequestResponse.From(await hub.CloseRequestAsync(http.Actor(), id, input.Password ?? "", ct)));

    private static async Task<Ok<RequestResponse>> ReleaseRequest(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(RequestResponse.From(await hub.ReleaseRequestAsync(http.Actor(), id, input.Reason, input.Password ?? "", ct)));

    private static async Task<ContentHttpResult> ExportIrix(string id, string? @for, HttpContext http, HubService hub, CancellationToken ct)
    {
        var (xml, report) = await hub.ExportIrixAsync(http.Actor(), id, @for, ct);
        http.Response.Headers["X-IRIX-ReportUUID"] = report.ReportUuid;
        http.Response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"request-{id}-{report.ReportUuid}.irix.xml\"");
        return TypedResults.Text(xml, "application/xml; charset=utf-8");
    }

    private static async Task<Created<RequestResponse>> ImportIrix(IrixInput input, HttpContext http, HubService hub, CancellationToken ct)
    {
        var v = await hub.ImportIrixAsync(http.Actor(), input.Xml ?? "", input.Password ?? "", ct);
        return TypedResults.Created($"/api/v1/hub/requests/{v.Request.Id}", RequestResponse.From(v));
    }

    private static async Task<Ok<OfferResponse>> GetOffer(string id, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.GetOfferAsync(http.Actor(), id, ct)));

    private static async Task<Ok<OfferResponse>> Accept(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.AcceptAsync(http.Actor(), id, input.Password ?? "", ct)));

    private static async Task<Ok<OfferResponse>> Commit(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.CommitAsync(http.Actor(), id, input.Password ?? "", ct)));

    private static async Task<Ok<OfferResponse>> Deliver(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.DeliverAsync(http.Actor(), id, input.Password ?? "", ct)));

    private static async Task<Ok<OfferResponse>> Withdraw(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.WithdrawAsync(http.Actor(), id, input.Reason, input.Password ?? "", ct)));

    private static async Task<Ok<OfferResponse>> ReleaseOffer(string id, SignInput input, HttpContext http, HubService hub, CancellationToken ct) =>
        TypedResults.Ok(OfferResponse.From(await hub.ReleaseOfferAsync(http.Actor(), id, input.Reason, input.Password ?? "", ct)));
}
