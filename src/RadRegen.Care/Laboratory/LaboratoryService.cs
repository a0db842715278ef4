using System.Globalization;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;

namespace RadRegen.Care.Laboratory;

/// <summary>Fit a curve from a count table: <see cref="Rows"/> (API) or <see cref="CountsCsv"/> (a pasted table).</summary>
public sealed record FitCurveRequest(
    string? Assay,
    string? Name,
    string? Model = "lq",
    IReadOnlyList<LabCountRow>? Rows = null,
    string? CountsCsv = null,
    string? Citation = null,
    string? RadiationQuality = null);

/// <summary>QA activates a curve with an e-signature: the password re-entered and what the signature means.</summary>
/// <param name="Password">The signer's password (21 CFR 11.200).</param>
/// <param name="Meaning">What the signature means; "approved for case scoring" when empty.</param>
/// <param name="ExpectedVersion">The curve's version as the signer read it (optional).</param>
public sealed record CurveActivation(string? Password, string? Meaning = null, long? ExpectedVersion = null);

/// <summary>Enter a curve from a publication: coefficients, their covariance and the citation.</summary>
public sealed record PublishedCurveRequest(
    string? Assay,
    string? Name,
    string? Model,
    double? C,
    double? Alpha,
    double? Beta,
    double[][]? Covariance,
    string? Source,
    string? RadiationQuality = null,
    double? CalibratedFromGy = null,
    double? CalibratedToGy = null);

/// <summary>A case scored by the laboratory: cells and aberrations of one patient's sample for an assay.</summary>
public sealed record CaseScoringRequest(
    long? PatientId,
    string? Assay,
    long? Cells,
    long? Aberrations,
    IReadOnlyList<long>? Distribution = null,
    string? Method = null,
    DateTimeOffset? ObservedAt = null,
    string? Note = null,
    bool Confirm = false);

/// <summary>What scoring a case did: the cytogenetics observation, the patient's new assessment and the curve used.</summary>
/// <param name="Observation">The cytogenetics observation recorded.</param>
/// <param name="Assessment">The patient's assessment, recomputed with it.</param>
/// <param name="Curve">The active curve the dose was read from.</param>
/// <param name="Dose">The cytogenetic dose line of the assessment (null when it could not be estimated).</param>
public sealed record CaseScoringResult(Observation Observation, PatientAssessment Assessment, LabCurve Curve, MethodDose? Dose);

/// <summary>
/// The biodosimetry laboratory: calibration curves per assay (fitted from a count table with
/// RadRegen.Dosimetry's <see cref="CurveFitter"/>, or entered from a publication), one active per
/// assay, and case scoring that records a <c>cytogenetics</c> observation read from the active curve
/// through <see cref="CareService.RecordObservationAsync"/>, which recomputes the patient's
/// assessment. The laboratory works as CPC technicians, with physicians and admins
/// (<see cref="Operation.CareCytogeneticsRecord"/>); care readers may read. Every change is journaled
/// (record <c>lab-curve</c>: <c>fitted</c>, <c>entered</c>, <c>activated</c>).
/// </summary>
public sealed class LaboratoryService(IUnitOfWorkFactory units, IClock clock, CareService care, SignatureService signatures)
{
    /// <summary>The signature's meaning when the signer gives none.</summary>
    public const string DefaultActivationMeaning = "approved for case scoring";

    /// <summary>The assays, as RadRegen.Dosimetry names them (<see cref="Assay"/>).</summary>
    public static readonly IReadOnlyList<string> Assays = [.. Enum.GetValues<Assay>().Select(a => a.ToString().ToLowerInvariant())];

    public async Task<IReadOnlyList<LabCurve>> ListCurvesAsync(Actor actor, string? assay = null, CancellationToken ct = default)
    {
        ReadCurves(actor);
        var a = assay is null ? null : ParseAssay(assay);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ILabCurveStore>().ListCurvesAsync(a, ct);
    }

    public async Task<LabCurve> GetCurveAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ReadCurves(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ILabCurveStore>().GetCurveAsync(id, ct) ?? throw new NotFoundException($"no calibration curve {id}");
    }

