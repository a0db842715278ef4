using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Csv;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Assessment;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Estimation;
using RadRegen.Dosimetry.Metrepol;
using System.Runtime.CompilerServices;

namespace RadRegen.Cli.Dose;

/// <summary>
/// <c>radregen ars grade</c>: METREPOL grading over days and the combined assessment (clinical dose
/// estimators, triage colour, treatments to consider) of one person (JSON) or many (CSV, one row each).
/// </summary>
internal static class ArsCommands
{
    private static readonly HashSet<string> ClinicalColumns = new(StringComparer.OrdinalIgnoreCase) { "vomitingOnset", "lymphocyteSeries", "lowestLymphocytes48h" };

    public static Command Create()
    {
        var ars = new Command("ars", "Acute radiation syndrome: METREPOL grading and combined assessment.");
        var signs = new Option<string>("--signs") { Description = "Signs of one person as JSON, or of many people as CSV (id, day, one column per sign).", Required = true };
        var json = CommonOptions.Json();
        var grade = new Command("grade", "Grade N, H, C, G and the response category over days, with triage and treatment considerations (advice, not a decision).")
        {
            signs, json,
        };
        CliAction.Set(grade, parse =>
        {
            var path = parse.GetValue(signs)!;
            if (!File.Exists(path))
            {
                throw new CliInputException($"file not found: {path}");
            }

            var o = parse.InvocationConfiguration.Output;
            var asJson = parse.GetValue(json);

            // The center's table for the lowest 48-h lymphocyte count (setting Care:Assessment:LowestLymphocyteTable), as the server uses it.
            var table = CliDatabase.Assessment(parse).LowestLymphocyteTable;
            if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                // Batch: each person is assessed as soon as their rows are read and only the output row
                // is kept, so 100,000 people need little memory; nothing is written before the whole
                // file has been read without error.
                var rows = new StringBuilder(1 << 20);
                var compact = new List<object>();
                if (!asJson)
                {
                    rows.Append("id                    latest grading              RC  max RC  dose Gy (basis)         triage  considerations\n");
                    rows.Append(new string('-', 120)).Append('\n');
                }

                ReadCsv(
                    path,
                    person =>
                    {
                        var result = CombinedAssessment.Assess(person with { LowestLymphocyteTable = table });
                        if (asJson)
                        {
                            return Compact(person, result);
                        }

                        var line = new StringBuilder(128);
                        AppendRow(line, person, result);
                        return line.ToString();
                    },
                    item =>
                    {
                        if (asJson)
                        {
                            compact.Add(item);
                        }
                        else
                        {
                            rows.Append((string)item);
                        }
                    });
                if (asJson)
                {
                    CliAction.WriteJson(parse, compact);
                }
                else
                {
                    o.Write(rows.ToString());
                }

                return ExitCodes.Ok;
            }

            var people = ReadJson(path);
            var results = people.Select(p => (Person: p, Result: CombinedAssessment.Assess(p with { LowestLymphocyteTable = table }))).ToList();
            if (asJson)
            {
                if (results.Count == 1)
                {
                    CliAction.WriteJson(parse, Detailed(results[0].Person, results[0].Result));
                }
                else
                {
                    CliAction.WriteJson(parse, results.Select(r => Compact(r.Person, r.Result)).ToList());
                }

                return ExitCodes.Ok;
            }

            if (results.Count == 1)
            {
                WriteDetailed(o, results[0].Person, results[0].Result);
                return ExitCodes.Ok;
            }

            var sb = new StringBuilder();
            sb.Append("id                    latest grading              RC  max RC  dose Gy (basis)         triage  considerations\n");
            sb.Append(new string('-', 120)).Append('\n');
            foreach (var (p, r) in results)
            {
                AppendRow(sb, p, r);
            }

            o.Write(sb.ToString());
            return ExitCodes.Ok;
        });
        ars.Add(grade);
        return ars;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AppendRow(StringBuilder sb, PersonEvidence p, AssessmentResult r)
    {
        var latest = p.Metrepol is { Grades.Count: > 0 } m ? m.Grades[^1] : null;
        sb.Append(p.Id.PadRight(22))
          .Append((latest?.Code ?? "—").PadRight(28))
          .Append((latest is null ? "—" : "RC" + latest.ResponseCategory.ToString(CultureInfo.InvariantCulture)).PadRight(4))
          .Append((r.ResponseCategory is { } rc ? "RC" + rc.ToString(CultureInfo.InvariantCulture) : "—").PadRight(8))
          .Append(DoseOutput.Range(r.BasisDoseGy, "F2").PadRight(24))
          .Append(TriageName(r.Triage).PadRight(8))
          .Append(r.Considerations.Count == 0 ? "—" : string.Join("; ", r.Considerations.Select(c => ShortName(c.Treatment))))
          .Append('\n');
    }

