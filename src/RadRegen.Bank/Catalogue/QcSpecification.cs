using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Bank.Catalogue;

/// <summary>Release tests must all pass before a lot ships; an abnormal reference test opens a deviation that holds release.</summary>
public enum QcTestKind
{
    Release,
    Reference,
}

/// <summary>How a result is judged.</summary>
public enum CriterionKind
{
    /// <summary>The result text must be the expected word (negative, match, ES-like…).</summary>
    Equals,
    AtMost,
    LessThan,
    AtLeast,
    GreaterThan,

    /// <summary>Recorded with its unit; no limit.</summary>
    Record,
}

/// <summary>
/// The values a measurement can physically take, whatever the specification says: a concentration
/// or a count is never negative, a percentage of cells lies within 0–100. A value outside is a
/// mistake (a typo, a wrong column), never an out-of-specification result, so it is refused and
/// opens no deviation.
/// </summary>
/// <param name="Minimum">Lowest possible value (null: none).</param>
/// <param name="Maximum">Highest possible value (null: none).</param>
/// <param name="Reason">Why: what the quantity is, and its source.</param>
public sealed record PhysicalRange(double? Minimum, double? Maximum, string Reason)
{
    public bool Contains(double x) => (Minimum is not { } lo || x >= lo) && (Maximum is not { } hi || x <= hi);

    public override string ToString() => (Minimum, Maximum) switch
    {
        ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $"{lo}–{hi}"),
        ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $"≥ {lo}"),
        (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $"≤ {hi}"),
        _ => "any number",
    };
}

/// <summary>
/// The physical range of each unit the catalogue records results in, with its reason. A criterion
/// in one of these units takes its range from here unless it declares its own; a unit not listed
/// needs the criterion to declare one (<see cref="Product.Validate"/>).
/// </summary>
public static class QcUnits
{
    public static IReadOnlyDictionary<string, PhysicalRange> Ranges { get; } = new Dictionary<string, PhysicalRange>(StringComparer.OrdinalIgnoreCase)
    {
        // A share of the cells counted (viability, marker-positive, residual undifferentiated cells).
        ["%"] = new(0, 100, "a percentage of the cells counted lies between 0 and 100 %"),
        // Endotoxin by LAL (reference/qc/README.md: ≤ 5 EU/mL CiRA, ≤ 1 EU/mL Doi et al., < 0.5 EU/mL MSC): a concentration.
        ["EU/mL"] = new(0, null, "an endotoxin concentration (EU/mL, LAL) cannot be negative"),
        // Doubling time (reference/qc/README.md, CiRA reference tests): a duration.
        ["h"] = new(0, null, "a duration in hours cannot be negative"),
        // Post-thaw cell number (reference/qc/README.md, CiRA reference tests): a count.
        ["×10⁶ cells"] = new(0, null, "a cell count cannot be negative"),
    };

    public static PhysicalRange? For(string? unit) => unit is not null && Ranges.TryGetValue(unit, out var r) ? r : null;
}

/// <summary>
/// The words a categorical result is written in, by the expected (passing) word: the result must be
/// one of them, so "neg", "ok" or a typo is refused rather than judged out of specification. From
/// the release and reference tests of reference/qc/README.md (sterility, viral PCR and mycoplasma
/// negative/positive; HLA and STR identity match/mismatch; karyotype normal/abnormal; residual vector
/// and plasmid detected or not; pluripotency markers positive/negative; morphology ES-like or not).
/// A criterion declares its own vocabulary; these fill it for a catalogue stored before it did.
/// </summary>
public static class QcVocabularies
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ByExpected { get; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["negative"] = ["negative", "positive"],
            ["positive"] = ["positive", "negative"],
            ["match"] = ["match", "mismatch"],
            ["normal"] = ["normal", "abnormal"],
            ["no abnormality"] = ["no abnormality", "abnormality detected"],
            ["not detected"] = ["not detected", "detected"],
            ["ES-like"] = ["ES-like", "not ES-like"],
        };

    public static IReadOnlyList<string>? For(string? expected) =>
        expected is not null && ByExpected.TryGetValue(expected, out var words) ? words : null;
}

