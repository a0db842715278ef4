using System.Text.Json;
using System.Text.Json.Serialization;

namespace RadRegen.Network.Hub;

/// <summary>
/// One capability a member declares (a line of a RANET National Assistance Capability, shaped by
/// Art. 2.4 of the Assistance Convention: what, how much, on what terms, for how long).
/// </summary>
/// <param name="Area">The RANET capability area.</param>
/// <param name="Kind">What is offered.</param>
/// <param name="Quantity">How many of the kind's unit (<see cref="HubCodes.Unit"/>).</param>
/// <param name="ProductType">For an iPSC-derived product: the product (ISBT 128 product code or its name, as the network inventory carries it).</param>
/// <param name="HlaCoveragePercent">For an iPSC-derived product: the share of the population its HLA haplotypes cover, as the member states it (0–100).</param>
/// <param name="Description">What exactly (team, instrument, method).</param>
/// <param name="Terms">On what terms, especially financial (Art. 2.4).</param>
/// <param name="ValidFrom">First day the declaration holds.</param>
/// <param name="ValidUntil">Last day it holds (null: until withdrawn).</param>
public sealed record Capability(
    CapabilityArea Area,
    CapabilityKind Kind,
    int Quantity,
    string? ProductType,
    double? HlaCoveragePercent,
    string? Description,
    string? Terms,
    DateOnly ValidFrom,
    DateOnly? ValidUntil)
{
    public bool ValidOn(DateOnly day) => ValidFrom <= day && (ValidUntil is null || day <= ValidUntil);
}

/// <summary>
/// A member of the hub: a State contact point, a WHO Collaborating Centre or a REMPAN Liaison
/// Institution, with its declared capabilities. A member that is a center of the network has its
/// facility code in <paramref name="Center"/>, which links it to that center's live capacity and stock.
/// </summary>
/// <param name="Code">The member's code in the hub (capitals, digits and dashes; a network center uses its facility code).</param>
/// <param name="Name">The member's name.</param>
/// <param name="Kind">Membership kind.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code.</param>
/// <param name="Organisation">The member's organisation identifier in IRIX (<c>OrganisationReporting</c>, a domain name), for imports.</param>
/// <param name="Center">The member's facility code when it is a center of the network.</param>
/// <param name="Capabilities">What it declares.</param>
/// <param name="Source">The center that keeps this member's record and publishes it (only that center may change it).</param>
/// <param name="DeclaredAt">When the declaration was last changed.</param>
/// <param name="DeclaredBy">Who changed it (at the source center).</param>
/// <param name="Version">Row version at this center.</param>
public sealed record HubMember(
    string Code,
    string Name,
    MemberKind Kind,
    string? Country,
    string? Organisation,
    string? Center,
    IReadOnlyList<Capability> Capabilities,
    string Source,
    DateTimeOffset DeclaredAt,
    string DeclaredBy,
    long Version);

/// <summary>One coded line of a request or an offer: the area, optionally the kind and quantity.</summary>
public sealed record AssistanceLine(CapabilityArea Area, CapabilityKind? Kind, int? Quantity, string? ProductType, string? Note);

/// <summary>How many patients of one triage colour and METREPOL response category: counts only, never identities.</summary>
public sealed record PatientCount(string? Triage, int? ResponseCategory, int Count);

