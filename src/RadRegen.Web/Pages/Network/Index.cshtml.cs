using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core.Access;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Inbox;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>
/// <c>/network</c>: the network of centers as this center sees it (docs/network.md): its own
/// membership, the link to the NATS server, the outbox, the other centers with lag, and the parked
/// events with their reasons. The inventory, shipments, capacity and transfers sections are filled
/// by their own pages as they come.
/// </summary>
[AuthorizeOperation(Operation.NetworkRead)]
public sealed class IndexModel(NetworkStatusReader reader, RadRegenSettings settings) : PageModel
{
    public NetworkStatus Status { get; private set; } = null!;

    public NetworkSettings? Network => settings.Network;

    public CenterSettings Center => settings.Center;

    public async Task OnGetAsync(CancellationToken ct) =>
        Status = await reader.ReadAsync(User.Actor(), settings.Network is not null, ct);

    /// <summary>A duration as people read it.</summary>
    public static string Duration(TimeSpan? span) => span is not { } s
        ? "—"
        : s.TotalSeconds switch
        {
            < 0 => "0 s",
            < 120 => s.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s",
            < 7200 => s.TotalMinutes.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " min",
            < 172800 => s.TotalHours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " h",
            _ => s.TotalDays.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " d",
        };

    public static string LinkBadge(LinkStatus? status) => status switch
    {
        LinkStatus.Connected => "text-bg-success",
        LinkStatus.Disconnected => "text-bg-danger",
        _ => "text-bg-secondary",
    };
}
