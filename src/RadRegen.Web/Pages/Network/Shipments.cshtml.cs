using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;
using RadRegen.Network.Shipments;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>Shipments in and out of this center (issue 13 item 3): state, remaining hold of the dry shipper, temperature status.</summary>
public sealed class ShipmentsModel(ShipmentService shipments) : PageModel
{
    public IReadOnlyList<ShipmentView> Incoming { get; private set; } = [];

    public IReadOnlyList<ShipmentView> Outgoing { get; private set; } = [];

    public IReadOnlyList<ShipperView> Shippers { get; private set; } = [];

    public IReadOnlyList<ReceivedVial> Received { get; private set; } = [];

    public ShipmentSettings? Settings { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
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
        ShipmentState.Received or ShipmentState.Released => "text-bg-success",
        ShipmentState.Quarantined => "text-bg-warning",
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
