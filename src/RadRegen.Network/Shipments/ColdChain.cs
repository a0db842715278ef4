using System.Globalization;
using RadRegen.Core;
using RadRegen.Core.Csv;

namespace RadRegen.Network.Shipments;

/// <summary>
/// A dry shipper's hold time. Reference (reference/network/shipments.md, "Cold chain", Cryoport 2018 and
/// Fisher BioServices "10 things", both [V]): vendors validate "generally 10+ day" hold, yet the real
/// hold varies up to ~40 % between units of one model and falls with age and in-transit events, so
/// it is a property of one dewar on one trip. RadRegen therefore takes the hold time measured by the
/// shipper's own last qualification, counts it from this trip's charge and never uses a catalogue
/// constant: remaining = charge time + qualified hold − now.
/// </summary>
/// <remarks>
/// The reference also says an attached data logger shortens the static hold, and that customs delays
/// must be planned for, but gives no number for either; so no reduction is invented here. The
/// qualification must be measured as the shipper travels (with its logger), and the planned transit
/// time entered at packing is where a delay is allowed for (ADR 0024).
/// </remarks>
public static class HoldTime
{
    public static DateTimeOffset EndsAt(ShipperSnapshot shipper)
    {
        ArgumentNullException.ThrowIfNull(shipper);
        return shipper.ChargedAt + TimeSpan.FromHours(shipper.QualifiedHoldHours);
    }

    /// <summary>The hold left at <paramref name="now"/>: negative once the shipper is past its qualified hold.</summary>
    public static TimeSpan Remaining(ShipperSnapshot shipper, DateTimeOffset now) => EndsAt(shipper) - now;

    /// <summary>Hours as a person reads them ("52.5 h"; "exhausted 3.0 h ago").</summary>
    public static string Text(TimeSpan remaining) =>
        remaining > TimeSpan.Zero
            ? remaining.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) + " h"
            : "exhausted " + (-remaining.TotalHours).ToString("0.0", CultureInfo.InvariantCulture) + " h ago";
}

/// <summary>An interval of a logger series that breaks the rule (an excursion above the limit, or a gap).</summary>
public sealed record LoggerFinding(DateTimeOffset From, DateTimeOffset To, string What);

