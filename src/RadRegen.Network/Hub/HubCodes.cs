using RadRegen.Core;

namespace RadRegen.Network.Hub;

/// <summary>
/// The capability areas of IAEA RANET under which a State registers its National Assistance
/// Capabilities (iaea.org/services/networks/ranet, stored excerpt; reference/network/hub.md §2).
/// The stored excerpt was truncated after "radiological assessment": an area not listed here cannot
/// be coded until its name is verified (a capability outside the coded areas is refused).
/// </summary>
public enum CapabilityArea
{
    DecontaminationAdvice,
    DoseAssessment,
    SamplingAndAnalysis,
    MedicalSupport,
    NuclearInstallationAssessment,
    RadiationSurvey,
    RadiologicalAssessment,
}

/// <summary>
/// What a member can provide. Experts, equipment and materials are what Art. 2.4 of the Assistance
/// Convention asks States to notify; the others are the capacities a radiation-emergency cell-therapy
/// center declares (issue 14 item 1): biodosimetry samples per week (RANET dose assessment includes
/// biodosimetry; most REMPAN members have biodosimetry laboratories), marrow-transplant and burn beds
/// and iPSC-derived products (RANET medical support: "specialised treatment of patients").
/// </summary>
public enum CapabilityKind
{
    Experts,
    Equipment,
    Materials,
    BiodosimetrySamplesPerWeek,
    BmtBeds,
    BurnBeds,
    IpscProduct,
}

/// <summary>The two WHO-REMPAN membership kinds and RANET's State contact point (reference/network/hub.md §3).</summary>
public enum MemberKind
{
    /// <summary>A State's competent authority / contact point registered in RANET.</summary>
    StateContactPoint,

    /// <summary>A WHO Collaborating Centre (designated by the Director-General).</summary>
    CollaboratingCenter,

    /// <summary>A REMPAN Liaison Institution (approved by the REMPAN coordinator).</summary>
    LiaisonInstitution,
}

/// <summary>
/// Who may see a request or an offer. USIE and IRMIS carry a confidentiality level on every report
/// (reference/network/hub.md §3); their level names are not in the stored material, so these three
/// are RadRegen's own, ordered from open to closed.
/// </summary>
public enum Confidentiality
{
    /// <summary>Anyone, including a public export.</summary>
    Public,

    /// <summary>Registered members of the hub only.</summary>
    Members,

    /// <summary>The requester, the addressees, the members that offered and the hub only.</summary>
    Restricted,
}

/// <summary>How soon help is needed (RadRegen's own words; the Convention names none).</summary>
public enum Urgency
{
    Immediate,
    Urgent,
    Routine,
}

/// <summary>
/// Where a request or an offer stands, named after the OASIS EDXL-RM 1.0 message that moves it
/// there (reference/network/hub.md §5): requested (RequestResource), offered
/// (ResponseToRequestResource), accepted (RequisitionResource), committed (CommitResource),
/// delivered (ReportResourceDeploymentStatus), released (ReleaseResource); closed is the end of a
/// delivered request, which EDXL-RM has no message for.
/// </summary>
public enum HubState
{
    Requested,
    Offered,
    Accepted,
    Committed,
    Delivered,
    Closed,
    Released,
}

/// <summary>The hub's codes as the API, events, IRIX text and pages write them (kebab-case).</summary>
public static class HubCodes
{
    private static readonly (CapabilityArea Area, string Name, string Words)[] Areas =
    [
        (CapabilityArea.DecontaminationAdvice, "decontamination-advice", "decontamination advice"),
        (CapabilityArea.DoseAssessment, "dose-assessment", "dose assessment (bioassay, biodosimetry, EPR, OSL, activation analysis)"),
        (CapabilityArea.SamplingAndAnalysis, "sampling-analysis", "sampling and analysis"),
        (CapabilityArea.MedicalSupport, "medical-support", "medical support (advice on medical management, specialised treatment of patients, psychological support)"),
        (CapabilityArea.NuclearInstallationAssessment, "nuclear-installation-assessment", "nuclear installation assessment and advice"),
        (CapabilityArea.RadiationSurvey, "radiation-survey", "radiation survey"),
        (CapabilityArea.RadiologicalAssessment, "radiological-assessment", "radiological assessment"),
    ];

    /// <summary>Each kind with its unit and the area it belongs to (null: any area).</summary>
    private static readonly (CapabilityKind Kind, string Name, string Unit, CapabilityArea? Area)[] Kinds =
    [
        (CapabilityKind.Experts, "experts", "experts", null),
        (CapabilityKind.Equipment, "equipment", "items", null),
        (CapabilityKind.Materials, "materials", "items", null),
        (CapabilityKind.BiodosimetrySamplesPerWeek, "biodosimetry", "samples/week", CapabilityArea.DoseAssessment),
        (CapabilityKind.BmtBeds, "bmt-beds", "beds", CapabilityArea.MedicalSupport),
        (CapabilityKind.BurnBeds, "burn-beds", "beds", CapabilityArea.MedicalSupport),
        (CapabilityKind.IpscProduct, "ipsc-product", "vials", CapabilityArea.MedicalSupport),
    ];

