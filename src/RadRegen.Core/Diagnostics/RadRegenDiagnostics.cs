using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RadRegen.Core.Diagnostics;

/// <summary>
/// RadRegen's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>, and every instrument the domain and storage record on. They live
/// here, in Core, because storage and the domain modules record on them and must not depend on
/// OpenTelemetry: these are the BCL's <c>System.Diagnostics</c> types, and cost nothing until a
/// listener subscribes. The host subscribes (RadRegen.Hosting's <c>RadRegenTelemetry</c>) and
/// exports them with OpenTelemetry; tests may listen with an <see cref="ActivityListener"/>.
/// Names follow the OpenTelemetry semantic conventions (dots, units in UCUM, durations in seconds).
/// </summary>
/// <remarks>
/// Static readonly is the documented .NET pattern for an <see cref="ActivitySource"/> (one per
/// library, created once, thread-safe); the instruments hold no state of RadRegen's own.
/// </remarks>
public static class RadRegenDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "RadRegen";

    /// <summary>Bucket boundaries, in seconds, for the duration histograms: a millisecond to a minute.</summary>
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    public static readonly ActivitySource Source = new(Name, typeof(RadRegenDiagnostics).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(RadRegenDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>How long a unit of work (one database transaction) stayed open, from BEGIN to COMMIT or ROLLBACK.</summary>
    public static readonly Histogram<double> UnitOfWorkDuration = Meter.CreateHistogram(
        "radregen.db.unit_of_work.duration", "s", "Time from BEGIN to COMMIT or ROLLBACK of one unit of work.", advice: DurationAdvice);

    /// <summary>Units of work ended, by outcome (<c>commit</c> or <c>rollback</c>).</summary>
    public static readonly Counter<long> Transactions = Meter.CreateCounter<long>(
        "radregen.db.transactions", "{transaction}", "Units of work ended, by outcome: commit or rollback.");

    /// <summary>Rows written by imports, by kind (<c>bank-inventory</c>, <c>victims</c>).</summary>
    public static readonly Counter<long> ImportedRows = Meter.CreateCounter<long>(
        "radregen.import.rows", "{row}", "Rows imported, by kind of import.");

    /// <summary>How long an import took, by kind and outcome.</summary>
    public static readonly Histogram<double> ImportDuration = Meter.CreateHistogram(
        "radregen.import.duration", "s", "Time one import took, validation and writing included.", advice: DurationAdvice);

    /// <summary>How long an allocation run took, queue, solver and journal included.</summary>
    public static readonly Histogram<double> AllocationDuration = Meter.CreateHistogram(
        "radregen.allocation.duration", "s", "Time one allocation run took.", advice: DurationAdvice);

    /// <summary>Sources throttled after repeated wrong passwords, sign-in and e-signature (the name predates ADR 0020).</summary>
    public static readonly Counter<long> LockOuts = Meter.CreateCounter<long>(
        "radregen.access.lockouts", "{lockout}", "Sources throttled after too many wrong passwords (sign-in and e-signature).");

    /// <summary>Tag keys, so that a span and a metric say the same thing the same way.</summary>
    public static class Tags
    {
        public const string DbSystem = "db.system.name";
        public const string DbOperation = "db.operation.name";
        public const string ErrorType = "error.type";
        public const string WorkMode = "radregen.work.mode";
        public const string Outcome = "radregen.outcome";
        public const string ImportKind = "radregen.import.kind";
        public const string Rows = "radregen.import.rows";
        public const string Incident = "radregen.incident.id";
        public const string Requests = "radregen.allocation.requests";
        public const string VialsRequested = "radregen.allocation.vials_requested";
        public const string VialsAllocated = "radregen.allocation.vials_allocated";
        public const string VialsInStock = "radregen.allocation.vials_in_stock";
    }

    /// <summary>Marks <paramref name="activity"/> failed with the exception's type (the semantic conventions' <c>error.type</c>).</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is null)
        {
            return;
        }

        // The type, not the message: a message may quote the input (row values), and spans leave the process.
        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag(Tags.ErrorType, exception.GetType().FullName);
    }

    /// <summary>The outcome tag for a failed operation: the exception's type name.</summary>
    public static KeyValuePair<string, object?> Outcome(Exception? exception) =>
        new(Tags.Outcome, exception is null ? "ok" : exception.GetType().Name);
}