/// <summary>A logger series classified over a trip.</summary>
public sealed record LoggerClassification(TemperatureStatus Status, IReadOnlyList<LoggerFinding> Excursions, IReadOnlyList<LoggerFinding> Gaps, int Points)
{
    public string Detail
    {
        get
        {
            if (Status == TemperatureStatus.Ok)
            {
                return $"{Points} readings, none warmer than the limit, no gap longer than the logging interval";
            }

            var parts = Excursions.Select(e => $"excursion {Stamp(e.From)}–{Stamp(e.To)}: {e.What}")
                .Concat(Gaps.Select(g => $"missing data {Stamp(g.From)}–{Stamp(g.To)}: {g.What}"));
            return string.Join("; ", parts.Take(20)) + (Excursions.Count + Gaps.Count > 20 ? $"; and {Excursions.Count + Gaps.Count - 20} more" : "");
        }
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Classifies a temperature-logger series over a trip (from the hand-off to the courier to the
/// receipt) against the packed products' storage limit: any reading warmer than the limit is an
/// excursion; no reading within the logging interval after the trip starts, before it ends, or
/// between two readings is missing data (we cannot say the product stayed cold). An excursion wins
/// over missing data in the status (it is a positive finding); both are listed.
/// </summary>
/// <remarks>
/// The limit is the product's catalogue storage maximum: −150 °C for cryopreserved cell products,
/// the ISCT storage range −150 to −196 °C (reference/network/shipments.md, [V]); the reference marks −150 °C as a
/// hard shipping excursion limit [U] and says to make it a per-product rule, which it is here.
/// The logging interval is the center's setting (<see cref="ShipmentSettings"/>), not a published value.
/// </remarks>
public static class LoggerSeries
{
    public static LoggerClassification Classify(IReadOnlyList<LoggerPoint> points, DateTimeOffset tripStart, DateTimeOffset tripEnd, double limitCelsius,
        TimeSpan loggingInterval)
    {
        ArgumentNullException.ThrowIfNull(points);
        var trip = points.Where(p => p.At >= tripStart && p.At <= tripEnd).OrderBy(p => p.At).ToList();
        var excursions = new List<LoggerFinding>();
        var gaps = new List<LoggerFinding>();
        if (trip.Count == 0)
        {
            gaps.Add(new LoggerFinding(tripStart, tripEnd, "no reading during the trip"));
            return new LoggerClassification(TemperatureStatus.Missing, excursions, gaps, 0);
        }

        if (trip[0].At - tripStart > loggingInterval)
        {
            gaps.Add(new LoggerFinding(tripStart, trip[0].At, "no reading after the hand-off to the courier"));
        }

        LoggerPoint? warmFrom = null;
        var warmest = double.MinValue;
        for (var i = 0; i < trip.Count; i++)
        {
            var p = trip[i];
            if (i > 0 && p.At - trip[i - 1].At > loggingInterval)
            {
                gaps.Add(new LoggerFinding(trip[i - 1].At, p.At,
                    $"{(p.At - trip[i - 1].At).TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min between readings"));
            }

            if (p.Celsius > limitCelsius)
            {
                warmFrom ??= p;
                warmest = Math.Max(warmest, p.Celsius);
            }
            else if (warmFrom is not null)
            {
                excursions.Add(Excursion(warmFrom, trip[i - 1], warmest, limitCelsius));
                warmFrom = null;
                warmest = double.MinValue;
            }
        }

        if (warmFrom is not null)
        {
            excursions.Add(Excursion(warmFrom, trip[^1], warmest, limitCelsius));
        }

        if (tripEnd - trip[^1].At > loggingInterval)
        {
            gaps.Add(new LoggerFinding(trip[^1].At, tripEnd, "no reading before the receipt"));
        }

        var status = excursions.Count > 0 ? TemperatureStatus.Excursion : gaps.Count > 0 ? TemperatureStatus.Missing : TemperatureStatus.Ok;
        return new LoggerClassification(status, excursions, gaps, trip.Count);
    }

    private static LoggerFinding Excursion(LoggerPoint from, LoggerPoint to, double warmest, double limit) =>
        new(from.At, to.At, $"up to {warmest.ToString("0.#", CultureInfo.InvariantCulture)} °C, warmer than {limit.ToString("0.#", CultureInfo.InvariantCulture)} °C");

    /// <summary>The most readings one series may hold: 10 days at one reading a minute is 14,400; this leaves room.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>
    /// Reads a logger export as CSV through RadRegen's one CSV reader: a header naming <c>time</c>
    /// (ISO 8601 with an offset) and <c>celsius</c>, in any order; a bad cell is a 400 naming its row and column.
    /// </summary>
    public static IReadOnlyList<LoggerPoint> ReadCsv(TextReader text, string source = "logger.csv")
    {
        var records = CsvReading.ReadAll(text, new CsvReadOptions(source, SameWidth: true, MaxRows: MaxPoints));
        if (records.Count == 0)
        {
            throw new DomainValidationException("file", "the logger file is empty; the first row must be the header time,celsius");
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var time = header.IndexOf("time");
        var celsius = header.IndexOf("celsius");
        if (time < 0 || celsius < 0)
        {
            throw new DomainValidationException("header", "the logger file's header must name the columns time and celsius");
        }

        var points = new List<LoggerPoint>(records.Count);
        foreach (var r in records.Skip(1))
        {
            if (!DateTimeOffset.TryParse(r.Fields[time].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || !HasOffset(r.Fields[time]))
            {
                throw CsvReading.Error(source, r.Line, "time", "a time in ISO 8601 with its offset (2026-11-21T09:00:00Z)");
            }

            if (!double.TryParse(r.Fields[celsius].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) || !double.IsFinite(c))
            {
                throw CsvReading.Error(source, r.Line, "celsius", "a temperature in °C (-180.5)");
            }

            points.Add(new LoggerPoint(at.ToUniversalTime(), c));
        }

        return Validate(points);
    }

    /// <summary>Checks points from JSON or CSV: a plausible temperature, at most <see cref="MaxPoints"/>.</summary>
    public static IReadOnlyList<LoggerPoint> Validate(IReadOnlyList<LoggerPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new DomainValidationException("points", "a logger series has at least one reading");
        }

        if (points.Count > MaxPoints)
        {
            throw new DomainValidationException("points", $"at most {MaxPoints} readings per series, not {points.Count}");
        }

        for (var i = 0; i < points.Count; i++)
        {
            // Colder than liquid nitrogen boils (−195.8 °C) less a sensor margin, or warmer than a hot room: a typing or sensor error.
            var c = points[i].Celsius;
            if (!double.IsFinite(c) || c < Bank.Catalogue.TemperatureClasses.LiquidNitrogenCelsius - Bank.Catalogue.TemperatureClasses.SensorMarginCelsius
                || c > Bank.Catalogue.TemperatureClasses.WarmestRoomCelsius)
            {
                throw new DomainValidationException($"points[{i}].celsius",
                    $"{c.ToString(CultureInfo.InvariantCulture)} °C is not a plausible shipper temperature (−201 to 40 °C)");
            }
        }

        return [.. points.Select(p => p with { At = p.At.ToUniversalTime() }).OrderBy(p => p.At)];
    }

    private static bool HasOffset(string text)
    {
        var t = text.Trim();
        return t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && (t[^6] is '+' or '-') && t[^3] == ':');
    }
}
