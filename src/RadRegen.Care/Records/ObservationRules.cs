using System.Globalization;
using RadRegen.Core;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Care.Records;

/// <summary>
/// What an observation must satisfy before it is stored. The numeric limits are plausibility
/// bounds (values no living adult or child can have, or that a device cannot report), not reference
/// ranges: a value outside them is a typing or unit error (×10⁹/L entered as /µL, g/dL as g/L).
/// </summary>
public static class ObservationRules
{
    /// <summary>Tolerance for a clock slightly ahead of the server when an observation is "now".</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    private static readonly HashSet<string> SkinSigns = [.. MetrepolGrading.Signs.Where(s => s.System == OrganSystem.Cutaneous).Select(s => s.Key)];
    // H findings a clinician records with a blood count (not counts): blood loss and initial granulocytosis (ASH Table 2).
    private static readonly HashSet<string> BloodSigns = [.. MetrepolGrading.Signs.Where(s => s.System == OrganSystem.Haematopoietic && !MetrepolGrading.IsCount(s.Key)).Select(s => s.Key)];
    // Blood loss (METREPOL H sign, a clinician's degree) is observed at the bedside with the symptoms; the victims file
    // already reads a bloodLoss column into the symptoms. Bleeding keys the platelet need (TriageQueue.Needs, issue 11 item 6).
    private static readonly HashSet<string> SymptomSigns = [.. MetrepolGrading.Signs.Where(s => s.System is OrganSystem.Neurovascular or OrganSystem.Gastrointestinal || s.Key == "bloodLoss").Select(s => s.Key)];

