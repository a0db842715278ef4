using System.Globalization;
using Hl7.Fhir.Model;
using RadRegen.Care;
using RadRegen.Care.Records;
using FhirObservation = Hl7.Fhir.Model.Observation;

namespace RadRegen.Fhir;

/// <summary>The care batch read from a Bundle, and which Bundle entries each of its items came from.</summary>
/// <param name="Items">One blood count per patient and time (<see cref="BatchObservation.Field"/> = <c>group3</c>).</param>
/// <param name="Groups">For each item's field: the entry index of each analyte, and every entry of the item.</param>
public sealed record LabBatch(IReadOnlyList<BatchObservation> Items, IReadOnlyDictionary<string, LabGroup> Groups);

/// <summary>The entries one blood count came from.</summary>
public sealed record LabGroup(IReadOnlyDictionary<string, int> EntryOfAnalyte, IReadOnlyList<int> Entries);

/// <summary>
/// Reads a hospital's transaction or batch Bundle of lab Observations into care blood counts
/// (docs/fhir.md, "Posting lab results"): each entry an Observation of a CBC analyte (LOINC 731-0,
/// 751-8, 777-3, 6690-2, 718-7) or the CBC panel 58410-2 with those components, final (or amended,
/// corrected), about <c>Patient/{id}</c>, with a time and zone, in a UCUM unit we can convert. Every
/// entry that breaks a rule is named (index and reason); the values of one patient at one time are
/// one blood count, as our API records it, so the domain's rules (the differential within the total)
/// apply as they do there.
/// </summary>
public static class LabBundleReader
{
    private static readonly Dictionary<string, string> FieldOfLoinc = FhirMapper.BloodAnalytes.ToDictionary(a => a.Code, a => a.Field, StringComparer.Ordinal);

    /// <summary>UCUM units accepted per analyte kind and the factor to our unit (counts ×10⁹/L; haemoglobin g/L).</summary>
    private static readonly Dictionary<string, double> CountUnits = new(StringComparer.Ordinal) { ["10*9/L"] = 1, ["10*3/uL"] = 1 };

    private static readonly Dictionary<string, double> HaemoglobinUnits = new(StringComparer.Ordinal) { ["g/L"] = 1, ["g/dL"] = 10 };

    public static LabBatch Read(Resource resource)
    {
        if (resource is not Bundle bundle)
        {
            throw FhirException.NotSupported(400, $"POST /fhir/r4 takes a transaction or batch Bundle of lab Observations, not a {resource?.TypeName ?? "body without a resource"}");
        }

        if (bundle.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
        {
            throw FhirException.Invalid($"Bundle.type must be transaction or batch, not {bundle.Type?.ToString() ?? "missing"}", "Bundle.type", OperationOutcome.IssueType.Value);
        }

        if (bundle.Entry.Count == 0)
        {
            throw FhirException.Invalid("the Bundle has no entry", "Bundle.entry", OperationOutcome.IssueType.Required);
        }

        var issues = new List<FhirIssue>();
        var values = new List<(int Entry, long Patient, DateTimeOffset At, string Field, double Value)>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var where = $"Bundle.entry[{i.ToString(CultureInfo.InvariantCulture)}]";
            var entry = bundle.Entry[i];
            if (entry.Resource is not FhirObservation o)
            {
                issues.Add(new FhirIssue(OperationOutcome.IssueType.NotSupported,
                    $"resource type {entry.Resource?.TypeName ?? "(none)"} is not taken: a hospital posts lab Observations only", where + ".resource"));
                continue;
            }

            if (entry.Request is { } request && (request.Method != Bundle.HTTPVerb.POST || !string.Equals(request.Url?.TrimEnd('/'), "Observation", StringComparison.Ordinal)))
            {
                issues.Add(new FhirIssue(OperationOutcome.IssueType.NotSupported, "the request must be POST Observation (create)", where + ".request"));
                continue;
            }

            ReadObservation(o, i, where + ".resource", issues, values);
        }

        // Values of one patient at one time form one blood count; a value given twice is refused.
        var groups = new Dictionary<string, LabGroup>(StringComparer.Ordinal);
        var items = new List<BatchObservation>();
        foreach (var g in values.GroupBy(v => (v.Patient, v.At)).OrderBy(g => g.Min(v => v.Entry)))
        {
            var field = "group" + items.Count.ToString(CultureInfo.InvariantCulture);
            var byAnalyte = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var v in g)
            {
                if (!byAnalyte.TryAdd(v.Field, v.Entry))
                {
                    issues.Add(new FhirIssue(OperationOutcome.IssueType.Duplicate,
                        $"{v.Field} of Patient/{v.Patient} at {v.At:yyyy-MM-dd'T'HH:mm:ssK} is already given by entry {byAnalyte[v.Field]}", Entry(v.Entry)));
                }
            }

            var data = new ObservationData
            {
                Lymphocytes = Value(g, "lymphocytes"),
                Granulocytes = Value(g, "granulocytes"),
                Platelets = Value(g, "platelets"),
                Leukocytes = Value(g, "leukocytes"),
                HaemoglobinGPerL = Value(g, "haemoglobinGPerL"),
            };
            groups[field] = new LabGroup(byAnalyte, [.. g.Select(v => v.Entry).Distinct().Order()]);
            items.Add(new BatchObservation(field, g.Key.Patient, ObservationKind.BloodCount, g.Key.At, data));
        }