    /// <summary>The active curve of an assay, or null.</summary>
    public async Task<LabCurve?> GetActiveCurveAsync(Actor actor, string assay, CancellationToken ct = default)
    {
        ReadCurves(actor);
        var a = ParseAssay(assay);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ILabCurveStore>().GetActiveCurveAsync(a, ct);
    }

    /// <summary>Fits a curve from a count table (Poisson GLM, quasi-Poisson when over-dispersed; <see cref="CurveFitter"/>).</summary>
    public async Task<LabCurve> FitCurveAsync(Actor actor, FitCurveRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.LabCurveFit);
        var errors = new List<FieldError>();
        var assay = Try(errors, () => ParseAssay(request.Assay));
        var model = Try(errors, () => ParseModel(request.Model));
        var name = Text(errors, request.Name, "name", required: true, Limits.ShortName);
        var citation = Text(errors, request.Citation, "citation", required: false, Limits.Title);
        var quality = Text(errors, request.RadiationQuality, "radiationQuality", required: false, Limits.ShortName);

        var fromCsv = request.Rows is null;
        var field = fromCsv ? LabCountCsv.Field : "rows";
        IReadOnlyList<LabCountRow>? rows = null;
        try
        {
            rows = fromCsv ? LabCountCsv.Parse(request.CountsCsv) : request.Rows;
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        List<CountRow>? countRows = null;
        // Issue 12 item 8: a count table is a short list of doses, each distribution a short list (Core.Limits); a calibration has about ten doses.
        var before = errors.Count;
        var limits = new InputLimits(errors).Count(field, rows?.Count ?? 0, Limits.ShortList);
        foreach (var (r, i) in (rows ?? []).Take(Limits.ShortList.MaxCount).Select((r, i) => (r, i)))
        {
            limits.Count($"{field}[{i}].distribution", r.Distribution?.Count ?? 0, Limits.ShortList);
        }

        if (rows is not null && errors.Count == before)
        {
            countRows = ToCountRows(rows, fromCsv, assay is null ? null : Enum.Parse<Assay>(assay, true), errors);
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        CalibrationFit fit;
        try
        {
            fit = CurveFitter.Fit(countRows!, model == "linear" ? CurveModel.Linear : CurveModel.LinearQuadratic, Enum.Parse<Assay>(assay!, true));
        }
        catch (DosimetryInputException ex)
        {
            throw new DomainValidationException(field, ex.Message);
        }

        var totalCells = rows!.Sum(r => r.Cells);
        var method = fit.Method switch
        {
            FitMethod.Poisson => "poisson",
            FitMethod.QuasiPoisson => "quasi-poisson",
            _ => "constrained",
        };
        var source = string.Create(CultureInfo.InvariantCulture,
            $"fitted from {totalCells:N0} cells at {rows!.Count} doses ({method} maximum likelihood, IAEA 2011 §9.4){(citation is null ? "" : "; counts: " + citation)}");
        var summary = new LabFitSummary(method, double.IsFinite(fit.Dispersion) ? fit.Dispersion : null, fit.Df, fit.Deviance, fit.Warnings);
        var curve = new NewLabCurve(assay!, name!, model!, fit.Curve.C, fit.Curve.Alpha, fit.Curve.Beta, fit.Curve.Covariance.ToRows(), source, quality,
            [.. rows], summary, actor.UserName, clock.UtcNow)
        {
            CalibratedFromGy = rows.Min(r => r.DoseGy),
            CalibratedToGy = rows.Max(r => r.DoseGy),
        };
        return await InsertAsync(actor, curve, "fitted", ct);
    }

    /// <summary>Enters a published curve; the covariance must be symmetric positive semi-definite.</summary>
    public async Task<LabCurve> EnterCurveAsync(Actor actor, PublishedCurveRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.LabCurveEnter);
        var errors = new List<FieldError>();
        var assay = Try(errors, () => ParseAssay(request.Assay));
        var model = Try(errors, () => ParseModel(request.Model));
        var name = Text(errors, request.Name, "name", required: true, Limits.ShortName);
        var source = Text(errors, request.Source, "source", required: true, Limits.Title);
        var quality = Text(errors, request.RadiationQuality, "radiationQuality", required: false, Limits.ShortName);
        var c = Coefficient(errors, request.C, "c", "C");
        var alpha = Coefficient(errors, request.Alpha, "alpha", "α");
        var beta = model == "linear" && request.Beta is null ? 0 : Coefficient(errors, request.Beta, "beta", "β");
        if (model == "linear" && beta is not (null or 0))
        {
            errors.Add(new FieldError("beta", "must be 0 for a linear curve"));
        }

        if (alpha == 0 && beta == 0)
        {
            errors.Add(new FieldError("alpha", "α and β cannot both be 0: the curve must rise with dose"));
        }

        var covariance = Covariance(errors, request.Covariance, model == "linear");
        CalibratedRange(errors, request.CalibratedFromGy, request.CalibratedToGy);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var curve = new NewLabCurve(assay!, name!, model!, c!.Value, alpha!.Value, beta!.Value, covariance!, source!, quality, null, null,
            actor.UserName, clock.UtcNow)
        {
            CalibratedFromGy = request.CalibratedToGy is null ? null : request.CalibratedFromGy ?? 0,
            CalibratedToGy = request.CalibratedToGy,
        };
        try
        {
            ObservationRules.ToCurve(new CurveSpec(curve.Name, curve.Assay, curve.Model, curve.C, curve.Alpha, curve.Beta, curve.Covariance));
        }
        catch (DomainValidationException ex)
        {
            throw new DomainValidationException([.. ex.Errors.Select(e => e with { Field = e.Field.Replace("curve.", "", StringComparison.Ordinal) })]);
        }

        return await InsertAsync(actor, curve, "entered", ct);
    }