/// <summary>
/// A request for assistance (Assistance Convention Art. 2.2: the requester specifies the scope and
/// type of assistance and gives the information the assisting party needs). Kept and published by
/// the center that entered it (<paramref name="Source"/>): the requesting member's own center, or the
/// hub on the member's behalf.
/// </summary>
/// <param name="Id">UUID (the IRIX <c>RequestUUID</c>).</param>
/// <param name="Source">The center that keeps the request.</param>
/// <param name="Requester">The requesting member's code.</param>
/// <param name="Subject">One line (IRIX <c>RequestSubject</c>).</param>
/// <param name="Scope">The scope and type in words.</param>
/// <param name="Lines">The scope coded by capability area.</param>
/// <param name="Patients">Patients concerned, counted by triage and response category.</param>
/// <param name="SupportingInformation">What the assisting party needs to judge the request.</param>
/// <param name="Urgency">How soon.</param>
/// <param name="Confidentiality">Who may see it.</param>
/// <param name="Addressees">Members asked (empty: every member).</param>
/// <param name="Audience">The centers that may store it when it is restricted (the source, the hub, the addressees' centers).</param>
/// <param name="AnswerWithinHours">The window for the prompt answer Art. 2.3 asks for, as the requester states it.</param>
public sealed record AssistanceRequest(
    string Id,
    string Source,
    string Requester,
    string Subject,
    string Scope,
    IReadOnlyList<AssistanceLine> Lines,
    IReadOnlyList<PatientCount> Patients,
    string? SupportingInformation,
    Urgency Urgency,
    Confidentiality Confidentiality,
    IReadOnlyList<string> Addressees,
    IReadOnlyList<string> Audience,
    int AnswerWithinHours,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    DateTimeOffset? ReleasedAt,
    string? ReleasedBy,
    string? ReleaseReason,
    long Version)
{
    public DateTimeOffset AnswerDue => RequestedAt.AddHours(AnswerWithinHours);

    public bool Ended => ClosedAt is not null || ReleasedAt is not null;
}

/// <summary>
/// An offer of assistance against a request (Art. 2.3: whether, on what scope and terms). Two sides
/// own its fields, as in a patient transfer: the offering side (<paramref name="Source"/>) the offer,
/// commitment, delivery and withdrawal; the requesting side (<paramref name="RequestSource"/>) the
/// acceptance, closing and release. Either side's event carries the whole offer; a center takes from
/// it only the fields its source owns.
/// </summary>
public sealed record AssistanceOffer(
    string Id,
    string RequestId,
    string Source,
    string RequestSource,
    string Offerer,
    string Scope,
    IReadOnlyList<AssistanceLine> Lines,
    string? Terms,
    decimal? CostAmount,
    string? CostCurrency,
    Confidentiality Confidentiality,
    IReadOnlyList<string> Audience,
    DateTimeOffset OfferedAt,
    string OfferedBy,
    DateTimeOffset? AcceptedAt,
    string? AcceptedBy,
    DateTimeOffset? CommittedAt,
    string? CommittedBy,
    DateTimeOffset? DeliveredAt,
    string? DeliveredBy,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy,
    DateTimeOffset? ReleasedAt,
    string? ReleasedBy,
    string? ReleaseReason,
    long Version)
{
    /// <summary>The state from both sides' fields: a release by either side ends it; otherwise the furthest step.</summary>
    [JsonIgnore]
    public HubState State =>
        WithdrawnAt is not null || ReleasedAt is not null ? HubState.Released
        : ClosedAt is not null ? HubState.Closed
        : DeliveredAt is not null ? HubState.Delivered
        : CommittedAt is not null ? HubState.Committed
        : AcceptedAt is not null ? HubState.Accepted
        : HubState.Offered;

    [JsonIgnore]
    public bool Live => State is not (HubState.Released or HubState.Closed);
}

/// <summary>A request with its offers as one member or this center sees them, its state and the answer timer.</summary>
/// <param name="State">Released or closed when the requester ended it; otherwise the least advanced of the accepted offers (all must be delivered for "delivered"), else offered when any live offer exists, else requested.</param>
/// <param name="AnsweredAt">The first offer's time: the prompt answer.</param>
/// <param name="Overdue">No answer yet and the window has passed.</param>
public sealed record RequestView(AssistanceRequest Request, IReadOnlyList<AssistanceOffer> Offers, HubState State, DateTimeOffset AnswerDue, DateTimeOffset? AnsweredAt, bool Overdue, TimeSpan? AnswerRemaining)
{
    public static RequestView Of(AssistanceRequest request, IReadOnlyList<AssistanceOffer> offers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offers);
        var answered = offers.Count == 0 ? (DateTimeOffset?)null : offers.Min(o => o.OfferedAt);
        var state = StateOf(request, offers);
        var open = !request.Ended;
        var overdue = open && answered is null && now > request.AnswerDue;
        return new RequestView(request, offers, state, request.AnswerDue, answered, overdue,
            open && answered is null ? request.AnswerDue - now : null);
    }

    public static HubState StateOf(AssistanceRequest request, IReadOnlyList<AssistanceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offers);
        if (request.ReleasedAt is not null)
        {
            return HubState.Released;
        }

        if (request.ClosedAt is not null)
        {
            return HubState.Closed;
        }

        var live = offers.Where(o => o.State != HubState.Released).ToList();
        var taken = live.Where(o => o.State is HubState.Accepted or HubState.Committed or HubState.Delivered).ToList();
        return taken.Count > 0 ? taken.Min(o => o.State) : live.Count > 0 ? HubState.Offered : HubState.Requested;
    }
}

