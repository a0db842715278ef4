using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Network.Inventory;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// The shared inventory under <c>/api/v1</c> (issue 13 item 2, ADR 0023): released stock across the
/// network's centers, and other centers' stock a therapy request could draw on. Role checks live in
/// <see cref="NetworkInventoryService"/>.
/// </summary>
public static class NetworkInventoryEndpoints
{
    public static IEndpointRouteBuilder MapNetworkInventoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapGet("/network/inventory", Search).WithTags("network")
            .WithSummary("Released, allocatable stock of every center (this one's included), each row with its center, transport time and consent to ship; "
                + "product filters by product code, compatibleWith by HLA compatibility with a patient's GL String (best first). Paged.");
        api.MapGet("/care/therapy-requests/{id:long}/network-offers", Offers).WithTags("care: therapy")
            .WithSummary("Other centers' shareable, HLA-acceptable stock for the request (not reserved here: request a shipment from the owning center).");
        return app;
    }

    private static async Task<Ok<NetworkInventoryPage>> Search(string? product, string? compatibleWith, int? page, int? pageSize, HttpContext http,
        NetworkInventoryService inventory, CancellationToken ct) =>
        TypedResults.Ok(await inventory.SearchAsync(http.Actor(), new NetworkInventorySearch(product, compatibleWith, page ?? 1, pageSize ?? 50), ct));

    private static async Task<Ok<RemoteOffers>> Offers(long id, HttpContext http, NetworkInventoryService inventory, CancellationToken ct) =>
        TypedResults.Ok(await inventory.RemoteOffersAsync(http.Actor(), id, ct));
}
