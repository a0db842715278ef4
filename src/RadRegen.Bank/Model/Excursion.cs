using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Model;

public enum ExcursionStatus
{
    Open,
    Resolved,
}

/// <summary>What QA decided about the stock an excursion flagged.</summary>
public static class ExcursionOutcomes
{
    public const string ReturnedToUse = "returned to use";

    public const string Discarded = "discarded";

    public static IReadOnlyList<string> All { get; } = [ReturnedToUse, Discarded];
}

/// <summary>
/// A temperature reading outside a storage unit's range: it flags the unit and every live vial in
/// it (<see cref="Flag"/>) until a QA officer assesses it and resolves it with an e-signature,
/// returning the vials to use or discarding them. Resolved excursions never change (the database
/// refuses it); the vials it flagged are listed for good.
/// </summary>
public sealed record Excursion(
    long Id,
    long LocationId,
    long ReadingId,
    string UnitName,
    double Celsius,
    DateTimeOffset MeasuredAt,
    double MaxCelsius,
    double? MinCelsius,
    string Flag,
    ExcursionStatus Status,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    IReadOnlyList<long> VialIds,
    string? Outcome = null,
    string? Assessment = null,
    DateTimeOffset? ResolvedAt = null,
    string? ResolvedBy = null,
    long? SignatureId = null,
    int Version = 1)
{
    /// <summary>
    /// The text a flagged unit and vial carry until QA resolves the excursion: what, where, when, and
    /// that it waits for QA ("excursion #3 on tank LN2-A at 2026-11-29 10:00: −120 °C above −150 °C, awaiting QA assessment").
    /// </summary>
    public static string FlagText(long id, StorageLocation unit, DateTimeOffset at, double celsius, double max, double? min) =>
        string.Create(CultureInfo.InvariantCulture,
            $"excursion #{id} on {unit.Kind.ToString().ToLowerInvariant()} {unit.Name} at {JournalTime.ToText(at)[..16].Replace('T', ' ')} UTC: {TemperatureClasses.Celsius(celsius)} {(celsius > max ? "above " + TemperatureClasses.Celsius(max) : "below " + TemperatureClasses.Celsius(min ?? max))}, awaiting QA assessment");

    /// <summary>Removes this excursion's text from a flag holding several ("; "-joined); null when nothing is left.</summary>
    public static string? WithoutFlag(string? flags, string flag)
    {
        if (flags is null)
        {
            return null;
        }

        var rest = flags.Split("; ", StringSplitOptions.RemoveEmptyEntries).Where(f => !string.Equals(f, flag, StringComparison.Ordinal)).ToList();
        return rest.Count == 0 ? null : string.Join("; ", rest);
    }
}

/// <summary>A tank's or freezer's class: declared, or the one its recorded limit belongs to (units made before classes were declared).</summary>
public static class StorageUnits
{
    public static TemperatureClassSpec? ClassOf(StorageLocation unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.MaxCelsius is { } max ? TemperatureClasses.Of(unit.Class ?? TemperatureClasses.ForLimit(max)) : null;
    }
}
