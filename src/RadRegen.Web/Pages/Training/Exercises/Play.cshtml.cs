using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Exercises;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Exercises;

/// <summary>The trainee view: the released victims (links to their drill patient pages), triage answers, injects to acknowledge, the allocation.</summary>
[AuthorizeOperation(Operation.TrainingExercisePlay)]
public sealed class PlayModel(ExerciseService exercises) : ExercisePageModel
{
    public sealed class TriageForm
    {
        public string? Victim { get; set; }

        public string? Colour { get; set; }

        public int? Rc { get; set; }

        public double? DoseGy { get; set; }

        public double? LowerGy { get; set; }

        public double? UpperGy { get; set; }
    }

    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    [BindProperty] public TriageForm Input { get; set; } = new();

    [BindProperty] public int Inject { get; set; }

    public Exercise? Exercise { get; private set; }

    public IReadOnlyList<PlayVictim> Victims { get; private set; } = [];

    public IReadOnlyList<ExerciseAction> Actions { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadOrRefuseAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostTriageAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var a = await exercises.TriageAsync(User.Actor(), Id, new TriageAnswer(Input.Victim ?? "", Input.Colour, Input.Rc, Input.DoseGy, Input.LowerGy, Input.UpperGy), ct);
        return $"{a.Subject} triaged at minute {a.Minutes:0.#}.";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}/play");

    public Task<IActionResult> OnPostAcknowledgeAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        await exercises.AcknowledgeAsync(User.Actor(), Id, Inject, ct);
        return $"Inject {Inject} acknowledged.";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}/play");

    public Task<IActionResult> OnPostAllocateAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var (_, run) = await exercises.AllocateAsync(User.Actor(), Id, ct);
        return $"Allocation on the drill's stock: {run.Result.VialsAllocated} of {run.Result.VialsRequested} vials for {run.Requests.Count} requests.";
    }, () => LoadAsync(ct), $"/training/exercises/{Id}/play");

    private async Task LoadAsync(CancellationToken ct)
    {
        Exercise = await exercises.GetAsync(User.Actor(), Id, ct);
        Victims = await exercises.VictimsAsync(User.Actor(), Id, ct);
        Actions = await exercises.ActionsAsync(User.Actor(), Id, ct);
    }
}
