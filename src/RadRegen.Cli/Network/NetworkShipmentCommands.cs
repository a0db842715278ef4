using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Network.Shipments;

namespace RadRegen.Cli.Network;

/// <summary>
/// <c>radregen network shipments</c> and <c>radregen network shipment ID</c>: shipments between
/// centers as this center holds them (issue 13 items 3 and 6, ADR 0024), the view the page
/// <c>/network/shipments</c> lists. Read only: never creates or migrates the database.
/// </summary>
internal static class NetworkShipmentCommands
{
    /// <summary>
    /// The commands act as the local operator with the auditor's read-only role: the permission
    /// table keeps the administrator (what <see cref="CliDatabase.Operator"/> is) out of shipments,
    /// and these commands change nothing.
    /// </summary>
    private static Actor Reader => CliDatabase.OperatorAs(Role.Auditor);

    public static IEnumerable<Command> Create() => [List(), Show()];

    private static Command List()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("shipments",
            "Shipments in and out of this center (needs Center:FacilityCode), newest change first: the other center, state, vials, dry shipper, "
            + "remaining hold and temperature status of the receipt.") { db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var list = await services.GetRequiredService<ShipmentService>().ListAsync(Reader, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = list.Count, shipments = list.Select(Summary) });
                return ExitCodes.Ok;
            }

            var output = parse.InvocationConfiguration.Output;
            TextTable.Write(output, ["shipment", "direction", "center", "state", "vials", "shipper", "remaining hold", "temperature"],
                list.Select(v => (IReadOnlyList<string>)
                [
                    v.Shipment.Id, Direction(v.Side), v.Counterpart, ShipmentJson.Name(v.State), Vials(v.Shipment),
                    v.Shipment.Sender.Shipper?.Serial ?? "-", v.RemainingHoldText ?? "-",
                    v.TemperatureStatus is { } t ? ShipmentJson.Name(t) : "-",
                ]));
            output.WriteLine($"{list.Count} shipment(s) in and out of this center");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The shipment's id (as `network shipments` lists it, e.g. W0002-20261121-1A2B3C4D)." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("shipment",
            "One shipment as this center holds it: the request, its vials with lineage, the dry shipper and remaining hold, the chain of custody "
            + "(signed hand-offs), the receipt and its temperature status, and the logger readings. Exit 1 when the id is unknown.") { id, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var shipments = services.GetRequiredService<ShipmentService>();
            var view = await shipments.GetAsync(Reader, parse.GetValue(id)!.Trim(), ct);
            var logger = await shipments.LoggerSeriesAsync(Reader, view.Shipment.Id, ct);
            var s = view.Shipment;
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    shipment = Summary(view),
                    request = new
                    {
                        reason = s.Request.Reason,
                        requestedAt = JournalTime.ToText(s.Request.RequestedAt),
                        requestedBy = s.Request.RequestedBy,
                        lines = s.Request.Lines.Select(l => new { productCode = l.ProductCode, count = l.Count, vials = l.Vials.Select(Identity) }),
                    },
                    vials = s.Sender.Items.Select(i => new
                    {
                        din = i.Din, productCode = i.ProductCode, division = i.Division, lotNumber = i.LotNumber, lineCode = i.LineCode,
                        expiresAt = JournalTime.ToText(i.ExpiresAt),
                    }),
                    sender = new
                    {
                        state = ShipmentJson.Name(s.Sender.State),
                        shipper = s.Sender.Shipper is { } sh ? new
                        {
                            serial = sh.Serial, model = sh.Model, qualifiedAt = JournalTime.ToText(sh.QualifiedAt), qualifiedHoldHours = sh.QualifiedHoldHours,
                            chargedAt = JournalTime.ToText(sh.ChargedAt), holdEndsAt = JournalTime.ToText(sh.HoldEndsAt),
                        } : null,
                        plannedTransitHours = s.Sender.PlannedTransitHours,
                        temperatureLimitCelsius = s.Sender.TemperatureLimitCelsius,
                        limitSource = s.Sender.LimitSource,
                        packedAt = Time(s.Sender.PackedAt),
                        packedBy = s.Sender.PackedBy,
                        dispatchedAt = Time(s.Sender.DispatchedAt),
                        courier = s.Sender.Courier,
                        trackingNumber = s.Sender.TrackingNumber,
                        decision = s.Sender.Decision,
                        lots = s.Sender.Lots ?? [],
                    },
                    returnOf = s.Request.ReturnOf,
                    receiver = new
                    {
                        state = ShipmentJson.Name(s.Receiver.State),
                        receivedAt = Time(s.Receiver.ReceivedAt),
                        receivedBy = s.Receiver.ReceivedBy,
                        received = s.Receiver.Received.Select(Identity),
                        missing = s.Receiver.Missing.Select(Identity),
                        unexpected = s.Receiver.Unexpected.Select(Identity),
                        temperatureDetail = s.Receiver.TemperatureDetail,
                        qaDecision = s.Receiver.QaDecision,
                        qaBy = s.Receiver.QaBy,
                        qaAt = Time(s.Receiver.QaAt),
                        cancellation = s.Receiver.Cancellation,
                        inventory = s.Receiver.Inventory,
                        returnShipmentId = s.Receiver.ReturnShipmentId,
                    },
                    custody = s.Custody.Select(h => new
                    {
                        from = h.From, to = h.To, at = JournalTime.ToText(h.At), center = h.Center, signedBy = h.SignedBy, signatureId = h.SignatureId, note = h.Note,
                    }),
                    logger = new
                    {
                        status = LoggerStatus(view, logger.Count),
                        points = logger.Count,
                        first = logger.Count > 0 ? JournalTime.ToText(logger[0].At) : null,
                        last = logger.Count > 0 ? JournalTime.ToText(logger[^1].At) : null,
                        warmestCelsius = logger.Count > 0 ? logger.Max(p => p.Celsius) : (double?)null,
                    },
                });
                return ExitCodes.Ok;
            }

            var output = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            output.WriteLine($"shipment {s.Id}: {s.SenderCenter} → {s.ReceiverCenter} ({Direction(view.Side)} here), {ShipmentJson.Name(view.State)}, version {s.Version}");
            output.WriteLine($"requested {JournalTime.ToText(s.Request.RequestedAt)} by {s.Request.RequestedBy}: {s.Request.Reason}");
            foreach (var l in s.Request.Lines)
            {
                output.WriteLine($"  {l.Count} × {l.ProductCode}" + (l.Vials.Count > 0 ? ": " + string.Join(", ", l.Vials) : ""));
            }

            output.WriteLine(s.Sender.Shipper is { } shipper
                ? $"dry shipper {shipper.Serial} ({shipper.Model}; qualified {JournalTime.ToText(shipper.QualifiedAt)[..10]}, {shipper.QualifiedHoldHours.ToString(c)} h; "
                    + $"charged {JournalTime.ToText(shipper.ChargedAt)}), remaining hold {view.RemainingHoldText ?? "-"}"
                    + (s.Sender.PlannedTransitHours is { } t ? $", planned transit {t.ToString(c)} h" : "")
                : "dry shipper: not packed yet");
            if (s.Sender.Items.Count > 0)
            {
                TextTable.Write(output, ["din", "product", "division", "lot", "line", "expires"], s.Sender.Items.Select(i => (IReadOnlyList<string>)
                    [i.Din, i.ProductCode, i.Division, i.LotNumber, i.LineCode, JournalTime.ToText(i.ExpiresAt)[..10]]));
            }

            output.WriteLine(s.Custody.Count == 0 ? "custody: no hand-off yet" : "custody:");
            foreach (var h in s.Custody)
            {
                output.WriteLine($"  {JournalTime.ToText(h.At)} {h.From} → {h.To} (signed by {h.SignedBy} at {h.Center})" + (h.Note is { } n ? ": " + n : ""));
            }

            if (s.Receiver.ReceivedAt is { } receivedAt)
            {
                output.WriteLine($"received {JournalTime.ToText(receivedAt)} by {s.Receiver.ReceivedBy}: {s.Receiver.Received.Count} vial(s)"
                    + (s.Receiver.Missing.Count > 0 ? "; missing " + string.Join(", ", s.Receiver.Missing) : "")
                    + (s.Receiver.Unexpected.Count > 0 ? "; not shipped " + string.Join(", ", s.Receiver.Unexpected) : ""));
            }

            output.WriteLine($"temperature: {(view.TemperatureStatus is { } ts ? ShipmentJson.Name(ts) : "-")}"
                + (s.Receiver.TemperatureDetail is { } detail ? $" ({detail})" : ""));
            output.WriteLine($"logger: {LoggerStatus(view, logger.Count)}"
                + (logger.Count > 0 ? $", {logger.Count} reading(s) {JournalTime.ToText(logger[0].At)} – {JournalTime.ToText(logger[^1].At)}, warmest {logger.Max(p => p.Celsius).ToString(c)} °C" : ""));
            if (s.Receiver.QaDecision is { } decision)
            {
                output.WriteLine($"QA: {decision} ({s.Receiver.QaBy}, {Time(s.Receiver.QaAt)})");
            }

            // ADR 0031: decline, cancel, acceptance into the bank, return.
            foreach (var d in new[] { s.Sender.Decision, s.Receiver.Cancellation }.OfType<ShipmentDecision>())
            {
                output.WriteLine($"{d.What} by {d.By} at {JournalTime.ToText(d.At)}: {d.Reason}");
            }

            if (s.Receiver.Inventory is { } inventory)
            {
                output.WriteLine($"inventory: {inventory.Outcome} by {inventory.By} at {JournalTime.ToText(inventory.At)} (e-signature {inventory.SignatureId}); "
                    + $"lots {string.Join(", ", inventory.Lots)}");
            }

            if (s.Request.ReturnOf is { } original)
            {
                output.WriteLine($"return of shipment {original}");
            }

            if (s.Receiver.ReturnShipmentId is { } back)
            {
                output.WriteLine($"sent back in return shipment {back}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The row the page lists for a shipment.</summary>
    private static object Summary(ShipmentView v) => new
    {
        id = v.Shipment.Id,
        direction = Direction(v.Side),
        senderCenter = v.Shipment.SenderCenter,
        receiverCenter = v.Shipment.ReceiverCenter,
        counterpart = v.Counterpart,
        state = ShipmentJson.Name(v.State),
        reason = v.Shipment.Request.Reason,
        requested = v.Shipment.Request.Lines.Select(l => new { productCode = l.ProductCode, count = l.Count }),
        packedVials = v.Shipment.Sender.Items.Count,
        shipper = v.Shipment.Sender.Shipper?.Serial,
        plannedTransitHours = v.Shipment.Sender.PlannedTransitHours,
        remainingHoldHours = v.RemainingHoldHours,
        remainingHold = v.RemainingHoldText,
        temperatureStatus = v.TemperatureStatus is { } t ? ShipmentJson.Name(t) : null,
        setDiffers = v.Shipment.Receiver.Missing.Count + v.Shipment.Receiver.Unexpected.Count > 0,
        updatedAt = JournalTime.ToText(v.Shipment.UpdatedAt),
        version = v.Shipment.Version,
    };

    /// <summary>Incoming at the receiving center, outgoing at the sending one (the page's two tables).</summary>
    private static string Direction(ShipmentSide side) => side == ShipmentSide.Receiver ? "incoming" : "outgoing";

    private static string Vials(Shipment s) => s.Sender.Items.Count > 0
        ? s.Sender.Items.Count.ToString(CultureInfo.InvariantCulture) + " packed"
        : string.Join(", ", s.Request.Lines.Select(l => $"{l.Count} × {l.ProductCode}")) + " requested";

    /// <summary>
    /// Where the temperature logger stands: the receipt's temperature status once received (anything
    /// but ok forces quarantine, ADR 0024), else whether a series has been imported yet.
    /// </summary>
    private static string LoggerStatus(ShipmentView view, int points) => view.TemperatureStatus is { } t
        ? ShipmentJson.Name(t)
        : points > 0 ? "imported, receipt pending" : "no readings yet";

    private static object Identity(VialIdentity v) => new { din = v.Din, productCode = v.ProductCode, division = v.Division };

    private static string? Time(DateTimeOffset? at) => at is { } t ? JournalTime.ToText(t) : null;
}