    /// <summary>
    /// QA makes a curve the one active curve of its assay with an e-signature (issue 12, item 9: a
    /// dose curve turns cytogenetic counts into triage colours, so putting one into use is a quality
    /// decision, signed like a lot release). In one transaction: the previously active one is
    /// cleared (the database's partial unique index refuses two), the signature is written and
    /// bound to the curve's coefficients, covariance and calibrated range, and the activation is
    /// journaled with the curve's plausibility warnings, which the signer has been shown.
    /// </summary>
    public async Task<LabCurve> ActivateCurveAsync(Actor actor, long id, CurveActivation activation, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(activation);
        actor.Demand(Operation.LabCurveActivate);
        var meaning = string.IsNullOrWhiteSpace(activation.Meaning) ? DefaultActivationMeaning : activation.Meaning.Trim();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ILabCurveStore>();
        var curve = await store.GetCurveAsync(id, ct) ?? throw new NotFoundException($"no calibration curve {id}");
        if (activation.ExpectedVersion is { } ev && ev != curve.Version)
        {
            throw new ConflictException($"curve {curve.Name} was changed by someone else (version {curve.Version}, you had {ev}); reload");
        }

        if (curve.Active)
        {
            return curve;
        }

        var warnings = curve.Warnings;
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("lab-curve", CareService.Id(id), meaning, SignedContent(curve)),
            activation.Password ?? "", ct);
        var previous = await store.GetActiveCurveAsync(curve.Assay, ct);
        if (!await store.ActivateCurveAsync(id, curve.Assay, activation.ExpectedVersion, ct))
        {
            throw new ConflictException($"curve {curve.Name} was changed by someone else (version {curve.Version}, you had {activation.ExpectedVersion}); reload");
        }

