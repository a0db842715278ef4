using System.Globalization;
using System.Text;
using RadRegen.Core;
using RadRegen.Core.Csv;

namespace RadRegen.Web.Care;

/// <summary>How the dashboard's patient list is filtered, sorted and paged (query parameters named like the fields).</summary>
/// <param name="Q">Part of the patient code.</param>
/// <param name="Colour">A triage colour, <c>undetermined</c> or <c>not-assessed</c>.</param>
/// <param name="Rc"><c>RC0</c>–<c>RC4</c>, <c>undetermined</c> or <c>not-assessed</c>.</param>
/// <param name="Sort">code, age, colour, rc or dose.</param>
/// <param name="Desc">Reverse the order.</param>
/// <param name="Page">1, 2, …</param>
public sealed record PatientListQuery(string? Q = null, string? Colour = null, string? Rc = null, string? Sort = null, bool Desc = false, int Page = 1)
{
    public const int PageSize = 50;
}

/// <summary>One page of the patient list, with the total that matched.</summary>
public sealed record PatientListPage(IReadOnlyList<PatientRow> Rows, int Total, int Page, int Pages);

/// <summary>The incident's patient list: filter, sort (by severity for colour and RC), page, and CSV export.</summary>
public static class PatientList
{
    public static readonly string[] Sorts = ["code", "age", "colour", "rc", "dose"];

    public static IReadOnlyList<PatientRow> Filter(IReadOnlyList<PatientRow> all, PatientListQuery query)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<FieldError>();
        if (query.Colour is { Length: > 0 } c && !IncidentView.Colours.Contains(c))
        {
            errors.Add(new("colour", $"one of {string.Join(", ", IncidentView.Colours)}"));
        }

        if (query.Rc is { Length: > 0 } r && !IncidentView.Categories.Contains(r))
        {
            errors.Add(new("rc", $"one of {string.Join(", ", IncidentView.Categories)}"));
        }

        if (query.Sort is { Length: > 0 } s && !Sorts.Contains(s))
        {
            errors.Add(new("sort", $"one of {string.Join(", ", Sorts)}"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        IEnumerable<PatientRow> rows = all;
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            rows = rows.Where(p => p.Patient.Code.Contains(query.Q.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        if (query.Colour is { Length: > 0 })
        {
            rows = rows.Where(p => p.Colour == query.Colour);
        }

        if (query.Rc is { Length: > 0 })
        {
            rows = rows.Where(p => p.Rc == query.Rc);
        }

        // Colour and RC sort by severity (the order of IncidentView's lists: red first, RC4 first).
        var ordered = (query.Sort ?? "code") switch
        {
            "age" => rows.OrderBy(p => p.Patient.AgeYears),
            "colour" => rows.OrderBy(p => Array.IndexOf(IncidentView.Colours, p.Colour)),
            "rc" => rows.OrderBy(p => Array.IndexOf(IncidentView.Categories, p.Rc)),
            "dose" => rows.OrderByDescending(p => p.Assessment?.BasisDoseGy ?? double.NegativeInfinity),
            _ => rows.OrderBy(p => p.Patient.Code, StringComparer.Ordinal),
        };
        var list = ordered.ThenBy(p => p.Patient.Code, StringComparer.Ordinal).ToList();
        if (query.Desc)
        {
            list.Reverse();
        }

        return list;
    }

    public static PatientListPage Page(IReadOnlyList<PatientRow> filtered, int page)
    {
        ArgumentNullException.ThrowIfNull(filtered);
        var pages = Math.Max(1, (filtered.Count + PatientListQuery.PageSize - 1) / PatientListQuery.PageSize);
        var p = Math.Clamp(page, 1, pages);
        return new PatientListPage([.. filtered.Skip((p - 1) * PatientListQuery.PageSize).Take(PatientListQuery.PageSize)], filtered.Count, p, pages);
    }

    /// <summary>The rows as CSV (UTF-8, header row; doses in Gy).</summary>
    public static byte[] Csv(IEnumerable<PatientRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return CsvOutput.Utf8.GetBytes(CsvOutput.ToText(csv =>
        {
            csv.Header("patient", "ageYears", "sex", "weightKg", "colour", "rc", "basisDoseGy", "basisLowerGy", "basisUpperGy", "hla");
            foreach (var p in rows)
            {
                var a = p.Assessment;
                csv.Text(p.Patient.Code).Value(N(p.Patient.AgeYears)).Text(p.Patient.Sex.ToString().ToLowerInvariant()).Value(N(p.Patient.WeightKg))
                    .Values(p.Colour, p.Rc, N(a?.BasisDoseGy), N(a?.BasisLowerGy), N(a?.BasisUpperGy)).Text(p.Patient.HlaTyping).EndRow();
            }
        }));
    }

    private static string N(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
