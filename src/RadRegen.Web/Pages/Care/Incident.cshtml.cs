using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Web.Api;
using RadRegen.Web.Care;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care;

public sealed class IncidentModel(IncidentView view, CareService care, MassCasualtyService massCasualty) : CarePageModel
{
    public sealed class PatientForm
    {
        public string? Code { get; set; }

        public int? AgeYears { get; set; }

        public string? Sex { get; set; }

        public double? WeightKg { get; set; }

        /// <summary>UTC, from a datetime-local input; empty = the incident's start.</summary>
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

    public IReadOnlyList<QueueEntry> Queue { get; private set; } = [];

    public int QueueLength { get; private set; }

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
        var queue = await massCasualty.QueueAsync(User.Actor(), id, RadRegen.Care.Allocation.PriorityPolicy.Default, ct);
        QueueLength = queue.Count;
        Queue = [.. queue.Take(QueueTop)];
        ViewData["IncidentId"] = id;
    }

    public async Task<IActionResult> OnPostPatientAsync(long id, CancellationToken ct)
    {
        Patient? created = null;
        var ok = await TryAsync("patient", async () =>
        {
            var incident = await care.GetIncidentAsync(User.Actor(), id, ct);
            var input = new CareEndpoints.PatientInput(Input.Code, Input.AgeYears, Input.Sex, Input.WeightKg,
                Input.ExposureStart is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null, Input.ExposureHours, Input.Route,
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

            using var reader = new StreamReader(Victims.OpenReadStream(), System.Text.Encoding.UTF8);
            using var text = new StringReader(await reader.ReadToEndAsync(ct));
            var parsed = await massCasualty.ParseAsync(User.Actor(), id, text, null, Victims.FileName, ct);
            summary = await massCasualty.ImportAsync(User.Actor(), id, parsed, ct);
        });
        if (ok)
        {
            Notice($"Imported {summary!.Patients} patients with {summary.Observations} observations; {summary.Assessed} assessed.");
            return Redirect($"/care/incidents/{id}");
        }

        return await PageOrRefusedAsync(() => LoadAsync(id, ct));
    }
}
