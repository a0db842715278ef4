using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Reporting;
using RadRegen.Training.Exercises;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Exercises;

/// <summary>The score against the truth, the after-action report and the improvement plan (editable by the trainer).</summary>
[AuthorizeOperation(Operation.TrainingExerciseRead)]
public sealed class ScoreModel(ExerciseService exercises) : ExercisePageModel
{
    public sealed class ItemForm
    {
        public long ItemId { get; set; }

        public string? Action { get; set; }

        public string? Owner { get; set; }

        public DateOnly? Due { get; set; }

        public string? Status { get; set; }

        public int Version { get; set; }
    }

    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    [BindProperty(SupportsGet = true)] public string? Trainee { get; set; }

    [BindProperty] public ItemForm Item { get; set; } = new();

    public Exercise? Exercise { get; private set; }

    public ExerciseScore? Result { get; private set; }

    public IReadOnlyList<ImprovementItem> Plan { get; private set; } = [];

    public ReportDocument? Report { get; private set; }

    public bool CanManage => User.May(Operation.TrainingExerciseManage);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadOrRefuseAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostGenerateAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var plan = await exercises.GenerateImprovementPlanAsync(User.Actor(), Id, ct);
        return $"Improvement plan: {plan.Count} item(s).";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}/score");

    public Task<IActionResult> OnPostItemAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        if (Item.Due is null)
        {
            throw new DomainValidationException("due", "is required");
        }

        var i = await exercises.UpdateImprovementAsync(User.Actor(), Id, Item.ItemId, Item.Action ?? "", Item.Owner ?? "", Item.Due.Value, Item.Status ?? "", Item.Version, ct);
        return $"Item {i.TargetCode} saved.";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}/score");

    private async Task LoadAsync(CancellationToken ct)
    {
        Exercise = await exercises.GetAsync(User.Actor(), Id, ct);
        Result = await exercises.ScoreAsync(User.Actor(), Id, Trainee, ct);
        Plan = await exercises.ImprovementPlanAsync(User.Actor(), Id, ct);
        if (User.May(Operation.TrainingExerciseAnswerKey))
        {
            Report = await exercises.ReportAsync(User.Actor(), Id, ct);
        }
    }
}
