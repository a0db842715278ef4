using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Bank.Model;

namespace RadRegen.Network.Shipments;

/// <summary>
/// Where a shipment between two centers stands (issue 13 item 3; ADR 0024). OpenSpecimen's
/// pending → shipped → received, split as the two centers see it: the receiving center requests,
/// the sending center packs and hands the shipper to the courier, the receiving center receives
/// (ok), or quarantines (a temperature status other than ok, or a set that differs), or refuses;
/// QA at the receiving center then releases or rejects a quarantined receipt. ADR 0031 adds: the
/// owning center declines a request; the requester cancels it before dispatch; QA accepts the
/// received vials into the bank (ownership moves); a refused, quarantined or rejected receipt is
/// returned (a return shipment of its own), and QA at the center it returns to restocks or discards it.
/// </summary>
public enum ShipmentState
{
    Requested,
    Packed,
    Dispatched,
    Received,
    Quarantined,
    Refused,
    Released,
    Rejected,

    /// <summary>The owning (sending) center declined the request, with a reason.</summary>
    Declined,

    /// <summary>The requesting center cancelled the request before dispatch (and the sender unpacked, if it had packed).</summary>
    Cancelled,

    /// <summary>QA accepted the received vials into this center's bank (receipt inspection, e-signed); for a return, back into the sender's stock.</summary>
    Accepted,

    /// <summary>The receiving center sent the shipment back in a return shipment.</summary>
    Returned,

    /// <summary>QA at the center a return came back to discarded its vials.</summary>
    Discarded,
}

/// <summary>
/// The temperature status of a receipt, Oracle Clinical One's <c>tempMonitorStatus</c> ∈ {yes, no,
/// missing} as the reference (reference/network/shipments.md) asks for it: ok,
/// excursion, missing; anything but ok forces quarantine.
/// </summary>
public enum TemperatureStatus
{
    Ok,
    Excursion,
    Missing,
}

/// <summary>Which side of a shipment a center is; each writes only its own (entity keys <c>shipment/&lt;id&gt;/sender|receiver</c>).</summary>
public enum ShipmentSide
{
    Sender,
    Receiver,
}

/// <summary>A vial by its ISBT 128 identity: DIN, product code, division (the bank's chain of identity).</summary>
public sealed record VialIdentity(string Din, string ProductCode, string Division)
{
    public override string ToString() => $"{Din} {ProductCode} {Division}";

    public VialIdentity Normal() => new(Din.Trim().ToUpperInvariant(), ProductCode.Trim().ToUpperInvariant(), Division.Trim().ToUpperInvariant());
}

/// <summary>What the requesting center asks for: a count of a product, optionally named vials (seen in the shared inventory).</summary>
public sealed record RequestLine(string ProductCode, int Count, IReadOnlyList<VialIdentity> Vials);

/// <summary>The request: which products or vials and why.</summary>
/// <param name="ReturnOf">For a return shipment: the shipment it sends back (ADR 0031); its sender wrote the request.</param>
public sealed record ShipmentRequest(string Reason, IReadOnlyList<RequestLine> Lines, DateTimeOffset RequestedAt, string RequestedBy, string? ReturnOf = null);

/// <summary>A decision on a shipment that is not a hand-off: declined, cancelled, unpacked; signed when it is a GMP step.</summary>
public sealed record ShipmentDecision(string What, string Reason, string By, DateTimeOffset At, long? SignatureId = null);

/// <summary>
/// QA's acceptance of a receipt into this center's bank (receipt inspection, e-signed; ADR 0031), or
/// for a return its outcome at the center it came back to.
/// </summary>
/// <param name="Outcome">accepted (into the receiver's bank), returned-to-stock or discarded (a return).</param>
/// <param name="Lots">The lot numbers the vials are held under.</param>
public sealed record InventoryAcceptance(string Outcome, DateTimeOffset At, string By, long SignatureId, IReadOnlyList<string> Lots, long? BoxId, string? Reason);