        if (issues.Count > 0)
        {
            throw new FhirException(400, issues);
        }

        return new LabBatch(items, groups);
    }

    /// <summary>The expression naming Bundle entry <paramref name="index"/>.</summary>
    public static string Entry(int index) => $"Bundle.entry[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static double? Value(IEnumerable<(int Entry, long Patient, DateTimeOffset At, string Field, double Value)> group, string field) =>
        group.Where(v => v.Field == field).Select(v => (double?)v.Value).FirstOrDefault();

    private static void ReadObservation(FhirObservation o, int index, string where, List<FhirIssue> issues,
        List<(int Entry, long Patient, DateTimeOffset At, string Field, double Value)> values)
    {
        var start = issues.Count;
        void Bad(string path, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) =>
            issues.Add(new FhirIssue(code, message, $"{where}.{path}"));

        if (o.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected))
        {
            Bad("status", $"status {o.Status?.ToString().ToLowerInvariant() ?? "missing"} is not a result: final, amended or corrected", OperationOutcome.IssueType.Value);
        }

        var patient = PatientId(o.Subject?.Reference);
        if (patient is null)
        {
            Bad("subject", $"the subject must reference one of our patients as Patient/{{id}}, not '{o.Subject?.Reference ?? "(missing)"}'", OperationOutcome.IssueType.Required);
        }

        DateTimeOffset? at = o.Effective switch
        {
            FhirDateTime dt when dt.Value is { Length: > 10 } && HasZone(dt.Value) => dt.ToDateTimeOffset(TimeSpan.Zero),
            Instant instant when instant.Value is { } v => v,
            _ => null,
        };
        if (at is null)
        {
            Bad("effective", "effectiveDateTime (with a time and a zone) or effectiveInstant is required: when the sample was taken", OperationOutcome.IssueType.Required);
        }

        var readings = new List<(string Field, double Value)>();
        var code = LoincCode(o.Code);
        if (code == LoincCodes.CbcPanel)
        {
            if (o.Component.Count == 0)
            {
                Bad("component", "a CBC panel (58410-2) carries its counts as components", OperationOutcome.IssueType.Required);
            }

            for (var c = 0; c < o.Component.Count; c++)
            {
                var component = o.Component[c];
                Reading(LoincCode(component.Code), component.Value, $"component[{c.ToString(CultureInfo.InvariantCulture)}]", Bad, readings);
            }
        }
        else
        {
            Reading(code, o.Value, "value", Bad, readings, "code");
        }

        if (issues.Count == start && patient is { } p && at is { } t)
        {
            values.AddRange(readings.Select(r => (index, p, t.ToUniversalTime(), r.Field, r.Value)));
        }
    }

    private static void Reading(string? code, DataType? value, string path, Action<string, string, OperationOutcome.IssueType> bad,
        List<(string Field, double Value)> readings, string? codePath = null)
    {
        if (code is null || !FieldOfLoinc.TryGetValue(code, out var field))
        {
            bad(codePath ?? path + ".code", $"LOINC code {code ?? "(none)"} is not one we take: {string.Join(", ", FhirMapper.BloodAnalytes.Select(a => $"{a.Code} {a.Display}"))}, or the panel {LoincCodes.CbcPanel} with them as components",
                OperationOutcome.IssueType.CodeInvalid);
            return;
        }

        if (value is not Quantity { Value: { } number } q)
        {
            bad(path, $"{field} needs a valueQuantity with a number", OperationOutcome.IssueType.Required);
            return;
        }

        var units = field == "haemoglobinGPerL" ? HaemoglobinUnits : CountUnits;
        if (q.System is { } system && system != FhirSystems.Ucum)
        {
            bad(path + ".system", $"the unit must be UCUM ({FhirSystems.Ucum}), not {system}", OperationOutcome.IssueType.Value);
            return;
        }

        if (q.Code is null || !units.TryGetValue(q.Code, out var factor))
        {
            bad(path + ".code", $"unit '{q.Code ?? q.Unit ?? "(none)"}' for {field}: expected UCUM {string.Join(" or ", units.Keys)}", OperationOutcome.IssueType.Value);
            return;
        }

        readings.Add((field, (double)number * factor));
    }

    private static string? LoincCode(CodeableConcept? concept) =>
        concept?.Coding.FirstOrDefault(c => c.System == FhirSystems.Loinc)?.Code;

    /// <summary>Our patient id from <c>Patient/12</c> or an absolute URL ending in it.</summary>
    internal static long? PatientId(string? reference)
    {
        if (reference is null)
        {
            return null;
        }

        var at = reference.LastIndexOf("Patient/", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && reference[at - 1] != '/'))
        {
            return null;
        }

        var id = reference[(at + "Patient/".Length)..];
        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
    }

    private static bool HasZone(string dateTime) => dateTime.EndsWith('Z') || dateTime.LastIndexOfAny(['+', '-']) > 10;
}
