using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Courses;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training;

/// <summary>The roster of a real incident (<c>?incident=ID</c>) or a drill (<c>?exercise=ID</c>) with certificate warnings; coordinators assign staff.</summary>
[AuthorizeOperation(Operation.TrainingRosterRead)]
public sealed class RostersModel(RosterService rosters) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Incident { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Exercise { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? AsOf { get; set; }

    [BindProperty]
    public string? Staff { get; set; }

    [BindProperty]
    public string? RosterRole { get; set; }

    [BindProperty]
    public long? MemberId { get; set; }

    public Roster? Roster { get; private set; }

    public RosterRequirements? Requirements { get; private set; }

    public bool CanManage => User.May(Operation.TrainingRosterManage);

    public string Query => Incident is { } i ? $"incident={i}" : $"exercise={Exercise}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostAssignAsync(CancellationToken ct)
    {
        if (await TryAsync("assign", async () =>
        {
            var (kind, id) = Api.TrainingEndpoints.Target(Incident, Exercise);
            await rosters.AssignAsync(User.Actor(), kind, id, Staff, RosterRole, ct);
        }))
        {
            Notice($"{Staff} assigned as {RosterRole}.");
            return Redirect($"/training/rosters?{Query}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        if (await TryAsync("remove", () => rosters.RemoveAsync(User.Actor(), MemberId ?? 0, ct)))
        {
            Notice("Taken off the roster.");
            return Redirect($"/training/rosters?{Query}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Requirements = await rosters.RequirementsAsync(User.Actor(), ct);
        if (Incident is null && Exercise is null)
        {
            return;
        }

        await TryAsync("roster", async () =>
        {
            var (kind, id) = Api.TrainingEndpoints.Target(Incident, Exercise);
            Roster = await rosters.RosterAsync(User.Actor(), kind, id, AsOf, ct);
        });
    }
}