/// <summary>An IRIX report this center wrote or read for a request (the report chain: Follows/Revokes).</summary>
/// <param name="Direction"><c>exported</c> or <c>imported</c>.</param>
public sealed record IrixReportRecord(string ReportUuid, string RequestId, string Direction, string? Follows, string? Revokes, DateTimeOffset At, string By);

/// <summary>The hub's settings.</summary>
/// <param name="LocalCenter">This center's facility code (<c>Center:FacilityCode</c>).</param>
/// <param name="HubCenter">The facility code of the center with the hub role (<c>Hub:Center</c>); it stores every restricted request.</param>
/// <param name="OrganisationReporting">This center's IRIX organisation identifier (a domain name, <c>Hub:IrixOrganisation</c>).</param>
/// <param name="IrixSchemaDirectory">A directory holding the public IRIX 1.0 XSD files (<c>Hub:IrixSchemaDirectory</c>); when set, exports and imports are validated against it. Never shipped nor downloaded.</param>
public sealed record HubOptions(string? LocalCenter, string? HubCenter = null, string? OrganisationReporting = null, string? IrixSchemaDirectory = null)
{
    public bool IsHub => LocalCenter is not null && LocalCenter == HubCenter;

    public string RequireLocalCenter() => LocalCenter
        ?? throw new Core.RuleViolationException("this installation has no ISBT 128 facility code (setting Center:FacilityCode), so it cannot take part in the hub");
}

/// <summary>The hub's JSON (documents and event payloads): camelCase, codes as kebab-case names.</summary>
public static class HubJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}

/// <summary>The hub's records, within one unit of work (implemented in RadRegen.Storage, migration 0023). Saves take the expected version (0: insert).</summary>
public interface IHubStore
{
    Task<HubMember?> GetMemberAsync(string code, CancellationToken ct);

    Task<IReadOnlyList<HubMember>> ListMembersAsync(CancellationToken ct);

    /// <summary>Writes the member with version <c>expected + 1</c>; false when the stored version is not <paramref name="expectedVersion"/>.</summary>
    Task<bool> SaveMemberAsync(HubMember member, long expectedVersion, CancellationToken ct);

    Task<AssistanceRequest?> GetRequestAsync(string id, CancellationToken ct);

    /// <summary>Every request, newest first.</summary>
    Task<IReadOnlyList<AssistanceRequest>> ListRequestsAsync(CancellationToken ct);

    Task<bool> SaveRequestAsync(AssistanceRequest request, long expectedVersion, CancellationToken ct);

    Task<AssistanceOffer?> GetOfferAsync(string id, CancellationToken ct);

    /// <summary>The offers of one request (null: all), oldest first.</summary>
    Task<IReadOnlyList<AssistanceOffer>> ListOffersAsync(string? requestId, CancellationToken ct);

    Task<bool> SaveOfferAsync(AssistanceOffer offer, long expectedVersion, CancellationToken ct);

    Task InsertIrixReportAsync(IrixReportRecord report, CancellationToken ct);

    Task<IrixReportRecord?> FindIrixReportAsync(string reportUuid, CancellationToken ct);

    /// <summary>The reports of a request, oldest first.</summary>
    Task<IReadOnlyList<IrixReportRecord>> ListIrixReportsAsync(string requestId, CancellationToken ct);
}
