using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Care;
using RadRegen.Care.Laboratory;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care.Lab;

/// <summary>
/// The biodosimetry laboratory: curves per assay (one active), the selected curve's chart with its
/// 95 % band, forms to fit a curve from counts or enter one from a publication, and case scoring
/// that records a cytogenetic result for a patient. Domain errors are shown beside their field.
/// </summary>
// Care readers and QA (who signs activations) open it; the service refuses anyone else (a ForbiddenException → 403).
public sealed class IndexModel(LaboratoryService lab, CareService care) : BankPageModel
{
    public sealed class FitForm
    {
        public string? Name { get; set; }

        public string? Assay { get; set; } = "dicentric";

        public string? Model { get; set; } = "lq";

        public string? Counts { get; set; }

        public string? Citation { get; set; }

        public string? RadiationQuality { get; set; }
    }

    public sealed class EnterForm
    {
        public string? Name { get; set; }

        public string? Assay { get; set; } = "dicentric";

        public string? Model { get; set; } = "lq";

        public string? C { get; set; }

        public string? Alpha { get; set; }

        public string? Beta { get; set; }

        public string? Covariance { get; set; }

        public string? Source { get; set; }

        public string? RadiationQuality { get; set; }

        /// <summary>The lowest calibration dose of the published curve, Gy.</summary>
        public string? CalibratedFromGy { get; set; }

        /// <summary>The highest calibration dose of the published curve, Gy: an estimate above it is flagged as an extrapolation.</summary>
        public string? CalibratedToGy { get; set; }
    }

    public sealed class ScoreForm
    {
        public string? Patient { get; set; }

        public string? Assay { get; set; } = "dicentric";

        public long? Cells { get; set; }

        public long? Aberrations { get; set; }

        public string? Distribution { get; set; }

        public string? Method { get; set; }

        /// <summary>The scorer confirms a result that lowers the patient's triage colour.</summary>
        public bool Confirm { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "assay")]
    public string? Assay { get; set; }

    [BindProperty(SupportsGet = true, Name = "curve")]
    public long? CurveId { get; set; }

    [BindProperty]
    public FitForm Fit { get; set; } = new();

    [BindProperty]
    public EnterForm Enter { get; set; } = new();

    [BindProperty]
    public ScoreForm Score { get; set; } = new();

    /// <summary>The QA signer's password for an activation (never redisplayed).</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>What the activation signature means.</summary>
    [BindProperty]
    public string? Meaning { get; set; }

    /// <summary>QA activates curves with an e-signature (ADR 0018).</summary>
    public bool CanActivate => User.May(Operation.LabCurveActivate);

    /// <summary>Whether the last scoring was refused because it lowers a triage colour and awaits confirmation.</summary>
    public bool NeedsConfirmation => FailedForm == "score" && ErrorFor("confirm") is not null;

    public IReadOnlyList<LabCurve> Curves { get; private set; } = [];

    public LabCurve? Selected { get; private set; }

    public IReadOnlyList<CurveBandPoint> Points { get; private set; } = [];

    public CaseScoringResult? Scored { get; private set; }

    public string SelectedAssay => Assay is { } a && LaboratoryService.Assays.Contains(a) ? a : "dicentric";

    /// <summary>Entering, fitting and activating curves and scoring cases share one set of roles (the laboratory's).</summary>
    public bool CanWrite => User.May(Operation.LabCurveEnter);

    /// <summary>An error of <paramref name="form"/>'s <paramref name="field"/>, only when that form failed.</summary>
    public string? ErrorFor(string form, string field) => FailedForm == form ? ErrorFor(field) : null;