    /// <summary>Checks an observation of <paramref name="patient"/>; throws with every bad field.</summary>
    /// <exception cref="DomainValidationException">One or more fields are impossible.</exception>
    public static void Validate(Patient patient, ObservationKind kind, DateTimeOffset observedAt, ObservationData data, DateTimeOffset now, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(data);
        var errors = new List<FieldError>();
        void Bad(string field, string message) => errors.Add(new FieldError(prefix + field, message));

        if (observedAt < patient.ExposureStart)
        {
            Bad("observedAt", $"{Text(observedAt)} is before the exposure of {patient.Code} began ({Text(patient.ExposureStart)})");
        }

        if (observedAt > now + FutureTolerance)
        {
            Bad("observedAt", $"{Text(observedAt)} is in the future");
        }

        // Issue 12 item 8: every text of an observation has a length (Core.Limits); the count distribution a count limit.
        // Only when the observation has such a value: the field names are made for the check (a
        // 100,000-victim import validates about 900,000 observations, most of them counts).
        if (data.Note is not null || data.Site is not null || data.Method is not null || data.Curve is not null || data.Distribution is not null
            || data.Signs?.Count > Limits.ShortList.MaxCount)
        {
            new InputLimits(errors).Text(prefix + "note", data.Note, Limits.FreeText).Text(prefix + "site", data.Site, Limits.ShortName)
                .Text(prefix + "method", data.Method, Limits.ShortName)
                .Text(prefix + "curve.name", data.Curve?.Name, Limits.ShortName).Text(prefix + "curve.assay", data.Curve?.Assay, Limits.ShortName)
                .Text(prefix + "curve.model", data.Curve?.Model, Limits.ShortName)
                .Count(prefix + "distribution", data.Distribution?.Count ?? 0, Limits.ShortList)
                .Count(prefix + "signs", data.Signs?.Count ?? 0, Limits.ShortList);
        }

        if (data.Signs?.Count > Limits.ShortList.MaxCount)
        {
            throw new DomainValidationException(errors); // one error for the list, not one per unknown sign
        }

        switch (kind)
        {
            case ObservationKind.Symptoms:
                Signs(data.Signs, SymptomSigns, "symptoms", Bad);
                if (data.VomitingOnsetAt is { } onset)
                {
                    if (data.NoVomiting == true)
                    {
                        Bad("noVomiting", "cannot be set together with a vomiting onset time");
                    }

                    if (onset < patient.ExposureStart)
                    {
                        Bad("vomitingOnsetAt", $"{Text(onset)} is before the exposure began ({Text(patient.ExposureStart)})");
                    }

                    if (onset > observedAt)
                    {
                        Bad("vomitingOnsetAt", $"{Text(onset)} is after the observation ({Text(observedAt)})");
                    }
                }

                if (data.Signs is not { Count: > 0 } && data.VomitingOnsetAt is null && data.NoVomiting is null)
                {
                    Bad("signs", "a symptom observation needs at least one sign or the vomiting history");
                }

                break;

            case ObservationKind.Vitals:
                Range(data.TemperatureC, 25, 45, "temperatureC", "°C", Bad);
                Range(data.HeartRatePerMin, 0, 300, "heartRatePerMin", "/min", Bad);
                Range(data.SystolicMmHg, 0, 300, "systolicMmHg", "mmHg", Bad);
                Range(data.DiastolicMmHg, 0, 250, "diastolicMmHg", "mmHg", Bad);
                Range(data.RespiratoryRatePerMin, 0, 80, "respiratoryRatePerMin", "/min", Bad);
                Range(data.OxygenSaturationPercent, 0, 100, "oxygenSaturationPercent", "%", Bad);
                if (data is { SystolicMmHg: { } s, DiastolicMmHg: { } d } && d >= s && s > 0)
                {
                    Bad("diastolicMmHg", $"{d} mmHg is not below the systolic pressure ({s} mmHg)");
                }

                if (data.TemperatureC is null && data.HeartRatePerMin is null && data.SystolicMmHg is null && data.RespiratoryRatePerMin is null && data.OxygenSaturationPercent is null)
                {
                    Bad("vitals", "at least one vital sign is needed");
                }

                break;

            case ObservationKind.BloodCount:
                Range(data.Lymphocytes, 0, 500, "lymphocytes", "×10⁹/L", Bad);
                Range(data.Granulocytes, 0, 500, "granulocytes", "×10⁹/L", Bad);
                Range(data.Platelets, 0, 3000, "platelets", "×10⁹/L", Bad);
                Range(data.Leukocytes, 0, 1000, "leukocytes", "×10⁹/L", Bad);
                Range(data.HaemoglobinGPerL, 20, 250, "haemoglobinGPerL", "g/L", Bad);
                if (data is { Leukocytes: { } wbc } && (data.Lymphocytes ?? 0) + (data.Granulocytes ?? 0) > wbc * 1.001 + 1e-9)
                {
                    Bad("leukocytes", string.Create(CultureInfo.InvariantCulture, $"{wbc} ×10⁹/L is less than lymphocytes + granulocytes ({(data.Lymphocytes ?? 0) + (data.Granulocytes ?? 0)} ×10⁹/L): the differential cannot exceed the total"));
                }

                Signs(data.Signs, BloodSigns, "a blood count", Bad);
                if (data.Lymphocytes is null && data.Granulocytes is null && data.Platelets is null && data.Leukocytes is null && data.HaemoglobinGPerL is null && data.Signs is not { Count: > 0 })
                {
                    Bad("bloodCount", "at least one count is needed");
                }

                break;

            case ObservationKind.Skin:
                Signs(data.Signs, SkinSigns, "skin", Bad);
                Range(data.BsaPercent, 0, 100, "bsaPercent", "%", Bad);
                if (data.Signs is not { Count: > 0 })
                {
                    Bad("signs", "a skin observation needs at least one METREPOL C sign");
                }

                break;

            case ObservationKind.Cytogenetics:
                ValidateCytogenetics(data, Bad);
                break;
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    /// <summary>The calibration curve of a cytogenetic observation, as the dosimetry engine takes it.</summary>
    public static CalibrationCurve ToCurve(CurveSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var assay = spec.Assay.ToUpperInvariant() switch
        {
            "DICENTRIC" => Assay.Dicentric,
            "MICRONUCLEUS" => Assay.Micronucleus,
            "TRANSLOCATION" => Assay.Translocation,
            _ => throw new DomainValidationException("curve.assay", $"unknown assay '{spec.Assay}'; expected dicentric, micronucleus or translocation"),
        };
        var model = spec.Model.ToUpperInvariant() switch
        {
            "LQ" => CurveModel.LinearQuadratic,
            "LINEAR" => CurveModel.Linear,
            _ => throw new DomainValidationException("curve.model", $"unknown model '{spec.Model}'; expected lq or linear"),
        };
        if (spec.Covariance is not { Length: 3 } rows || rows.Any(r => r is not { Length: 3 }))
        {
            throw new DomainValidationException("curve.covariance", "must be a 3×3 matrix over (C, α, β)");
        }

        var m = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                m[i, j] = rows[i][j];
            }
        }

        try
        {
            return CalibrationCurve.Create(assay, model, spec.C, spec.Alpha, spec.Beta, new CovarianceMatrix(m));
        }
        catch (Exception ex) when (ex is DosimetryInputException or ArgumentException)
        {
            throw new DomainValidationException("curve", ex.Message);
        }
    }

