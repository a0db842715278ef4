using System.Security.Claims;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Infrastructure;

/// <summary>One area of the product as the navigation and the dashboard show it.</summary>
/// <param name="Key">URL segment.</param>
/// <param name="Title">Heading.</param>
/// <param name="Purpose">What the area is for, in a sentence.</param>
/// <param name="Tasks">The tasks people do there.</param>
/// <param name="Command">The command-line group that works offline, if any.</param>
/// <param name="Menu">The navigation's short label.</param>
/// <param name="Opens">The operation that opening the area needs (<see cref="Permissions"/>); null when every signed-in person may.</param>
public sealed record Area(string Key, string Title, string Purpose, IReadOnlyList<string> Tasks, string? Command, string Menu, Operation? Opens);

/// <summary>The product's areas, in navigation order.</summary>
public static class AreaCatalog
{
    public static IReadOnlyList<Area> All { get; } =
    [
        new("bank", "Cell bank",
            "The iPS cell bank of the Cell Processing Center: donors and consent, lines, master and working banks, lots, vials in liquid nitrogen, QC release and chain of custody.",
            ["Register a donor and consent", "Record QC results", "Release a lot (QA e-signature)", "Find an available vial"], "radregen bank",
            "Bank", Operation.BankRead),
        new("hla", "HLA",
            "Typings in WHO nomenclature and GL String, matching patients to HLA-homozygous lines, haplobank coverage and planning.",
            ["Match a patient to lines", "Coverage of a population", "Plan the next lines to recruit"], "radregen hla", "HLA", Operation.HlaWorkbenchUse),
        new("care", "Emergency care",
            "Incidents, exposed patients, dose assessment and METREPOL grading, matched reservations, mass-casualty triage and allocation.",
            ["Assess a patient", "Reserve a compatible product", "Triage an incident"], "radregen dose · radregen ars", "Care", Operation.CareDrillRead),
        new("network", "Network and hub",
            "The network of centers: partner centers with their link and lag, shared inventory, shipments with temperature logs, capacity and patient transfers.",
            ["See which centers are connected", "Find stock at another center", "Ship a product"], "radregen network", "Network", Operation.NetworkRead),
        new("hub", "International hub",
            "Requests for and offers of assistance between States and centers in the spirit of WHO-REMPAN and IAEA RANET: the capability registry by RANET area, open requests with their answer timers, offers through the EDXL-RM states, matching and IRIX 1.0 reports.",
            ["Find who can help (registry, matching)", "Answer a request promptly", "Export a request as IRIX"], "radregen hub", "Hub", Operation.HubRead),
        new("training", "Education and drills",
            "Courses with prerequisites and certificates that expire, who is current in what, rosters that warn about expired certificates, capacity drills across the network, and exercises on simulated incidents with scoring.",
            ["Enrol clinicians", "See who is current", "Check a roster", "Run a drill"], "radregen training", "Training", null),
        new("planning", "Readiness planning",
            "How many cell products a scenario needs day by day, the stock on the shelf and in the network, what the cell banks can make in time, and the plan that serves the most patients within their treatment windows.",
            ["Compare scenarios (Coleman/Knebel percentiles)", "See readiness and days of cover", "Plan production"], "radregen plan", "Planning", Operation.PlanningRead),
    ];

    public static Area? Find(string? key) =>
        All.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The areas <paramref name="user"/> may open: the menu and the dashboard show these and no others.</summary>
    public static IReadOnlyList<Area> OpenTo(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. All.Where(a => a.Opens is not { } op || user.May(op))];
    }
}
