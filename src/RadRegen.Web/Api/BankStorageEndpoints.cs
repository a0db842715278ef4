using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using static RadRegen.Web.Api.BankEndpoints;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary><c>/api/v1/bank/locations</c> and <c>/boxes</c>: storage and temperatures (<see cref="StorageService"/>).</summary>
internal static class BankStorageEndpoints
{
    public static RouteGroupBuilder MapBankStorage(this RouteGroupBuilder api)
    {
        var locations = api.MapGroup("/locations");
        locations.MapGet("", ListLocations).WithSummary("Sites, tanks, freezers, racks and boxes with capacity and occupancy.");
        locations.MapPost("", CreateLocation).WithSummary("Adds a site, tank, freezer, rack or box (rows × columns).")
            .Demands(Operation.BankStorageSetUp);
        locations.MapPost("/{id:long}/temperatures", RecordTemperature)
            .WithSummary("Records a temperature of a tank or freezer; one the unit cannot show needs confirm=true; an excursion flags every vial inside until QA resolves it.")
            .Demands(Operation.BankTemperatureRecord);
        locations.MapGet("/{id:long}/temperatures", ListTemperatures).WithSummary("Recent temperatures of a tank or freezer.");
        api.MapGroup("/boxes").MapGet("/{id:long}", GetBox).WithSummary("A box's occupancy map.");
        var excursions = api.MapGroup("/excursions");
        excursions.MapGet("", ListExcursions).WithSummary("Temperature excursions, newest first (status open|resolved, locationId, vialId).");
        excursions.MapGet("/{id:long}", GetExcursion).WithSummary("One excursion with the vials it flagged.");
        excursions.MapPost("/{id:long}/resolve", ResolveExcursion)
            .WithSummary("QA resolves an excursion with an e-signature: outcome \"returned to use\" or \"discarded\", an assessment and the password.")
            .Demands(Operation.BankExcursionResolve);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<LocationOccupancy>>> ListLocations(HttpContext http, StorageService storage, CancellationToken ct) =>
        TypedResults.Ok(await storage.ListLocationsAsync(http.Actor(), ct));

    private static async Task<Created<StorageLocation>> CreateLocation(CreateLocationRequest input, HttpContext http, StorageService storage, CancellationToken ct)
    {
        var l = await storage.CreateLocationAsync(http.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/bank/locations/{l.Id}", l);
    }

    private static async Task<Ok<BoxMap>> GetBox(long id, HttpContext http, StorageService storage, CancellationToken ct) =>
        TypedResults.Ok(await storage.GetBoxAsync(http.Actor(), id, ct));

    private static async Task<Ok<TemperatureRecorded>> RecordTemperature(long id, TemperatureInput input, HttpContext http, StorageService storage,
        CancellationToken ct) =>
        TypedResults.Ok(await storage.RecordTemperatureAsync(http.Actor(), id, input.Celsius, input.MeasuredAt, input.Confirm == true, ct));

    private static async Task<Ok<IReadOnlyList<Excursion>>> ListExcursions(string? status, long? locationId, long? vialId, HttpContext http, StorageService storage,
        CancellationToken ct) =>
        TypedResults.Ok(await storage.ListExcursionsAsync(http.Actor(), locationId, ParseExcursionStatus(status), vialId, ct));

    private static async Task<Ok<Excursion>> GetExcursion(long id, HttpContext http, StorageService storage, CancellationToken ct) =>
        TypedResults.Ok(await storage.GetExcursionAsync(http.Actor(), id, ct));

    private static async Task<Ok<Excursion>> ResolveExcursion(long id, ExcursionResolutionInput input, HttpContext http, StorageService storage,
        CancellationToken ct) =>
        TypedResults.Ok(await storage.ResolveExcursionAsync(http.Actor(), id, input.Outcome ?? "", input.Assessment ?? "", input.Password ?? "",
            IfMatchInt32(http), ct));

    private static ExcursionStatus? ParseExcursionStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<ExcursionStatus>(status, true, out var s) ? s
        : throw new DomainValidationException("status", "open or resolved");

    private static async Task<Ok<IReadOnlyList<TemperatureReading>>> ListTemperatures(long id, HttpContext http, StorageService storage, CancellationToken ct) =>
        TypedResults.Ok(await storage.ListTemperaturesAsync(http.Actor(), id, ct));
}
