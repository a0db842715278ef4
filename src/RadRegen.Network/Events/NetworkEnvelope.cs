using RadRegen.Core;
using RadRegen.Core.Messaging;

namespace RadRegen.Network.Events;

/// <summary>
/// An event as it travels between centers over NATS JetStream (ADR 0022): the outbox record of its
/// source center, with that center's code. The envelope's fields are what a consumer needs to apply
/// it at most once and never over newer state; the payload is the entity's whole shared state.
/// </summary>
/// <param name="EventId">The event's identity (JetStream message id; a consumer applies an id at most once).</param>
/// <param name="SchemaVersion">The payload schema version of <paramref name="Kind"/>.</param>
/// <param name="SourceCenter">The ISBT 128 facility code of the center that wrote the event.</param>
/// <param name="Kind">One of <see cref="EventKinds"/>.</param>
/// <param name="EntityKey">The entity whose state the payload is.</param>
/// <param name="EntityVersion">The source center's outbox position: higher is newer, per source center and entity.</param>
/// <param name="OccurredAt">When the source committed the change.</param>
/// <param name="PayloadJson">The entity's shared state (camelCase JSON).</param>
public sealed record NetworkEnvelope(
    Guid EventId,
    int SchemaVersion,
    string SourceCenter,
    string Kind,
    string EntityKey,
    long EntityVersion,
    DateTimeOffset OccurredAt,
    string PayloadJson)
{
    /// <summary>The envelope of an outbox record of <paramref name="sourceCenter"/>, its payload as written (what the relay sends).</summary>
    public static NetworkEnvelope Of(string sourceCenter, OutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new NetworkEnvelope(record.EventId, record.Event.SchemaVersion, sourceCenter, record.Event.Kind, record.Event.EntityKey,
            record.Position, record.OccurredAt, record.Event.PayloadJson);
    }
}

/// <summary>
/// Applies one kind of event from other centers to this center's read models. The network
/// consumer calls it inside a unit of work after checking that the event is new for its entity
/// (and records the version in the same unit of work), so a handler only maps the payload to its
/// state: it never sees a duplicate or an older version. Throw <see cref="DomainValidationException"/>
/// for a payload it cannot accept: the consumer parks the event with that reason, nothing applied.
/// </summary>
public interface INetworkEventHandler
{
    /// <summary>The kind handled (one of <see cref="EventKinds"/>).</summary>
    string Kind { get; }

    /// <summary>The payload schema versions this handler understands; others are parked.</summary>
    IReadOnlySet<int> SchemaVersions { get; }

    Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>The event kinds of the network, one owner each (issue 13).</summary>
public static class EventKinds
{
    /// <summary>A center's identity and capabilities (name, facility code, time zone, BMT beds, burn unit, biodosimetry lab, CPC).</summary>
    public const string CenterProfile = "center.profile";

    /// <summary>A center's released, allocatable stock of one product and HLA typing (no donor identity).</summary>
    public const string InventoryStock = "inventory.stock";

    /// <summary>A capacity snapshot shaped like EDXL-HAVE (bed type, baseline, available, time, reporter).</summary>
    public const string CapacitySnapshot = "capacity.snapshot";

    /// <summary>A patient transfer's state shaped like EDXL-TEP, as the requesting or the receiving center sees it.</summary>
    public const string PatientTransfer = "transfer.patient";

    /// <summary>A shipment's state as its sending or receiving center sees it (request, pack, hand-offs, receipt).</summary>
    public const string Shipment = "shipment.state";

    // ---- network: hub (issue 14, ADR 0032)

    /// <summary>A hub member's whole declaration: kind, country, linked center, capabilities by RANET area.</summary>
    public const string HubMember = "hub.member";

    /// <summary>A request for assistance, whole (requester, coded scope, patient counts, urgency, confidentiality, answer window, end).</summary>
    public const string HubRequest = "hub.request";

    /// <summary>An offer of assistance as its offering or requesting side sees it (EDXL-RM-named steps).</summary>
    public const string HubOffer = "hub.offer";
}