    private static string TriageName(TriageColour? c) => c switch
    {
        TriageColour.Green => "green",
        TriageColour.Yellow => "yellow",
        TriageColour.Red => "red",
        _ => "—",
    };

    private static string ShortName(string treatment) =>
        treatment.StartsWith("myeloid", StringComparison.Ordinal) ? "cytokines"
        : treatment.StartsWith("regenerative", StringComparison.Ordinal) ? "stem-cell/regenerative candidate"
        : treatment == CombinedAssessment.PossibleH4Treatment ? "possible H4: HLA typing, re-grade days 5–6"
        : treatment;

    private static void WriteDetailed(TextWriter o, PersonEvidence p, AssessmentResult r)
    {
        o.WriteLine($"Person {p.Id}");
        if (p.Metrepol is { Grades.Count: > 0 } m)
        {
            TextTable.Write(o, ["day", "N", "H", "C", "G", "RC", "worst signs"], m.Grades.Select(g => (IReadOnlyList<string>)
            [
                g.Day.ToString("0.##", CultureInfo.InvariantCulture), $"{g.N}", g.H is { } h ? h.ToString(CultureInfo.InvariantCulture) : "—", $"{g.C}", $"{g.G}", $"RC{g.ResponseCategory}",
                string.Join(", ", g.Signs.Where(s => s.Degree > 0).OrderByDescending(s => s.Degree).Take(4).Select(s => $"{s.Key} {s.Degree}")),
            ]));
        }

        if (r.Evidence.Count > 0)
        {
            o.WriteLine();
            TextTable.Write(o, ["rank", "evidence", "dose Gy", "trust"], r.Evidence.Select(e => (IReadOnlyList<string>)
                [e.Rank.ToString(CultureInfo.InvariantCulture), e.Source, DoseOutput.Range(e.DoseGy, "F2"), e.Trust]));
        }

        o.WriteLine();
        o.WriteLine($"triage: {r.Triage?.ToString().ToLowerInvariant() ?? "no dose evidence"}");
        foreach (var c in r.Considerations)
        {
            o.WriteLine($"consider: {c.Treatment}");
            foreach (var reason in c.Reasons)
            {
                o.WriteLine($"  because: {reason}");
            }

            o.WriteLine($"  guidance: {c.Reference}");
        }

        foreach (var n in r.Notes)
        {
            o.WriteLine($"note: {n}");
        }
    }

    private static object Detailed(PersonEvidence p, AssessmentResult r) => new
    {
        id = p.Id,
        grades = Grades(p),
        responseCategory = p.Metrepol is { Grades.Count: > 0 } m ? m.Grades[^1].ResponseCategory : (int?)null,
        maxResponseCategory = r.ResponseCategory,
        haematopoieticRecovery = p.Metrepol?.HaematopoieticRecovery,
        multiOrganInjury = r.MultiOrganInjury,
        kinetics = p.Kinetics is { } k ? new { k = k.K, dose = k.Dose?.Estimate, doseInterval = IntervalJson.From(k.Dose), withinValidity = k.WithinValidity } : null,
        evidence = r.Evidence.Select(e => new { rank = e.Rank, source = e.Source, dose = IntervalJson.From(e.DoseGy), trust = e.Trust, reference = e.Reference }).ToList(),
        basisDose = IntervalJson.From(r.BasisDoseGy),
        triage = r.Triage?.ToString().ToLowerInvariant(),
        considerations = r.Considerations,
        notes = r.Notes,
    };

    private static object Compact(PersonEvidence p, AssessmentResult r) => new
    {
        id = p.Id,
        code = p.Metrepol is { Grades.Count: > 0 } m ? m.Grades[^1].Code : null,
        responseCategory = p.Metrepol is { Grades.Count: > 0 } m2 ? m2.Grades[^1].ResponseCategory : (int?)null,
        maxResponseCategory = r.ResponseCategory,
        basisDose = IntervalJson.From(r.BasisDoseGy),
        basis = r.Evidence.Count > 0 ? r.Evidence[0].Source : null,
        triage = r.Triage?.ToString().ToLowerInvariant(),
        considerations = r.Considerations.Select(c => ShortName(c.Treatment)).ToList(),
    };

