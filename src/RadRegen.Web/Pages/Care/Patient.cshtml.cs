using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Care;

/// <summary>
/// The patient page: the record and its timeline, the current assessment (every method's dose with
/// its interval as a chart, METREPOL by day, considerations), observation entry, and therapy
/// (request, ranked compatible vials, reserve, dispatch, receive, administer with e-signature,
/// follow-up). Rules and roles live in <see cref="CareService"/> and <see cref="TherapyService"/>.
/// </summary>
// Opens for drill readers too (the trainer); the service refuses a real incident to them (ADR 0026).
[AuthorizeOperation(Operation.CareDrillRead)]
public sealed class PatientModel(CareService care, TherapyService therapy, BankService bank, IClock clock, AssessmentSignOff signOff) : BankPageModel
{
    /// <summary>Offers shown per open request.</summary>
    public const int OffersShown = 5;

    /// <summary>
    /// Timeline rows per page (issue 12 item 8: the page listed every observation of a patient, as
    /// the API did before it was capped and paged). Within the paging rule's 500 (<see cref="Paging"/>).
    /// </summary>
    public const int TimelinePageSize = 100;

    /// <summary>The timeline page shown (1 = the newest entries); below 1 reads as 1, past the end is an empty page.</summary>
    [BindProperty(SupportsGet = true, Name = "timelinePage")] // not "page": Razor Pages route values hold "page" (the page's path) and win over the query
    public int TimelinePage { get; set; } = 1;

    /// <summary>The rows of <see cref="TimelinePage"/>, newest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string What, string Detail, string By)> TimelineRows { get; private set; } = [];

    /// <summary>How many timeline entries (observations and therapy events) there are in all.</summary>
    public int TimelineTotal { get; private set; }

    /// <summary>How many pages the timeline has (at least one).</summary>
    public int TimelinePages => Math.Max(1, (int)((TimelineTotal + (long)TimelinePageSize - 1) / TimelinePageSize));

    /// <summary>The link to another timeline page of this patient.</summary>
    public string TimelineLink(int page) => $"/care/patients/{Record.Patient.Id}?timelinePage={page.ToString(CultureInfo.InvariantCulture)}#timeline";

    public PatientRecord Record { get; private set; } = null!;

    public Incident Incident { get; private set; } = null!;

    public IReadOnlyList<TherapyRecord> Therapies { get; private set; } = [];

    public Dictionary<long, TherapyMatches> Matches { get; } = [];

    public IReadOnlyList<Product> Products { get; private set; } = [];

    // ---- observation form
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public DateTime? ObservedAt { get; set; }
    [BindProperty] public DateTime? VomitingOnsetAt { get; set; }
    [BindProperty] public bool NoVomiting { get; set; }
    [BindProperty] public Dictionary<string, double?> Signs { get; set; } = [];
    [BindProperty] public double? Lymphocytes { get; set; }
    [BindProperty] public double? Granulocytes { get; set; }
    [BindProperty] public double? Platelets { get; set; }
    [BindProperty] public double? Leukocytes { get; set; }
    [BindProperty] public double? HaemoglobinGPerL { get; set; }
    [BindProperty] public bool InitialGranulocytosis { get; set; }
    [BindProperty] public double? TemperatureC { get; set; }
    [BindProperty] public int? HeartRatePerMin { get; set; }
    [BindProperty] public int? SystolicMmHg { get; set; }
    [BindProperty] public int? DiastolicMmHg { get; set; }
    [BindProperty] public int? OxygenSaturationPercent { get; set; }
    [BindProperty] public double? BsaPercent { get; set; }
    [BindProperty] public string? Note { get; set; }

    /// <summary>The clinician confirms an observation that lowers the triage colour (issue 11, item 7).</summary>
    [BindProperty] public bool Confirm { get; set; }

    /// <summary>Whether the last observation was refused because it lowers the triage colour and awaits confirmation.</summary>
    public bool NeedsConfirmation => FailedForm == "observation" && ErrorFor("confirm") is not null;