        var now = clock.UtcNow;
        await store.RecordActivationAsync(id, signature.Id, actor.UserName, now, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lab-curve", CareService.Id(id), "activated",
            new
            {
                curve.Assay,
                curve.Name,
                previous = previous is null ? null : new { previous.Id, previous.Name },
                signature = signature.Id,
                recordHash = signature.RecordHash,
                warnings,
            }, meaning), ct);
        var updated = (await store.GetCurveAsync(id, ct))!;
        await uow.CommitAsync(ct);
        return updated;
    }

    /// <summary>What an activation signature is bound to: the curve's identity, coefficients, covariance and calibrated range.</summary>
    public static object SignedContent(LabCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return new
        {
            curve.Id,
            curve.Assay,
            curve.Name,
            curve.Model,
            curve.C,
            curve.Alpha,
            curve.Beta,
            curve.Covariance,
            curve.CalibratedFromGy,
            curve.CalibratedToGy,
            curve.Source,
        };
    }

    /// <summary>
    /// Scores a case: records a <c>cytogenetics</c> observation of the patient read from the assay's
    /// active curve, through the care service's observation path, which recomputes and journals the
    /// assessment in the same unit of work.
    /// </summary>
    public async Task<CaseScoringResult> ScoreCaseAsync(Actor actor, CaseScoringRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.CareCytogeneticsRecord);
        var errors = new List<FieldError>();
        var assay = Try(errors, () => ParseAssay(request.Assay));
        if (request.PatientId is not > 0)
        {
            errors.Add(new FieldError("patientId", "is required"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        LabCurve curve;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            curve = await uow.Store<ILabCurveStore>().GetActiveCurveAsync(assay!, ct)
                ?? throw new RuleViolationException($"there is no active {assay} curve: fit or enter one and mark it active first");
        }

        var data = new ObservationData
        {
            Cells = request.Cells,
            Aberrations = request.Aberrations,
            Distribution = request.Distribution is { Count: > 0 } d ? d : null,
            Method = string.IsNullOrWhiteSpace(request.Method) ? null : request.Method.Trim().ToLowerInvariant(),
            Curve = curve.ToSpec(),
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
        };
        var (observation, assessment) = await care.RecordObservationAsync(actor, request.PatientId!.Value, ObservationKind.Cytogenetics,
            request.ObservedAt ?? clock.UtcNow, data, request.Confirm, ct);
        return new CaseScoringResult(observation, assessment, curve, assessment.Doses.FirstOrDefault(x => x.Rank == 1));
    }

    /// <summary>The chart of a curve: yield and 95 % band from 0 to 5 Gy, or to the highest calibration dose when higher.</summary>
    public static IReadOnlyList<CurveBandPoint> Band(LabCurve curve, int steps = 50)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var max = Math.Max(5, curve.Counts is { Count: > 0 } rows ? Math.Ceiling(rows.Max(r => r.DoseGy)) : 0);
        return CurveBand.Compute(curve.ToCalibration(), max, steps);
    }

    /// <summary>Parses an assay name; field <c>assay</c>.</summary>
    public static string ParseAssay(string? text)
    {
        new InputLimits().Text("assay", text, Limits.ShortName).ThrowIfAny(); // a longer word is not echoed back
        var t = text?.Trim().ToLowerInvariant();
        return t is not null && Assays.Contains(t)
            ? t
            : throw new DomainValidationException("assay", $"unknown assay '{text}'; expected {string.Join(", ", Assays)}");
    }

    private static string ParseModel(string? text)
    {
        new InputLimits().Text("model", text, Limits.ShortName).ThrowIfAny(); // a longer word is not echoed back
        return text?.Trim().ToLowerInvariant() switch
        {
            "lq" or "linear-quadratic" or null or "" => "lq",
            "linear" => "linear",
            _ => throw new DomainValidationException("model", $"unknown model '{text}'; expected lq (linear-quadratic) or linear"),
        };
    }

    private async Task<LabCurve> InsertAsync(Actor actor, NewLabCurve curve, string action, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ILabCurveStore>();
        var id = await store.InsertCurveAsync(curve, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lab-curve", CareService.Id(id), action, new
        {
            curve.Assay,
            curve.Name,
            curve.Model,
            curve.C,
            curve.Alpha,
            curve.Beta,
            curve.Covariance,
            curve.Source,
            curve.RadiationQuality,
            curve.Counts,
            curve.Fit,
        }), ct);
        var created = (await store.GetCurveAsync(id, ct))!;
        await uow.CommitAsync(ct);
        return created;
    }

    /// <summary>Curves are read by care readers and by QA, who signs their activation (a curve holds no patient data).</summary>
    private static void ReadCurves(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Permissions.RequireAny(actor, Operation.CareRead, Operation.LabCurveActivate);
    }

    /// <summary>A published curve's calibrated dose range: optional, but when given 0 ≤ from &lt; to ≤ 100 Gy (the fit's dose bound).</summary>
    private static void CalibratedRange(List<FieldError> errors, double? from, double? to)
    {
        if (from is { } f && (!double.IsFinite(f) || f < 0 || f > 100))
        {
            errors.Add(new FieldError("calibratedFromGy", string.Create(CultureInfo.InvariantCulture, $"{f} is not a calibration dose (0–100 Gy)")));
        }

        if (to is { } t && (!double.IsFinite(t) || t <= 0 || t > 100))
        {
            errors.Add(new FieldError("calibratedToGy", string.Create(CultureInfo.InvariantCulture, $"{t} is not a calibration dose (above 0, at most 100 Gy)")));
        }
        else if (to is { } t2 && from is { } f2 && f2 >= t2)
        {
            errors.Add(new FieldError("calibratedToGy", string.Create(CultureInfo.InvariantCulture, $"{t2} Gy must be above the lowest calibration dose {f2} Gy")));
        }
        else if (to is null && from is not null)
        {
            errors.Add(new FieldError("calibratedToGy", "give the highest calibration dose with the lowest"));
        }
    }

    private static List<CountRow> ToCountRows(IReadOnlyList<LabCountRow> rows, bool fromCsv, Assay? assay, List<FieldError> errors)
    {
        var list = new List<CountRow>();
        if (rows.Count == 0)
        {
            errors.Add(new FieldError(fromCsv ? LabCountCsv.Field : "rows", "holds no dose points"));
            return list;
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var before = errors.Count;
            void Bad(string column, string message) => errors.Add(fromCsv
                ? new FieldError(LabCountCsv.Field, $"dose point {i + 1}: {column} {message}")
                : new FieldError($"rows[{i}].{column}", message));
            if (r is null)
            {
                Bad("row", "is missing");
                continue;
            }

            if (!double.IsFinite(r.DoseGy) || r.DoseGy < 0 || r.DoseGy > 100)
            {
                Bad("doseGy", string.Create(CultureInfo.InvariantCulture, $"{r.DoseGy} is not a calibration dose (0–100 Gy)"));
            }

            if (r.Cells <= 0)
            {
                Bad("cells", "must be a whole number > 0");
            }

            if (r.Aberrations < 0)
            {
                Bad("aberrations", "must be a whole number ≥ 0");
            }

            if (r.Distribution is { } dist)
            {
                long n = 0, x = 0;
                for (var k = 0; k < dist.Count; k++)
                {
                    n += dist[k];
                    x += k * dist[k];
                }

                if (dist.Count == 0 || dist.Any(c => c < 0))
                {
                    Bad("distribution", "cell counts C0, C1, … must be whole numbers ≥ 0");
                }
                else if (n != r.Cells || x != r.Aberrations)
                {
                    Bad("distribution", $"adds up to {n} cells and {x} aberrations, not the {r.Cells} and {r.Aberrations} given");
                }
            }

            if (assay is { } a && r.Cells > 0)
            {
                foreach (var (column, message) in CytogeneticPlausibility.CheckCount(a, r.Cells, r.Aberrations, r.Distribution))
                {
                    Bad(column, message);
                }
            }

            if (i > 0 && rows[i - 1] is { } prev && r.DoseGy <= prev.DoseGy)
            {
                Bad("doseGy", "doses must be strictly increasing, one row per dose");
            }

            if (errors.Count > before)
            {
                continue;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{r.DoseGy}");
            list.Add(r.Distribution is { } dd ? CountRow.FromDistribution(id, r.DoseGy, dd) : CountRow.FromTotals(id, r.DoseGy, r.Cells, r.Aberrations));
        }

        return list;
    }

    private static T? Try<T>(List<FieldError> errors, Func<T> parse) where T : class
    {
        try
        {
            return parse();
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
            return null;
        }
    }

    /// <summary>
    /// A curve's text, trimmed, within its named limit (issue 12 item 8, Core.Limits; 300 for all before): a name is a
    /// short name, as the observation's <c>curve.name</c> it is copied into; a source or citation is a title.
    /// </summary>
    private static string? Text(List<FieldError> errors, string? value, string field, bool required, TextLimit limit)
    {
        var t = value?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            if (required)
            {
                errors.Add(new FieldError(field, "is required"));
            }

            return null;
        }

        new InputLimits(errors).Text(field, t, limit);

        return t;
    }

    private static double? Coefficient(List<FieldError> errors, double? value, string field, string symbol)
    {
        if (value is not { } v)
        {
            errors.Add(new FieldError(field, $"{symbol} is required"));
            return null;
        }

        if (!double.IsFinite(v) || v < 0)
        {
            errors.Add(new FieldError(field, string.Create(CultureInfo.InvariantCulture, $"{symbol} must be a finite number ≥ 0 (got {v})")));
            return null;
        }

        return v;
    }

    /// <summary>
    /// Checks a covariance matrix: 3×3 over (C, α, β), finite, symmetric (relative 1e-9), and positive
    /// semi-definite — every principal minor ≥ 0 (Horn &amp; Johnson, Matrix Analysis, 2nd ed., 2013,
    /// Theorem 7.2.5), compared with a tolerance relative to the diagonal's scale. A linear curve's β
    /// row and column must be 0.
    /// </summary>
    private static double[][]? Covariance(List<FieldError> errors, double[][]? rows, bool linear)
    {
        const string field = "covariance";
        if (rows is not { Length: 3 } || rows.Any(r => r is not { Length: 3 }))
        {
            errors.Add(new FieldError(field, "must be a 3×3 matrix over (C, α, β): three rows of three numbers (all 0 for a curve taken as exact)"));
            return null;
        }

        var before = errors.Count;
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                if (!double.IsFinite(rows[i][j]))
                {
                    errors.Add(new FieldError($"{field}[{i}][{j}]", "must be a finite number"));
                }
                else if (j > i && Math.Abs(rows[i][j] - rows[j][i]) > 1e-9 * Math.Max(Math.Abs(rows[i][j]), Math.Abs(rows[j][i])))
                {
                    errors.Add(new FieldError($"{field}[{i}][{j}]", string.Create(CultureInfo.InvariantCulture,
                        $"{rows[i][j]} differs from element [{j}][{i}] ({rows[j][i]}): a covariance matrix is symmetric")));
                }
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var v = rows;
        string[] names = ["C", "α", "β"];
        for (var i = 0; i < 3; i++)
        {
            if (v[i][i] < 0)
            {
                errors.Add(new FieldError($"{field}[{i}][{i}]", $"the variance of {names[i]} must not be negative"));
            }
        }

        if (linear && (v[2][2] != 0 || v[0][2] != 0 || v[1][2] != 0))
        {
            errors.Add(new FieldError(field, "the β row and column must be 0 for a linear curve"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        // Principal minors: 2×2 for each pair, then the determinant; tolerance scaled by the diagonal.
        var scale2 = new[] { (0, 1), (0, 2), (1, 2) };
        foreach (var (i, j) in scale2)
        {
            var minor = (v[i][i] * v[j][j]) - (v[i][j] * v[j][i]);
            if (minor < -1e-9 * v[i][i] * v[j][j] - 1e-300)
            {
                errors.Add(new FieldError(field, $"is not positive semi-definite: the covariance of {names[i]} and {names[j]} is larger than their standard errors allow (|correlation| > 1)"));
                return null;
            }
        }

        var det = (v[0][0] * ((v[1][1] * v[2][2]) - (v[1][2] * v[2][1])))
            - (v[0][1] * ((v[1][0] * v[2][2]) - (v[1][2] * v[2][0])))
            + (v[0][2] * ((v[1][0] * v[2][1]) - (v[1][1] * v[2][0])));
        if (det < -1e-9 * v[0][0] * v[1][1] * v[2][2] - 1e-300)
        {
            errors.Add(new FieldError(field, "is not positive semi-definite (its determinant is negative): check the signs of the covariances"));
            return null;
        }

        return [.. v.Select(r => r.ToArray())];
    }
}