    private static object Grades(PersonEvidence p) =>
        (p.Metrepol?.Grades ?? []).Select(g => new
        {
            day = g.Day,
            n = g.N,
            h = g.H,
            c = g.C,
            g = g.G,
            rc = g.ResponseCategory,
            code = g.Code,
            signs = g.Signs.Select(s => new { sign = s.Key, value = s.Value, degree = s.Degree, criterion = s.Criterion }).ToList(),
        }).ToList();

    private static List<PersonEvidence> ReadJson(string path)
    {
        var name = Path.GetFileName(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"{name}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }

        using (doc)
        {
            var list = new List<PersonEvidence>();
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    list.Add(ReadPerson(e, $"{name} person {++i}"));
                }
            }
            else if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                list.Add(ReadPerson(doc.RootElement, name));
            }
            else
            {
                throw new CliInputException($"{name}: must be a person object or an array of them");
            }

            return list;
        }
    }

    private static PersonEvidence ReadPerson(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException($"{where}: must be an object with id and observations");
        }

        var id = e.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : throw new CliInputException($"{where}: field \"id\" is missing");
        where = $"{where} ({id})";
        var observations = new List<(double, IReadOnlyDictionary<string, double>)>();
        if (e.TryGetProperty("observations", out var obs))
        {
            if (obs.ValueKind != JsonValueKind.Array)
            {
                throw new CliInputException($"{where}: field \"observations\" must be an array");
            }

            var i = 0;
            foreach (var o in obs.EnumerateArray())
            {
                i++;
                var ow = $"{where} observation {i}";
                if (!o.TryGetProperty("day", out var dayEl) || dayEl.ValueKind != JsonValueKind.Number)
                {
                    throw new CliInputException($"{ow}: field \"day\" (days after exposure) is missing or not a number");
                }

                var signs = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
                if (o.TryGetProperty("signs", out var s) && s.ValueKind == JsonValueKind.Object)
                {
                    foreach (var prop in s.EnumerateObject())
                    {
                        signs[prop.Name] = prop.Value.ValueKind == JsonValueKind.Number
                            ? prop.Value.GetDouble()
                            : throw new CliInputException($"{ow}: sign \"{prop.Name}\" must be a number");
                    }
                }
                else
                {
                    throw new CliInputException($"{ow}: field \"signs\" is missing (an object of sign: value)");
                }

                observations.Add((dayEl.GetDouble(), signs));
            }
        }

        string? Str(string field) => e.TryGetProperty(field, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => throw new CliInputException($"{where}: field \"{field}\" must be a string"),
        } : null;

        double? lowest = null;
        if (e.TryGetProperty("lowestLymphocytes48h", out var lowEl) && lowEl.ValueKind != JsonValueKind.Null)
        {
            lowest = lowEl.ValueKind == JsonValueKind.Number ? lowEl.GetDouble() : throw new CliInputException($"{where}: field \"lowestLymphocytes48h\" must be a number");
        }

        var person = Build(id, observations, Str("vomitingOnset"), Str("lymphocytes"), lowest, where);
        if (e.TryGetProperty("cytogenetics", out var cyto) && cyto.ValueKind != JsonValueKind.Null)
        {
            person = person with { Cytogenetic = ReadCytogenetics(cyto, $"{where}: cytogenetics") };
        }

        return person;
    }

    /// <summary>
    /// A cytogenetic result as written by <c>dose estimate --json</c> (one element of its array):
    /// <c>{"method": "merkle83", "dose": {"lower", "estimate", "upper"}}</c>.
    /// </summary>
    private static DoseEstimate ReadCytogenetics(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException($"{where}: must be an object with method and dose");
        }

        var methodText = e.TryGetProperty("method", out var mEl) && mEl.ValueKind == JsonValueKind.String ? mEl.GetString()! : "merkle83";
        var method = methodText switch
        {
            "merkle83" => EstimationMethod.Merkle83,
            "merkle95" => EstimationMethod.Merkle95,
            "delta" => EstimationMethod.Delta,
            "dolphin" => EstimationMethod.Dolphin,
            "mixed" => EstimationMethod.MixedPoisson,
            _ => throw new CliInputException($"{where}: method \"{methodText}\" is not one of merkle83, merkle95, delta, dolphin, mixed"),
        };
        if (!e.TryGetProperty("dose", out var d) || d.ValueKind != JsonValueKind.Object)
        {
            throw new CliInputException($"{where}: field \"dose\" ({{lower, estimate, upper}} in Gy) is missing");
        }

        double Get(string name, bool allowNull)
        {
            if (d.TryGetProperty(name, out var v))
            {
                if (v.ValueKind == JsonValueKind.Number && v.GetDouble() is var x && x >= 0 && double.IsFinite(x))
                {
                    return x;
                }

                if (v.ValueKind == JsonValueKind.Null && allowNull)
                {
                    return double.PositiveInfinity;
                }
            }

            throw new CliInputException($"{where}: field \"dose.{name}\" must be a dose ≥ 0 Gy");
        }

        var interval = new Interval(Get("lower", false), Get("estimate", false), Get("upper", true));
        if (!(interval.Lower <= interval.Estimate && interval.Estimate <= interval.Upper))
        {
            throw new CliInputException($"{where}: dose.lower ≤ dose.estimate ≤ dose.upper is required");
        }

        return new DoseEstimate("cytogenetics", method, null, interval, null, null, []);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PersonEvidence Build(string id, List<(double, IReadOnlyDictionary<string, double>)> observations, string? vomiting, string? lymphocytes, double? lowest, string where, List<MetrepolGrade>? graded = null)
    {
        try
        {
            var series = graded is { Count: > 0 } ? new MetrepolSeries(id, graded)
                : observations.Count > 0 ? MetrepolGrading.GradeSeries(id, observations, where) : null;
            var kinetics = lymphocytes is { Length: > 0 } l ? LymphocyteKinetics.Estimate(DoseOutput.ParseLymphocytes(l, $"{where}: lymphocytes")) : null;
            (TimeSpan Onset, TimeSpan? NoneUntil)? vom = vomiting is { Length: > 0 } v ? DoseOutput.ParseVomiting(v, $"{where}: vomitingOnset") : null;
            if (lowest is { } lw)
            {
                _ = LowestLymphocytes.Band(lw);
            }

            return new PersonEvidence(id, null, kinetics, lowest, vom?.Onset, series, vom?.NoneUntil);
        }
        catch (DosimetryInputException ex) when (!ex.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw new CliInputException($"{where}: {ex.Message}", ex);
        }
    }

    /// <summary>The raw rows of one person in a CSV batch.</summary>
    private sealed record RawPerson(string Id, int FirstRow, List<(int Row, IReadOnlyList<string> Cells)> Rows);

    /// <summary>
    /// Reads a CSV batch in blocks: the rows are split and grouped by person sequentially, then each
    /// block of people is parsed, graded and assessed in parallel and turned into output in file order.
    /// The first bad row (in file order within the block) stops everything; the caller writes nothing
    /// until the whole file has been read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadCsv(string path, Func<PersonEvidence, object> assess, Action<object> emit)
    {
        var name = Path.GetFileName(path);
        using var reader = new StreamReader(path, CsvReading.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        // RadRegen's one strict reader: quotes, every row as wide as the header, errors naming row and column.
        using var records = CsvReading.Records(reader, new CsvReadOptions(name)).GetEnumerator();
        var header = records.MoveNext()
            ? records.Current.Fields.Select(h => h.Trim()).ToArray()
            : throw new CliInputException($"{name}: is empty; expected a header row starting id,day");
        if (header.Length < 2 || !header[0].Equals("id", StringComparison.OrdinalIgnoreCase) || !header[1].Equals("day", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliInputException($"{name} row 1: the header must start with id,day");
        }

        var known = new HashSet<string>(MetrepolGrading.Signs.Select(s => s.Key), StringComparer.OrdinalIgnoreCase);
        for (var c = 2; c < header.Length; c++)
        {
            if (!known.Contains(header[c]) && !ClinicalColumns.Contains(header[c]))
            {
                throw new CliInputException($"{name} row 1, column {header[c]}: not a METREPOL sign or clinical column (known: {string.Join(", ", known.Concat(ClinicalColumns))})");
            }
        }

        const int blockSize = 8192;
        var block = new List<RawPerson>(blockSize);
        var results = new object?[blockSize];
        var errors = new Exception?[blockSize];
        var count = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        RawPerson? current = null;

        void ProcessBlock()
        {
            Parallel.For(0, block.Count, i =>
            {
                try
                {
                    results[i] = assess(ParsePerson(block[i], header, name));
                }
                catch (Exception ex) when (ex is CliInputException or DosimetryInputException)
                {
                    errors[i] = ex;
                }
            });
            for (var i = 0; i < block.Count; i++)
            {
                if (errors[i] is { } ex)
                {
                    throw ex is CliInputException cli ? cli : new CliInputException(ex.Message, ex);
                }

                emit(results[i]!);
                results[i] = null;
            }

            count += block.Count;
            block.Clear();
        }

        while (records.MoveNext())
        {
            var rowNo = records.Current.Line;
            var cells = records.Current.Fields;
            var id = cells[0].Trim();
            if (id.Length == 0)
            {
                throw new CliInputException($"{name} row {rowNo}, column id: is empty");
            }

            if (current is null || id != current.Id)
            {
                if (!seen.Add(id))
                {
                    throw new CliInputException($"{name} row {rowNo}, column id: the rows of \"{id}\" must be consecutive");
                }

                if (block.Count == blockSize)
                {
                    ProcessBlock();
                }

                current = new RawPerson(id, rowNo, []);
                block.Add(current);
            }

            current.Rows.Add((rowNo, cells));
        }

        ProcessBlock();
        if (count == 0)
        {
            throw new CliInputException($"{name}: has a header but no data rows");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PersonEvidence ParsePerson(RawPerson raw, string[] header, string name)
    {
        var obs = new List<(double, IReadOnlyDictionary<string, double>)>(raw.Rows.Count);
        var grades = new List<MetrepolGrade>(raw.Rows.Count);
        string? vomiting = null, series = null;
        double? lowest = null;
        foreach (var (rowNo, cells) in raw.Rows)
        {
            var dayText = cells[1].Trim();
            if (!double.TryParse(dayText, NumberStyles.Float, CultureInfo.InvariantCulture, out var day) || !double.IsFinite(day))
            {
                throw new CliInputException($"{name} row {rowNo}, column day: \"{dayText}\" is not a number of days");
            }

            var signs = new Dictionary<string, double>(header.Length, StringComparer.OrdinalIgnoreCase);
            for (var c = 2; c < header.Length; c++)
            {
                var cell = cells[c].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }

                var col = header[c];
                if (col.Equals("vomitingOnset", StringComparison.OrdinalIgnoreCase))
                {
                    vomiting ??= cell;
                }
                else if (col.Equals("lymphocyteSeries", StringComparison.OrdinalIgnoreCase))
                {
                    series ??= cell;
                }
                else if (col.Equals("lowestLymphocytes48h", StringComparison.OrdinalIgnoreCase))
                {
                    lowest ??= double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var lw) && double.IsFinite(lw)
                        ? lw : throw new CliInputException($"{name} row {rowNo}, column {col}: \"{cell}\" is not a number");
                }
                else
                {
                    signs[col] = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                        ? v : throw new CliInputException($"{name} row {rowNo}, column {col}: \"{cell}\" is not a number");
                }
            }

            if (obs.Count > 0 && day <= obs[^1].Item1)
            {
                throw new CliInputException($"{name} row {rowNo}, column day: observations of \"{raw.Id}\" must be in increasing time order (day {dayText} after day {obs[^1].Item1.ToString(CultureInfo.InvariantCulture)})");
            }

            try
            {
                grades.Add(MetrepolGrading.Grade(day, signs, name));
            }
            catch (DosimetryInputException ex)
            {
                // "<file>: sign "x": message" → "<file> row N, column "x": message"
                var msg = ex.Message.StartsWith(name + ": sign ", StringComparison.Ordinal)
                    ? $"{name} row {rowNo}, column {ex.Message[(name.Length + 7)..]}"
                    : $"{name} row {rowNo}: {ex.Message}";
                throw new CliInputException(msg, ex);
            }

            obs.Add((day, signs));
        }

        return Build(raw.Id, obs, vomiting, series, lowest, $"{name} row {raw.FirstRow} (id {raw.Id})", grades);
    }
}