/// <summary>A packed vial with its lineage (line, lot, DIN, product code): codes only, never the donor.</summary>
public sealed record ShippedVial(string Din, string ProductCode, string Division, string LotNumber, string LineCode, DateTimeOffset ExpiresAt)
{
    [JsonIgnore]
    public VialIdentity Identity => new(Din, ProductCode, Division);
}

/// <summary>The dry shipper as packed: its identity, its last qualification and the charge of this trip.</summary>
public sealed record ShipperSnapshot(string Serial, string Model, DateTimeOffset QualifiedAt, double QualifiedHoldHours, DateTimeOffset ChargedAt)
{
    /// <summary>When the qualified hold runs out (<see cref="HoldTime.EndsAt(ShipperSnapshot)"/>).</summary>
    [JsonIgnore]
    public DateTimeOffset HoldEndsAt => HoldTime.EndsAt(this);
}

/// <summary>One link of the chain of custody: a signed hand-off (sender → courier, courier → receiver).</summary>
/// <param name="From">Who handed over ("W0001 tech1", "courier Cryo Express (J. Doe)").</param>
/// <param name="To">Who took over.</param>
/// <param name="Center">The center whose person signed.</param>
/// <param name="SignedBy">The user who signed with their password.</param>
/// <param name="SignatureId">The e-signature at that center.</param>
public sealed record CustodyHandOff(string From, string To, DateTimeOffset At, string Center, string SignedBy, long SignatureId, string? Note);

/// <summary>A temperature reading of the shipment's logger.</summary>
public sealed record LoggerPoint(DateTimeOffset At, double Celsius);

/// <summary>The sending center's side.</summary>
/// <param name="State">requested, packed, dispatched, declined or cancelled (<see cref="ShipmentState"/>).</param>
/// <param name="Lots">The lineage of each packed lot (ADR 0031): codes, HLA typing, intended use, the signed eligibility determination; never the donor.</param>
/// <param name="Decision">Why the sender declined the request, or unpacked it.</param>
/// <param name="TemperatureLimitCelsius">The warmest the packed products may be (the coldest of their catalogue storage limits).</param>
/// <param name="LimitSource">Where that limit comes from (the product's storage class source).</param>
public sealed record SenderSide(
    ShipmentState State,
    IReadOnlyList<ShippedVial> Items,
    ShipperSnapshot? Shipper,
    double? PlannedTransitHours,
    double? TemperatureLimitCelsius,
    string? LimitSource,
    DateTimeOffset? PackedAt,
    string? PackedBy,
    DateTimeOffset? DispatchedAt,
    string? Courier,
    string? TrackingNumber,
    IReadOnlyList<CustodyHandOff> HandOffs,
    IReadOnlyList<LotLineage>? Lots = null,
    ShipmentDecision? Decision = null)
{
    public static SenderSide Initial { get; } = new(ShipmentState.Requested, [], null, null, null, null, null, null, null, null, null, []);
}

/// <summary>The receiving center's side.</summary>
/// <param name="State">requested, received, quarantined, refused, released, rejected, cancelled, accepted, returned or discarded.</param>
/// <param name="Received">The vials scanned at receipt (identities as written).</param>
/// <param name="Missing">Shipped but not received.</param>
/// <param name="Unexpected">Received but not shipped.</param>
/// <param name="TemperatureDetail">Why the status is what it is (excursions and gaps with their times).</param>
/// <param name="QaDecision">QA's release or rejection of a quarantined receipt, with its reason.</param>
/// <param name="Cancellation">The requester's cancellation before dispatch.</param>
/// <param name="Inventory">QA's acceptance into this center's bank (or, for a return, the restock or discard).</param>
/// <param name="ReturnShipmentId">The return shipment that sent this one back.</param>
public sealed record ReceiverSide(
    ShipmentState State,
    DateTimeOffset? ReceivedAt,
    string? ReceivedBy,
    IReadOnlyList<VialIdentity> Received,
    IReadOnlyList<VialIdentity> Missing,
    IReadOnlyList<VialIdentity> Unexpected,
    TemperatureStatus? TemperatureStatus,
    string? TemperatureDetail,
    int LoggerPoints,
    IReadOnlyList<CustodyHandOff> HandOffs,
    string? QaDecision,
    string? QaBy,
    DateTimeOffset? QaAt,
    ShipmentDecision? Cancellation = null,
    InventoryAcceptance? Inventory = null,
    string? ReturnShipmentId = null)
{
    public static ReceiverSide Initial { get; } = new(ShipmentState.Requested, null, null, [], [], [], null, null, 0, [], null, null, null);
}