    // ---- HLA and therapy forms
    [BindProperty] public string? HlaTyping { get; set; }
    [BindProperty] public long Version { get; set; }
    [BindProperty] public string? ProductCode { get; set; }
    [BindProperty] public double? Dose { get; set; }
    [BindProperty] public string? Urgency { get; set; }
    [BindProperty] public string? TreatingCenter { get; set; }
    [BindProperty] public long RequestId { get; set; }
    [BindProperty] public long? VialId { get; set; }
    [BindProperty] public string? Step { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Outcome { get; set; }

    /// <summary>The assessment version a physician reviewed and signs (issue 17 item 2).</summary>
    [BindProperty] public int? AssessmentVersion { get; set; }

    /// <summary>What the physician's signature of the assessment means.</summary>
    [BindProperty] public string? Meaning { get; set; }

    /// <summary>Who signed which version of the assessment, and when.</summary>
    public IReadOnlyList<AssessmentSignature> AssessmentSignatures { get; private set; } = [];

    public string Now => LocalTimeHtml.InputValue(clock.UtcNow, HttpContext.CenterZone());

    /// <summary>The observation time shown: what was posted when an observation awaits correction or confirmation, else now.</summary>
    public string ObservedAtValue => FailedForm == "observation" && ObservedAt is { } t
        ? t.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) : Now;

    /// <summary>A posted number as an input's value (invariant), so a refused or unconfirmed observation keeps what was typed.</summary>
    public static string? Value(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Value(double?)"/>
    public static string? Value(int? v) => v?.ToString(CultureInfo.InvariantCulture);

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(id, ct));

    public async Task<IActionResult> OnPostObservationAsync(long id, CancellationToken ct)
    {
        var actor = User.Actor();
        if (await TryAsync("observation", async () =>
        {
            var kind = ObservationKinds.Parse(Kind);
            var at = AsUtc(ObservedAt) ?? throw new DomainValidationException("observedAt", "give the time of the observation");
            var signs = Signs.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!.Value, StringComparer.Ordinal);
            var data = kind switch
            {
                ObservationKind.Symptoms => new ObservationData
                {
                    Signs = signs.Count > 0 ? signs : null,
                    VomitingOnsetAt = AsUtc(VomitingOnsetAt, "vomitingOnsetAt"),
                    NoVomiting = NoVomiting ? true : null,
                    Note = Clean(Note),
                },
                ObservationKind.BloodCount => new ObservationData
                {
                    Lymphocytes = Lymphocytes, Granulocytes = Granulocytes, Platelets = Platelets, Leukocytes = Leukocytes, HaemoglobinGPerL = HaemoglobinGPerL,
                    Signs = InitialGranulocytosis ? new Dictionary<string, double>(StringComparer.Ordinal) { ["initialGranulocytosis"] = 1 } : null,
                    Note = Clean(Note),
                },
                ObservationKind.Vitals => new ObservationData
                {
                    TemperatureC = TemperatureC, HeartRatePerMin = HeartRatePerMin, SystolicMmHg = SystolicMmHg, DiastolicMmHg = DiastolicMmHg,
                    OxygenSaturationPercent = OxygenSaturationPercent, Note = Clean(Note),
                },
                ObservationKind.Skin => new ObservationData { Signs = signs.Count > 0 ? signs : null, BsaPercent = BsaPercent, Note = Clean(Note) },
                _ => throw new DomainValidationException("kind", "cytogenetic results are entered on the laboratory page (/care/lab)"),
            };
            await care.RecordObservationAsync(actor, id, kind, at, data, Confirm, ct);
        }))
        {
            Notice("Observation recorded; the assessment was recomputed.");
            return Redirect($"/care/patients/{id}");
        }