/// <summary>
/// An acceptance criterion: a word to match (out of the test's <see cref="Vocabulary"/>), or a limit
/// in a unit (within the unit's <see cref="Range"/>).
/// </summary>
/// <param name="Vocabulary">For a categorical test: every word a result may be (the expected one among them).</param>
/// <param name="Range">For a numeric test: the values that are physically possible (defaults to the unit's, <see cref="QcUnits"/>).</param>
public sealed record QcCriterion(CriterionKind Kind, string? Expected = null, double? Limit = null, string? Unit = null,
    IReadOnlyList<string>? Vocabulary = null, PhysicalRange? Range = null)
{
    /// <summary>A categorical result: <paramref name="expected"/> passes; the vocabulary is the expected word's (<see cref="QcVocabularies"/>) unless given.</summary>
    public static QcCriterion Is(string expected, params string[] otherWords) =>
        new(CriterionKind.Equals, expected, Vocabulary: otherWords.Length > 0 ? [expected, .. otherWords] : QcVocabularies.For(expected));

    public static QcCriterion AtMost(double limit, string unit) => new(CriterionKind.AtMost, null, limit, unit, Range: QcUnits.For(unit));

    public static QcCriterion LessThan(double limit, string unit) => new(CriterionKind.LessThan, null, limit, unit, Range: QcUnits.For(unit));

    public static QcCriterion AtLeast(double limit, string unit) => new(CriterionKind.AtLeast, null, limit, unit, Range: QcUnits.For(unit));

    public static QcCriterion GreaterThan(double limit, string unit) => new(CriterionKind.GreaterThan, null, limit, unit, Range: QcUnits.For(unit));

    public static QcCriterion Recorded(string unit) => new(CriterionKind.Record, null, null, unit, Range: QcUnits.For(unit));

    public bool IsNumeric => Kind != CriterionKind.Equals;

    /// <summary>The words a result may be: the declared vocabulary, else the expected word's, else the expected word alone.</summary>
    public IReadOnlyList<string> Words =>
        Vocabulary is { Count: > 0 } v ? v : QcVocabularies.For(Expected) ?? (Expected is null ? [] : [Expected]);

    /// <summary>The physically possible values: the declared range, else the unit's.</summary>
    public PhysicalRange? PossibleValues => Range ?? QcUnits.For(Unit);

    public override string ToString() => Kind switch
    {
        CriterionKind.Equals => Expected ?? "",
        CriterionKind.AtMost => Fmt("≤"),
        CriterionKind.LessThan => Fmt("<"),
        CriterionKind.AtLeast => Fmt("≥"),
        CriterionKind.GreaterThan => Fmt(">"),
        _ => $"recorded ({Unit})",
    };

    private string Fmt(string op) => string.Create(CultureInfo.InvariantCulture, $"{op} {Limit} {Unit}");

    /// <summary>What makes the criterion itself unusable (for <see cref="Product.Validate"/>): a vocabulary without the expected word, a limit outside the possible values.</summary>
    public string? Problem()
    {
        if (!IsNumeric)
        {
            if (string.IsNullOrWhiteSpace(Expected))
            {
                return "a categorical test needs its expected result";
            }

            return Words.Count < 2 || !Words.Contains(Expected, StringComparer.OrdinalIgnoreCase)
                ? $"a categorical test lists its vocabulary (the expected '{Expected}' and the other results it can have)"
                : null;
        }

        if (string.IsNullOrWhiteSpace(Unit))
        {
            return "a numeric test needs its unit";
        }

        if (PossibleValues is not { } range)
        {
            return $"declare the physical range of results in '{Unit}' (e.g. ≥ 0 for a concentration) and why";
        }

        return Limit is { } l && !range.Contains(l) ? $"the limit {Fmt("")} lies outside the possible values ({range} {Unit})" : null;
    }
}

/// <summary>One test of a product's QC specification.</summary>
public sealed record QcTest(string Code, string Name, QcTestKind Kind, QcCriterion Criterion, string Method);

/// <summary>A result judged against its criterion.</summary>
public sealed record QcEvaluation(string Value, string? Unit, bool Passed);

/// <summary>
/// Judges results. Bad input (400, nothing written, no deviation): a value in the wrong unit, not a
/// number where one is needed, a number outside what is physically possible, a word outside the
/// test's vocabulary. Only a valid value can be out of specification.
/// </summary>
public static class QcEvaluator
{
    public static QcEvaluation Evaluate(QcTest test, string? value, string? unit)
    {
        ArgumentNullException.ThrowIfNull(test);
        var v = (value ?? "").Trim();
        var u = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        if (v.Length == 0)
        {
            throw new DomainValidationException("value", $"enter the result of {test.Name}");
        }

        new InputLimits().Text("value", v, Limits.ShortName).Text("unit", u, Limits.ShortName).ThrowIfAny();

        var c = test.Criterion;
        if (!c.IsNumeric)
        {
            if (u is not null)
            {
                throw new DomainValidationException("unit", $"{test.Name} is a qualitative result ({c.Expected}); it takes no unit, not '{u}'");
            }

            var words = c.Words;
            var word = words.FirstOrDefault(w => string.Equals(w, v, StringComparison.OrdinalIgnoreCase))
                ?? throw new DomainValidationException("value",
                    $"{test.Name} is one of: {string.Join(", ", words.Select(w => $"'{w}'"))} — not '{v}'");
            return new QcEvaluation(word, null, string.Equals(word, c.Expected, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.Equals(u, c.Unit, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainValidationException("unit", $"{test.Name} is recorded in {c.Unit}, not '{u ?? "(none)"}'");
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            throw new DomainValidationException("value", $"{test.Name} needs a number in {c.Unit} (e.g. 0.25), not '{v}'");
        }

        if (c.PossibleValues is { } range && !range.Contains(x))
        {
            throw new DomainValidationException("value",
                string.Create(CultureInfo.InvariantCulture, $"{test.Name} {x} {c.Unit} is physically impossible: {range.Reason} (possible values {range} {c.Unit})"));
        }

        var passed = c.Kind switch
        {
            CriterionKind.AtMost => x <= c.Limit,
            CriterionKind.LessThan => x < c.Limit,
            CriterionKind.AtLeast => x >= c.Limit,
            CriterionKind.GreaterThan => x > c.Limit,
            _ => true,
        };
        return new QcEvaluation(x.ToString("R", CultureInfo.InvariantCulture), c.Unit, passed);
    }
}
