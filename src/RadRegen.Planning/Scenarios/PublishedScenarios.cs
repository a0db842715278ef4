namespace RadRegen.Planning.Scenarios;

/// <summary>
/// The published planning tables, as printed (reference/planning/README.md §1). Fixed in code and
/// versioned with it: a correction is a new <see cref="Scenario.Version"/>.
/// </summary>
public static class PublishedScenarios
{
    /// <summary>Identifier of the Coleman/Knebel table.</summary>
    public const string ColemanKnebelId = "coleman-knebel-2015";

    /// <summary>The percentiles Table 1 prints.</summary>
    public static readonly IReadOnlyList<int> ColemanPercentiles = [50, 85, 95];

    /// <summary>The lower edge of the bands where marrow support changes the outcome (Coleman 2015: "1.5–8.3 Gy").</summary>
    public const double MarrowSupportFromGy = 1.5;

    /// <summary>The upper edge of those bands (Coleman 2015: severe band 5.3–8.3 Gy; above is expectant).</summary>
    public const double MarrowSupportToGy = 8.3;

    /// <summary>
    /// Coleman CN et al., Health Phys 2015;108:149–160, Table 1 (PMC4295641), adapted from Knebel AR
    /// et al., DMPHP 2011;5:S22: casualties by category at the 50th / 85th / 95th percentile of 185
    /// modelled 0.1–10 kT scenarios in various cities (numbers vary by a factor of 5 to ≥ 10 between
    /// cities). Every row as printed, radiation-only, combined injury and trauma-only.
    /// </summary>
    public static Scenario ColemanKnebel2015 { get; } = new(
        ColemanKnebelId, 1,
        "Nuclear detonation 0.1–10 kT: casualties by dose band (185 modelled scenarios)",
        ScenarioKind.Published,
        "nuclear detonation",
        "Coleman CN et al., Health Phys 2015;108:149–160, Table 1 (PMC4295641), adapted from Knebel AR et al., DMPHP 2011;5:S22",
        "Open-access article in PubMed Central; the numbers are cited as facts (reference/planning/README.md)",
        ColemanPercentiles,
        [
            new("rad-mild", "Radiation only, mild 0.75–1.49 Gy", InjuryKind.RadiationOnly, 0.75, 1.5, null, [4_000, 23_000, 72_000]),
            new("rad-moderate", "Radiation only, moderate 1.5–5.29 Gy", InjuryKind.RadiationOnly, 1.5, 5.3, null, [6_000, 25_000, 41_000]),
            new("rad-severe", "Radiation only, severe 5.3–8.3 Gy", InjuryKind.RadiationOnly, 5.3, 8.3, null, [3_000, 6_000, 12_000]),
            new("rad-expectant", "Radiation only, expectant > 8.3 Gy", InjuryKind.RadiationOnly, 8.3, null, null, [5_000, 16_000, 47_000]),
            new("combined", "Combined injury (> 1.5 Gy + trauma and/or burn)", InjuryKind.Combined, 1.5, null, null, [2_000, 20_000, 45_000]),
            new("trauma-mild", "Trauma only, mild ISS 1–9", InjuryKind.TraumaOnly, null, null, null, [20_000, 53_000, 80_000]),
            new("trauma-moderate", "Trauma only, moderate ISS 10–14", InjuryKind.TraumaOnly, null, null, null, [34_000, 118_000, 121_000]),
            new("trauma-severe", "Trauma only, severe ISS > 15", InjuryKind.TraumaOnly, null, null, null, [14_000, 63_000, 143_000]),
        ]);

    /// <summary>Every published scenario.</summary>
    public static IReadOnlyList<Scenario> All { get; } = [ColemanKnebel2015];
}
