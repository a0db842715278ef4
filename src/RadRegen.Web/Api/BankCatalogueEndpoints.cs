using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary><c>/api/v1/bank/products</c>: the product catalogue (<see cref="ProductCatalogueService"/>).</summary>
internal static class BankCatalogueEndpoints
{
    public static RouteGroupBuilder MapBankCatalogue(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products");
        products.MapGet("", ListProducts).WithSummary("The product catalogue with QC specifications.");
        products.MapGet("/{code}", GetProduct).WithSummary("One product.");
        products.MapPut("/{code}", SaveProduct).WithSummary("Adds or changes a product (QA officer); changing needs If-Match with its version.")
            .Demands(Operation.BankCatalogueConfigure);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<Product>>> ListProducts(HttpContext http, ProductCatalogueService catalogue, CancellationToken ct) =>
        TypedResults.Ok(await catalogue.ListProductsAsync(http.Actor(), ct));

    private static async Task<Ok<Product>> GetProduct(string code, HttpContext http, ProductCatalogueService catalogue, CancellationToken ct)
    {
        var p = await catalogue.GetProductAsync(http.Actor(), code, ct);
        ETag(http, p.Version);
        return TypedResults.Ok(p);
    }

    private static async Task<Ok<Product>> SaveProduct(string code, Product product, HttpContext http, ProductCatalogueService catalogue, CancellationToken ct) =>
        TypedResults.Ok(await catalogue.SaveProductAsync(http.Actor(), product with { Code = code.ToUpperInvariant() }, IfMatchInt32(http), null, ct));
}
