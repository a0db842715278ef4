namespace RadRegen.Care.Records;

/// <summary>What an observation records.</summary>
public enum ObservationKind
{
    /// <summary>Prodromal and organ symptoms (METREPOL N and G signs), time to onset of vomiting.</summary>
    Symptoms,

    /// <summary>Vital signs.</summary>
    Vitals,

    /// <summary>Complete blood count (×10⁹/L; haemoglobin g/L).</summary>
    BloodCount,

    /// <summary>Skin findings (METREPOL C signs, body surface area).</summary>
    Skin,

    /// <summary>A cytogenetic result: cells scored, aberrations, the calibration curve used.</summary>
    Cytogenetics,
}

/// <summary>The kinds' names in files and the API (<c>blood-count</c>).</summary>
public static class ObservationKinds
{
    private static readonly (ObservationKind Kind, string Name)[] Table =
    [
        (ObservationKind.Symptoms, "symptoms"),
        (ObservationKind.Vitals, "vitals"),
        (ObservationKind.BloodCount, "blood-count"),
        (ObservationKind.Skin, "skin"),
        (ObservationKind.Cytogenetics, "cytogenetics"),
    ];

    public static string Name(this ObservationKind kind)
    {
        // A loop, not First(lambda): called for every observation an import stores and digests.
        foreach (var (k, n) in Table)
        {
            if (k == kind)
            {
                return n;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an observation kind");
    }

    public static ObservationKind Parse(string? text, string field = "kind")
    {
        foreach (var (k, n) in Table)
        {
            if (string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        throw new Core.DomainValidationException(field, $"unknown observation kind '{text}'; expected one of {string.Join(", ", Table.Select(t => t.Name))}");
    }
}

/// <summary>
/// A calibration curve as a cytogenetic result carries it: the coefficients and covariance of
/// Y = C + αD + βD² (IAEA 2011 §9.4), fitted by the laboratory or entered from a publication.
/// </summary>
/// <param name="Name">Where the curve comes from (laboratory, publication).</param>
/// <param name="Assay"><c>dicentric</c>, <c>micronucleus</c> or <c>translocation</c>.</param>
/// <param name="Model"><c>lq</c> or <c>linear</c>.</param>
/// <param name="C">Background yield per cell.</param>
/// <param name="Alpha">Linear coefficient, per Gy.</param>
/// <param name="Beta">Quadratic coefficient, per Gy² (0 for linear).</param>
/// <param name="Covariance">3×3 covariance of (C, α, β), row by row.</param>
public sealed record CurveSpec(string Name, string Assay, string Model, double C, double Alpha, double Beta, double[][] Covariance)
{
    /// <summary>The lowest calibration dose of the curve, Gy (null when the curve does not record its range).</summary>
    public double? CalibratedFromGy { get; init; }

    /// <summary>The highest calibration dose of the curve, Gy: an estimate above it is an extrapolation.</summary>
    public double? CalibratedToGy { get; init; }
}

/// <summary>
/// The values of one observation; which fields apply depends on the kind (the others stay null).
/// </summary>
public sealed record ObservationData
{
    /// <summary>Symptoms and skin: METREPOL sign → degree 0–4 (or episodes per day for <c>vomitingPerDay</c>, <c>stoolsPerDay</c>).</summary>
    public IReadOnlyDictionary<string, double>? Signs { get; init; }

    /// <summary>Symptoms: when vomiting began (UTC), if the person vomited.</summary>
    public DateTimeOffset? VomitingOnsetAt { get; init; }

    /// <summary>Symptoms: the person has not vomited up to the time of observation.</summary>
    public bool? NoVomiting { get; init; }

    public double? TemperatureC { get; init; }

    public int? HeartRatePerMin { get; init; }

    public int? SystolicMmHg { get; init; }

    public int? DiastolicMmHg { get; init; }

    public int? RespiratoryRatePerMin { get; init; }

    public int? OxygenSaturationPercent { get; init; }

    /// <summary>Blood count: absolute lymphocytes ×10⁹/L.</summary>
    public double? Lymphocytes { get; init; }

    /// <summary>Blood count: granulocytes (neutrophils) ×10⁹/L.</summary>
    public double? Granulocytes { get; init; }

    /// <summary>Blood count: platelets ×10⁹/L.</summary>
    public double? Platelets { get; init; }

    /// <summary>Blood count: total leukocytes ×10⁹/L.</summary>
    public double? Leukocytes { get; init; }

    /// <summary>Blood count: haemoglobin g/L.</summary>
    public double? HaemoglobinGPerL { get; init; }

    /// <summary>Skin: body surface area affected, percent.</summary>
    public double? BsaPercent { get; init; }

    /// <summary>Skin: where on the body.</summary>
    public string? Site { get; init; }

    /// <summary>Cytogenetics: cells scored.</summary>
    public long? Cells { get; init; }

    /// <summary>Cytogenetics: aberrations counted.</summary>
    public long? Aberrations { get; init; }

    /// <summary>Cytogenetics: cells with 0, 1, 2 … aberrations (optional; needed for dispersion and Dolphin).</summary>
    public IReadOnlyList<long>? Distribution { get; init; }

    /// <summary>Cytogenetics: <c>merkle83</c> (default), <c>merkle95</c>, <c>delta</c> or <c>dolphin</c>.</summary>
    public string? Method { get; init; }

    /// <summary>Cytogenetics: the calibration curve.</summary>
    public CurveSpec? Curve { get; init; }

    /// <summary>Free-text note.</summary>
    public string? Note { get; init; }
}

/// <summary>One observation of a patient at one time.</summary>
public sealed record Observation(
    long Id,
    long PatientId,
    ObservationKind Kind,
    DateTimeOffset ObservedAt,
    ObservationData Data,
    string RecordedBy,
    DateTimeOffset RecordedAt);
