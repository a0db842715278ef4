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

/// <summary><c>/api/v1/bank/donors</c>: donors and consent (<see cref="DonorService"/>).</summary>
internal static class BankDonorEndpoints
{
    public static RouteGroupBuilder MapBankDonors(this RouteGroupBuilder api)
    {
        var donors = api.MapGroup("/donors");
        donors.MapGet("", ListDonors).WithSummary("Donors (pseudonymous codes): q searches code, HLA and haplotype; sort code|consented|registered|eligible (\"-\" descending); paged (ApiLists: X-Total-Count, Link).");
        donors.MapPost("", RegisterDonor).WithSummary("Registers a donor with consent, infectious-marker screening and HLA typing (GL String).")
            .Demands(Operation.BankDonorRegister);
        donors.MapGet("/{id:long}", GetDonor).WithSummary("One donor.");
        donors.MapPost("/{id:long}/consent-withdrawal", WithdrawConsent)
            .WithSummary("Records a consent withdrawal: blocks new use, flags existing lines, lots and vials.")
            .Demands(Operation.BankDonorWithdrawConsent);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<Donor>>> ListDonors(string? q, int? page, int? pageSize, string? sort, HttpContext http, DonorService donors, CancellationToken ct) =>
        TypedResults.Ok(ApiLists.Items(http, await donors.SearchDonorsAsync(http.Actor(), ApiLists.Query(q, page, pageSize, sort), ct)));

    private static async Task<Created<Donor>> RegisterDonor(DonorInput input, HttpContext http, DonorService donors, CancellationToken ct)
    {
        var donor = await donors.RegisterDonorAsync(http.Actor(), new RegisterDonorRequest(input.Code,
            new ConsentScopes(input.Banking, input.Research, input.Clinical), input.ConsentedAt,
            [.. (input.Screening ?? []).Select(kv => new ScreeningResult(kv.Key, kv.Value))], input.HlaGl, input.Reason), ct);
        return TypedResults.Created($"/api/v1/bank/donors/{donor.Id}", donor);
    }

    private static async Task<Ok<Donor>> GetDonor(long id, HttpContext http, DonorService donors, CancellationToken ct)
    {
        var d = await donors.GetDonorAsync(http.Actor(), id, ct);
        ETag(http, d.Version);
        return TypedResults.Ok(d);
    }

    private static async Task<Ok<Donor>> WithdrawConsent(long id, ReasonInput input, HttpContext http, DonorService donors, CancellationToken ct) =>
        TypedResults.Ok(await donors.WithdrawConsentAsync(http.Actor(), id, input.Reason ?? "", ct));
}