        return await ReloadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostHlaAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("hla", () => care.SetHlaTypingAsync(User.Actor(), id, HlaTyping ?? "", Version, ct)))
        {
            Notice("HLA typing recorded.");
            return Redirect($"/care/patients/{id}");
        }

        return await ReloadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostRequestAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("request", () => therapy.RequestAsync(User.Actor(), id,
            new NewTherapyRequest(ProductCode, Dose ?? double.NaN, Urgency, TreatingCenter, Note), ct)))
        {
            Notice("Therapy requested. The compatible vials are listed below.");
            return Redirect($"/care/patients/{id}#therapy");
        }

        return await ReloadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostSignAssessmentAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("sign-assessment", () => signOff.SignAsync(User.Actor(), id,
            AssessmentVersion ?? throw new DomainValidationException("version", "is required: the assessment version reviewed"), Password ?? "", Meaning, ct)))
        {
            Notice("Assessment signed.");
            return Redirect($"/care/patients/{id}#assessment-signatures");
        }

        Password = null;
        return await ReloadAsync(id, ct);
    }

    public async Task<IActionResult> OnPostTherapyAsync(long id, CancellationToken ct)
    {
        var actor = User.Actor();
        string done = "";
        if (await TryAsync($"therapy-{RequestId}", async () =>
        {
            await EnsureOwnRequestAsync(id, ct);
            switch (Step)
            {
                case "reserve":
                    await therapy.ReserveAsync(actor, RequestId, [VialId ?? throw new DomainValidationException("vialId", "choose a vial")], ct);
                    done = "Vial reserved.";
                    break;
                case "reserve-best":
                    await therapy.ReserveBestAsync(actor, RequestId, ct);
                    done = "Best-ranked vials reserved.";
                    break;
                case "cancel":
                    await therapy.CancelAsync(actor, RequestId, Note ?? "", ct);
                    done = "Request cancelled; its vials are back in stock.";
                    break;
                case "dispatch":
                    await therapy.DispatchAsync(actor, RequestId, ct);
                    done = "Dispatched.";
                    break;
                case "receive":
                    await therapy.ReceiveAsync(actor, RequestId, Note, ct);
                    done = "Receipt recorded.";
                    break;
                case "administer":
                    await therapy.AdministerAsync(actor, RequestId, Password ?? "", Note, ct);
                    done = "Administration recorded and signed.";
                    break;
                case "follow-up":
                    await therapy.RecordFollowUpAsync(actor, RequestId, AsUtc(ObservedAt) ?? clock.UtcNow, Outcome, Note, ct);
                    done = "Follow-up recorded.";
                    break;
                default:
                    throw new DomainValidationException("step", "choose an action");
            }
        }))
        {
            Notice(done);
            return Redirect($"/care/patients/{id}#request-{RequestId.ToString(CultureInfo.InvariantCulture)}");
        }

        Password = null;
        return await ReloadAsync(id, ct);
    }

    /// <summary>The dose chart's data: each method's interval and estimate (the table shows the same numbers).</summary>
    public string DoseChartJson() => JsonSerializer.Serialize(new
    {
        methods = Record.Assessment?.Doses.Select(d => d.Method) ?? [],
        lower = Record.Assessment?.Doses.Select(d => d.LowerGy) ?? [],
        estimate = Record.Assessment?.Doses.Select(d => d.EstimateGy) ?? [],
        upper = Record.Assessment?.Doses.Select(d => d.UpperGy) ?? [],
    });

    /// <summary>The METREPOL chart's data: each organ system's degree and the RC by day (the table shows the same numbers).</summary>
    public string MetrepolChartJson() => JsonSerializer.Serialize(new
    {
        days = Record.Assessment?.Metrepol.Select(g => g.Day) ?? [],
        n = Record.Assessment?.Metrepol.Select(g => g.N) ?? [],
        h = Record.Assessment?.Metrepol.Select(g => g.H) ?? [],
        c = Record.Assessment?.Metrepol.Select(g => g.C) ?? [],
        g = Record.Assessment?.Metrepol.Select(g => g.G) ?? [],
        rc = Record.Assessment?.Metrepol.Select(g => g.ResponseCategory) ?? [],
    });

    /// <summary>Timeline: observations and therapy events, newest first.</summary>
    public IEnumerable<(DateTimeOffset At, string What, string Detail, string By)> Timeline()
    {
        foreach (var o in Record.Observations)
        {
            yield return (o.ObservedAt, o.Kind.Name(), Summary(o.Data), o.RecordedBy);
        }

        foreach (var t in Therapies)
        {
            var r = t.Request;
            yield return (r.RequestedAt, "therapy requested", $"{r.ProductCode}, {Num(r.Dose)} {r.DoseUnit}, {r.VialsNeeded} vial(s), {r.Urgency.Name()}, {r.TreatingCenter}", r.RequestedBy);
            foreach (var v in t.Vials)
            {
                yield return (v.ReservedAt, "vial reserved", $"{v.VialIdentity} (line {v.LineCode})", v.ReservedBy);
                if (v.AdministeredAt is { } at)
                {
                    yield return (at, "administered", v.VialIdentity, v.AdministeredBy ?? "");
                }
            }

            foreach (var s in t.Shipments)
            {
                yield return (s.DispatchedAt, "dispatched", $"to {s.Destination}", s.DispatchedBy);
                if (s.ReceivedAt is { } rat)
                {
                    yield return (rat, "received", s.Destination, s.ReceivedBy ?? "");
                }
            }

            foreach (var f in t.FollowUps)
            {
                yield return (f.ObservedAt, "follow-up", $"{f.Outcome.Name()}{(f.Note is null ? "" : ": " + f.Note)}", f.RecordedBy);
            }
        }
    }

    public string Summary(ObservationData d)
    {
        var parts = new List<string>();
        if (d.Signs is { } signs)
        {
            parts.AddRange(signs.Select(s => $"{s.Key} {Num(s.Value)}"));
        }

        void Add(string name, double? v, string unit)
        {
            if (v is { } x)
            {
                parts.Add($"{name} {Num(x)}{unit}");
            }
        }

        if (d.VomitingOnsetAt is { } onset)
        {
            parts.Add($"vomiting from {LocalTimeHtml.Format(onset, HttpContext.CenterZone())}");
        }

        if (d.NoVomiting == true)
        {
            parts.Add("no vomiting");
        }

        Add("lymphocytes", d.Lymphocytes, " ×10⁹/L");
        Add("granulocytes", d.Granulocytes, " ×10⁹/L");
        Add("platelets", d.Platelets, " ×10⁹/L");
        Add("leukocytes", d.Leukocytes, " ×10⁹/L");
        Add("Hb", d.HaemoglobinGPerL, " g/L");
        Add("T", d.TemperatureC, " °C");
        Add("HR", d.HeartRatePerMin, "/min");
        if (d.SystolicMmHg is not null || d.DiastolicMmHg is not null)
        {
            parts.Add($"BP {d.SystolicMmHg}/{d.DiastolicMmHg} mmHg");
        }

        Add("SpO₂", d.OxygenSaturationPercent, " %");
        Add("BSA", d.BsaPercent, " %");
        if (d.Cells is { } cells)
        {
            parts.Add($"{d.Aberrations} aberrations in {cells} cells ({d.Curve?.Name ?? "curve"})");
        }

        if (d.Note is { } note)
        {
            parts.Add(note);
        }

        return string.Join("; ", parts);
    }

    public static string Num(double? v) => v is { } x ? x.ToString("0.##", CultureInfo.InvariantCulture) : "–";

    public static string TriageBadge(string? triage) => triage switch
    {
        "red" => "text-bg-danger",
        "yellow" => "text-bg-warning",
        "green" => "text-bg-success",
        _ => "text-bg-secondary",
    };

    public static string StatusBadge(TherapyStatus s) => s switch
    {
        TherapyStatus.Open => "text-bg-warning",
        TherapyStatus.Reserved => "text-bg-info",
        TherapyStatus.Dispatched or TherapyStatus.Received => "text-bg-primary",
        TherapyStatus.Administered => "text-bg-dark",
        _ => "text-bg-secondary",
    };

    private async Task EnsureOwnRequestAsync(long patientId, CancellationToken ct)
    {
        var r = await therapy.GetAsync(User.Actor(), RequestId, ct);
        if (r.Request.PatientId != patientId)
        {
            throw new NotFoundException($"therapy request {RequestId} is not this patient's");
        }
    }

    private async Task<IActionResult> ReloadAsync(long id, CancellationToken ct)
    {
        try
        {
            await LoadAsync(id, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        var actor = User.Actor();
        Record = await care.GetPatientAsync(actor, id, ct);
        Incident = await care.GetIncidentAsync(actor, Record.Patient.IncidentId, ct);
        Therapies = await therapy.ListForPatientAsync(actor, id, ct);
        AssessmentSignatures = await signOff.ListAsync(actor, id, ct);
        // A trainer reading a drill patient reads no real bank (ADR 0026): no products, no offers.
        if (!actor.May(Operation.BankRead))
        {
            Version = Record.Patient.Version;
            HlaTyping ??= Record.Patient.HlaTyping;
            return;
        }

        Products = await bank.ListProductsAsync(actor, ct);
        foreach (var t in Therapies.Where(t => t.Request.Status == TherapyStatus.Open))
        {
            Matches[t.Request.Id] = await therapy.MatchesAsync(actor, t.Request.Id, OffersShown, ct);
        }

        Version = Record.Patient.Version;
        HlaTyping ??= Record.Patient.HlaTyping;

        // One page of the timeline, newest first; the offset is computed in 64 bits as every paged query's (Core.Paging).
        TimelinePage = Math.Max(1, TimelinePage);
        var all = Timeline().OrderByDescending(e => e.At).ToList();
        TimelineTotal = all.Count;
        var skip = Paging.Offset(TimelinePage, TimelinePageSize);
        TimelineRows = skip >= all.Count ? [] : all.GetRange((int)skip, (int)Math.Min(TimelinePageSize, all.Count - skip));
    }

    /// <summary>A datetime-local input, typed in the center's zone, as the instant (stored in UTC).</summary>
    private DateTimeOffset? AsUtc(DateTime? t, string field = "observedAt") => t is { } v ? LocalTimeHtml.FromInput(v, HttpContext.CenterZone(), field) : null;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
