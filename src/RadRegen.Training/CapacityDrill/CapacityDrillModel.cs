namespace RadRegen.Training.CapacityDrill;

/// <summary>
/// A network capacity drill in the RITN manner (issue 15 item 6; reference/training/education-and-drills.md):
/// the lead center asks each member center to report its capacity and to accept a quota of simulated
/// transfers (RITN's 2009 tabletop required 300 of each center, BBMT 2010), and times the answers
/// (a regional MSEL gave hospitals 30 minutes to report bed data). Everything here is DRILL: it
/// lives in its own tables and events and never touches real capacity snapshots or transfers.
/// </summary>
/// <param name="Id">The drill's id, the same at every center: the lead center's code and its number (<c>W0001-3</c>).</param>
/// <param name="LeadCenter">The center that started it.</param>
/// <param name="Reference">What the drill is (an exercise name).</param>
/// <param name="Quota">Simulated transfers each center is asked to accept.</param>
/// <param name="BedType">The bed type asked for (EDXL-HAVE name or BMT), or null for any.</param>
/// <param name="StartedAt">When the lead center started it (the clock time to report is measured from).</param>
/// <param name="StartedBy">Who started it.</param>
/// <param name="DeadlineAt">When answers are due; an answer after it is late, none by now is "never answered".</param>
public sealed record CapacityDrillRun(
    string Id,
    string LeadCenter,
    string Reference,
    int Quota,
    string? BedType,
    DateTimeOffset StartedAt,
    string StartedBy,
    DateTimeOffset DeadlineAt);

/// <summary>One center asked in a drill, with its answer once given.</summary>
public sealed record DrillAnswer(
    string DrillId,
    string Center,
    int Quota,
    DateTimeOffset AskedAt,
    int? BedsAvailable,
    int? Accepted,
    DateTimeOffset? AnsweredAt,
    string? AnsweredBy,
    string? Comment)
{
    public bool Answered => AnsweredAt is not null;
}

/// <summary>A drill as the trainer or coordinator starts it.</summary>
/// <param name="Reference">What the drill is.</param>
/// <param name="Quota">Simulated transfers each center is asked to accept.</param>
/// <param name="BedType">Optional bed type.</param>
/// <param name="Centers">The centers asked (facility codes); empty: every known center of the network but this one.</param>
/// <param name="AnswerWithinMinutes">Time to answer; default <see cref="CapacityDrillService.DefaultAnswerWithin"/>.</param>
public sealed record NewCapacityDrill(string? Reference, int? Quota, string? BedType = null, IReadOnlyList<string>? Centers = null, int? AnswerWithinMinutes = null);

/// <summary>A center's answer as a person gives it.</summary>
public sealed record DrillAnswerInput(int? BedsAvailable, int? Accepted, string? Comment = null);

/// <summary>One center in a drill's result.</summary>
/// <param name="TimeToReport">From the drill's start to the answer (null: never answered).</param>
/// <param name="Shortfall">Quota − accepted (at least 0); the whole quota when never answered.</param>
/// <param name="Late">Answered after the deadline.</param>
public sealed record DrillCenterResult(DrillAnswer Answer, TimeSpan? TimeToReport, int Shortfall, bool Late);

/// <summary>A drill's result: each center's time to report and shortfall, who never answered, and totals.</summary>
public sealed record CapacityDrillResult(
    CapacityDrillRun Drill,
    IReadOnlyList<DrillCenterResult> Centers,
    IReadOnlyList<string> NeverAnswered,
    int QuotaTotal,
    int AcceptedTotal,
    int ShortfallTotal,
    bool Open);

/// <summary>The drill tables (migration 0025), apart from real capacity.</summary>
public interface ICapacityDrillStore
{
    Task InsertDrillAsync(CapacityDrillRun drill, CancellationToken ct);

    Task<CapacityDrillRun?> GetDrillAsync(string id, CancellationToken ct);

    /// <summary>Every drill this center knows, newest first.</summary>
    Task<IReadOnlyList<CapacityDrillRun>> ListDrillsAsync(CancellationToken ct);

    /// <summary>How many drills this center has started (to number the next).</summary>
    Task<int> CountStartedAsync(string leadCenter, CancellationToken ct);

    Task UpsertAnswerAsync(DrillAnswer answer, CancellationToken ct);

    Task<IReadOnlyList<DrillAnswer>> ListAnswersAsync(string drillId, CancellationToken ct);
}

/// <summary>The payload of <see cref="CapacityDrillEvents.Drill"/> (schema 1): the drill, whole, with the centers asked.</summary>
public sealed record CapacityDrillPayload(string Id, string LeadCenter, string Reference, int Quota, string? BedType, IReadOnlyList<string> Centers,
    DateTimeOffset StartedAt, string StartedBy, DateTimeOffset DeadlineAt, bool Drill = true)
{
    public const int SchemaVersion = 1;

    public static string EntityKey(string id) => $"drill-capacity/{id}";
}

/// <summary>The payload of <see cref="CapacityDrillEvents.Answer"/> (schema 1): one center's answer, whole.</summary>
public sealed record DrillAnswerPayload(string DrillId, string Center, int BedsAvailable, int Accepted, DateTimeOffset AnsweredAt, string AnsweredBy, string? Comment, bool Drill = true)
{
    public const int SchemaVersion = 1;

    public static string EntityKey(string drillId, string center) => $"drill-capacity/{drillId}/answer/{center}";
}

/// <summary>The capacity drill's event kinds (owner: courses, issue 15 item 6): named <c>drill.*</c> so no consumer of real capacity (<c>capacity.snapshot</c>) or transfers can take them for real ones.</summary>
public static class CapacityDrillEvents
{
    /// <summary>A capacity drill started by a lead center: the centers asked and the quota.</summary>
    public const string Drill = "drill.capacity";

    /// <summary>A center's answer to a capacity drill: drill capacity reported and quota accepted.</summary>
    public const string Answer = "drill.capacity-answer";
}

/// <summary>Checks of drill numbers (beds, transfers), with the same bound as real capacity reports.</summary>
internal static class DrillCounts
{
    public static void Count(List<RadRegen.Core.FieldError> errors, string field, int? value)
    {
        if (value is not { } v)
        {
            errors.Add(new RadRegen.Core.FieldError(field, "is required (a whole number)"));
        }
        else if (v < 0 || v > RadRegen.Network.Capacity.CapacityService.MaxBeds)
        {
            errors.Add(new RadRegen.Core.FieldError(field, $"{v} is not a count (0 to {RadRegen.Network.Capacity.CapacityService.MaxBeds:N0})"));
        }
    }
}
