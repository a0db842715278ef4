using RadRegen.Core;

namespace RadRegen.Network.Capacity;

/// <summary>
/// The kinds of bed a center reports. The first six are EDXL-HAVE's bed-capacity types (OASIS
/// EDXL-HAVE 1.0, "BedType", carried into HAVE 2.0; the reference notes name the standard,
/// reference/network/ritn-edxl-capacity-transfers.md lists these names and where they were seen);
/// <see cref="Bmt"/> is RadRegen's own: marrow-transplant beds, RITN's core capability (RITN
/// "marrow transplantation"), which HAVE has no type for. HAVE's burn beds are burn ICU beds, not
/// counted again among the ICU beds.
/// </summary>
public enum BedType
{
    AdultIcu,
    PediatricIcu,
    MedicalSurgical,
    Burn,
    NegativeFlowIsolation,
    OtherIsolation,
    Bmt,
}

/// <summary>The bed types' names in the API, events and pages (EDXL-HAVE spelling; <c>BMT</c> is ours).</summary>
public static class BedTypes
{
    private static readonly (BedType Type, string Name, string Words)[] Table =
    [
        (BedType.AdultIcu, "AdultICU", "adult ICU"),
        (BedType.PediatricIcu, "PediatricICU", "pediatric ICU"),
        (BedType.MedicalSurgical, "MedicalSurgical", "medical-surgical"),
        (BedType.Burn, "Burn", "burn"),
        (BedType.NegativeFlowIsolation, "NegativeFlowIsolation", "negative-flow isolation"),
        (BedType.OtherIsolation, "OtherIsolation", "other isolation"),
        (BedType.Bmt, "BMT", "marrow transplant (BMT)"),
    ];

    public static IReadOnlyList<BedType> All { get; } = [.. Table.Select(t => t.Type)];

    public static string Name(this BedType type) => Table.First(t => t.Type == type).Name;

    /// <summary>The bed type in words, for pages.</summary>
    public static string Words(this BedType type) => Table.First(t => t.Type == type).Words;

    public static BedType Parse(string? text, string field = "bedType")
    {
        foreach (var (type, name, _) in Table)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return type;
            }
        }

        throw new DomainValidationException(field, $"unknown bed type '{text}'; expected one of {string.Join(", ", Table.Select(t => t.Name))} (EDXL-HAVE names; BMT is RadRegen's)");
    }
}

/// <summary>
/// One center's count of one bed type at one time, shaped like an EDXL-HAVE bed capacity: the
/// baseline (beds the facility normally has of this type) and the available (vacant) beds now;
/// available may exceed baseline when the center has opened surge beds (RITN's 2009 centers answered
/// with bed expansion, BBMT 2010).
/// </summary>
/// <param name="Center">The reporting center's ISBT 128 facility code.</param>
/// <param name="BedType">The bed type.</param>
/// <param name="Baseline">Beds of this type the center normally has.</param>
/// <param name="Available">Beds of this type free to take patients now.</param>
/// <param name="ReportedAt">When the count was taken (the report's time).</param>
/// <param name="Reporter">Who reported it (the user at the reporting center).</param>
/// <param name="Comment">Optional remark (HAVE's bed-capacity comment).</param>
/// <param name="ReceivedAt">When this center recorded it (its own clock; for a local report, the report's commit time).</param>
public sealed record CapacitySnapshot(
    string Center,
    BedType BedType,
    int Baseline,
    int Available,
    DateTimeOffset ReportedAt,
    string Reporter,
    string? Comment,
    DateTimeOffset ReceivedAt);

/// <summary>One bed type of a report as a person gives it.</summary>
public sealed record BedCount(string? BedType, int? Baseline, int? Available, string? Comment = null);

/// <summary>A capacity report: the counts of one or more bed types at one time (default: now).</summary>
public sealed record CapacityReport(IReadOnlyList<BedCount>? Beds, DateTimeOffset? ReportedAt = null);

