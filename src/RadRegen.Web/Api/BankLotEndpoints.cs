using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using static RadRegen.Web.Api.BankEndpoints;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>
/// <c>/api/v1/bank/lots</c> and <c>/deviations</c>: lots (<see cref="LotService"/>), their QC,
/// deviations and QA release (<see cref="ReleaseService"/>).
/// </summary>
internal static class BankLotEndpoints
{
    public static RouteGroupBuilder MapBankLots(this RouteGroupBuilder api)
    {
        var lots = api.MapGroup("/lots");
        lots.MapGet("", ListLots).WithSummary("Lots, newest first: q searches lot number, DIN and product; sort lot|product|status|manufactured|expires (\"-\" descending); paged (ApiLists: X-Total-Count, Link). With lineId: that line's lots (at most 200, newest first).");
        lots.MapPost("", CreateLot).WithSummary("Makes a lot from a working cell bank: a new DIN, vials in quarantine, optionally placed in a box.")
            .Demands(Operation.BankLotCreate);
        lots.MapGet("/{id:long}", GetLot).WithSummary("A lot with its product, vials, QC results, deviations, signatures and release readiness.");
        lots.MapPost("/{id:long}/qc-results", RecordQcResult).WithSummary("Records a QC result against the specification; out of specification opens a deviation.")
            .Demands(Operation.BankQcRecord);
        lots.MapPost("/{id:long}/release", ReleaseLot)
            .WithSummary("Releases a lot with the QA officer's e-signature (password and meaning); never by whoever recorded its results.")
            .Demands(Operation.BankLotRelease);
        lots.MapPost("/{id:long}/reject", RejectLot).WithSummary("Rejects a lot in quarantine with an e-signature; its vials are discarded.")
            .Demands(Operation.BankLotReject);

        var deviations = api.MapGroup("/deviations");
        deviations.MapGet("", ListDeviations).WithSummary("Deviations, optionally open or closed.");
        deviations.MapPost("/{id:long}/close", CloseDeviation).WithSummary("QA closes a deviation with its conclusion.")
            .Demands(Operation.BankDeviationClose);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<Lot>>> ListLots(long? lineId, string? status, string? q, int? page, int? pageSize, string? sort,
        HttpContext http, LotService lots, CancellationToken ct) =>
        TypedResults.Ok(lineId is not null
            ? await lots.ListLotsAsync(http.Actor(), lineId, ParseLotStatus(status), 200, ct)
            : ApiLists.Items(http, await lots.SearchLotsAsync(http.Actor(), ApiLists.Query(q, page, pageSize, sort), ParseLotStatus(status), ct)));

    private static async Task<Created<Lot>> CreateLot(LotInput input, HttpContext http, LotService lots, CancellationToken ct)
    {
        var lot = await lots.CreateLotAsync(http.Actor(), new CreateLotRequest(input.ProductCode, input.WcbId, input.Vials, input.LotNumber,
            input.ManufacturedAt, input.BoxId, input.IntendedUse), input.Reason, ct);
        return TypedResults.Created($"/api/v1/bank/lots/{lot.Id}", lot);
    }

    private static async Task<Ok<LotDetail>> GetLot(long id, HttpContext http, LotService lots, CancellationToken ct)
    {
        var detail = await lots.GetLotAsync(http.Actor(), id, ct);
        ETag(http, detail.Lot.Version);
        return TypedResults.Ok(detail);
    }

    private static async Task<Created<QcResponse>> RecordQcResult(long id, QcInput input, HttpContext http, ReleaseService release, CancellationToken ct)
    {
        var (result, deviation) = await release.RecordQcResultAsync(http.Actor(), id, input.TestCode, input.Value, input.Unit, ct);
        return TypedResults.Created($"/api/v1/bank/lots/{id}", new QcResponse(result, deviation));
    }

    private static async Task<Ok<Lot>> ReleaseLot(long id, SignInput input, HttpContext http, ReleaseService release, CancellationToken ct) =>
        TypedResults.Ok(await release.ReleaseLotAsync(http.Actor(), id, input.Password ?? "", input.Meaning ?? "released", IfMatchInt32(http), ct));

    private static async Task<Ok<Lot>> RejectLot(long id, SignInput input, HttpContext http, ReleaseService release, CancellationToken ct) =>
        TypedResults.Ok(await release.RejectLotAsync(http.Actor(), id, input.Password ?? "", input.Reason ?? "", ct));

    private static async Task<Ok<IReadOnlyList<Deviation>>> ListDeviations(string? status, HttpContext http, ReleaseService release, CancellationToken ct) =>
        TypedResults.Ok(await release.ListDeviationsAsync(http.Actor(), Infrastructure.RequestErrors.ParseEnum<DeviationStatus>(status, "status"), ct));

    private static async Task<Ok<Deviation>> CloseDeviation(long id, ReasonInput input, HttpContext http, ReleaseService release, CancellationToken ct) =>
        TypedResults.Ok(await release.CloseDeviationAsync(http.Actor(), id, input.Reason ?? "", ct));
}
