using System.Globalization;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;

namespace RadRegen.Planning.Scenarios;

/// <summary>
/// A scenario counted from a drill's or a real incident's victims: patients per dose band (the
/// care policy's bands, <see cref="PriorityPolicy.DoseBandsGy"/>), RC and injury, from their current
/// assessments in the care records. Unassessed patients and those without a dose are counted in a
/// band of their own with no dose (no need can be planned for them).
/// </summary>
public static class DerivedScenarios
{
    public static Scenario FromIncident(Incident incident, IReadOnlyList<Patient> patients, IReadOnlyList<PatientAssessment> assessments, PriorityPolicy policy,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(assessments);
        ArgumentNullException.ThrowIfNull(policy);
        var byPatient = assessments.ToDictionary(a => a.PatientId);
        var groups = patients
            .Select(p => (Patient: p, Assessment: byPatient.GetValueOrDefault(p.Id)))
            .GroupBy(x => (Band: x.Assessment?.BasisDoseGy is { } d ? policy.Band(d) : -1, Rc: x.Assessment?.ResponseCategory, x.Patient.CombinedInjury))
            .OrderBy(g => g.Key.Band).ThenBy(g => g.Key.Rc).ThenBy(g => g.Key.CombinedInjury);
        var bands = new List<ScenarioBand>();
        var c = CultureInfo.InvariantCulture;
        foreach (var g in groups)
        {
            var (band, rc, combined) = g.Key;
            if (band < 0)
            {
                bands.Add(new ScenarioBand(string.Create(c, $"no-dose-rc{rc?.ToString(c) ?? "none"}{(combined ? "-combined" : "")}"),
                    $"no dose estimate yet{(rc is { } r ? $", RC{r}" : ", not graded")}{(combined ? ", combined injury" : "")}",
                    InjuryKind.TraumaOnly, null, null, rc, [g.Count()]));
                continue;
            }

            var from = band == 0 ? 0 : policy.DoseBandsGy[band - 1];
            double? to = band < policy.DoseBandsGy.Count ? policy.DoseBandsGy[band] : null;
            bands.Add(new ScenarioBand(string.Create(c, $"band{band}-rc{rc?.ToString(c) ?? "none"}{(combined ? "-combined" : "")}"),
                $"{policy.BandLabel(band)}{(rc is { } r2 ? $", RC{r2}" : "")}{(combined ? ", combined injury" : ", radiation only")}",
                combined ? InjuryKind.Combined : InjuryKind.RadiationOnly, from, to, rc, [g.Count()]));
        }

        return new Scenario(string.Create(c, $"incident-{incident.Code}"), 1, $"{(incident.Drill ? "Drill" : "Incident")} {incident.Code}: {incident.Title}",
            ScenarioKind.Derived, incident.Drill ? "drill" : "incident " + incident.Code,
            string.Create(c, $"care records of {(incident.Drill ? "drill" : "incident")} {incident.Code}: {patients.Count} patient(s), assessments as of {at:yyyy-MM-dd HH:mm} UTC"),
            "the center's own records", [], bands);
    }
}
