namespace RadRegen.Care.Records;

/// <summary>What kind of radiation emergency an incident is (IAEA EPR-Medical 2024 scenario types).</summary>
public enum IncidentKind
{
    ReactorAccident,
    Criticality,
    LostOrOrphanSource,
    RadiologicalDispersalDevice,
    NuclearDetonation,
}

/// <summary>The names used in files, the API and the CLI (<c>reactor-accident</c>).</summary>
public static class IncidentKinds
{
    private static readonly (IncidentKind Kind, string Name)[] Table =
    [
        (IncidentKind.ReactorAccident, "reactor-accident"),
        (IncidentKind.Criticality, "criticality"),
        (IncidentKind.LostOrOrphanSource, "lost-or-orphan-source"),
        (IncidentKind.RadiologicalDispersalDevice, "radiological-dispersal-device"),
        (IncidentKind.NuclearDetonation, "nuclear-detonation"),
    ];

    public static string Name(this IncidentKind kind) => Table.First(t => t.Kind == kind).Name;

    public static IncidentKind Parse(string? text, string field = "kind")
    {
        foreach (var (k, n) in Table)
        {
            if (string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        throw new Core.DomainValidationException(field, $"unknown incident kind '{text}'; expected one of {string.Join(", ", Table.Select(t => t.Name))}");
    }
}

/// <summary>A radiation emergency: one event with its victims.</summary>
/// <param name="Id">Database id.</param>
/// <param name="Code">Short code people use (<c>INC-0001</c>), unique.</param>
/// <param name="Title">A name for the event.</param>
/// <param name="Kind">Scenario type.</param>
/// <param name="StartedAt">When the exposure began (UTC); no observation may precede it.</param>
/// <param name="Place">Where it happened.</param>
/// <param name="Radionuclides">Nuclides involved, if known (<c>Cs-137</c>, <c>Co-60</c>).</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="Version">Row version for optimistic concurrency.</param>
/// <param name="Drill">A drill (exercise) on simulated victims, not a real emergency: the trainer reads
/// drill incidents and their patients and nothing else of care (ADR 0026). Set when it is opened, never changed.</param>
public sealed record Incident(
    long Id,
    string Code,
    string Title,
    IncidentKind Kind,
    DateTimeOffset StartedAt,
    string Place,
    IReadOnlyList<string> Radionuclides,
    DateTimeOffset CreatedAt,
    long Version,
    bool Drill = false);

/// <summary>What a person gives to open an incident; <paramref name="Drill"/> marks an exercise on simulated victims.</summary>
public sealed record NewIncident(string Code, string Title, IncidentKind Kind, DateTimeOffset StartedAt, string Place, IReadOnlyList<string> Radionuclides, bool Drill = false);
