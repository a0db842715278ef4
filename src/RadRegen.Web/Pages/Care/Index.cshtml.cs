using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Web.Care;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care;

public sealed class IndexModel(CareService care) : CarePageModel
{
    public sealed class IncidentForm
    {
        public string? Code { get; set; }

        public string? Title { get; set; }

        public string? Kind { get; set; }

        /// <summary>UTC, from a datetime-local input.</summary>
        public DateTime? StartedAt { get; set; }

        public string? Place { get; set; }

        public string? Radionuclides { get; set; }
    }

    public static readonly IncidentKind[] Kinds = Enum.GetValues<IncidentKind>();

    [BindProperty]
    public IncidentForm Input { get; set; } = new();

    public IReadOnlyList<Incident> Incidents { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrRefusedAsync(() => LoadAsync(ct));

    private async Task LoadAsync(CancellationToken ct) => Incidents = await care.ListIncidentsAsync(User.Actor(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Incident? created = null;
        var ok = await TryAsync("incident", async () =>
        {
            var kind = IncidentKind.ReactorAccident;
            CareInput.All(
                () => kind = IncidentKinds.Parse(Input.Kind),
                () => _ = Input.StartedAt ?? throw new DomainValidationException("startedAt", "is required (UTC)"));
            created = await care.CreateIncidentAsync(User.Actor(), new NewIncident(Input.Code ?? "", Input.Title ?? "", kind,
                new DateTimeOffset(DateTime.SpecifyKind(Input.StartedAt!.Value, DateTimeKind.Utc)), Input.Place ?? "", CareInput.SplitList(Input.Radionuclides)), ct);
        });
        if (ok)
        {
            Notice($"Incident {created!.Code} opened.");
            return Redirect($"/care/incidents/{created.Id}");
        }

        return await PageOrRefusedAsync(() => LoadAsync(ct));
    }
}