    /// <summary>Every error of <paramref name="form"/> on a field starting with <paramref name="prefix"/> (<c>covariance[0][1]</c>).</summary>
    public string? ErrorsFor(string form, string prefix) => FailedForm != form ? null
        : FieldErrors.Where(e => e.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(e => e.Key == prefix ? e.Value : $"{e.Key}: {e.Value}")
            .DefaultIfEmpty().Aggregate((a, b) => a + "; " + b);

    /// <summary>The chart's numbers (also shown as a table): dose grid, yield, band, and the calibration points.</summary>
    public string ChartJson => Selected is not { } c ? "{}" : JsonSerializer.Serialize(new
    {
        title = c.Name,
        dose = Points.Select(p => Math.Round(p.DoseGy, 4)),
        yield = Points.Select(p => p.Yield),
        lower = Points.Select(p => p.Lower),
        upper = Points.Select(p => p.Upper),
        points = (c.Counts ?? []).Select(r => new { x = r.DoseGy, y = (double)r.Aberrations / r.Cells }),
    });

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            await LoadAsync(ct);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostActivateAsync(long id, CancellationToken ct)
    {
        LabCurve? curve = null;
        if (await TryAsync($"activate-{id.ToString(CultureInfo.InvariantCulture)}",
            async () => curve = await lab.ActivateCurveAsync(User.Actor(), id, new CurveActivation(Password, Meaning), ct)))
        {
            Notice($"{curve!.Name} is now the active {curve.Assay} curve (signed by {curve.ActivatedBy}).");
            return Redirect($"/care/lab?assay={curve.Assay}&curve={curve.Id}");
        }

        Password = null;
        CurveId = id;
        return await RedisplayAsync(ct);
    }

    public async Task<IActionResult> OnPostFitAsync(CancellationToken ct)
    {
        LabCurve? curve = null;
        if (await TryAsync("fit", async () => curve = await lab.FitCurveAsync(User.Actor(), new FitCurveRequest(Fit.Assay, Fit.Name, Fit.Model,
            CountsCsv: Fit.Counts, Citation: Fit.Citation, RadiationQuality: Fit.RadiationQuality), ct)))
        {
            Notice($"Curve {curve!.Name} fitted ({curve.Source}).");
            return Redirect($"/care/lab?assay={curve.Assay}&curve={curve.Id}");
        }

        Assay = Fit.Assay;
        return await RedisplayAsync(ct);
    }

    public async Task<IActionResult> OnPostEnterAsync(CancellationToken ct)
    {
        LabCurve? curve = null;
        if (await TryAsync("enter", async () =>
        {
            var errors = new List<FieldError>();
            var c = Number(Enter.C, "c", errors);
            var alpha = Number(Enter.Alpha, "alpha", errors);
            var beta = string.IsNullOrWhiteSpace(Enter.Beta) && Enter.Model == "linear" ? 0 : Number(Enter.Beta, "beta", errors);
            var covariance = Matrix(Enter.Covariance, errors);
            var from = Number(Enter.CalibratedFromGy, "calibratedFromGy", errors);
            var to = Number(Enter.CalibratedToGy, "calibratedToGy", errors);
            if (errors.Count > 0)
            {
                throw new DomainValidationException(errors);
            }

            curve = await lab.EnterCurveAsync(User.Actor(), new PublishedCurveRequest(Enter.Assay, Enter.Name, Enter.Model, c, alpha, beta, covariance,
                Enter.Source, Enter.RadiationQuality, from, to), ct);
        }))
        {
            Notice($"Curve {curve!.Name} entered.");
            return Redirect($"/care/lab?assay={curve.Assay}&curve={curve.Id}");
        }

        Assay = Enter.Assay;
        return await RedisplayAsync(ct);
    }

    public async Task<IActionResult> OnPostScoreAsync(CancellationToken ct)
    {
        await TryAsync("score", async () =>
        {
            var patientId = await FindPatientAsync(Score.Patient, ct);
            IReadOnlyList<long>? distribution = null;
            if (!string.IsNullOrWhiteSpace(Score.Distribution))
            {
                var parts = Score.Distribution.Split(',', StringSplitOptions.TrimEntries);
                var values = new long[parts.Length];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                    {
                        throw new DomainValidationException("distribution", $"'{parts[i]}' is not a whole number: write the cells with 0, 1, 2 … aberrations as \"C0,C1,C2\"");
                    }
                }

                distribution = values;
            }

            Scored = await lab.ScoreCaseAsync(User.Actor(), new CaseScoringRequest(patientId, Score.Assay, Score.Cells, Score.Aberrations, distribution,
                Score.Method, Confirm: Score.Confirm), ct);
        });
        Assay = Score.Assay;
        return await RedisplayAsync(ct);
    }

    /// <summary>A patient by id (digits) or by code; a code used in several incidents must be given as the id.</summary>
    private async Task<long> FindPatientAsync(string? text, CancellationToken ct)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            throw new DomainValidationException("patient", "give the patient's code or id");
        }

        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (await care.GetPatientAsync(User.Actor(), id, ct)).Patient.Id;
        }

        var patients = await care.FindPatientsByCodeAsync(User.Actor(), t, ct);
        var incidents = patients.Count > 1 ? (await care.ListIncidentsAsync(User.Actor(), ct)).ToDictionary(i => i.Id, i => i.Code) : [];
        var found = patients.Select(p => (p.Id, Incident: incidents.GetValueOrDefault(p.IncidentId, ""))).ToList();

        return found.Count switch
        {
            1 => found[0].Id,
            0 => throw new DomainValidationException("patient", $"no patient has the code {t}"),
            _ => throw new DomainValidationException("patient", $"the code {t} is used in incidents {string.Join(", ", found.Select(f => f.Incident))}: give the patient's id ({string.Join(", ", found.Select(f => f.Id))})"),
        };
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken ct)
    {
        try
        {
            await LoadAsync(ct);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Curves = await lab.ListCurvesAsync(User.Actor(), null, ct);
        var ofAssay = Curves.Where(c => c.Assay == SelectedAssay).ToList();
        Selected = (CurveId is { } id ? Curves.FirstOrDefault(c => c.Id == id) : null) ?? ofAssay.FirstOrDefault(c => c.Active) ?? ofAssay.FirstOrDefault();
        if (Selected is { } s)
        {
            Assay = s.Assay;
            Points = LaboratoryService.Band(s);
        }
    }

    private static double? Number(string? text, string field, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null; // the service names a missing coefficient
        }

        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        errors.Add(new FieldError(field, $"'{text}' is not a number (use a point for decimals: 0.0213 or 2.13e-2)"));
        return null;
    }

    /// <summary>Three lines of three numbers (commas or spaces between them).</summary>
    private static double[][]? Matrix(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null; // the service says what is expected
        }

        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split([',', ' ', ';', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var matrix = new double[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            matrix[i] = new double[rows[i].Length];
            for (var j = 0; j < rows[i].Length; j++)
            {
                if (!double.TryParse(rows[i][j], NumberStyles.Float, CultureInfo.InvariantCulture, out matrix[i][j]))
                {
                    errors.Add(new FieldError("covariance", $"row {i + 1}: '{rows[i][j]}' is not a number"));
                    return null;
                }
            }
        }

        return matrix;
    }

    public static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    public static string Gy(double? v) => v is { } d ? d.ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
