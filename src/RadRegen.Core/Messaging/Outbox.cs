namespace RadRegen.Core.Messaging;

/// <summary>
/// A domain event this center tells the network of centers (issue 13, ADR 0022), written to the
/// outbox in the same unit of work as the change it describes, so the event exists if and only if
/// the change was committed. A relay later publishes it to NATS JetStream with
/// <see cref="OutboxRecord.EventId"/> as the message id, so a retried publish is never duplicated.
/// </summary>
/// <remarks>
/// Events carry the entity's whole shared state, never a delta: a consumer keeps, per source center
/// and <paramref name="EntityKey"/>, the highest <see cref="OutboxRecord.Position"/> it has applied,
/// and ignores anything older. That makes replays, duplicates and reordering harmless.
/// Nothing that identifies a patient or a donor goes into an event unless a transfer needs it.
/// </remarks>
/// <param name="Kind">What happened, from <c>RadRegen.Network.Events.EventKinds</c> (for example <c>inventory.stock</c>).</param>
/// <param name="SchemaVersion">The payload's schema version for this kind; consumers park versions they do not know.</param>
/// <param name="EntityKey">The entity whose state the payload is (for example <c>stock/W0001/P0001</c>); versions are kept per key.</param>
/// <param name="PayloadJson">The entity's shared state as JSON (camelCase).</param>
public sealed record OutboxEvent(string Kind, int SchemaVersion, string EntityKey, string PayloadJson);

/// <summary>An event as the outbox holds it.</summary>
/// <param name="Position">The outbox's own increasing number: the entity version consumers compare (later change, higher position).</param>
/// <param name="EventId">The event's identity everywhere (the JetStream message id).</param>
/// <param name="Event">What was enqueued.</param>
/// <param name="OccurredAt">When the change was committed (the unit of work's clock).</param>
/// <param name="RelayedAt">When the relay had JetStream's acknowledgement; null while pending.</param>
public sealed record OutboxRecord(long Position, Guid EventId, OutboxEvent Event, DateTimeOffset OccurredAt, DateTimeOffset? RelayedAt);

/// <summary>The outbox, within a unit of work (<c>unitOfWork.Store&lt;IOutbox&gt;()</c>).</summary>
public interface IOutbox
{
    /// <summary>Adds <paramref name="outboxEvent"/> to the outbox in the caller's transaction.</summary>
    Task<OutboxRecord> EnqueueAsync(OutboxEvent outboxEvent, DateTimeOffset occurredAt, CancellationToken cancellationToken = default);

    /// <summary>Events after <paramref name="afterPosition"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<OutboxRecord>> ListAsync(long afterPosition, int limit, CancellationToken cancellationToken = default);
}
