using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core.Access;
using RadRegen.Network.Capacity;
using RadRegen.Network.Transfers;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// Capacity (<c>/api/v1/network/capacity</c>) and patient transfers (<c>/api/v1/network/transfers</c>)
/// in the network of centers (issue 13 items 4 and 5, ADR 0025). Bed types and states are written as
/// EDXL-HAVE and EDXL-TEP name them; role checks and rules live in the services.
/// </summary>
public static class NetworkCapacityEndpoints
{
    public sealed record BedInput(string? BedType, int? Baseline, int? Available, string? Comment);

    public sealed record ReportInput(IReadOnlyList<BedInput>? Beds, DateTimeOffset? ReportedAt);

    public sealed record RequestInput(string? Reference, int? RequiredPerCenter, string? BedType, IReadOnlyList<string>? Centers);

    public sealed record SnapshotResponse(string Center, string BedType, int Baseline, int Available, DateTimeOffset ReportedAt, string Reporter, string? Comment,
        DateTimeOffset ReceivedAt, double? AgeMinutes, bool? Stale)
    {
        public static SnapshotResponse From(CapacitySnapshot s, SnapshotStatus? status = null) =>
            new(s.Center, s.BedType.Name(), s.Baseline, s.Available, s.ReportedAt, s.Reporter, s.Comment, s.ReceivedAt,
                status is null ? null : Math.Round(status.Age.TotalMinutes, 1), status?.Stale);
    }

    public sealed record RequestResponse(long Id, string Reference, int RequiredPerCenter, string? BedType, IReadOnlyList<string> Centers, DateTimeOffset RequestedAt, string RequestedBy)
    {
        public static RequestResponse From(CapacityRequest r) => new(r.Id, r.Reference, r.RequiredPerCenter, r.BedType?.Name(), r.Centers, r.RequestedAt, r.RequestedBy);
    }

    public sealed record CenterResponse(string Center, bool Reported, bool Stale, int Baseline, int Available, int? Required, int? Shortfall, IReadOnlyList<SnapshotResponse> Beds);

    public sealed record TotalResponse(string BedType, int Baseline, int Available, int Centers, int StaleCenters);

    public sealed record ViewResponse(DateTimeOffset AsOf, double StaleAfterMinutes, RequestResponse? Request, IReadOnlyList<TotalResponse> Totals,
        IReadOnlyList<CenterResponse> Centers, int? RequiredTotal, int AvailableTotal, int? ShortfallTotal, int StaleReports)
    {
        public static ViewResponse From(NetworkCapacityView v) => new(v.AsOf, v.StaleAfter.TotalMinutes, v.Request is null ? null : RequestResponse.From(v.Request),
            [.. v.Totals.Select(t => new TotalResponse(t.BedType.Name(), t.Baseline, t.Available, t.Centers, t.StaleCenters))],
            [.. v.Centers.Select(c => new CenterResponse(c.Center, c.Reported, c.Stale, c.Baseline, c.Available, c.Required, c.Shortfall,
                [.. c.Beds.Select(b => SnapshotResponse.From(b.Snapshot, b))]))],
            v.RequiredTotal, v.AvailableTotal, v.ShortfallTotal, v.StaleReports);
    }

    public sealed record TransferInput(long? PatientId, string? ToCenter, string? BedType, string? Reason);

    public sealed record ReasonInput(string? Reason);

    /// <summary>A transfer as this center knows it; <c>tepStatus</c> is the EDXL-TEP tracking state, <c>receivedPatientUrl</c> the patient registered here from its record.</summary>
    public sealed record TransferResponse(string Id, string Status, string TepStatus, string FromCenter, string ToCenter, long? PatientId, string? Triage, int? ResponseCategory,
        double? BasisDoseGy, string? BedType, string? Reason, DateTimeOffset RequestedAt, string RequestedBy, bool? Accepted, DateTimeOffset? DecidedAt, string? DecidedBy,
        string? DeclineReason, DateTimeOffset? RecordSentAt, DateTimeOffset? DispatchedAt, string? DispatchedBy, DateTimeOffset? AdmittedAt, string? AdmittedBy,
        DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason, long? ReceivedPatientId, DateTimeOffset? RecordReceivedAt, string? ReceivedPatientUrl)
    {
        public static TransferResponse From(PatientTransfer t) => new(t.Id, t.Status.Name(), t.TepStatus, t.FromCenter, t.ToCenter, t.PatientId, t.Triage, t.ResponseCategory,
            t.BasisDoseGy, t.BedType?.Name(), t.Reason, t.RequestedAt, t.RequestedBy, t.Accepted, t.DecidedAt, t.DecidedBy, t.DeclineReason, t.RecordSentAt,
            t.DispatchedAt, t.DispatchedBy, t.AdmittedAt, t.AdmittedBy, t.ReleasedAt, t.ReleasedBy, t.ReleaseReason, t.ReceivedPatientId, t.RecordReceivedAt,
            t.ReceivedPatientId is { } id ? $"/care/patients/{id}" : null);
    }

