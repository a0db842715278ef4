using System.Globalization;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Csv;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Care.MassCasualty;

/// <summary>One victim from an import file: the patient and their first observations.</summary>
public sealed record ImportedVictim(int FirstRow, NewPatient Patient, IReadOnlyList<ImportedObservation> Observations);

/// <summary>One observation from an import file.</summary>
public sealed record ImportedObservation(int Row, ObservationKind Kind, DateTimeOffset ObservedAt, ObservationData Data);

/// <summary>
/// Reads victims from CSV (RadRegen's one strict reader, <see cref="CsvReading"/>: UTF-8, BOM
/// tolerated, every row as wide as the header; header row, columns in any order, names
/// case-insensitive). One row per patient and time; a patient's later rows may leave the patient
/// columns empty. Patient columns: <c>patient</c> (code, required), <c>age</c>, <c>sex</c>
/// (female/male/unknown), <c>weightKg</c>, <c>exposureStart</c> (ISO 8601; default the incident's
/// start), <c>exposureHours</c>, <c>route</c>, <c>contaminated</c>, <c>burns</c>, <c>trauma</c>
/// (yes/no/true/false/1/0), <c>hla</c> (GL String). Observation columns at <c>observedAt</c>:
/// <c>vomitingOnsetMinutes</c> (minutes after exposure start, or <c>none</c>), any METREPOL N/G
/// sign (<c>nausea</c>, <c>vomitingPerDay</c>, <c>diarrhoea</c> …), any C sign (<c>erythema</c> …)
/// and <c>bsaPercent</c>, <c>lymphocytes</c>, <c>granulocytes</c>, <c>platelets</c>,
/// <c>leukocytes</c>, <c>haemoglobinGPerL</c> (×10⁹/L, g/L), <c>temperatureC</c>,
/// <c>heartRatePerMin</c>, <c>systolicMmHg</c>, <c>diastolicMmHg</c>, and <c>cells</c> +
/// <c>aberrations</c> (read from the curve given with the import). Every error is collected with
/// its row and column; nothing is returned when there is one.
/// </summary>
public static class VictimCsv
{
    private static readonly HashSet<string> PatientColumns = new(StringComparer.OrdinalIgnoreCase)
        { "patient", "age", "sex", "weightKg", "exposureStart", "exposureHours", "route", "contaminated", "burns", "trauma", "hla" };

    private static readonly HashSet<string> BloodColumns = new(StringComparer.OrdinalIgnoreCase) { "lymphocytes", "granulocytes", "platelets", "leukocytes", "haemoglobinGPerL" };

    private static readonly HashSet<string> VitalColumns = new(StringComparer.OrdinalIgnoreCase) { "temperatureC", "heartRatePerMin", "systolicMmHg", "diastolicMmHg" };

    private static readonly Dictionary<string, OrganSystem> SignColumns =
        MetrepolGrading.Signs.Where(s => s.System != OrganSystem.Haematopoietic || s.Key == "bloodLoss")
            .ToDictionary(s => s.Key, s => s.System, StringComparer.OrdinalIgnoreCase);

    /// <summary>The header of a file with every column, for templates and the drill.</summary>
    public static readonly string[] StandardHeader =
        ["patient", "age", "sex", "weightKg", "exposureStart", "exposureHours", "burns", "trauma", "hla", "observedAt", "vomitingOnsetMinutes", "nausea", "vomitingPerDay", "diarrhoea", "erythema", "lymphocytes", "granulocytes", "platelets", "temperatureC", "systolicMmHg", "cells", "aberrations"];

