using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.CapacityDrill;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.CapacityDrills;

/// <summary>One capacity drill's result (DRILL) and, at a center asked, its answer form.</summary>
[AuthorizeOperation(Operation.TrainingCapacityDrillRead)]
public sealed class DrillModel(CapacityDrillService drills) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public int? BedsAvailable { get; set; }

    [BindProperty]
    public int? Accepted { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public CapacityDrillResult? Result { get; private set; }

    public bool CanAnswer => User.May(Operation.TrainingCapacityDrillAnswer)
        && Result?.Centers.Any(c => c.Answer.Center == drills.LocalCenter && !c.Answer.Answered) == true;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostAnswerAsync(CancellationToken ct)
    {
        if (await TryAsync("answer", () => drills.AnswerAsync(User.Actor(), Id, new DrillAnswerInput(BedsAvailable, Accepted, Comment), ct)))
        {
            Notice("Drill answer sent to the lead center.");
            return Redirect($"/training/capacity-drills/{Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct) => Result = await drills.ResultAsync(User.Actor(), Id, ct);
}
