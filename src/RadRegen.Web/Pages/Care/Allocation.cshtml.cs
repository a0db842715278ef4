using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Network.Allocation;
using RadRegen.Web.Care;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care;

[AuthorizeOperation(Operation.CareRead)]
public sealed class AllocationModel(CareService care, CareAllocation allocation, PriorityPolicyService policies) : CarePageModel
{
    /// <summary>Transport limits as typed: <c>SITE=N, SITE=N</c>; empty = no limit.</summary>
    [BindProperty]
    public string? TransportLimits { get; set; }

    [BindProperty]
    public int MaxHvg { get; set; } = CareAllocation.DefaultMaxHvg;

    /// <summary>Leave other centers' stock out (ADR 0030); by default it is considered.</summary>
    [BindProperty]
    public bool LocalOnly { get; set; }

    /// <summary>The shipment requests the last "request shipments" made.</summary>
    public AllocationShipmentsResult? Shipments { get; private set; }

    /// <summary>Who may turn the remote part of an allocation into shipment requests.</summary>
    public bool CanRequestShipments => User.May(Operation.CareAllocationShipmentsRequest);

    public Incident Incident { get; private set; } = null!;

    public AllocationResponse? Result { get; private set; }

    /// <summary>The priority policy in force: version, rules and their sources.</summary>
    public PolicyVersion? Policy { get; private set; }

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => PageOrRefusedAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Incident = await care.GetIncidentAsync(User.Actor(), id, ct);
        Policy = await policies.CurrentAsync(User.Actor(), ct);
        ViewData["IncidentId"] = id;
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        await TryAsync("allocation", async () =>
            Result = CareAllocation.Describe(await allocation.RunAsync(User.Actor(), id, CareAllocation.ParseLimits(TransportLimits), MaxHvg, ct, !LocalOnly)));
        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }

    /// <summary>Runs the allocation with the form's settings and requests the shipments its remote part proposes from the owning centers.</summary>
    public async Task<IActionResult> OnPostShipmentsAsync(long id, CancellationToken ct)
    {
        await TryAsync("allocation", async () =>
        {
            var (run, shipments) = await allocation.RequestShipmentsAsync(User.Actor(), id, CareAllocation.ParseLimits(TransportLimits), MaxHvg, null, ct);
            Result = CareAllocation.Describe(run);
            Shipments = shipments;
        });
        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }

    /// <summary>Runs the allocation with the form's limits and returns it as CSV (one row per allotment or unmet remainder).</summary>
    public async Task<IActionResult> OnPostCsvAsync(long id, CancellationToken ct)
    {
        Incident? incident = null;
        if (await TryAsync("allocation", async () =>
        {
            incident = await care.GetIncidentAsync(User.Actor(), id, ct);
            Result = CareAllocation.Describe(await allocation.RunAsync(User.Actor(), id, CareAllocation.ParseLimits(TransportLimits), MaxHvg, ct, !LocalOnly));
        }))
        {
            return File(AllocationCsv.Write(Result!), "text/csv", $"radregen-{incident!.Code}-allocation.csv");
        }

        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }
}
