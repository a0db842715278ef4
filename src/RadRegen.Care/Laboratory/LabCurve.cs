using RadRegen.Care.Records;
using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Care.Laboratory;

/// <summary>One dose point of a calibration count table.</summary>
/// <param name="DoseGy">Dose in Gy (≥ 0).</param>
/// <param name="Cells">N, cells scored.</param>
/// <param name="Aberrations">X, aberrations counted.</param>
/// <param name="Distribution">Cells with 0, 1, 2 … aberrations (optional; must add up to N and X).</param>
public sealed record LabCountRow(double DoseGy, long Cells, long Aberrations, IReadOnlyList<long>? Distribution = null);

/// <summary>The statistics of a fit, kept with a fitted curve.</summary>
/// <param name="Method"><c>poisson</c>, <c>quasi-poisson</c> or <c>constrained</c>.</param>
/// <param name="Dispersion">Pearson φ = χ²/df (null when df = 0).</param>
/// <param name="Df">Residual degrees of freedom.</param>
/// <param name="Deviance">Residual deviance.</param>
/// <param name="Warnings">What the fitter warned about.</param>
public sealed record LabFitSummary(string Method, double? Dispersion, int Df, double Deviance, IReadOnlyList<string> Warnings);

/// <summary>A curve as the store inserts it.</summary>
public sealed record NewLabCurve(
    string Assay,
    string Name,
    string Model,
    double C,
    double Alpha,
    double Beta,
    double[][] Covariance,
    string Source,
    string? RadiationQuality,
    IReadOnlyList<LabCountRow>? Counts,
    LabFitSummary? Fit,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    /// <summary>The lowest calibration dose, Gy (fitted: the count table's lowest dose; published: as entered).</summary>
    public double? CalibratedFromGy { get; init; }

    /// <summary>The highest calibration dose, Gy: a case read above it is an extrapolation.</summary>
    public double? CalibratedToGy { get; init; }
}

/// <summary>
/// A calibration curve of the biodosimetry laboratory: Y = C + αD + βD² (IAEA EPR-Biodosimetry 2011
/// §9.4) for one assay, with the covariance of (C, α, β), fitted from a count table or entered from
/// a publication. One curve per assay is active: case scoring reads doses from it.
/// </summary>
/// <param name="Id">Identity.</param>
/// <param name="Assay"><c>dicentric</c>, <c>micronucleus</c> or <c>translocation</c> (RadRegen.Dosimetry's assays).</param>
/// <param name="Name">What the laboratory calls it.</param>
/// <param name="Model"><c>lq</c> (linear-quadratic) or <c>linear</c>.</param>
/// <param name="C">Background yield per cell.</param>
/// <param name="Alpha">α per Gy.</param>
/// <param name="Beta">β per Gy² (0 for linear).</param>
/// <param name="Covariance">3×3 covariance of (C, α, β), row by row.</param>
/// <param name="Source">A citation, or "fitted from N cells …".</param>
/// <param name="RadiationQuality">Radiation quality and dose rate (e.g. "⁶⁰Co γ, 0.5 Gy/min").</param>
/// <param name="Counts">The count table when fitted.</param>
/// <param name="Fit">The fit's statistics when fitted.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="Active">Whether case scoring uses it for its assay.</param>
/// <param name="Version">Row version (optimistic concurrency).</param>
public sealed record LabCurve(
    long Id,
    string Assay,
    string Name,
    string Model,
    double C,
    double Alpha,
    double Beta,
    double[][] Covariance,
    string Source,
    string? RadiationQuality,
    IReadOnlyList<LabCountRow>? Counts,
    LabFitSummary? Fit,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Active,
    long Version)
{
    /// <summary>The lowest calibration dose, Gy (fitted: the count table's lowest dose; published: as entered).</summary>
    public double? CalibratedFromGy { get; init; }

    /// <summary>The highest calibration dose, Gy: a case read above it is an extrapolation (null: not recorded).</summary>
    public double? CalibratedToGy { get; init; }

    /// <summary>The QA e-signature that activated the curve (null: never activated, or activated before signatures were required).</summary>
    public long? ActivationSignatureId { get; init; }

    /// <summary>Who signed the activation.</summary>
    public string? ActivatedBy { get; init; }

    /// <summary>When the activation was signed (UTC).</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    /// <summary>What is implausible about the coefficients or the fit (<see cref="CytogeneticPlausibility.Warnings"/>); shown on the curve and at activation.</summary>
    public IReadOnlyList<string> Warnings => CytogeneticPlausibility.Warnings(this);

    /// <summary>The curve as a cytogenetic observation carries it; the name says which laboratory curve it was.</summary>
    public CurveSpec ToSpec() => new($"{Name} (lab curve {Id}, version {Version})", Assay, Model, C, Alpha, Beta,
        [.. Covariance.Select(r => r.ToArray())])
    {
        CalibratedFromGy = CalibratedFromGy,
        CalibratedToGy = CalibratedToGy,
    };

    /// <summary>The curve as RadRegen.Dosimetry takes it.</summary>
    public CalibrationCurve ToCalibration() => ObservationRules.ToCurve(ToSpec());
}

/// <summary>The laboratory's curves, within one unit of work (implemented in RadRegen.Storage).</summary>
public interface ILabCurveStore
{
    Task<long> InsertCurveAsync(NewLabCurve curve, CancellationToken ct);

    Task<LabCurve?> GetCurveAsync(long id, CancellationToken ct);

    /// <summary>Curves of one assay (or all when null), newest first.</summary>
    Task<IReadOnlyList<LabCurve>> ListCurvesAsync(string? assay, CancellationToken ct);

    Task<LabCurve?> GetActiveCurveAsync(string assay, CancellationToken ct);

    /// <summary>
    /// Makes <paramref name="id"/> the only active curve of its assay: the previously active one is
    /// cleared first, then this one set (each changed row's version + 1). False when
    /// <paramref name="expectedVersion"/> is given and stale.
    /// </summary>
    Task<bool> ActivateCurveAsync(long id, string assay, long? expectedVersion, CancellationToken ct);

    /// <summary>Records the QA e-signature of an activation (no version change: the activation already counted one).</summary>
    Task<bool> RecordActivationAsync(long id, long signatureId, string activatedBy, DateTimeOffset activatedAt, CancellationToken ct);
}
