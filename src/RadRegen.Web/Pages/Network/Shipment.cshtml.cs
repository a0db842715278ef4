using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Network.Shipments;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Network;

/// <summary>
/// One shipment between centers (issue 13 item 3, ADR 0024 and 0031) with the forms this center
/// may use at its state: pack or decline, hand to the courier or unpack (sender); cancel, logger,
/// receipt, QA's quarantine decision, acceptance into the bank, return (receiver); restock or
/// discard a return. The service checks roles and rules; the page shows its errors beside the fields.
/// </summary>
public sealed class ShipmentModel(ShipmentService shipments, BankService bank) : BankPageModel
{
    public ShipmentView View { get; private set; } = null!;

    public IReadOnlyList<ShipperView> Shippers { get; private set; } = [];

    public IReadOnlyList<LocationOccupancy> Boxes { get; private set; } = [];

    public int LoggerPoints { get; private set; }

    [BindProperty]
    public string? Action { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? ShipperSerial { get; set; }

    [BindProperty]
    public string? PlannedTransitHours { get; set; }

    /// <summary>Vials, one a line: DIN, product code and division separated by spaces.</summary>
    [BindProperty]
    public string? Vials { get; set; }

    [BindProperty]
    public string? Courier { get; set; }

    [BindProperty]
    public string? TrackingNumber { get; set; }

    [BindProperty]
    public string? OnDifference { get; set; }

    [BindProperty]
    public string? LoggerCsv { get; set; }

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public long? BoxId { get; set; }

    [BindProperty]
    public DateTime? ChargedAt { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(string id, CancellationToken ct)
    {
        var actor = User.Actor();
        View = await shipments.GetAsync(actor, id, ct);
        Shippers = View.Side == ShipmentSide.Sender && User.May(Core.Access.Operation.NetworkShipmentPack) ? await shipments.ListShippersAsync(actor, ct) : [];
        LoggerPoints = (await shipments.LoggerSeriesAsync(actor, id, ct)).Count;
        Boxes = User.May(Core.Access.Operation.BankRead)
            ? [.. (await bank.ListLocationsAsync(actor, ct)).Where(l => l.Location.Kind == LocationKind.Box && l.Occupied < l.Capacity)]
            : [];
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        var actor = User.Actor();
        var action = Action ?? "";
        if (await TryAsync(action, async () =>
        {
            switch (action)
            {
                case "decline":
                    await shipments.DeclineAsync(actor, id, Reason ?? "", Version, ct);
                    break;
                case "cancel":
                    await shipments.CancelAsync(actor, id, Reason ?? "", Version, ct);
                    break;
                case "pack":
                    await shipments.PackAsync(actor, id, ShipperSerial ?? "", Hours(PlannedTransitHours, "plannedTransitHours"), ParseVials(Vials, "vials"), Version, ct);
                    break;
                case "unpack":
                    await shipments.UnpackAsync(actor, id, Reason ?? "", Version, ct);
                    break;
                case "dispatch":
                    await shipments.DispatchAsync(actor, id, Courier ?? "", TrackingNumber, Password ?? "", Note, Version, ct);
                    break;
                case "logger":
                    using (var reader = new StringReader(LoggerCsv ?? ""))
                    {
                        await shipments.ImportLoggerAsync(actor, id, LoggerSeries.ReadCsv(reader, "page"), "page", ct);
                    }

                    break;
                case "receive":
                    await shipments.ReceiveAsync(actor, id, ParseVials(Vials, "received"), Courier ?? "", Difference(OnDifference), Password ?? "", Note, Version, ct);
                    break;
                case "quarantine":
                    await shipments.DecideQuarantineAsync(actor, id, Decide(Decision, "release", "reject"), Reason ?? "", Password ?? "", Version, ct);
                    break;
                case "accept":
                    await shipments.AcceptIntoInventoryAsync(actor, id, BoxId ?? throw new DomainValidationException("boxId", "choose the box the vials go into"),
                        Password ?? "", Note, Version, ct);
                    break;
                case "return":
                    await shipments.ReturnAsync(actor, id, Courier ?? "", TrackingNumber,
                        (ChargedAt is { } charged ? LocalTimeHtml.FromInput(charged, HttpContext.CenterZone(), "chargedAt") : throw new DomainValidationException("chargedAt", "when the shipper was recharged here for the way back")),
                        Hours(PlannedTransitHours, "plannedTransitHours"), Reason ?? "", Password ?? "", Note, Version, ct);
                    break;
                case "return-decision":
                    await shipments.DecideReturnAsync(actor, id, Decide(Decision, "restock", "discard"), BoxId, Reason ?? "", Password ?? "", Version, ct);
                    break;
                default:
                    throw new DomainValidationException("action", "choose an action");
            }
        }))
        {
            Notice($"Shipment {id}: {action} recorded.");
            return Redirect($"/network/shipments/{Uri.EscapeDataString(id)}");
        }

        Password = null;
        return await PageOrNotFoundAsync(() => LoadAsync(id, ct));
    }

    /// <summary>Vials typed one a line ("W000126000001 S9102 A0"); a line that is not three words is named.</summary>
    public static IReadOnlyList<VialIdentity> ParseVials(string? text, string field)
    {
        var result = new List<VialIdentity>();
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3)
            {
                throw new DomainValidationException(field, $"line {i + 1} ('{Shorten(lines[i])}'): a vial is its DIN, product code and division, separated by spaces");
            }

            result.Add(new VialIdentity(parts[0], parts[1], parts[2]));
        }

        return result;
    }

    /// <summary>The vials as the form writes them, one a line.</summary>
    public static string VialLines(IEnumerable<VialIdentity> vials) => string.Join("\n", vials.Select(v => v.ToString()));

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static double Hours(string? text, string field) =>
        double.TryParse((text ?? "").Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
            ? h
            : throw new DomainValidationException(field, "a number of hours, e.g. 36 or 36.5");

    private static DifferenceHandling? Difference(string? text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "" => null,
        "refuse" => DifferenceHandling.Refuse,
        "quarantine" => DifferenceHandling.Quarantine,
        _ => throw new DomainValidationException("onDifference", "refuse or quarantine"),
    };

    private static bool Decide(string? text, string yes, string no)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        return t == yes || (t == no ? false : throw new DomainValidationException("decision", $"{yes} or {no}"));
    }
}
