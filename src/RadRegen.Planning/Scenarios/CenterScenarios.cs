namespace RadRegen.Planning.Scenarios;

/// <summary>
/// Examples of the center's own scenarios, as a planner would enter them: an orphan source, a
/// criticality and a reactor accident. Their counts are the center's planning figures (no published
/// table is behind them); the planner enters the real ones through the API (<c>PUT
/// /api/v1/planning/scenarios/{id}</c>), which versions each change. The examples serve the tests,
/// the demo and as templates; they are labelled so wherever they appear.
/// </summary>
public static class CenterScenarios
{
    private const string Figures = "center's planning figures (example entered by a planner)";

    private const string Terms = "the center's own figures";

    public static Scenario OrphanSource { get; } = new("center-orphan-source", 1, "Orphan source found and handled (local and whole-body exposure)",
        ScenarioKind.Center, "orphan source", Figures, Terms, [],
        [
            new("rad-mild", "Radiation only, 0.75–1.5 Gy", InjuryKind.RadiationOnly, 0.75, 1.5, null, [12]),
            new("rad-moderate", "Radiation only, 1.5–5.3 Gy", InjuryKind.RadiationOnly, 1.5, 5.3, null, [4]),
            new("rad-severe", "Radiation only, 5.3–8.3 Gy, RC4", InjuryKind.RadiationOnly, 5.3, 8.3, 4, [2]),
        ]);

    public static Scenario Criticality { get; } = new("center-criticality", 1, "Criticality accident at a fuel-processing plant",
        ScenarioKind.Center, "criticality", Figures, Terms, [],
        [
            new("rad-moderate", "Radiation only, 1.5–5.3 Gy", InjuryKind.RadiationOnly, 1.5, 5.3, null, [3]),
            new("rad-severe", "Radiation only, 5.3–8.3 Gy, RC4", InjuryKind.RadiationOnly, 5.3, 8.3, 4, [1]),
            new("rad-expectant", "Radiation only, > 8.3 Gy", InjuryKind.RadiationOnly, 8.3, null, 4, [2]),
        ]);

    public static Scenario ReactorAccident { get; } = new("center-reactor-accident", 1, "Reactor accident: on-site workers and responders",
        ScenarioKind.Center, "reactor accident", Figures, Terms, [],
        [
            new("rad-mild", "Radiation only, 0.75–1.5 Gy", InjuryKind.RadiationOnly, 0.75, 1.5, null, [60]),
            new("rad-moderate", "Radiation only, 1.5–5.3 Gy", InjuryKind.RadiationOnly, 1.5, 5.3, null, [25]),
            new("rad-severe", "Radiation only, 5.3–8.3 Gy", InjuryKind.RadiationOnly, 5.3, 8.3, null, [10]),
            new("combined", "Combined injury (> 1.5 Gy + burns)", InjuryKind.Combined, 1.5, null, null, [8]),
            new("rad-expectant", "Radiation only, > 8.3 Gy", InjuryKind.RadiationOnly, 8.3, null, null, [6]),
        ]);

    public static IReadOnlyList<Scenario> Examples { get; } = [OrphanSource, Criticality, ReactorAccident];
}