    public static IReadOnlyList<ImportedVictim> Parse(TextReader reader, Incident incident, Records.CurveSpec? curve, DateTimeOffset now, string source = "file")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(incident);
        return [.. Read(reader, incident, curve, now, source, streaming: false)];
    }

    /// <summary>
    /// As <see cref="Parse"/>, but each victim is yielded as soon as their rows end (the next row
    /// names another patient), while the rest of the file is still being read (ADR 0042): an import
    /// assesses and stages the first victims while the parser reads the last. The same rows are
    /// refused with the same errors, but only at the end, after victims have been yielded: the caller
    /// must throw away everything it did with them when this throws <see cref="DomainValidationException"/>.
    /// No victim is yielded after the first bad row. A row that adds observations to a patient whose
    /// rows ended earlier (allowed when it leaves the patient columns empty) cannot be streamed: this
    /// throws <see cref="VictimRowsNotConsecutiveException"/> at that row, and the caller reads the file with
    /// <see cref="Parse"/> instead.
    /// </summary>
    internal static IEnumerable<ImportedVictim> Stream(TextReader reader, Incident incident, Records.CurveSpec? curve, DateTimeOffset now, string source = "file")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(incident);
        return Read(reader, incident, curve, now, source, streaming: true);
    }

    private static IEnumerable<ImportedVictim> Read(TextReader reader, Incident incident, Records.CurveSpec? curve, DateTimeOffset now, string source, bool streaming)
    {
        var errors = new List<FieldError>();
        using var records = CsvReading.Records(reader, new CsvReadOptions(source, MaxRows: Limits.ImportRows.MaxCount)).GetEnumerator();
        var index = ReadHeader(records, source, errors, h => PatientColumns.Contains(h) || IsObservationColumn(h) ? null : "is not a known column");
        var columns = new Columns(index);

        if (!index.ContainsKey("patient"))
        {
            errors.Add(new FieldError($"{source} row 1", "needs a \"patient\" column"));
        }

        if ((index.ContainsKey("cells") || index.ContainsKey("aberrations")) && curve is null)
        {
            errors.Add(new FieldError($"{source} row 1: cells", "cytogenetic columns need the calibration curve (--curve)"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        // Streaming, a victim's observations are let go once they are yielded (Obs null): the slot
        // keeps the first row and the patient for the messages and checks of later rows.
        var victims = new List<(int Row, NewPatient? Patient, List<ImportedObservation>? Obs)>();
        var byCode = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        // Per file, not per row (a 100,000-victim file has about 600,000 rows, ADR 0027): the patient
        // columns other than the code, and the sign columns the header has.
        var patientFields = index.Where(c => PatientColumns.Contains(c.Key) && !string.Equals(c.Key, "patient", StringComparison.OrdinalIgnoreCase)).Select(c => c.Value).ToArray();
        var signs = SignsIn(index);
        var typings = new TypingCache();
        while (records.MoveNext())
        {
            var rowNumber = records.Current.Line;
            var cells = records.Current.Fields;
            var row = new CsvRow(cells, columns, source, rowNumber, errors);
            string? Cell(string name) => row.Cell(name);
            void Bad(string field, string message) => row.Bad(field, message);
            double? Num(string name) => row.Num(name);
            bool Flag(string name) => row.Flag(name);
            DateTimeOffset? Time(string name) => row.Time(name);

            var code = Cell("patient");
            if (code is null)
            {
                Bad("patient", "is required on every row");
                continue;
            }

            int slot;
            NewPatient? patient = null;
            var hasPatientFields = patientFields.Any(row.HasValue);
            if (!byCode.TryGetValue(code, out slot))
            {
                if (streaming && victims.Count > 0 && errors.Count == 0)
                {
                    // The previous patient's rows have ended: they are complete and every row so far was good.
                    var (firstRow, done, obsDone) = victims[^1];
                    yield return new ImportedVictim(firstRow, done!, obsDone!);
                    victims[^1] = (firstRow, done, null);
                }

                var sexText = Cell("sex")?.ToUpperInvariant();
                var sex = sexText switch { null or "U" or "UNKNOWN" => Sex.Unknown, "F" or "FEMALE" => Sex.Female, "M" or "MALE" => Sex.Male, _ => (Sex)(-1) };
                if ((int)sex == -1)
                {
                    Bad("sex", $"\"{Cell("sex")}\" is not female, male or unknown");
                    sex = Sex.Unknown;
                }

                var routeText = Cell("route")?.ToUpperInvariant();
                var route = routeText switch { null or "EXTERNAL" => ExposureRoute.External, "INTERNAL" => ExposureRoute.Internal, "BOTH" or "EXTERNALANDINTERNAL" => ExposureRoute.ExternalAndInternal, _ => (ExposureRoute)(-1) };
                if ((int)route == -1)
                {
                    Bad("route", $"\"{Cell("route")}\" is not external, internal or both");
                    route = ExposureRoute.External;
                }

                var age = Num("age");
                if (age is null && Cell("age") is null)
                {
                    Bad("age", "is required on a patient's first row");
                }

                var weight = Num("weightKg");
                if (weight is null && Cell("weightKg") is null)
                {
                    Bad("weightKg", "is required on a patient's first row");
                }

                patient = new NewPatient(code, (int)Math.Round(age ?? 0), sex, weight ?? 70, Time("exposureStart") ?? incident.StartedAt,
                    Num("exposureHours") ?? 0, route, Flag("contaminated"), Flag("burns"), Flag("trauma"), Cell("hla"));
                if (age is { } a && a != Math.Floor(a))
                {
                    Bad("age", "must be whole years");
                }

                slot = victims.Count;
                byCode[code] = slot;
                victims.Add((rowNumber, patient, []));
                try
                {
                    patient = CareService.ValidatePatient(incident, patient, row.Prefix, typings);
                    victims[slot] = (rowNumber, patient, victims[slot].Obs);
                }
                catch (DomainValidationException ex)
                {
                    errors.AddRange(ex.Errors);
                }
            }
            else if (hasPatientFields && slot != victims.Count - 1)
            {
                Bad("patient", $"{code} appeared earlier (row {victims[slot].Row}); a patient's rows must be consecutive");
            }
            else if (streaming && slot != victims.Count - 1 && errors.Count == 0)
            {
                throw new VictimRowsNotConsecutiveException(source, rowNumber, code);
            }

            var observedAt = Time("observedAt");
            var obs = RowObservations(row, signs, victims[slot].Patient?.ExposureStart ?? incident.StartedAt, curve);

            if (obs.Count > 0 && observedAt is null && Cell("observedAt") is null)
            {
                Bad("observedAt", "is required when the row has observations");
                continue;
            }

            if (victims[slot].Patient is { } np && observedAt is { } at)
            {
                var probe = new Patient(0, incident.Id, np.Code, np.AgeYears, np.Sex, np.WeightKg, np.ExposureStart, np.ExposureHours, np.Route, np.Contaminated, np.Burns, np.Trauma, np.HlaTyping, at, 1);
                foreach (var (kind, data) in obs)
                {
                    try
                    {
                        ObservationRules.Validate(probe, kind, at, data, now, row.Prefix);
                        victims[slot].Obs?.Add(new ImportedObservation(rowNumber, kind, at, data));
                    }
                    catch (DomainValidationException ex)
                    {
                        errors.AddRange(ex.Errors);
                    }
                }
            }
        }

        if (victims.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FieldError(source, "has no victims"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        foreach (var (firstRow, patient, obs) in streaming ? victims.Skip(victims.Count - 1) : victims)
        {
            yield return new ImportedVictim(firstRow, patient!, obs!);
        }
    }

    /// <summary>
    /// Reads observations of one registered patient in the victims file's format: the same observation
    /// columns, <c>observedAt</c> on every row. A <c>patient</c> column, if present, must name this
    /// patient; the other patient columns are refused (they belong to the patient record). Every error
    /// is collected with its row and column; nothing is returned when there is one.
    /// </summary>
    public static IReadOnlyList<ImportedObservation> ParseObservations(TextReader reader, Patient patient, CurveSpec? curve, DateTimeOffset now, string source = "file")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(patient);
        var errors = new List<FieldError>();
        using var records = CsvReading.Records(reader, new CsvReadOptions(source, MaxRows: Limits.ImportRows.MaxCount)).GetEnumerator();
        var index = ReadHeader(records, source, errors, h => string.Equals(h, "patient", StringComparison.OrdinalIgnoreCase) ? null
            : PatientColumns.Contains(h) ? "belongs to the patient record, not to an observation"
            : IsObservationColumn(h) ? null
            : "is not a known column");
        var columns = new Columns(index);

        if (!index.ContainsKey("observedAt"))
        {
            errors.Add(new FieldError($"{source} row 1", "needs an \"observedAt\" column"));
        }

        if ((index.ContainsKey("cells") || index.ContainsKey("aberrations")) && curve is null)
        {
            errors.Add(new FieldError($"{source} row 1: cells", "cytogenetic columns need the calibration curve"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var result = new List<ImportedObservation>();
        var signs = SignsIn(index);
        while (records.MoveNext())
        {
            var rowNumber = records.Current.Line;
            var cells = records.Current.Fields;
            var row = new CsvRow(cells, columns, source, rowNumber, errors);
            string? Cell(string name) => row.Cell(name);
            void Bad(string field, string message) => row.Bad(field, message);

            if (Cell("patient") is { } code && !string.Equals(code, patient.Code, StringComparison.OrdinalIgnoreCase))
            {
                Bad("patient", $"{code} is not {patient.Code}, the patient these observations are for");
            }

            var observedAt = row.Time("observedAt");
            if (Cell("observedAt") is null)
            {
                Bad("observedAt", "is required on every row");
            }

            var obs = RowObservations(row, signs, patient.ExposureStart, curve);
            if (obs.Count == 0)
            {
                Bad("observedAt", "the row holds no observation");
            }

            if (observedAt is not { } when)
            {
                continue;
            }

            foreach (var (kind, data) in obs)
            {
                try
                {
                    ObservationRules.Validate(patient, kind, when, data, now, row.Prefix);
                    result.Add(new ImportedObservation(rowNumber, kind, when, data));
                }
                catch (DomainValidationException ex)
                {
                    errors.AddRange(ex.Errors);
                }
            }
        }

        if (result.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FieldError(source, "has no observations"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return result;
    }

    /// <summary>
    /// Reads the header row (BOM tolerated) into each column's position. A column
    /// <paramref name="refusal"/> gives a reason for, or one named twice, is an error of row 1.
    /// </summary>
    private static Dictionary<string, int> ReadHeader(IEnumerator<CsvRecord> records, string source, List<FieldError> errors, Func<string, string?> refusal)
    {
        var header = records.MoveNext() ? records.Current.Fields : throw new DomainValidationException(source, "is empty; the first row must name the columns");
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var h = header[i].Trim();
            if (refusal(h) is { } why)
            {
                errors.Add(new FieldError($"{source} row 1: column \"{h}\"", why));
            }
            else if (!index.TryAdd(h, i))
            {
                errors.Add(new FieldError($"{source} row 1: column \"{h}\"", "appears twice"));
            }
        }

        return index;
    }

    /// <summary>Whether <paramref name="column"/> is one of the observation columns (shared by victims and observation files).</summary>
    private static bool IsObservationColumn(string column) =>
        BloodColumns.Contains(column) || VitalColumns.Contains(column) || SignColumns.ContainsKey(column)
        || column is "observedAt" or "vomitingOnsetMinutes" or "bsaPercent" or "cells" or "aberrations";

    /// <summary>The sign columns of a header: the column's name, the sign's key as METREPOL spells it, its organ system.</summary>
    private static (string Column, string Key, OrganSystem System)[] SignsIn(Dictionary<string, int> index) =>
        [.. SignColumns.Where(c => index.ContainsKey(c.Key))
            .Select(c => (c.Key, MetrepolGrading.Signs.First(s => string.Equals(s.Key, c.Key, StringComparison.OrdinalIgnoreCase)).Key, c.Value))];

    /// <summary>The observations one row holds (symptoms, skin, blood count, vitals, cytogenetics), before validation.</summary>
    private static List<(ObservationKind Kind, ObservationData Data)> RowObservations(CsvRow row, (string Column, string Key, OrganSystem System)[] signs, DateTimeOffset exposureStart, CurveSpec? curve)
    {
        Func<string, string?> cell = row.Cell;
        Func<string, double?> num = row.Num;
        var obs = new List<(ObservationKind Kind, ObservationData Data)>(5); // at most one of each kind
        Dictionary<string, double>? symptoms = null;
        Dictionary<string, double>? skin = null;
        foreach (var (col, key, system) in signs)
        {
            if (num(col) is { } v)
            {
                var into = system == OrganSystem.Cutaneous
                    ? skin ??= new Dictionary<string, double>(StringComparer.Ordinal)
                    : symptoms ??= new Dictionary<string, double>(StringComparer.Ordinal);
                into[key] = v;
            }
        }

        DateTimeOffset? onset = null;
        bool? noVomiting = null;
        if (cell("vomitingOnsetMinutes") is { } vt)
        {
            if (string.Equals(vt, "none", StringComparison.OrdinalIgnoreCase))
            {
                noVomiting = true;
            }
            else if (num("vomitingOnsetMinutes") is { } minutes)
            {
                onset = exposureStart.AddMinutes(minutes);
            }
        }

        if (symptoms is not null || onset is not null || noVomiting is not null)
        {
            obs.Add((ObservationKind.Symptoms, new ObservationData { Signs = symptoms, VomitingOnsetAt = onset, NoVomiting = noVomiting }));
        }

        if (skin is not null)
        {
            obs.Add((ObservationKind.Skin, new ObservationData { Signs = skin, BsaPercent = num("bsaPercent") }));
        }

        if (BloodColumns.Any(c => cell(c) is not null))
        {
            obs.Add((ObservationKind.BloodCount, new ObservationData { Lymphocytes = num("lymphocytes"), Granulocytes = num("granulocytes"), Platelets = num("platelets"), Leukocytes = num("leukocytes"), HaemoglobinGPerL = num("haemoglobinGPerL") }));
        }

        if (VitalColumns.Any(c => cell(c) is not null))
        {
            obs.Add((ObservationKind.Vitals, new ObservationData { TemperatureC = num("temperatureC"), HeartRatePerMin = Int(num("heartRatePerMin")), SystolicMmHg = Int(num("systolicMmHg")), DiastolicMmHg = Int(num("diastolicMmHg")) }));
        }

        if (cell("cells") is not null || cell("aberrations") is not null)
        {
            obs.Add((ObservationKind.Cytogenetics, new ObservationData { Cells = Long(num("cells")), Aberrations = Long(num("aberrations")), Curve = curve }));
        }

        return obs;
    }

    private static int? Int(double? v) => v is { } d ? (int)Math.Round(d) : null;

    private static long? Long(double? v) => v is { } d ? (long)Math.Round(d) : null;

    /// <summary>One data row: cells by column name, numbers, yes/no and times, each bad cell added to the errors with its row and field.</summary>
    /// <summary>
    /// The header's columns by name (case-insensitive). The names asked for are the code's own
    /// literals, the same instances on every row: each is looked up case-insensitively once and then
    /// found by reference, instead of hashing it without case on every cell of every row (a fifth of
    /// the reading time of 923,158 rows, docs/performance.md, imports3).
    /// </summary>
    private sealed class Columns(Dictionary<string, int> index)
    {
        private const int MaxRemembered = 256;
        private readonly Dictionary<string, int> _byInstance = new(ReferenceEqualityComparer.Instance);

        public bool TryGetValue(string name, out int position)
        {
            if (_byInstance.TryGetValue(name, out position))
            {
                return position >= 0;
            }

            position = index.TryGetValue(name, out var found) ? found : -1;
            if (_byInstance.Count < MaxRemembered)
            {
                _byInstance[name] = position;
            }

            return position >= 0;
        }
    }

    private sealed class CsvRow(IReadOnlyList<string> cells, Columns index, string source, int line, List<FieldError> errors)
    {
        private string? _prefix;

        /// <summary>"file row N: ", made only when the row has something to report or validate.</summary>
        public string Prefix => _prefix ??= string.Create(CultureInfo.InvariantCulture, $"{source} row {line}: ");

        public string? Cell(string name) => index.TryGetValue(name, out var i) ? At(i) : null;

        /// <summary>Whether the cell at column position <paramref name="i"/> holds anything but white space.</summary>
        public bool HasValue(int i) => i < cells.Count && !string.IsNullOrWhiteSpace(cells[i]);

        private string? At(int i)
        {
            if (i >= cells.Count)
            {
                return null;
            }

            var text = cells[i];
            if (text.Length == 0)
            {
                return null;
            }

            var trimmed = text.AsSpan().Trim();
            return trimmed.Length == 0 ? null : trimmed.Length == text.Length ? text : trimmed.ToString();
        }

        public void Bad(string field, string message) => errors.Add(new FieldError(Prefix + field, message));

        public double? Num(string name)
        {
            if (Cell(name) is not { } t)
            {
                return null;
            }

            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
            {
                return v;
            }

            Bad(name, $"\"{t}\" is not a number");
            return null;
        }

        public bool Flag(string name)
        {
            var t = Cell(name)?.ToUpperInvariant();
            switch (t)
            {
                case null or "NO" or "FALSE" or "0" or "N":
                    return false;
                case "YES" or "TRUE" or "1" or "Y":
                    return true;
                default:
                    Bad(name, $"\"{Cell(name)}\" is not yes/no");
                    return false;
            }
        }

        public DateTimeOffset? Time(string name)
        {
            if (Cell(name) is not { } t)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v))
            {
                return v;
            }

            Bad(name, $"\"{t}\" is not an ISO 8601 time");
            return null;
        }
    }
}

/// <summary>
/// A victims file adds observations to a patient after another patient's rows (allowed, but not
/// readable as a stream, <see cref="VictimCsv.Stream"/>): the file has to be read whole first.
/// </summary>
internal sealed class VictimRowsNotConsecutiveException(string source, int row, string patient)
    : Exception($"{source} row {row}: {patient}'s rows resume after another patient's; the file is read whole instead of streamed")
{
}