/// <summary>
/// A capacity request: how many beds each center is asked to provide (RITN's 2009 tabletop asked each
/// center for 300, BBMT 2010). The number is whatever the person entering the request gives.
/// </summary>
/// <param name="Id">Database id.</param>
/// <param name="Reference">What the request is (an exercise, an activation order).</param>
/// <param name="RequiredPerCenter">Beds required of each center.</param>
/// <param name="BedType">The bed type required, or null for beds of any type.</param>
/// <param name="Centers">The centers asked (facility codes); empty: every center that has reported.</param>
/// <param name="RequestedAt">When it was entered.</param>
/// <param name="RequestedBy">Who entered it.</param>
public sealed record CapacityRequest(
    long Id,
    string Reference,
    int RequiredPerCenter,
    BedType? BedType,
    IReadOnlyList<string> Centers,
    DateTimeOffset RequestedAt,
    string RequestedBy);

/// <summary>A capacity request as a person enters it.</summary>
public sealed record NewCapacityRequest(string? Reference, int? RequiredPerCenter, string? BedType = null, IReadOnlyList<string>? Centers = null);

/// <summary>A snapshot in the network view: its age and whether it is older than the stale limit.</summary>
public sealed record SnapshotStatus(CapacitySnapshot Snapshot, TimeSpan Age, bool Stale);

/// <summary>
/// One center in the network view: its latest snapshot per bed type, the beds that count toward the
/// request (of its bed type, or all), what the request requires of it and the shortfall.
/// </summary>
public sealed record CenterCapacity(
    string Center,
    IReadOnlyList<SnapshotStatus> Beds,
    int Baseline,
    int Available,
    int? Required,
    int? Shortfall,
    bool Stale,
    bool Reported);

/// <summary>Network totals of one bed type over every center's latest snapshot.</summary>
public sealed record BedTypeTotal(BedType BedType, int Baseline, int Available, int Centers, int StaleCenters);

/// <summary>
/// The network's capacity at <paramref name="AsOf"/>: totals per bed type, each center with its
/// shortfall against <paramref name="Request"/> (when there is one), and which reports are stale.
/// </summary>
public sealed record NetworkCapacityView(
    DateTimeOffset AsOf,
    TimeSpan StaleAfter,
    CapacityRequest? Request,
    IReadOnlyList<BedTypeTotal> Totals,
    IReadOnlyList<CenterCapacity> Centers,
    int? RequiredTotal,
    int AvailableTotal,
    int? ShortfallTotal,
    int StaleReports);

/// <summary>
/// The capacity part of the network's settings.
/// </summary>
/// <param name="LocalCenter">This center's ISBT 128 facility code (<c>Center:FacilityCode</c>); a center without one cannot report.</param>
/// <param name="StaleAfter">A report older than this is shown as stale (<c>Network:Capacity:StaleAfter</c>).</param>
public sealed record CapacityOptions(string? LocalCenter, TimeSpan StaleAfter)
{
    /// <summary>
    /// 30 minutes: the time a drill gives hospitals to report bed-tracking data after the request
    /// (regional MSEL "Rumble in the Rubble", 2012, reference notes §1.3). A count older than one
    /// reporting window could have been replaced by a fresh one, so the view says not to trust it.
    /// </summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(30);

    public static CapacityOptions Default { get; } = new(null, DefaultStaleAfter);

    /// <summary>The options of <paramref name="center"/> (the one holder of the center's code).</summary>
    public static CapacityOptions For(CenterIdentity center, TimeSpan staleAfter) => new(center?.Code, staleAfter);

    public string RequireLocalCenter() => LocalCenter
        ?? throw new RuleViolationException("this installation has no ISBT 128 facility code (setting Center:FacilityCode), so it cannot report capacity to the network");
}

/// <summary>The <c>capacity.snapshot</c> event's payload (schema 1): one snapshot, whole.</summary>
public sealed record CapacitySnapshotPayload(string Center, string BedType, int Baseline, int Available, DateTimeOffset ReportedAt, string Reporter, string? Comment)
{
    public const int SchemaVersion = 1;

    public static string EntityKey(string center, BedType type) => $"capacity/{center}/{type.Name()}";
}
