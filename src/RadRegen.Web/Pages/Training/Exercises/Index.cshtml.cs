using Microsoft.AspNetCore.Mvc;
using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Training.Exercises;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Exercises;

[AuthorizeOperation(Operation.TrainingExerciseRead)]
public sealed class IndexModel(ExerciseService exercises) : ExercisePageModel
{
    public sealed class CreateForm
    {
        public string? Code { get; set; }

        public string? Title { get; set; }

        public int? Victims { get; set; } = 50;

        public int? Seed { get; set; } = 1;

        public string? Kind { get; set; } = "radiological-dispersal-device";

        public double? MedianDoseGy { get; set; } = DrillDoseDistribution.Default.MedianGy;
    }

    public static readonly IncidentKind[] Kinds = Enum.GetValues<IncidentKind>();

    [BindProperty] public CreateForm Input { get; set; } = new();

    public IReadOnlyList<Exercise> List { get; private set; } = [];

    public bool CanManage => User.May(Operation.TrainingExerciseManage);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => LoadOrRefuseAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => ChangeAsync(async () =>
    {
        var errors = new List<FieldError>();
        if (Input.Victims is null)
        {
            errors.Add(new("victims", "is required"));
        }

        if (Input.Seed is null)
        {
            errors.Add(new("seed", "is required"));
        }

        var kind = IncidentKinds.Parse(Input.Kind ?? "", "kind");
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var dose = DrillDoseDistribution.Default with { MedianGy = Input.MedianDoseGy ?? DrillDoseDistribution.Default.MedianGy };
        var e = await exercises.CreateAsync(User.Actor(), new NewExercise(Input.Code ?? "", Input.Title ?? "", new Scenario(Input.Seed!.Value, Input.Victims!.Value, kind, dose)), ct);
        return $"Exercise {e.Code} created.";
    }, () => LoadAsync(ct), "/training/exercises");

    private async Task LoadAsync(CancellationToken ct) => List = await exercises.ListAsync(User.Actor(), ct);
}
