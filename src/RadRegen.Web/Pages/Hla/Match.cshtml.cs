using Microsoft.AspNetCore.Mvc;
using RadRegen.Hosting.Hla;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Hla;

public sealed class MatchModel(HlaWorkbench workbench) : HlaPageModel
{
    [BindProperty(SupportsGet = true, Name = "typing")]
    public string? Typing { get; set; }

    [BindProperty(SupportsGet = true, Name = "patientId")]
    public long? PatientId { get; set; }

    [BindProperty(SupportsGet = true, Name = "set")]
    public string? Set { get; set; }

    [BindProperty(SupportsGet = true, Name = "level")]
    public string? Level { get; set; }

    public IReadOnlyList<FrequencySetSummary> Sets { get; private set; } = [];

    public WorkbenchMatch? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Sets = await workbench.ListSetsAsync(User.Actor(), ct);
        if (Typing is not null || PatientId is not null)
        {
            await TryAsync(async () => Result = await workbench.MatchAsync(User.Actor(),
                new WorkbenchMatchQuery(string.IsNullOrWhiteSpace(Typing) ? null : Typing, PatientId, Set, Level), ct));
        }
    }
}
