using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Planning.Scenarios;

/// <summary>Where a scenario comes from.</summary>
public enum ScenarioKind
{
    /// <summary>A published planning table, as printed (Coleman et al. 2015 / Knebel et al. 2011).</summary>
    Published,

    /// <summary>The center's own scenario (an orphan source, a criticality, a reactor accident), entered by a planner.</summary>
    Center,

    /// <summary>Counted from a drill's or a real incident's victims in the care records.</summary>
    Derived,
}

/// <summary>The kind of injury a band counts.</summary>
public enum InjuryKind
{
    /// <summary>Radiation alone.</summary>
    RadiationOnly,

    /// <summary>Radiation with trauma and/or burns.</summary>
    Combined,

    /// <summary>Trauma without radiation (no cell-product need from radiation).</summary>
    TraumaOnly,
}

/// <summary>
/// One row of a scenario: casualties of one injury kind in one dose band, with a count per
/// percentile of the scenario (<see cref="Scenario.Percentiles"/>), or one count when the scenario is
/// a single estimate.
/// </summary>
/// <param name="Key">Stable key within the scenario (<c>rad-moderate</c>).</param>
/// <param name="Label">The row as the source prints it.</param>
/// <param name="DoseFromGy">Lower edge of the whole-body dose band (null: no radiation dose).</param>
/// <param name="DoseToGy">Upper edge (null: open band).</param>
/// <param name="ResponseCategory">METREPOL RC when the source gives it (derived scenarios, planner entries); null: the demand profile's figure for the band.</param>
/// <param name="Counts">Casualties, one per percentile (or one for a single estimate).</param>
public sealed record ScenarioBand(string Key, string Label, InjuryKind Injury, double? DoseFromGy, double? DoseToGy, int? ResponseCategory, IReadOnlyList<int> Counts);

/// <summary>
/// A versioned planning scenario with its source. Published scenarios are fixed in code
/// (<see cref="PublishedScenarios"/>); the center's and derived ones are stored, each change a new version.
/// </summary>
/// <param name="Id">Stable identifier (<c>coleman-knebel-2015</c>, <c>center-orphan-source</c>).</param>
/// <param name="Version">Version of this scenario (1, 2 …).</param>
/// <param name="Event">What happens (<c>nuclear detonation</c>, <c>orphan source</c>, <c>criticality</c>, <c>reactor accident</c>, <c>incident I-2026-01</c>).</param>
/// <param name="Source">The citation or who entered it and from what.</param>
/// <param name="Terms">Licence or terms of the source.</param>
/// <param name="Percentiles">The percentiles the counts are given at (50, 85, 95); empty for a single estimate.</param>
public sealed record Scenario(string Id, int Version, string Title, ScenarioKind Kind, string Event, string Source, string Terms,
    IReadOnlyList<int> Percentiles, IReadOnlyList<ScenarioBand> Bands)
{
    /// <summary>The count column for <paramref name="percentile"/>: the single estimate when the scenario has no percentiles.</summary>
    public int Column(int? percentile)
    {
        if (Percentiles.Count == 0)
        {
            return 0;
        }

        var p = percentile ?? Percentiles[^1];
        var i = Percentiles.ToList().IndexOf(p);
        return i >= 0 ? i : throw new DomainValidationException("percentile",
            $"scenario {Id} gives counts at the {string.Join(", ", Percentiles)}th percentile, not {p.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The band's count at <paramref name="percentile"/>.</summary>
    public int Count(ScenarioBand band, int? percentile)
    {
        ArgumentNullException.ThrowIfNull(band);
        return band.Counts[Column(percentile)];
    }

    /// <summary>Casualties of every band at <paramref name="percentile"/>.</summary>
    public int Total(int? percentile) => Bands.Sum(b => Count(b, percentile));

    /// <summary>
    /// Radiation-only casualties whose band lies within [<paramref name="fromGy"/>, <paramref name="toGy"/>]:
    /// with 1.5 and 8.3 Gy the bands where marrow support changes the outcome (Coleman 2015: 9,000 / 31,000 / 53,000).
    /// </summary>
    public int RadiationOnlyWithin(double fromGy, double toGy, int? percentile) => Bands
        .Where(b => b.Injury == InjuryKind.RadiationOnly && b.DoseFromGy >= fromGy - 1e-9 && b.DoseToGy is { } to && to <= toGy + 1e-9)
        .Sum(b => Count(b, percentile));

    /// <summary>Every problem of the scenario, each naming its field (negative counts, bands without counts, unknown percentiles).</summary>
    public IReadOnlyList<FieldError> Problems()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > 64 || !Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("id", "1 to 64 letters, digits, '-', '_' or '.'"));
        }

        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
        {
            errors.Add(new("title", "a title of 1 to 200 characters"));
        }

        if (string.IsNullOrWhiteSpace(Source) || Source.Length > 2000)
        {
            errors.Add(new("source", "where the counts come from (1 to 2,000 characters)"));
        }

        if (Percentiles.Any(p => p is < 1 or > 99) || Percentiles.Distinct().Count() != Percentiles.Count)
        {
            errors.Add(new("percentiles", "distinct percentiles from 1 to 99 (or none for a single estimate)"));
        }

        if (Bands.Count is 0 or > 100)
        {
            errors.Add(new("bands", "1 to 100 bands"));
        }

        var width = Math.Max(1, Percentiles.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Bands.Count; i++)
        {
            var b = Bands[i];
            var f = string.Create(CultureInfo.InvariantCulture, $"bands[{i}]");
            if (string.IsNullOrWhiteSpace(b.Key) || !keys.Add(b.Key))
            {
                errors.Add(new(f + ".key", "a key, distinct within the scenario"));
            }

            if (b.Counts is null || b.Counts.Count != width)
            {
                errors.Add(new(f + ".counts", string.Create(CultureInfo.InvariantCulture, $"{width} count(s), one per percentile")));
            }
            else
            {
                for (var j = 0; j < b.Counts.Count; j++)
                {
                    if (b.Counts[j] < 0)
                    {
                        errors.Add(new(string.Create(CultureInfo.InvariantCulture, $"{f}.counts[{j}]"), "a count of casualties cannot be negative"));
                    }
                    else if (b.Counts[j] > 10_000_000)
                    {
                        errors.Add(new(string.Create(CultureInfo.InvariantCulture, $"{f}.counts[{j}]"), "at most 10,000,000 casualties per band"));
                    }
                }
            }

            if (b.Injury != InjuryKind.TraumaOnly && b.DoseFromGy is null)
            {
                errors.Add(new(f + ".doseFromGy", "a radiation band needs its lower dose edge (Gy)"));
            }

            if (b.DoseFromGy is { } lo && (!double.IsFinite(lo) || lo < 0 || lo > 100))
            {
                errors.Add(new(f + ".doseFromGy", "a dose from 0 to 100 Gy"));
            }

            if (b.DoseToGy is { } hi && (!double.IsFinite(hi) || hi <= (b.DoseFromGy ?? 0) || hi > 100))
            {
                errors.Add(new(f + ".doseToGy", "above the lower edge and at most 100 Gy"));
            }

            if (b.ResponseCategory is { } rc && rc is < 0 or > 4)
            {
                errors.Add(new(f + ".responseCategory", "RC0 to RC4 (METREPOL)"));
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="DomainValidationException"/> with every problem.</summary>
    public Scenario Validated()
    {
        var problems = Problems();
        return problems.Count > 0 ? throw new DomainValidationException(problems) : this;
    }
}
