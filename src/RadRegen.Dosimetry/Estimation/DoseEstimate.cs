namespace RadRegen.Dosimetry.Estimation;

/// <summary>How a dose and its confidence interval were obtained.</summary>
public enum EstimationMethod
{
    /// <summary>Whole body, Merkle (1983) with 83 % yield and 83 % curve limits (overall ≈ 95 %).</summary>
    Merkle83,

    /// <summary>Whole body, Merkle (1983) with 95 % yield and 95 % curve limits.</summary>
    Merkle95,

    /// <summary>Whole body, delta method, 95 % (IAEA 2001 TRS-405; IAEA 2011 §9.7.4).</summary>
    Delta,

    /// <summary>Partial body, Dolphin (1969) contaminated Poisson, 95 % (IAEA 2011 §9.8.1).</summary>
    Dolphin,

    /// <summary>Heterogeneous exposure, two-component mixed Poisson (Pujol et al. 2016), 95 %.</summary>
    MixedPoisson,
}

/// <summary>One dose estimate for one case. All intervals are (lower, estimate, upper).</summary>
/// <param name="Id">Case identifier.</param>
/// <param name="Method">Method used.</param>
/// <param name="Yield">Aberrations per cell (in irradiated cells for partial-body methods); null when not estimable.</param>
/// <param name="Dose">Dose in Gy; null when not estimable. Upper may be +∞ when the data do not bound it.</param>
/// <param name="BodyFraction">Fraction of the body irradiated (partial-body methods only).</param>
/// <param name="CellFraction">Fraction of scored cells that were irradiated (Dolphin only).</param>
/// <param name="Warnings">What limits the estimate; shown beside it.</param>
public sealed record DoseEstimate(
    string Id,
    EstimationMethod Method,
    Interval? Yield,
    Interval? Dose,
    Interval? BodyFraction,
    Interval? CellFraction,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when a dose could be estimated.</summary>
    public bool Estimable => Dose is not null;

    /// <summary>The components of a heterogeneous (mixed Poisson) estimate, highest dose first; empty otherwise.</summary>
    public IReadOnlyList<DoseComponent> Components { get; init; } = [];
}

/// <summary>One component of a heterogeneous exposure.</summary>
/// <param name="Yield">Yield of the component with its 95 % CI.</param>
/// <param name="Dose">Dose of the component with its 95 % CI.</param>
/// <param name="CellProportion">Mixing proportion ω of scored cells.</param>
/// <param name="BodyFraction">Fraction of the body irradiated at this dose, corrected for cell survival.</param>
public sealed record DoseComponent(Interval Yield, Interval Dose, Interval CellProportion, Interval BodyFraction);

/// <summary>
/// Options shared by the estimators. <see cref="ProtractionG"/> is the Lea–Catcheside G(x)
/// (<see cref="Protraction.G"/>); <see cref="GenomeFactor"/> and <see cref="BackgroundTranslocations"/>
/// apply to FISH translocations (yield converted to full genome, background Xc subtracted).
/// </summary>
/// <param name="ProtractionG">G(x) multiplying β; 1 for acute exposure.</param>
/// <param name="GenomeFactor">F_p/F_G; 1 for dicentrics and micronuclei.</param>
/// <param name="BackgroundTranslocations">Expected background translocations Xc in the scored cells (0 if none).</param>
/// <param name="SurvivalD0">D0 = 1/γ in Gy for lymphocyte survival in partial-body methods (2.7 Gy, IAEA 2011 §9.8.1; range 2.7–3.5).</param>
public sealed record EstimationOptions(double ProtractionG = 1, double GenomeFactor = 1, double BackgroundTranslocations = 0, double SurvivalD0 = 2.7)
{
    /// <summary>Acute exposure, dicentrics: all defaults.</summary>
    public static EstimationOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(ProtractionG > 0 && ProtractionG <= 1))
        {
            throw new DosimetryInputException("G", $"the protraction factor G(x) must be in (0, 1], got {ProtractionG}");
        }

        if (!(GenomeFactor > 0 && GenomeFactor <= 1))
        {
            throw new DosimetryInputException("genome factor", $"must be in (0, 1], got {GenomeFactor}");
        }

        if (!(BackgroundTranslocations >= 0))
        {
            throw new DosimetryInputException("background", $"must be ≥ 0, got {BackgroundTranslocations}");
        }

        if (!(SurvivalD0 > 0))
        {
            throw new DosimetryInputException("D0", $"must be > 0 Gy, got {SurvivalD0}");
        }
    }
}
