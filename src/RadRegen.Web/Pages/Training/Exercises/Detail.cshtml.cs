using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Exercises;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Exercises;

[AuthorizeOperation(Operation.TrainingExerciseRead)]
public sealed class DetailModel(ExerciseService exercises) : ExercisePageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    [BindProperty] public string? Trainee { get; set; }

    public Exercise? Exercise { get; private set; }

    public IReadOnlyList<ExerciseAction> Actions { get; private set; } = [];

    public bool CanManage => User.May(Operation.TrainingExerciseManage);

    public bool CanPlay => User.May(Operation.TrainingExercisePlay) && Exercise?.Participants.Contains(User.Actor().UserName) == true;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadOrRefuseAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostAssignAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var e = await exercises.AssignAsync(User.Actor(), Id, Trainee ?? "", ct);
        return $"{Trainee} assigned to {e.Code}.";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}");

    private async Task LoadAsync(CancellationToken ct)
    {
        Exercise = await exercises.GetAsync(User.Actor(), Id, ct);
        Actions = await exercises.ActionsAsync(User.Actor(), Id, ct);
    }
}
