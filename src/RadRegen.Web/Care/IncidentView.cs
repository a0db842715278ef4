using System.Globalization;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core.Access;

namespace RadRegen.Web.Care;

/// <summary>A patient with the summary of their current assessment (none until a first observation).</summary>
public sealed record PatientRow(Patient Patient, PatientAssessment? Assessment)
{
    /// <summary>Triage colour, <c>undetermined</c> (assessed, no dose evidence) or <c>not-assessed</c>.</summary>
    public string Colour => Assessment is null ? IncidentView.NotAssessed : Assessment.Triage ?? IncidentView.Undetermined;

    /// <summary><c>RC0</c>–<c>RC4</c>, <c>undetermined</c> or <c>not-assessed</c>.</summary>
    public string Rc => Assessment is null ? IncidentView.NotAssessed
        : Assessment.ResponseCategory is { } rc ? "RC" + rc.ToString(CultureInfo.InvariantCulture) : IncidentView.Undetermined;
}

/// <summary>Counts per hour (or per day for long incidents) for the dashboard's chart.</summary>
/// <param name="BinHours">Width of one bin (1 or 24).</param>
/// <param name="Labels">Start of each bin, UTC.</param>
/// <param name="Registered">Patients registered in each bin.</param>
/// <param name="AssessedByColour">Current assessments made in each bin, by triage colour.</param>
public sealed record IncidentTimeline(int BinHours, IReadOnlyList<DateTimeOffset> Labels, IReadOnlyList<int> Registered,
    IReadOnlyDictionary<string, int[]> AssessedByColour);

/// <summary>An incident with its patients and the counts the dashboard and the API show.</summary>
public sealed record IncidentOverview(
    Incident Incident,
    IReadOnlyList<PatientRow> Patients,
    IReadOnlyDictionary<string, int> ByTriage,
    IReadOnlyDictionary<string, int> ByResponseCategory,
    IncidentTimeline Timeline)
{
    public int Assessed => Patients.Count(p => p.Assessment is not null);
}

/// <summary>Reads an incident's patients and current assessments and counts them (role checks in <see cref="CareService"/>).</summary>
public sealed class IncidentView(CareService care)
{
    public const string NotAssessed = "not-assessed";

    public const string Undetermined = "undetermined";

    /// <summary>Triage colours in the order the dashboard shows them.</summary>
    public static readonly string[] Colours = ["red", "yellow", "green", Undetermined, NotAssessed];

    /// <summary>Response categories in the order the dashboard shows them.</summary>
    public static readonly string[] Categories = ["RC4", "RC3", "RC2", "RC1", "RC0", Undetermined, NotAssessed];

    /// <summary>Most bins the timeline keeps (hourly up to three days, then daily).</summary>
    public const int MaxHourlyBins = 72;

    public async Task<IncidentOverview> LoadAsync(Actor actor, long incidentId, CancellationToken ct)
    {
        var incident = await care.GetIncidentAsync(actor, incidentId, ct);
        var patients = await care.ListPatientsAsync(actor, incidentId, ct);
        var assessments = (await care.ListAssessmentsAsync(actor, incidentId, ct)).ToDictionary(a => a.PatientId);
        var rows = patients.OrderBy(p => p.Code, StringComparer.Ordinal)
            .Select(p => new PatientRow(p, assessments.GetValueOrDefault(p.Id))).ToList();
        var byTriage = Colours.ToDictionary(c => c, c => rows.Count(r => r.Colour == c), StringComparer.Ordinal);
        var byRc = Categories.ToDictionary(c => c, c => rows.Count(r => r.Rc == c), StringComparer.Ordinal);
        return new IncidentOverview(incident, rows, byTriage, byRc, Timeline(rows));
    }

    private static IncidentTimeline Timeline(IReadOnlyList<PatientRow> rows)
    {
        if (rows.Count == 0)
        {
            return new IncidentTimeline(1, [], [], Colours.ToDictionary(c => c, _ => Array.Empty<int>(), StringComparer.Ordinal));
        }

        var times = rows.Select(r => r.Patient.CreatedAt).Concat(rows.Where(r => r.Assessment is not null).Select(r => r.Assessment!.AssessedAt)).ToList();
        var first = Floor(times.Min(), 1);
        var last = times.Max();
        var binHours = (last - first).TotalHours < MaxHourlyBins ? 1 : 24;
        first = Floor(first, binHours);
        var bins = (int)Math.Floor((last - first).TotalHours / binHours) + 1;
        int Bin(DateTimeOffset t) => Math.Clamp((int)Math.Floor((t - first).TotalHours / binHours), 0, bins - 1);
        var registered = new int[bins];
        var assessed = Colours.Where(c => c != NotAssessed).ToDictionary(c => c, _ => new int[bins], StringComparer.Ordinal);
        foreach (var r in rows)
        {
            registered[Bin(r.Patient.CreatedAt)]++;
            if (r.Assessment is { } a)
            {
                assessed[r.Colour][Bin(a.AssessedAt)]++;
            }
        }

        return new IncidentTimeline(binHours, [.. Enumerable.Range(0, bins).Select(i => first.AddHours(i * binHours))], registered, assessed);
    }

    private static DateTimeOffset Floor(DateTimeOffset t, int hours)
    {
        var u = t.UtcDateTime;
        var h = hours == 24 ? 0 : u.Hour;
        return new DateTimeOffset(u.Year, u.Month, u.Day, h, 0, 0, TimeSpan.Zero);
    }
}