/// <summary>
/// A shipment as one center holds it: its own side, which it writes, and the other center's side as
/// that center last told it (state transfer over the network, never deltas).
/// </summary>
public sealed record Shipment(string Id, string SenderCenter, string ReceiverCenter, ShipmentRequest Request, SenderSide Sender, ReceiverSide Receiver,
    DateTimeOffset UpdatedAt, int Version = 1)
{
    /// <summary>The state both centers agree on: the receiver's once it has received, else the sender's.</summary>
    public ShipmentState State => Receiver.State != ShipmentState.Requested ? Receiver.State : Sender.State;

    /// <summary>Which side <paramref name="center"/> is, or null when the shipment is not its business.</summary>
    public ShipmentSide? SideOf(string? center) =>
        center == SenderCenter ? ShipmentSide.Sender : center == ReceiverCenter ? ShipmentSide.Receiver : null;

    /// <summary>The chain of custody, in time order, both centers' hand-offs.</summary>
    public IReadOnlyList<CustodyHandOff> Custody => [.. Sender.HandOffs.Concat(Receiver.HandOffs).OrderBy(h => h.At)];

    /// <summary>Whether this shipment sends another back (ADR 0031).</summary>
    public bool IsReturn => Request.ReturnOf is not null;
}

/// <summary>The center's shipment settings: quality decisions of the center, set by QA, never a built-in value.</summary>
/// <param name="RequalificationIntervalDays">A dry shipper whose last qualification is older than this is not packed.</param>
/// <param name="LoggingIntervalMinutes">The logger's interval: a gap between readings longer than this is missing data.</param>
public sealed record ShipmentSettings(int RequalificationIntervalDays, int LoggingIntervalMinutes, DateTimeOffset SetAt, string SetBy, string Reason);

/// <summary>A dry vapour shipper of this center.</summary>
/// <param name="QualifiedHoldHours">The static hold time its last qualification measured (per dewar, per qualification: reference/network/shipments.md).</param>
/// <param name="PackedIn">The shipment it is packed in and not yet handed to a courier.</param>
public sealed record DryShipper(
    string Serial,
    string Model,
    DateTimeOffset QualifiedAt,
    double QualifiedHoldHours,
    string QualificationReference,
    DateTimeOffset? ChargedAt,
    DateTimeOffset? LastDispatchedAt,
    string? PackedIn,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    int Version = 1);

/// <summary>A vial received from another center, as this center holds it: lineage, state, and the shipment it came in.</summary>
/// <param name="Status">available (received ok or released by QA, awaiting acceptance into the bank), quarantine (awaiting QA), in-bank (accepted into this center's bank: ADR 0031).</param>
public sealed record ReceivedVial(ShippedVial Vial, string Status, string ShipmentId, string FromCenter, DateTimeOffset ReceivedAt, IReadOnlyList<CustodyHandOff> Custody);

/// <summary>The JSON of shipments (storage and event payloads): camelCase, enums as kebab-case words.</summary>
public static class ShipmentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Name(ShipmentState s) => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString());

    public static string Name(TemperatureStatus s) => JsonNamingPolicy.KebabCaseLower.ConvertName(s.ToString());
}