    public static IEndpointRouteBuilder MapNetworkCapacityApi(this IEndpointRouteBuilder app)
    {
        var capacity = app.MapGroup("/api/v1/network/capacity").RequireAuthorization().WithTags("network: capacity");
        capacity.MapGet("", GetView).WithName("GetNetworkCapacity")
            .WithSummary("The network's capacity: totals per bed type, each center's shortfall against the capacity request (requestId, default the newest), stale reports.");
        capacity.MapPost("/reports", Report).WithName("ReportCapacity").Demands(Operation.NetworkCapacityReport)
            .WithSummary("Reports this center's beds (EDXL-HAVE bed types AdultICU, PediatricICU, MedicalSurgical, Burn, NegativeFlowIsolation, OtherIsolation, and BMT): baseline and available per type; journaled and published. 400 names each bad field (beds[i].available …).");
        capacity.MapGet("/requests", ListRequests).WithName("ListCapacityRequests").WithSummary("Capacity requests, newest first.");
        capacity.MapPost("/requests", EnterRequest).WithName("EnterCapacityRequest").Demands(Operation.NetworkCapacityRequest)
            .WithSummary("Enters a capacity request: reference, requiredPerCenter, optional bedType and centers asked (coordinator).");

        var transfers = app.MapGroup("/api/v1/network/transfers").RequireAuthorization().WithTags("network: transfers");
        transfers.MapGet("", ListTransfers).WithName("ListTransfers").WithSummary("Patient transfers this center knows, newest first.");
        transfers.MapGet("/{id}", GetTransfer).WithName("GetTransfer").WithSummary("One transfer.");
        transfers.MapPost("", RequestTransfer).WithName("RequestTransfer").Demands(Operation.NetworkTransferRequest)
            .WithSummary("Asks another center to take a triaged patient: patientId, toCenter (facility code), optional bedType and reason.");
        transfers.MapPost("/{id}/accept", Accept).WithName("AcceptTransfer").Demands(Operation.NetworkTransferDecide).WithSummary("The receiving center accepts; the requesting center then sends the patient's record here.");
        transfers.MapPost("/{id}/decline", Decline).WithName("DeclineTransfer").Demands(Operation.NetworkTransferDecide).WithSummary("The receiving center declines, with a reason.");
        transfers.MapPost("/{id}/dispatch", Dispatch).WithName("DispatchTransfer").Demands(Operation.NetworkTransferTrack).WithSummary("The requesting center dispatches the accepted patient (EDXL-TEP in transport).");
        transfers.MapPost("/{id}/admit", Admit).WithName("AdmitTransfer").Demands(Operation.NetworkTransferTrack).WithSummary("The receiving center admits the patient on arrival (EDXL-TEP admitted).");
        transfers.MapPost("/{id}/release", Release).WithName("ReleaseTransfer").Demands(Operation.NetworkTransferTrack).WithSummary("The requesting center releases the patient instead of sending them, with a reason (EDXL-TEP released).");
        return app;
    }

    private static async Task<Ok<ViewResponse>> GetView(long? requestId, HttpContext http, CapacityService capacity, CancellationToken ct) =>
        TypedResults.Ok(ViewResponse.From(await capacity.ViewAsync(http.Actor(), requestId, ct)));

    private static async Task<Created<IEnumerable<SnapshotResponse>>> Report(ReportInput input, HttpContext http, CapacityService capacity, CancellationToken ct)
    {
        var saved = await capacity.ReportAsync(http.Actor(), new CapacityReport(input.Beds?.Select(b => new BedCount(b?.BedType, b?.Baseline, b?.Available, b?.Comment)).ToList(),
            input.ReportedAt), ct);
        return TypedResults.Created("/api/v1/network/capacity", saved.Select(s => SnapshotResponse.From(s)));
    }

    private static async Task<Ok<IEnumerable<RequestResponse>>> ListRequests(HttpContext http, CapacityService capacity, CancellationToken ct) =>
        TypedResults.Ok((await capacity.ListRequestsAsync(http.Actor(), ct)).Select(RequestResponse.From));

    private static async Task<Created<RequestResponse>> EnterRequest(RequestInput input, HttpContext http, CapacityService capacity, CancellationToken ct)
    {
        var r = await capacity.RequestAsync(http.Actor(), new NewCapacityRequest(input.Reference, input.RequiredPerCenter, input.BedType, input.Centers), ct);
        return TypedResults.Created($"/api/v1/network/capacity?requestId={r.Id}", RequestResponse.From(r));
    }

    private static async Task<Ok<IEnumerable<TransferResponse>>> ListTransfers(HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok((await transfers.ListAsync(http.Actor(), ct)).Select(TransferResponse.From));

    private static async Task<Ok<TransferResponse>> GetTransfer(string id, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.GetAsync(http.Actor(), id, ct)));

    private static async Task<Created<TransferResponse>> RequestTransfer(TransferInput input, HttpContext http, TransferService transfers, CancellationToken ct)
    {
        var t = await transfers.RequestAsync(http.Actor(), new NewTransfer(input.PatientId, input.ToCenter, input.BedType, input.Reason), ct);
        return TypedResults.Created($"/api/v1/network/transfers/{t.Id}", TransferResponse.From(t));
    }

    private static async Task<Ok<TransferResponse>> Accept(string id, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.AcceptAsync(http.Actor(), id, ct)));

    private static async Task<Ok<TransferResponse>> Decline(string id, ReasonInput? input, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.DeclineAsync(http.Actor(), id, input?.Reason, ct)));

    private static async Task<Ok<TransferResponse>> Dispatch(string id, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.DispatchAsync(http.Actor(), id, ct)));

    private static async Task<Ok<TransferResponse>> Admit(string id, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.AdmitAsync(http.Actor(), id, ct)));

    private static async Task<Ok<TransferResponse>> Release(string id, ReasonInput? input, HttpContext http, TransferService transfers, CancellationToken ct) =>
        TypedResults.Ok(TransferResponse.From(await transfers.ReleaseAsync(http.Actor(), id, input?.Reason, ct)));
}
