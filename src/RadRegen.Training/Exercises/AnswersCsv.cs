using System.Globalization;
using RadRegen.Core;
using RadRegen.Core.Csv;

namespace RadRegen.Training.Exercises;

/// <summary>
/// Reads trainees' answers from CSV through the one CSV reader (ADR 0011): header
/// <c>victim,colour,rc,dose</c> (any order; optional <c>lower,upper</c> for a dose interval); a colour
/// green/yellow/red, an RC 1–4 (or RC1–RC4), a dose in Gy; an empty cell is no answer for that item.
/// Every bad cell is reported with its row and column; nothing is scored until all are good.
/// </summary>
public static class AnswersCsv
{
    public static readonly IReadOnlyList<string> Required = ["victim", "colour", "rc", "dose"];

    public static IReadOnlyList<TriageAnswer> Read(TextReader reader, string source = "answers")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = CsvReading.ReadAll(reader, new CsvReadOptions(source, SameWidth: true, MaxRows: Limits.ImportRows.MaxCount));
        if (records.Count == 0)
        {
            throw new DomainValidationException(source, "is empty: the header victim,colour,rc,dose is required");
        }

        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        var missing = Required.Where(r => !header.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException(source, $"the header lacks {string.Join(", ", missing)} (victim,colour,rc,dose; optional lower,upper)");
        }

        int Col(string name) => header.IndexOf(name);
        var errors = new List<FieldError>();
        var answers = new List<TriageAnswer>();
        foreach (var r in records.Skip(1))
        {
            string Cell(string name) => Col(name) is var i and >= 0 ? r.Fields[i].Trim() : "";
            var victim = Cell("victim");
            if (victim.Length == 0)
            {
                errors.Add(new(CsvReading.Where(source, r.Line, "victim"), "is required"));
                continue;
            }

            var colour = Cell("colour").ToLowerInvariant();
            if (colour.Length > 0 && !ExerciseScorer.ColourLabels.Contains(colour))
            {
                errors.Add(new(CsvReading.Where(source, r.Line, "colour"), "green, yellow or red"));
            }

            int? rc = null;
            var rcText = Cell("rc");
            if (rcText.StartsWith("RC", StringComparison.OrdinalIgnoreCase))
            {
                rcText = rcText[2..];
            }

            if (rcText.Length > 0)
            {
                if (int.TryParse(rcText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4)
                {
                    rc = n;
                }
                else
                {
                    errors.Add(new(CsvReading.Where(source, r.Line, "rc"), "1–4 (METREPOL response category)"));
                }
            }

            double? Dose(string name)
            {
                var text = Cell(name);
                if (text.Length == 0)
                {
                    return null;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d is >= 0 and <= 100)
                {
                    return d;
                }

                errors.Add(new(CsvReading.Where(source, r.Line, name), "a dose in Gy, 0–100"));
                return null;
            }

            answers.Add(new TriageAnswer(victim, colour.Length == 0 ? null : colour, rc, Dose("dose"), Dose("lower"), Dose("upper")));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return answers;
    }
}