    private static void ValidateCytogenetics(ObservationData data, Action<string, string> bad)
    {
        if (data.Cells is not { } cells || cells <= 0)
        {
            bad("cells", "the number of cells scored must be a whole number > 0");
        }

        if (data.Aberrations is not { } x || x < 0)
        {
            bad("aberrations", "the number of aberrations must be a whole number ≥ 0");
        }

        if (data.Distribution is { } dist)
        {
            if (dist.Count == 0 || dist.Any(c => c < 0))
            {
                bad("distribution", "cell counts C0, C1, … must be whole numbers ≥ 0");
            }
            else
            {
                var n = dist.Sum();
                long xs = 0;
                for (var k = 0; k < dist.Count; k++)
                {
                    xs += k * dist[k];
                }

                if (data.Cells is { } c && n != c)
                {
                    bad("distribution", $"adds up to {n} cells, not the {c} scored");
                }

                if (data.Aberrations is { } a && xs != a)
                {
                    bad("distribution", $"holds {xs} aberrations, not the {a} counted");
                }
            }
        }

        // More aberrations than a cell can carry is a typing error, not a finding (ADR 0018).
        if (data is { Cells: > 0 and var n0, Aberrations: >= 0 and var x0 } && Laboratory.CytogeneticPlausibility.ParseAssay(data.Curve?.Assay) is { } assay)
        {
            foreach (var (field, message) in Laboratory.CytogeneticPlausibility.CheckCount(assay, n0, x0, data.Distribution))
            {
                bad(field, message);
            }
        }

        if (data.Method is { } method && method.ToUpperInvariant() is not ("MERKLE83" or "MERKLE95" or "DELTA" or "DOLPHIN"))
        {
            bad("method", $"unknown method '{method}'; expected merkle83, merkle95, delta or dolphin");
        }

        if (data.Method?.ToUpperInvariant() == "DOLPHIN" && data.Distribution is null)
        {
            bad("distribution", "the Dolphin method needs the distribution of aberrations per cell");
        }

        if (data.Curve is null)
        {
            bad("curve", "a cytogenetic result needs the calibration curve it is read from");
        }
        else
        {
            try
            {
                ToCurve(data.Curve);
            }
            catch (DomainValidationException ex)
            {
                foreach (var e in ex.Errors)
                {
                    bad(e.Field, e.Message);
                }
            }
        }
    }

    private static void Signs(IReadOnlyDictionary<string, double>? signs, HashSet<string> allowed, string what, Action<string, string> bad)
    {
        if (signs is null)
        {
            return;
        }

        foreach (var (key, value) in signs)
        {
            if (!allowed.Contains(key))
            {
                bad($"signs.{key}", $"is not a METREPOL sign recorded with {what}; known: {string.Join(", ", allowed)}");
                continue;
            }

            try
            {
                MetrepolGrading.Grade(0, new Dictionary<string, double> { [key] = value });
            }
            catch (DosimetryInputException ex)
            {
                bad($"signs.{key}", ex.Message);
            }
        }
    }

    private static void Range(double? value, double min, double max, string field, string unit, Action<string, string> bad)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            bad(field, string.Create(CultureInfo.InvariantCulture, $"{v} {unit} is impossible (plausible range {min}–{max} {unit}); check the unit"));
        }
    }

    private static void Range(int? value, double min, double max, string field, string unit, Action<string, string> bad) =>
        Range(value is { } v ? (double?)v : null, min, max, field, unit, bad);

    private static string Text(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
