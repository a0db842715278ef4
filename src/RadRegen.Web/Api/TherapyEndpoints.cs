using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Web.Security;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>Therapy requests under <c>/api/v1/care</c>. Role checks and the rules live in <see cref="TherapyService"/>.</summary>
public static class TherapyEndpoints
{
    public sealed record RequestInput(string? ProductCode, double Dose, string? Urgency, string? TreatingCenter, string? Note);

    /// <summary>Either the vials to reserve, or <c>best: true</c> for the best-ranked vials the request still needs.</summary>
    public sealed record ReservationInput(IReadOnlyList<long>? VialIds, bool Best);

    public sealed record NoteInput(string? Note, string? Reason);

    public sealed record AdministrationInput(string? Password, string? Note);

    public sealed record FollowUpInput(DateTimeOffset? ObservedAt, string? Outcome, string? Note);

    public static IEndpointRouteBuilder MapTherapyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/care").RequireAuthorization().WithTags("care: therapy");

        api.MapPost("/patients/{id:long}/therapy-requests", async (long id, RequestInput input, HttpContext http, TherapyService therapy, CancellationToken ct) =>
        {
            var r = await therapy.RequestAsync(http.Actor(), id, new NewTherapyRequest(input.ProductCode, input.Dose, input.Urgency, input.TreatingCenter, input.Note), ct);
            return TypedResults.Created($"/api/v1/care/therapy-requests/{r.Id.ToString(CultureInfo.InvariantCulture)}", r);
        }).WithSummary("Requests a cell product for a patient (dose in the product's dose unit, per kg when the unit says so); 400 names each bad field.")
            .Demands(Operation.CareTherapyRequest);

        api.MapGet("/patients/{id:long}/therapy-requests", async (long id, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.ListForPatientAsync(http.Actor(), id, ct))).WithSummary("A patient's therapy requests with their vials, shipments and follow-up.");

        api.MapGet("/therapy-requests/{id:long}", async (long id, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.GetAsync(http.Actor(), id, ct))).WithSummary("One therapy request with its vials, shipments and follow-up.");

        api.MapGet("/therapy-requests/{id:long}/matches", async (long id, int? limit, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.MatchesAsync(http.Actor(), id, limit ?? 50, ct)))
            .WithSummary("Released, unexpired, unreserved, HLA-acceptable vials for the request, best first, each with its explanation; lines left out with the reason.");

        api.MapPost("/therapy-requests/{id:long}/reservations", async (long id, ReservationInput input, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(input.Best
                ? await therapy.ReserveBestAsync(http.Actor(), id, ct)
                : await therapy.ReserveAsync(http.Actor(), id, input.VialIds ?? [], ct)))
            .WithSummary("Reserves the given vials (or the best ones) in one transaction; 409 when one was reserved a moment ago by someone else.")
            .Demands(Operation.CareTherapyReserve);

        api.MapPost("/therapy-requests/{id:long}/cancel", async (long id, NoteInput input, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.CancelAsync(http.Actor(), id, input.Reason ?? input.Note ?? "", ct)))
            .WithSummary("Cancels an open or reserved request; its vials go back to the stock.")
            .Demands(Operation.CareTherapyCancel);

        api.MapPost("/therapy-requests/{id:long}/dispatch", async (long id, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.DispatchAsync(http.Actor(), id, ct)))
            .WithSummary("Ships the reserved vials to the treating center as one shipment (CPC technician, coordinator).")
            .Demands(Operation.CareTherapyDispatch);

        api.MapPost("/therapy-requests/{id:long}/receipt", async (long id, NoteInput input, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.ReceiveAsync(http.Actor(), id, input.Note, ct))).WithSummary("Records the shipment's arrival at the treating center.")
            .Demands(Operation.CareTherapyReceive);

        api.MapPost("/therapy-requests/{id:long}/administration", async (long id, AdministrationInput input, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.AdministerAsync(http.Actor(), id, input.Password ?? "", input.Note, ct)))
            .WithSummary("Records administration with the physician's e-signature (password re-entered, meaning \"administered\").")
            .Demands(Operation.CareTherapyAdminister);

        api.MapPost("/therapy-requests/{id:long}/follow-ups", async (long id, FollowUpInput input, HttpContext http, TherapyService therapy, IClock clock, CancellationToken ct) =>
            TypedResults.Ok(await therapy.RecordFollowUpAsync(http.Actor(), id, input.ObservedAt ?? clock.UtcNow, input.Outcome, input.Note, ct)))
            .WithSummary("Records an outcome after administration (improved, stable, worsened, adverse-event, engrafted, recovered, died).")
            .Demands(Operation.CareTherapyFollowUp);

        api.MapGet("/incidents/{id:long}/therapy-requests", async (long id, HttpContext http, TherapyService therapy, CancellationToken ct) =>
            TypedResults.Ok(await therapy.ListForIncidentAsync(http.Actor(), id, ct))).WithSummary("Every therapy request of an incident.");
        return app;
    }
}
