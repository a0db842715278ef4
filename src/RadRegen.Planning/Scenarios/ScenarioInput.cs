using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Planning.Scenarios;

/// <summary>One band as a planner enters it.</summary>
/// <param name="Injury"><c>radiation-only</c>, <c>combined</c> or <c>trauma-only</c>.</param>
public sealed record BandInput(string? Key, string? Label, string? Injury, double? DoseFromGy, double? DoseToGy, int? ResponseCategory, IReadOnlyList<int>? Counts);

/// <summary>A center scenario as a planner enters it (API body, CLI file).</summary>
public sealed record ScenarioInput(string? Id, string? Title, string? Event, string? Source, string? Terms, IReadOnlyList<int>? Percentiles, IReadOnlyList<BandInput>? Bands)
{
    private static readonly (InjuryKind Kind, string Name)[] Injuries =
        [(InjuryKind.RadiationOnly, "radiation-only"), (InjuryKind.Combined, "combined"), (InjuryKind.TraumaOnly, "trauma-only")];

    /// <summary>The scenario, or every problem naming its field (the scenario's own checks included).</summary>
    public Scenario ToScenario(string? id = null)
    {
        var errors = new List<FieldError>();
        var bands = new List<ScenarioBand>();
        var list = Bands ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var b = list[i];
            var f = string.Create(CultureInfo.InvariantCulture, $"bands[{i}]");
            if (b is null)
            {
                errors.Add(new(f, "a band"));
                continue;
            }

            var injury = Injuries.FirstOrDefault(x => string.Equals(x.Name, b.Injury?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (injury.Name is null)
            {
                errors.Add(new(f + ".injury", $"one of {string.Join(", ", Injuries.Select(x => x.Name))}"));
            }

            bands.Add(new ScenarioBand(b.Key?.Trim() ?? "", b.Label?.Trim() ?? b.Key?.Trim() ?? "", injury.Kind, b.DoseFromGy, b.DoseToGy, b.ResponseCategory, b.Counts ?? []));
        }

        var scenario = new Scenario((id ?? Id)?.Trim() ?? "", 0, Title?.Trim() ?? "", ScenarioKind.Center, Event?.Trim() ?? "center scenario", Source?.Trim() ?? "",
            string.IsNullOrWhiteSpace(Terms) ? "the center's own figures" : Terms.Trim(), Percentiles ?? [], bands);
        errors.AddRange(scenario.Problems().Where(p => !errors.Any(e => e.Field == p.Field)));
        return errors.Count > 0 ? throw new DomainValidationException(errors) : scenario;
    }
}
