namespace RadRegen.Care.Therapy;

/// <summary>How soon the treating center needs the product.</summary>
public enum Urgency
{
    Routine,
    Urgent,
    Emergency,
}

/// <summary>
/// Where a therapy request stands: open (vials still to reserve) → reserved (all reserved) →
/// dispatched → received → administered; or cancelled before dispatch.
/// </summary>
public enum TherapyStatus
{
    Open,
    Reserved,
    Dispatched,
    Received,
    Administered,
    Cancelled,
}

/// <summary>Where a vial held for a request stands.</summary>
public enum TherapyVialStatus
{
    Reserved,
    Dispatched,
    Received,
    Administered,
    Released,
}

/// <summary>What was seen after an administration.</summary>
public enum FollowUpOutcome
{
    Improved,
    Stable,
    Worsened,
    AdverseEvent,
    Engrafted,
    Recovered,
    Died,
}

/// <summary>A physician's request for a cell product for a patient.</summary>
/// <param name="Dose">In the product's dose unit (per kg of body weight when the unit says "/kg").</param>
/// <param name="TotalDose">The dose for this patient (× weight when per kg).</param>
/// <param name="VialsNeeded">⌈total dose / the product's fill per vial⌉.</param>
public sealed record TherapyRequest(
    long Id,
    long IncidentId,
    long PatientId,
    string ProductCode,
    double Dose,
    string DoseUnit,
    double TotalDose,
    int VialsNeeded,
    Urgency Urgency,
    string TreatingCenter,
    TherapyStatus Status,
    string? Note,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    long Version = 1);

/// <summary>What a physician asks for.</summary>
public sealed record NewTherapyRequest(string? ProductCode, double Dose, string? Urgency, string? TreatingCenter, string? Note = null);

/// <summary>A vial held for a request, with the compatibility it was chosen at.</summary>
public sealed record TherapyVial(
    long Id,
    long RequestId,
    long VialId,
    string VialIdentity,
    string LineCode,
    TherapyVialStatus Status,
    double Compatibility,
    string Explanation,
    string ReservedBy,
    DateTimeOffset ReservedAt,
    long? ShipmentId,
    DateTimeOffset? AdministeredAt,
    string? AdministeredBy,
    long Version = 1);

/// <summary>A dispatch of a request's vials to its treating center.</summary>
public sealed record Shipment(
    long Id,
    long RequestId,
    string Destination,
    DateTimeOffset DispatchedAt,
    string DispatchedBy,
    DateTimeOffset? ReceivedAt,
    string? ReceivedBy);

/// <summary>An outcome seen after administration.</summary>
public sealed record FollowUp(
    long Id,
    long RequestId,
    DateTimeOffset ObservedAt,
    FollowUpOutcome Outcome,
    string? Note,
    string RecordedBy,
    DateTimeOffset RecordedAt);

/// <summary>A request with everything that happened to it.</summary>
public sealed record TherapyRecord(
    TherapyRequest Request,
    IReadOnlyList<TherapyVial> Vials,
    IReadOnlyList<Shipment> Shipments,
    IReadOnlyList<FollowUp> FollowUps)
{
    /// <summary>Vials currently held (not given back).</summary>
    public int VialsHeld => Vials.Count(v => v.Status != TherapyVialStatus.Released);
}

/// <summary>A vial offered for a request: rank 1 is the best.</summary>
/// <param name="Compatibility">1/(1 + HvG), × 1/(1 + GvH) for immune-cell products (<see cref="Allocation.HlaCompatibility"/>).</param>
/// <param name="Site">The storage site (the top of the box's location path), or "unstored".</param>
public sealed record VialOffer(
    int Rank,
    long VialId,
    string VialIdentity,
    string LotNumber,
    string LineCode,
    string Site,
    DateTimeOffset ExpiresAt,
    double Compatibility,
    string Explanation);

/// <summary>A line whose vials are not offered, and why.</summary>
public sealed record ExcludedLine(string LineCode, int Vials, string Reason);

/// <summary>The ranked vials for a request, the lines left out, and how the ranking was made.</summary>
public sealed record TherapyMatches(
    TherapyRequest Request,
    int VialsStillNeeded,
    bool GraftVersusHostCounted,
    IReadOnlyList<VialOffer> Offers,
    IReadOnlyList<ExcludedLine> Excluded,
    string Ranking);

/// <summary>The words the records use for their states (kebab-case), and parsing them back with a field-named error.</summary>
public static class TherapyNames
{
    public static string Name(this Urgency u) => u.ToString().ToLowerInvariant();

    public static string Name(this TherapyStatus s) => s.ToString().ToLowerInvariant();

    public static string Name(this TherapyVialStatus s) => s.ToString().ToLowerInvariant();

    public static string Name(this FollowUpOutcome o) => o switch
    {
        FollowUpOutcome.AdverseEvent => "adverse-event",
        _ => o.ToString().ToLowerInvariant(),
    };

    public static T Parse<T>(string? text, string field)
        where T : struct, Enum
    {
        var names = Enum.GetValues<T>().Select(v => (Value: v, Name: v.ToString())).ToList();
        var t = (text ?? "").Trim().Replace("-", "", StringComparison.Ordinal);
        foreach (var (value, name) in names)
        {
            if (string.Equals(name, t, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new Core.DomainValidationException(field,
            $"'{text}' is not one of {string.Join(", ", names.Select(n => Kebab(n.Name)))}");
    }

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
