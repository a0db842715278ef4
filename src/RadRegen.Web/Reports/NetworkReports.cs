using System.Globalization;
using RadRegen.Core.Reporting;
using RadRegen.Network.Shipments;

namespace RadRegen.Web.Reports;

/// <summary>The network's PDF report: a shipment's manifest (docs/reports.md).</summary>
public static class NetworkReports
{
    /// <summary>
    /// The shipment manifest: sender, receiver, state, the request's reason, what was packed (each vial's
    /// identity, lot, line, expiry), the dry shipper and its qualification, the temperature limit with its
    /// source, the courier, the signed hand-offs of the chain of custody, and on the receiving side what
    /// arrived, what was missing or unexpected and the temperature status. A QR code carries the shipment's id.
    /// </summary>
    public static ReportDocument Manifest(ReportContext r, ShipmentView view)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Shipment;
        var sender = s.Sender;
        var receiver = s.Receiver;
        var sections = new List<ReportSection>
        {
            new(r["Shipment"],
            [
                new ReportFacts(
                [
                    new(r["Shipment"], s.Id),
                    new(r["From"], s.SenderCenter),
                    new(r["To"], s.ReceiverCenter),
                    new(r["State"], ShipmentJson.Name(view.State)),
                    new(r["Requested"], $"{s.Request.RequestedBy}, {r.Time(s.Request.RequestedAt)}"),
                    new(r["Reason"], s.Request.Reason),
                    new(r["Requested items"], string.Join("; ", s.Request.Lines.Select(l => l.Vials.Count > 0
                        ? string.Join(", ", l.Vials.Select(v => $"{v.Din} {v.ProductCode} {v.Division}"))
                        : string.Create(CultureInfo.InvariantCulture, $"{l.Count} × {l.ProductCode}")))),
                ]),
                new ReportCode(s.Id, r.Format("Shipment {0}: scan to open it at the receiving center.", s.Id)),
            ]),
        };

        sections.Add(new(r["Contents"], sender.Items.Count == 0
            ? [new ReportParagraph(r["Nothing packed yet."])]
            :
            [
                new ReportTable([r["Vial (DIN product division)"], r["Lot"], r["Line"], r["Expires"]],
                    [.. sender.Items.Select(v => (IReadOnlyList<string>)[$"{v.Din} {v.ProductCode} {v.Division}", v.LotNumber, v.LineCode, r.Time(v.ExpiresAt)])])
                {
                    Caption = r.Format("{0} vial(s).", sender.Items.Count),
                },
            ]));

        var transport = new List<ReportFact>();
        if (sender.Shipper is { } shipper)
        {
            transport.Add(new(r["Dry shipper"], string.Create(CultureInfo.InvariantCulture,
                $"{shipper.Serial} ({shipper.Model}), qualified {r.Time(shipper.QualifiedAt)} for {ReportContext.Number(shipper.QualifiedHoldHours)} h, charged {r.Time(shipper.ChargedAt)}")));
        }

        if (sender.PlannedTransitHours is { } transit)
        {
            transport.Add(new(r["Planned transit"], $"{ReportContext.Number(transit)} h"));
        }

        if (sender.TemperatureLimitCelsius is { } limit)
        {
            transport.Add(new(r["Temperature limit"], $"≤ {ReportContext.Number(limit)} °C{(sender.LimitSource is { } src ? $" ({src})" : "")}"));
        }

        transport.Add(new(r["Packed"], sender.PackedAt is null ? "—" : $"{sender.PackedBy}, {r.Time(sender.PackedAt)}"));
        transport.Add(new(r["Dispatched"], sender.DispatchedAt is null ? "—" : r.Time(sender.DispatchedAt)));
        transport.Add(new(r["Courier"], string.Join(", ", new[] { sender.Courier, sender.TrackingNumber }.Where(x => !string.IsNullOrEmpty(x))) is { Length: > 0 } c ? c : "—"));
        if (view.RemainingHoldText is { } hold)
        {
            transport.Add(new(r["Remaining hold"], hold));
        }

        sections.Add(new(r["Transport"], [new ReportFacts(transport)]));

        var handOffs = sender.HandOffs.Concat(receiver.HandOffs).OrderBy(h => h.At).ToList();
        if (handOffs.Count > 0)
        {
            sections.Add(new(r["Chain of custody"],
            [
                .. handOffs.Select(h => (ReportBlock)new ReportSignature(h.SignedBy, r.Format("handed from {0} to {1}", h.From, h.To), r.Time(h.At))
                {
                    Reference = r.Format("e-signature #{0} at {1}", h.SignatureId, h.Center) + (h.Note is { } n ? $" — {n}" : ""),
                }),
            ]));
        }

        if (receiver.ReceivedAt is not null)
        {
            sections.Add(new(r["Receipt"],
            [
                new ReportFacts(
                [
                    new(r["Received"], $"{receiver.ReceivedBy}, {r.Time(receiver.ReceivedAt)}"),
                    new(r["Received vials"], receiver.Received.Count.ToString(CultureInfo.InvariantCulture)),
                    new(r["Missing"], receiver.Missing.Count == 0 ? r["none"] : string.Join(", ", receiver.Missing.Select(v => $"{v.Din} {v.ProductCode} {v.Division}"))),
                    new(r["Unexpected"], receiver.Unexpected.Count == 0 ? r["none"] : string.Join(", ", receiver.Unexpected.Select(v => $"{v.Din} {v.ProductCode} {v.Division}"))),
                    new(r["Temperature status"], receiver.TemperatureStatus is { } ts
                        ? $"{ts.ToString().ToLowerInvariant()}{(receiver.TemperatureDetail is { } d ? $" — {d}" : "")}"
                        : "—"),
                    new(r["Logger readings"], receiver.LoggerPoints.ToString(CultureInfo.InvariantCulture)),
                ]),
            ]));
        }

        return r.Document(r["Shipment manifest"], $"{s.Id} · {s.SenderCenter} → {s.ReceiverCenter}", sections);
    }
}
