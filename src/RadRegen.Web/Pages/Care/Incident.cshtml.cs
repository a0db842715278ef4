using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Web.Api;
using RadRegen.Web.Care;
using RadRegen.Web.Security;

using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Care;

// Opens for drill readers too (the trainer); the service refuses a real incident to them (ADR 0026).
[AuthorizeOperation(Operation.CareDrillRead)]
public sealed class IncidentModel(IncidentView view, CareService care, MassCasualtyService massCasualty, PriorityPolicyService policies) : CarePageModel
{
    public sealed class PatientForm
    {
        public string? Code { get; set; }

        public int? AgeYears { get; set; }

        public string? Sex { get; set; }

        public double? WeightKg { get; set; }

        /// <summary>The center's wall-clock time, from a datetime-local input (stored in UTC); empty = the incident's start.</summary>
        public DateTime? ExposureStart { get; set; }

        public double? ExposureHours { get; set; }

        public string? Route { get; set; }

        public bool Contaminated { get; set; }

        public bool Burns { get; set; }

        public bool Trauma { get; set; }

        public string? HlaTyping { get; set; }
    }

    /// <summary>How many places of the priority queue the dashboard shows.</summary>
    public const int QueueTop = 20;

    [BindProperty]
    public PatientForm Input { get; set; } = new();

    [BindProperty]
    public IFormFile? Victims { get; set; }

    public IncidentOverview Overview { get; private set; } = null!;

    // ---- the patient list: filter, sort, page (query parameters named like the fields)
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Colour { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rc { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public PatientListPage List { get; private set; } = new([], 0, 1, 1);

    public PatientListQuery ListQuery => new(Q, Colour, Rc, Sort, Desc, PageNumber);

    /// <summary>The list's query string with some values changed (for sort headers, pager and export).</summary>
    public string ListLink(string? sort = null, bool? desc = null, int? page = null, string? handler = null)
    {
        var q = new Dictionary<string, string?>
        {
            ["q"] = Q, ["colour"] = Colour, ["rc"] = Rc, ["sort"] = sort ?? Sort, ["desc"] = (desc ?? Desc) ? "true" : null,
            ["p"] = page is { } n && n > 1 ? n.ToString(CultureInfo.InvariantCulture) : null, ["handler"] = handler,
        };
        var parts = q.Where(kv => !string.IsNullOrEmpty(kv.Value)).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value!)}");
        return "?" + string.Join("&", parts) + (handler is null ? "#patients-heading" : "");
    }

    public IReadOnlyList<QueueEntry> Queue { get; private set; } = [];

    public int QueueLength { get; private set; }

    /// <summary>The priority policy in force (version, rules and their sources), shown beside the queue.</summary>
    public PolicyVersion? Policy { get; private set; }

    /// <summary>The timeline chart's numbers (also in the tables).</summary>
    public string TimelineJson => JsonSerializer.Serialize(new
    {
        binHours = Overview.Timeline.BinHours,
        labels = Overview.Timeline.Labels.Select(t => t.UtcDateTime.ToString(Overview.Timeline.BinHours == 1 ? "MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        registered = Overview.Timeline.Registered,
        assessed = Overview.Timeline.AssessedByColour,
    });

    /// <summary>The RC chart's numbers (also in the cards).</summary>
    public string CategoriesJson => JsonSerializer.Serialize(new
    {
        labels = IncidentView.Categories.Select(Words),
        counts = IncidentView.Categories.Select(c => Overview.ByResponseCategory[c]),
    });

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => PageOrRefusedAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Overview = await view.LoadAsync(User.Actor(), id, ct);
        try
        {
            List = PatientList.Page(PatientList.Filter(Overview.Patients, ListQuery), PageNumber);
        }
        catch (Core.DomainValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                FieldErrors[e.Field] = e.Message;
            }

            Error = "The patient list's filter is not understood: " + ex.Message;
            List = PatientList.Page(PatientList.Filter(Overview.Patients, new PatientListQuery()), 1);
        }

        Policy = await policies.CurrentAsync(User.Actor(), ct);
        var queue = await massCasualty.QueueAsync(User.Actor(), id, Policy.Policy, ct);
        QueueLength = queue.Count;
        Queue = [.. queue.Take(QueueTop)];
        ViewData["IncidentId"] = id;
    }

    /// <summary>The filtered, sorted patient list (every page) as CSV.</summary>
    public async Task<IActionResult> OnGetCsvAsync(long id, CancellationToken ct)
    {
        IncidentOverview overview;
        try
        {
            overview = await view.LoadAsync(User.Actor(), id, ct);
        }
        catch (Core.NotFoundException)
        {
            return NotFound();
        }
        catch (Core.ForbiddenException)
        {
            return Forbid();
        }

        IReadOnlyList<PatientRow> rows;
        try
        {
            rows = PatientList.Filter(overview.Patients, ListQuery);
        }
        catch (Core.DomainValidationException ex)
        {
            return BadRequest(ex.Message);
        }

        return File(PatientList.Csv(rows), "text/csv", $"radregen-{overview.Incident.Code}-patients.csv");
    }

    public async Task<IActionResult> OnPostPatientAsync(long id, CancellationToken ct)
    {
        Patient? created = null;
        var ok = await TryAsync("patient", async () =>
        {
            var incident = await care.GetIncidentAsync(User.Actor(), id, ct);
            var input = new CareEndpoints.PatientInput(Input.Code, Input.AgeYears, Input.Sex, Input.WeightKg,
                Input.ExposureStart is { } t ? LocalTimeHtml.FromInput(t, HttpContext.CenterZone(), "exposureStart") : null, Input.ExposureHours, Input.Route,
                Input.Contaminated, Input.Burns, Input.Trauma, Input.HlaTyping);
            created = await care.RegisterPatientAsync(User.Actor(), id, CareEndpoints.ToNewPatient(input, incident), ct);
        });
        if (ok)
        {
            Notice($"Patient {created!.Code} registered.");
            return Redirect($"/care/patients/{created.Id}");
        }

        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }

    public async Task<IActionResult> OnPostImportAsync(long id, CancellationToken ct)
    {
        ImportSummary? summary = null;
        var ok = await TryAsync("import", async () =>
        {
            if (Victims is not { Length: > 0 })
            {
                throw new Core.DomainValidationException("victims", "choose a CSV file of victims");
            }

            var csv = await Core.Csv.CsvReading.DecodeTextAsync(Victims.OpenReadStream(), Victims.FileName, ct);
            summary = await massCasualty.ImportCsvAsync(User.Actor(), id, csv, null, Victims.FileName, ct: ct);
        });
        if (ok)
        {
            Notice($"Imported {summary!.Patients} patients with {summary.Observations} observations; {summary.Assessed} assessed.");
            return Redirect($"/care/incidents/{id}");
        }

        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }
}
