using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;
using RadRegen.Network.Shipments;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>
/// Shipments in and out of this center (issue 13 item 3): state, remaining hold of the dry shipper,
/// temperature status; the form to request a shipment from another center (each shipment's own page
/// has the forms for its next steps).
/// </summary>
public sealed class ShipmentsModel(ShipmentService shipments) : BankPageModel
{
    [BindProperty]
    public string? SenderCenter { get; set; }

    [BindProperty]
    public string? ProductCode { get; set; }

    [BindProperty]
    public int? Count { get; set; }

    /// <summary>Named vials (optional), one a line: DIN, product code, division.</summary>
    [BindProperty]
    public string? Vials { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public IReadOnlyList<ShipmentView> Incoming { get; private set; } = [];

    public IReadOnlyList<ShipmentView> Outgoing { get; private set; } = [];

    public IReadOnlyList<ShipperView> Shippers { get; private set; } = [];

    public IReadOnlyList<ReceivedVial> Received { get; private set; } = [];

    public ShipmentSettings? Settings { get; private set; }

    public string? Problem { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>The request form: one product line (and, optionally, the vials seen in the shared inventory).</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Shipment? created = null;
        if (await TryAsync("request", async () =>
        {
            var named = ShipmentModel.ParseVials(Vials, "lines[0].vials");
            created = await shipments.RequestAsync(User.Actor(), SenderCenter ?? "", Reason ?? "",
                [new RequestLine(ProductCode ?? "", Count ?? 0, named)], ct);
        }))
        {
            Notice($"Shipment {created!.Id} requested from {created.SenderCenter}.");
            return Redirect($"/network/shipments/{Uri.EscapeDataString(created.Id)}");
        }

        return await LoadAsync(ct);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        try
        {
            var all = await shipments.ListAsync(actor, ct);
            Incoming = [.. all.Where(s => s.Side == ShipmentSide.Receiver)];
            Outgoing = [.. all.Where(s => s.Side == ShipmentSide.Sender)];
            Shippers = await shipments.ListShippersAsync(actor, ct);
            Received = await shipments.ReceivedStockAsync(actor, ct);
            Settings = await shipments.GetSettingsAsync(actor, ct);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
        catch (RuleViolationException ex)
        {
            // A center without a facility code: the page says so instead of failing.
            Problem = ex.Message;
        }

        return Page();
    }

    public static string Badge(ShipmentState s) => s switch
    {
        ShipmentState.Requested => "text-bg-light",
        ShipmentState.Packed => "text-bg-info",
        ShipmentState.Dispatched => "text-bg-primary",
        ShipmentState.Received or ShipmentState.Released or ShipmentState.Accepted => "text-bg-success",
        ShipmentState.Quarantined or ShipmentState.Returned => "text-bg-warning",
        ShipmentState.Cancelled or ShipmentState.Declined => "text-bg-secondary",
        _ => "text-bg-danger",
    };

    public static string Badge(TemperatureStatus? s) => s switch
    {
        TemperatureStatus.Ok => "text-bg-success",
        TemperatureStatus.Excursion => "text-bg-danger",
        TemperatureStatus.Missing => "text-bg-warning",
        _ => "text-bg-light",
    };
}
