using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Web.Bank;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using static RadRegen.Web.Api.BankEndpoints;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>
/// <c>/api/v1/bank/vials</c>: the inventory search (<see cref="InventoryService"/>), a vial with its
/// lineage and custody, and every transition and move (<see cref="VialService"/>).
/// </summary>
internal static class BankVialEndpoints
{
    public static RouteGroupBuilder MapBankVials(this RouteGroupBuilder api)
    {
        var vials = api.MapGroup("/vials");
        vials.MapGet("", Search)
            .WithSummary("Inventory search by product, status, HLA (haplotype or compatibility with a patient's GL String), location, expiry; sort by identity, lot, product, status, expires (default), location (\"-\" for descending); paged (the page object, and the headers of ApiLists: X-Total-Count, Link).");
        api.MapGet("/vials.csv", Export).WithSummary("The same search as CSV, in the same order.");
        vials.MapGet("/{id:long}", GetVial).WithSummary("A vial with its lineage back to donor and consent, and its chain of custody.");
        vials.MapPost("/{id:long}/reserve", Reserve).WithSummary("Reserves a released vial; 409 when someone else reserved it first.")
            .Demands(Operation.BankVialReserve);
        vials.MapPost("/{id:long}/cancel-reservation", CancelReservation).WithSummary("Returns a reserved vial to stock.")
            .Demands(Operation.BankVialCancelReservation);
        vials.MapPost("/{id:long}/ship", Ship).WithSummary("Ships a reserved vial (reason: destination).")
            .Demands(Operation.BankVialShip);
        vials.MapPost("/{id:long}/receive", Receive).WithSummary("Records receipt of a shipped vial.")
            .Demands(Operation.BankVialReceive);
        vials.MapPost("/{id:long}/thaw", Thaw).WithSummary("Thaws a received vial.")
            .Demands(Operation.BankVialThaw);
        vials.MapPost("/{id:long}/administer", Administer).WithSummary("Records administration (physician's e-signature; reason: the patient).")
            .Demands(Operation.BankVialAdminister);
        vials.MapPost("/{id:long}/discard", Discard).WithSummary("Discards a vial with an e-signature and a reason.")
            .Demands(Operation.BankVialDiscard);
        vials.MapPost("/{id:long}/move", Move).WithSummary("Moves a vial to a free position of a box (custody event); 409 when the position is taken.")
            .Demands(Operation.BankVialMove);
        return api;
    }

    // sort: a key of BankLists.Vials ("-" for descending; soonest expiry first by default), refused with 400 naming "sort".
    // The response stays the page object it always was (items, total, page, pageSize), with the paging headers of every list.
    private static async Task<Ok<InventoryPage>> Search(string? productCode, string? status, string? haplotype, string? compatibleWith, long? locationId,
        DateTimeOffset? expiresBefore, string? lotNumber, int? page, int? pageSize, string? sort, HttpContext http, InventoryService inventory,
        CancellationToken ct)
    {
        var found = await inventory.SearchAsync(http.Actor(), new InventorySearch(productCode, status, haplotype, compatibleWith, locationId,
            expiresBefore, lotNumber, page ?? 1, pageSize ?? 50, sort), ct);
        ApiLists.Headers(http, new ListPage<InventoryItem>(found.Items, found.Total, found.Page, found.PageSize, BankLists.Vials.Require(sort).ToString()));
        return TypedResults.Ok(found);
    }

    private static Task<CsvDownload> Export(string? productCode, string? status, string? haplotype, string? compatibleWith, long? locationId,
        DateTimeOffset? expiresBefore, string? lotNumber, string? sort, HttpContext http, BankService bank, CancellationToken ct) =>
        InventoryCsv.ExportAsync(bank, http.Actor(), new InventorySearch(productCode, status, haplotype, compatibleWith,
            locationId, expiresBefore, lotNumber, Sort: sort), ct);

    private static async Task<Ok<VialDetail>> GetVial(long id, HttpContext http, VialService vials, CancellationToken ct)
    {
        var v = await vials.GetVialAsync(http.Actor(), id, ct);
        ETag(http, v.Lineage.Vial.Version);
        return TypedResults.Ok(v);
    }

    private static async Task<Ok<Vial>> Reserve(long id, ReserveInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.ReserveAsync(http.Actor(), id, input.ReservedFor, IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> CancelReservation(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.CancelReservationAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Ship(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.ShipAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Receive(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.ReceiveAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Thaw(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.ThawAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Administer(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.AdministerAsync(http.Actor(), id, input.Reason ?? "", input.Password ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Discard(long id, TransitionInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.DiscardAsync(http.Actor(), id, input.Reason ?? "", input.Password ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Vial>> Move(long id, MoveInput input, HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(await vials.MoveAsync(http.Actor(), id, input.BoxId, input.Row, input.Column, input.Reason, IfMatchInt32(http), ct));
}
