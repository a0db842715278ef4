using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Web.Care;
using RadRegen.Web.Localization;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care;

// Opens for drill readers too (the trainer); the service refuses a real incident to them (ADR 0026).
[AuthorizeOperation(Operation.CareDrillRead)]
public sealed class IndexModel(CareService care) : CarePageModel
{
    public sealed class IncidentForm
    {
        public string? Code { get; set; }

        public string? Title { get; set; }

        public string? Kind { get; set; }

        /// <summary>The center's wall-clock time, from a datetime-local input (stored in UTC).</summary>
        public DateTime? StartedAt { get; set; }

        public string? Place { get; set; }

        public string? Radionuclides { get; set; }

        /// <summary>An exercise on simulated victims: the trainer reads it (ADR 0026); never changed afterwards.</summary>
        public bool Drill { get; set; }
    }

    public static readonly IncidentKind[] Kinds = Enum.GetValues<IncidentKind>();

    [BindProperty]
    public IncidentForm Input { get; set; } = new();

    public IReadOnlyList<Incident> Incidents { get; private set; } = [];

    /// <summary>Part of the code, title or place.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    /// <summary>An incident kind (kebab-case), or empty for any.</summary>
    [BindProperty(SupportsGet = true, Name = "kind")] public string? KindFilter { get; set; }

    /// <summary>Incidents as listed (newest first), filtered.</summary>
    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrRefusedAsync(() => LoadAsync(ct));

    /// <summary>The filtered list as CSV.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        try
        {
            await LoadAsync(ct);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        var incidents = Incidents;
        return new Infrastructure.CsvDownload("radregen-incidents.csv", async (body, aborted) =>
        {
            await using var csv = RadRegen.Core.Csv.CsvOutput.Over(body, leaveOpen: true);
            csv.Header("code", "title", "kind", "startedAt", "place", "radionuclides");
            foreach (var i in incidents)
            {
                csv.Text(i.Code).Text(i.Title).Values(i.Kind.Name(), RadRegen.Core.Journal.JournalTime.ToText(i.StartedAt)).Text(i.Place)
                    .Text(string.Join(" ", i.Radionuclides));
                await csv.EndRowAsync(aborted);
            }
        });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        IEnumerable<Incident> list = await care.ListIncidentsAsync(User.Actor(), ct);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            list = list.Where(i => i.Code.Contains(q, StringComparison.OrdinalIgnoreCase) || i.Title.Contains(q, StringComparison.OrdinalIgnoreCase)
                || i.Place.Contains(q, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrWhiteSpace(KindFilter))
        {
            list = list.Where(i => i.Kind.Name() == KindFilter);
        }

        Incidents = [.. list];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Incident? created = null;
        var ok = await TryAsync("incident", async () =>
        {
            var kind = IncidentKind.ReactorAccident;
            CareInput.All(
                () => kind = IncidentKinds.Parse(Input.Kind),
                () => _ = Input.StartedAt ?? throw new DomainValidationException("startedAt", "is required"));
            created = await care.CreateIncidentAsync(User.Actor(), new NewIncident(Input.Code ?? "", Input.Title ?? "", kind,
                LocalTimeHtml.FromInput(Input.StartedAt!.Value, HttpContext.CenterZone(), "startedAt"), Input.Place ?? "", CareInput.SplitList(Input.Radionuclides), Input.Drill), ct);
        });
        if (ok)
        {
            Notice($"Incident {created!.Code} opened.");
            return Redirect($"/care/incidents/{created.Id}");
        }

        return await PageOrRefusedAsync(() => LoadAsync(ct));
    }
}
