using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.CapacityDrill;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.CapacityDrills;

/// <summary>Network capacity drills (DRILL): the list and, when a network is configured, the start form.</summary>
[AuthorizeOperation(Operation.TrainingCapacityDrillRead)]
public sealed class IndexModel(CapacityDrillService drills) : BankPageModel
{
    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty]
    public int? Quota { get; set; }

    [BindProperty]
    public string? BedType { get; set; }

    [BindProperty]
    public string? Centers { get; set; }

    [BindProperty]
    public int? AnswerWithinMinutes { get; set; }

    public IReadOnlyList<CapacityDrillRun> Drills { get; private set; } = [];

    public bool NetworkConfigured => drills.NetworkConfigured;

    public IReadOnlyList<string> Members => drills.MemberCenters;

    public string LocalCenter => drills.LocalCenter;

    public bool CanStart => User.May(Operation.TrainingCapacityDrillStart) && drills.NetworkConfigured;

    public int DefaultMinutes => (int)CapacityDrillService.DefaultAnswerWithin.TotalMinutes;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostStartAsync(CancellationToken ct)
    {
        CapacityDrillRun? started = null;
        if (await TryAsync("start", async () => started = await drills.StartAsync(User.Actor(), new NewCapacityDrill(Reference, Quota, BedType,
            [.. (Centers ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], AnswerWithinMinutes), ct)))
        {
            Notice($"Capacity drill {started!.Id} started (DRILL).");
            return Redirect($"/training/capacity-drills/{started.Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct) => Drills = await drills.ListAsync(User.Actor(), ct);
}
