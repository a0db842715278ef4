using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Shipments;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;

namespace RadRegen.Web.Api;

/// <summary>
/// <c>/api/v1/network/shipments</c>: shipments between centers (<see cref="ShipmentService"/>, ADR 0024 and 0031),
/// this center's dry shippers and its shipment settings. Role checks live in the service.
/// </summary>
public static class NetworkShipmentEndpoints
{
    public static IEndpointRouteBuilder MapNetworkShipmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/network/shipments").RequireAuthorization().WithTags("network");
        api.MapGet("", ListShipments).WithSummary("Shipments in and out of this center, newest change first, with state, remaining hold and temperature status.");
        api.MapPost("", RequestShipment).Demands(Operation.NetworkShipmentRequest).WithSummary("Requests products or named vials from another center (physician, coordinator), saying why.");
        api.MapGet("/received-stock", ReceivedStock)
            .WithSummary("Vials received from other centers and held here (available or in quarantine), with lineage and chain of custody.");
        api.MapGet("/settings", GetSettings).WithSummary("This center's requalification interval and logging interval (null until QA sets them).");
        api.MapPut("/settings", PutSettings).Demands(Operation.NetworkShipmentConfigure).WithSummary("QA sets the requalification interval (days) and logging interval (minutes), with a reason.");
        api.MapGet("/shippers", ListShippers).WithSummary("This center's dry shippers with their last qualification, charge and remaining hold now.");
        api.MapPost("/shippers", RegisterShipper).Demands(Operation.NetworkShipperManage).WithSummary("Registers a dry shipper with its last qualification (date, measured hold hours, report).");
        api.MapPost("/shippers/{serial}/qualification", QualifyShipper).Demands(Operation.NetworkShipperManage).WithSummary("Records a new qualification of a dry shipper.");
        api.MapPost("/shippers/{serial}/charge", ChargeShipper).Demands(Operation.NetworkShipperManage).WithSummary("Records the liquid-nitrogen charge of a dry shipper (now, or chargedAt).");
        api.MapGet("/{id}", GetShipment).WithSummary("One shipment as this center sees it (ETag: its version).");
        api.MapPost("/{id}/pack", PackShipment).Demands(Operation.NetworkShipmentPack)
            .WithSummary("Sending center: picks released vials at this center and packs them into a qualified, charged dry shipper whose hold covers the planned transit.");
        api.MapPost("/{id}/dispatch", DispatchShipment).Demands(Operation.NetworkShipmentHandOff)
            .WithSummary("Sending center: hands the shipper to the courier with the sender's e-signature; the bank ships the vials.");
        api.MapGet("/{id}/logger", LoggerSeries).WithSummary("The shipment's temperature-logger readings.");
        api.MapPost("/{id}/logger/imports", ImportLogger).Demands(Operation.NetworkShipmentReceive).Accepts<LoggerInput>("application/json", "text/csv")
            .WithSummary("Receiving center: the logger series as CSV (header time,celsius) or JSON points; replaces an earlier one.");
        api.MapPost("/{id}/receive", ReceiveShipment).Demands(Operation.NetworkShipmentReceive)
            .WithSummary("Receiving center: the courier hands over (receiver's e-signature); set received = set shipped and the temperature status decide received or quarantined.");
        api.MapPost("/{id}/quarantine-decision", DecideQuarantine).Demands(Operation.NetworkShipmentQuarantineDecide)
            .WithSummary("QA releases a quarantined receipt into stock or rejects it, with a reason and an e-signature.");
        api.MapPost("/{id}/decline", DeclineShipment).Demands(Operation.NetworkShipmentDecline)
            .WithSummary("Sending (owning) center: declines a request not yet packed, with a reason the requester sees (ADR 0031).");
        api.MapPost("/{id}/cancel", CancelShipment).Demands(Operation.NetworkShipmentCancel)
            .WithSummary("Requesting center: cancels its request before the hand-off to a courier, with a reason.");
        api.MapPost("/{id}/unpack", UnpackShipment).Demands(Operation.NetworkShipmentPack)
            .WithSummary("Sending center: unpacks a packed shipment (the bank gives the vials back to stock; the shipper is free).");
        api.MapPost("/{id}/accept", AcceptShipment).Demands(Operation.NetworkShipmentAccept)
            .WithSummary("Receiving center: QA accepts a received (or released) shipment into this center's bank, into a box, with an e-signature; the vials become this bank's.");
        api.MapPost("/{id}/return", ReturnShipment).Demands(Operation.NetworkShipmentReturn)
            .WithSummary("Receiving center: sends a refused, quarantined or rejected shipment back (a return shipment, the shipper recharged here, e-signed hand-off).");
        api.MapPost("/{id}/return-decision", DecideReturn).Demands(Operation.NetworkShipmentReturnDecide)
            .WithSummary("Center a return came back to: QA restocks its vials into a box or discards them, with a reason and an e-signature.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ShipmentView>>> ListShipments(HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(http.Actor(), ct));

    private static async Task<Created<Shipment>> RequestShipment(RequestInput input, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var lines = (input.Lines ?? []).Select(l => new RequestLine(l.ProductCode ?? "", l.Count ?? 0, l.Vials ?? [])).ToList();
        var shipment = await service.RequestAsync(http.Actor(), input.SenderCenter ?? "", input.Reason ?? "", lines, ct);
        return TypedResults.Created($"/api/v1/network/shipments/{shipment.Id}", shipment);
    }

    private static async Task<Ok<ShipmentView>> GetShipment(string id, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var view = await service.GetAsync(http.Actor(), id, ct);
        ETag(http, view.Shipment.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<Shipment>> PackShipment(string id, PackInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.PackAsync(http.Actor(), id, input.ShipperSerial ?? "", input.PlannedTransitHours ?? 0, input.Vials ?? [],
            IfMatchInt32(http), ct));

    private static async Task<Ok<Shipment>> DispatchShipment(string id, DispatchInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.DispatchAsync(http.Actor(), id, input.Courier ?? "", input.TrackingNumber, input.Password ?? "", input.Note,
            IfMatchInt32(http), ct));

    private static async Task<Ok<IReadOnlyList<LoggerPoint>>> LoggerSeries(string id, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.LoggerSeriesAsync(http.Actor(), id, ct));

    private static async Task<Ok<LoggerImportResponse>> ImportLogger(string id, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        IReadOnlyList<LoggerPoint> points;
        string source;
        if (http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = await RadRegen.Core.Csv.CsvReading.DecodeAsync(http.Request.Body, "logger.csv", ct);
            points = RadRegen.Network.Shipments.LoggerSeries.ReadCsv(reader, "logger.csv");
            source = "csv";
        }
        else
        {
            LoggerInput? input;
            try
            {
                input = await http.Request.ReadFromJsonAsync<LoggerInput>(ct);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new DomainValidationException("points", $"a JSON body {{\"points\": [{{\"at\": \"2026-11-21T09:00:00Z\", \"celsius\": -185.2}}]}} ({ex.Message})");
            }

            points = [.. (input?.Points ?? []).Select((p, i) => new LoggerPoint(
                p.At ?? throw new DomainValidationException($"points[{i}].at", "the reading's time (ISO 8601 with offset)"),
                p.Celsius ?? throw new DomainValidationException($"points[{i}].celsius", "the reading in °C")))];
            source = "api";
        }

        var count = await service.ImportLoggerAsync(http.Actor(), id, points, source, ct);
        return TypedResults.Ok(new LoggerImportResponse(id, count));
    }

    private static async Task<Ok<Shipment>> ReceiveShipment(string id, ReceiveInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ReceiveAsync(http.Actor(), id, input.Received ?? [], input.Courier ?? "", input.OnDifference, input.Password ?? "",
            input.Note, IfMatchInt32(http), ct));

    private static async Task<Ok<Shipment>> DecideQuarantine(string id, DecisionInput input, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var release = (input.Decision ?? "").Trim().ToLowerInvariant() switch
        {
            "release" => true,
            "reject" => false,
            _ => throw new DomainValidationException("decision", "release or reject"),
        };
        return TypedResults.Ok(await service.DecideQuarantineAsync(http.Actor(), id, release, input.Reason ?? "", input.Password ?? "", IfMatchInt32(http), ct));
    }

    private static async Task<Ok<IReadOnlyList<ReceivedVial>>> ReceivedStock(HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ReceivedStockAsync(http.Actor(), ct));

    private static async Task<Ok<SettingsResponse>> GetSettings(HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(new SettingsResponse(await service.GetSettingsAsync(http.Actor(), ct)));

    private static async Task<Ok<ShipmentSettings>> PutSettings(SettingsInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ConfigureAsync(http.Actor(), input.RequalificationIntervalDays ?? 0, input.LoggingIntervalMinutes ?? 0,
            input.Reason ?? "", ct));

    private static async Task<Ok<IReadOnlyList<ShipperView>>> ListShippers(HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListShippersAsync(http.Actor(), ct));

    private static async Task<Created<DryShipper>> RegisterShipper(ShipperInput input, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var shipper = await service.RegisterShipperAsync(http.Actor(), input.Serial ?? "", input.Model ?? "",
            input.QualifiedAt ?? throw new DomainValidationException("qualifiedAt", "the date of the shipper's last qualification"),
            input.QualifiedHoldHours ?? 0, input.QualificationReference ?? "", ct);
        return TypedResults.Created($"/api/v1/network/shipments/shippers/{shipper.Serial}", shipper);
    }

    private static async Task<Ok<DryShipper>> QualifyShipper(string serial, ShipperInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.QualifyShipperAsync(http.Actor(), serial,
            input.QualifiedAt ?? throw new DomainValidationException("qualifiedAt", "the date of the qualification"),
            input.QualifiedHoldHours ?? 0, input.QualificationReference ?? "", ct));

    private static async Task<Ok<DryShipper>> ChargeShipper(string serial, ChargeInput? input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ChargeShipperAsync(http.Actor(), serial, input?.ChargedAt, ct));

    private static async Task<Ok<Shipment>> DeclineShipment(string id, ReasonInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.DeclineAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Shipment>> CancelShipment(string id, ReasonInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.CancelAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Shipment>> UnpackShipment(string id, ReasonInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.UnpackAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct));

    private static async Task<Ok<Shipment>> AcceptShipment(string id, AcceptInput input, HttpContext http, ShipmentService service, CancellationToken ct) =>
        TypedResults.Ok(await service.AcceptIntoInventoryAsync(http.Actor(), id,
            input.BoxId ?? throw new DomainValidationException("boxId", "the box of this center the vials go into"), input.Password ?? "", input.Note,
            IfMatchInt32(http), ct));

    private static async Task<Created<Shipment>> ReturnShipment(string id, ReturnInput input, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var back = await service.ReturnAsync(http.Actor(), id, input.Courier ?? "", input.TrackingNumber,
            input.ChargedAt ?? throw new DomainValidationException("chargedAt", "when the shipper was recharged here for the way back"),
            input.PlannedTransitHours ?? 0, input.Reason ?? "", input.Password ?? "", input.Note, IfMatchInt32(http), ct);
        return TypedResults.Created($"/api/v1/network/shipments/{back.Id}", back);
    }

    private static async Task<Ok<Shipment>> DecideReturn(string id, ReturnDecisionInput input, HttpContext http, ShipmentService service, CancellationToken ct)
    {
        var restock = (input.Decision ?? "").Trim().ToLowerInvariant() switch
        {
            "restock" => true,
            "discard" => false,
            _ => throw new DomainValidationException("decision", "restock or discard"),
        };
        return TypedResults.Ok(await service.DecideReturnAsync(http.Actor(), id, restock, input.BoxId, input.Reason ?? "", input.Password ?? "",
            IfMatchInt32(http), ct));
    }

    public sealed record ReasonInput(string? Reason);

    public sealed record AcceptInput(long? BoxId, string? Password, string? Note);

    public sealed record ReturnInput(string? Courier, string? TrackingNumber, DateTimeOffset? ChargedAt, double? PlannedTransitHours, string? Reason, string? Password,
        string? Note);

    public sealed record ReturnDecisionInput(string? Decision, long? BoxId, string? Reason, string? Password);

    public sealed record RequestLineInput(string? ProductCode, int? Count, IReadOnlyList<VialIdentity>? Vials);

    public sealed record RequestInput(string? SenderCenter, string? Reason, IReadOnlyList<RequestLineInput>? Lines);

    public sealed record PackInput(string? ShipperSerial, double? PlannedTransitHours, IReadOnlyList<VialIdentity>? Vials);

    public sealed record DispatchInput(string? Courier, string? TrackingNumber, string? Password, string? Note);

    public sealed record LoggerPointInput(DateTimeOffset? At, double? Celsius);

    public sealed record LoggerInput(IReadOnlyList<LoggerPointInput>? Points);

    public sealed record LoggerImportResponse(string ShipmentId, int Points);

    public sealed record ReceiveInput(IReadOnlyList<VialIdentity>? Received, string? Courier, DifferenceHandling? OnDifference, string? Password, string? Note);

    public sealed record DecisionInput(string? Decision, string? Reason, string? Password);

    public sealed record SettingsInput(int? RequalificationIntervalDays, int? LoggingIntervalMinutes, string? Reason);

    public sealed record ShipperInput(string? Serial, string? Model, DateTimeOffset? QualifiedAt, double? QualifiedHoldHours, string? QualificationReference);

    /// <summary>The settings, or null while QA has not set them.</summary>
    public sealed record SettingsResponse(ShipmentSettings? Settings);

    public sealed record ChargeInput(DateTimeOffset? ChargedAt);
}
