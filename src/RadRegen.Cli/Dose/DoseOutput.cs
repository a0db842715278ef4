using System.Globalization;
using RadRegen.Cli.Infrastructure;
using RadRegen.Dosimetry;
using System.Runtime.CompilerServices;

namespace RadRegen.Cli.Dose;

/// <summary>{lower, estimate, upper} for JSON; an unbounded limit is written as null.</summary>
internal sealed record IntervalJson(double? Lower, double? Estimate, double? Upper)
{
    public static IntervalJson? From(Interval? i) => i is { } v ? new IntervalJson(Fin(v.Lower), Fin(v.Estimate), Fin(v.Upper)) : null;

    private static double? Fin(double x) => double.IsFinite(x) ? x : null;
}

/// <summary>Helpers shared by the dose and ars commands: tables, times, errors.</summary>
internal static class DoseOutput
{
    public static string Num(double? v, string format = "F3") =>
        v is not { } x ? "—" : double.IsPositiveInfinity(x) ? "∞" : x.ToString(format, CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Range(Interval? i, string format = "F3") =>
        i is { } v ? $"{Num(v.Estimate, format)} ({Num(v.Lower, format)}–{Num(v.Upper, format)})" : "not estimable";

    private static readonly (string Suffix, double Factor)[] Units = [("min", 60), ("m", 60), ("h", 3600), ("d", 86400), ("s", 1)];

    /// <summary>
    /// Parses a vomiting history: an onset time ("45min", "2h"), or "none@12h" for no vomiting until 12 h
    /// after exposure. "none" alone (time unknown) gives <see cref="TimeSpan.MaxValue"/> without a time,
    /// which the assessment does not count (IAEA 2024 Table 3 "no vomiting" is read only after
    /// <see cref="Dosimetry.Clinical.VomitingOnset.NoVomitingAfter"/>).
    /// </summary>
    public static (TimeSpan Onset, TimeSpan? NoneUntil) ParseVomiting(string text, string where)
    {
        var t = text.Trim();
        var at = t.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var head = t[..at].Trim().ToLowerInvariant();
            if (head is not ("none" or "no"))
            {
                throw new CliInputException($"{where}: \"{text}\" — only \"none\" takes a time (none@12h: no vomiting until 12 h after exposure)");
            }

            var until = ParseDuration(t[(at + 1)..], where) ?? throw new CliInputException($"{where}: \"{text}\" needs the time no vomiting was last confirmed, e.g. none@12h");
            return (TimeSpan.MaxValue, until);
        }

        return (ParseDuration(t, where) ?? TimeSpan.MaxValue, null);
    }

    /// <summary>Parses "45min", "2h", "1.5h", "90m", "1d", "30s"; "none" gives null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TimeSpan? ParseDuration(string text, string where)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "none" or "no")
        {
            return null;
        }

        foreach (var (suffix, factor) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(t[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                && double.IsFinite(v))
            {
                if (v < 0)
                {
                    throw new CliInputException($"{where}: \"{text}\" must not be negative");
                }

                return TimeSpan.FromSeconds(v * factor);
            }
        }

        throw new CliInputException($"{where}: \"{text}\" is not a time such as 45min, 2h or 1.5d (or \"none\")");
    }

    /// <summary>Parses "0h:2.1,12h:1.6,24h:1.2" (or with ';' between samples) into hours and counts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Dosimetry.Clinical.LymphocyteSample> ParseLymphocytes(string text, string where)
    {
        var samples = new List<Dosimetry.Clinical.LymphocyteSample>();
        var parts = text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var kv = parts[i].Split(':');
            if (kv.Length != 2)
            {
                throw new CliInputException($"{where} sample {i + 1}: \"{parts[i]}\" must be time:count, for example 12h:1.6");
            }

            var time = ParseDuration(kv[0], $"{where} sample {i + 1}: time") ?? throw new CliInputException($"{where} sample {i + 1}: time is missing");
            if (!double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || !double.IsFinite(count))
            {
                throw new CliInputException($"{where} sample {i + 1}: count \"{kv[1]}\" is not a number");
            }

            samples.Add(new(time.TotalHours, count));
        }

        return samples;
    }
}