    public static IReadOnlyList<CapabilityArea> AllAreas { get; } = [.. Areas.Select(a => a.Area)];

    public static IReadOnlyList<CapabilityKind> AllKinds { get; } = [.. Kinds.Select(k => k.Kind)];

    public static string Name(this CapabilityArea area) => Areas.First(a => a.Area == area).Name;

    public static string Words(this CapabilityArea area) => Areas.First(a => a.Area == area).Words;

    public static string Name(this CapabilityKind kind) => Kinds.First(k => k.Kind == kind).Name;

    public static string Unit(this CapabilityKind kind) => Kinds.First(k => k.Kind == kind).Unit;

    /// <summary>The area a kind belongs to; null when it may be declared under any area.</summary>
    public static CapabilityArea? AreaOf(this CapabilityKind kind) => Kinds.First(k => k.Kind == kind).Area;

    public static string Name(this MemberKind kind) => kind switch
    {
        MemberKind.StateContactPoint => "state-contact-point",
        MemberKind.CollaboratingCenter => "collaborating-center",
        _ => "liaison-institution",
    };

    public static string Name(this Confidentiality label) => label.ToString().ToLowerInvariant();

    public static string Name(this Urgency urgency) => urgency.ToString().ToLowerInvariant();

    public static string Name(this HubState state) => state.ToString().ToLowerInvariant();

    /// <summary>The EDXL-RM 1.0 message type that moves a request or offer into <paramref name="state"/> (null: none; closed is RadRegen's).</summary>
    public static string? EdxlRmMessage(this HubState state) => state switch
    {
        HubState.Requested => "RequestResource",
        HubState.Offered => "ResponseToRequestResource",
        HubState.Accepted => "RequisitionResource",
        HubState.Committed => "CommitResource",
        HubState.Delivered => "ReportResourceDeploymentStatus",
        HubState.Released => "ReleaseResource",
        _ => null,
    };

    public static CapabilityArea ParseArea(string? text, string field) =>
        Areas.FirstOrDefault(a => string.Equals(a.Name, text?.Trim(), StringComparison.OrdinalIgnoreCase)) is { Name: not null } hit
            ? hit.Area
            : throw new DomainValidationException(field, $"'{text}' is not a coded capability area; expected one of {string.Join(", ", Areas.Select(a => a.Name))} (IAEA RANET areas)");

    public static CapabilityKind ParseKind(string? text, string field) =>
        Kinds.FirstOrDefault(k => string.Equals(k.Name, text?.Trim(), StringComparison.OrdinalIgnoreCase)) is { Name: not null } hit
            ? hit.Kind
            : throw new DomainValidationException(field, $"'{text}' is not a capability kind; expected one of {string.Join(", ", Kinds.Select(k => k.Name))}");

    public static MemberKind ParseMemberKind(string? text, string field) =>
        Enum.GetValues<MemberKind>().Where(k => string.Equals(k.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(k => (MemberKind?)k).FirstOrDefault()
            ?? throw new DomainValidationException(field, $"'{text}' is not a member kind; expected state-contact-point, collaborating-center or liaison-institution");

    public static Confidentiality ParseConfidentiality(string? text, string field) =>
        Enum.GetValues<Confidentiality>().Where(c => string.Equals(c.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(c => (Confidentiality?)c).FirstOrDefault()
            ?? throw new DomainValidationException(field, $"'{text}' is not a confidentiality label; expected public, members or restricted");

    public static Urgency ParseUrgency(string? text, string field) =>
        Enum.GetValues<Urgency>().Where(c => string.Equals(c.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(c => (Urgency?)c).FirstOrDefault()
            ?? throw new DomainValidationException(field, $"'{text}' is not an urgency; expected immediate, urgent or routine");

    public static HubState ParseState(string? text, string field) =>
        Enum.GetValues<HubState>().Where(c => string.Equals(c.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(c => (HubState?)c).FirstOrDefault()
            ?? throw new DomainValidationException(field, $"'{text}' is not a state; expected one of {string.Join(", ", Enum.GetValues<HubState>().Select(s => s.Name()))}");

    /// <summary>Runs <paramref name="parse"/>, collecting its field errors instead of throwing.</summary>
    internal static T? Collect<T>(Func<T> parse, List<FieldError> errors)
        where T : struct
    {
        try
        {
            return parse();
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
            return null;
        }
    }
}
