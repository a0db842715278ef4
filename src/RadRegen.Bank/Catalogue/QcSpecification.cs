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

/// <summary>An acceptance criterion: a word to match, or a limit in a unit.</summary>
public sealed record QcCriterion(CriterionKind Kind, string? Expected = null, double? Limit = null, string? Unit = null)
{
    public static QcCriterion Is(string expected) => new(CriterionKind.Equals, expected);

    public static QcCriterion AtMost(double limit, string unit) => new(CriterionKind.AtMost, null, limit, unit);

    public static QcCriterion LessThan(double limit, string unit) => new(CriterionKind.LessThan, null, limit, unit);

    public static QcCriterion AtLeast(double limit, string unit) => new(CriterionKind.AtLeast, null, limit, unit);

    public static QcCriterion GreaterThan(double limit, string unit) => new(CriterionKind.GreaterThan, null, limit, unit);

    public static QcCriterion Recorded(string unit) => new(CriterionKind.Record, null, null, unit);

    public bool IsNumeric => Kind != CriterionKind.Equals;

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
}

/// <summary>One test of a product's QC specification.</summary>
public sealed record QcTest(string Code, string Name, QcTestKind Kind, QcCriterion Criterion, string Method);

/// <summary>A result judged against its criterion.</summary>
public sealed record QcEvaluation(string Value, string? Unit, bool Passed);

/// <summary>Judges results; a value in the wrong unit or not a number where one is needed is bad input (400).</summary>
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

        if (v.Length > 200)
        {
            throw new DomainValidationException("value", "a result is at most 200 characters");
        }

        var c = test.Criterion;
        if (!c.IsNumeric)
        {
            if (u is not null)
            {
                throw new DomainValidationException("unit", $"{test.Name} is a qualitative result ({c.Expected}); it takes no unit, not '{u}'");
            }

            return new QcEvaluation(v, null, string.Equals(v, c.Expected, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.Equals(u, c.Unit, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainValidationException("unit", $"{test.Name} is recorded in {c.Unit}, not '{u ?? "(none)"}'");
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            throw new DomainValidationException("value", $"{test.Name} needs a number in {c.Unit} (e.g. 0.25), not '{v}'");
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
