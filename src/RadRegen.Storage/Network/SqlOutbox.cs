using System.Globalization;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;

namespace RadRegen.Storage.Network;

/// <summary>The <c>network_outbox</c> table (migration 0013): rows are added in the change's transaction, never deleted.</summary>
internal sealed class SqlOutbox(SqlSession session) : IOutbox
{
    public async Task<OutboxRecord> EnqueueAsync(OutboxEvent outboxEvent, DateTimeOffset occurredAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var eventId = Guid.NewGuid();
        var position = await session.InsertReturningIdAsync(
            "INSERT INTO network_outbox (event_id, kind, schema_version, entity_key, payload, occurred_at) "
            + "VALUES (@EventId, @Kind, @SchemaVersion, @EntityKey, @Payload, @OccurredAt) RETURNING position",
            new
            {
                EventId = eventId.ToString("D", CultureInfo.InvariantCulture),
                outboxEvent.Kind,
                outboxEvent.SchemaVersion,
                outboxEvent.EntityKey,
                Payload = outboxEvent.PayloadJson,
                OccurredAt = JournalTime.ToText(occurredAt),
            }, cancellationToken);
        session.OutboxWritten = true;
        return new OutboxRecord(position, eventId, outboxEvent, occurredAt, null);
    }

    public async Task<IReadOnlyList<OutboxRecord>> ListAsync(long afterPosition, int limit, CancellationToken cancellationToken = default) =>
        [.. (await session.QueryAsync<Row>(
            SelectRows + "WHERE position > @AfterPosition ORDER BY position LIMIT @Limit",
            new { AfterPosition = afterPosition, Limit = (long)limit }, cancellationToken)).Select(r => r.ToRecord())];

    /// <summary>The outbox's columns as <see cref="Row"/> reads them; the caller adds WHERE, ORDER BY and LIMIT.</summary>
    internal const string SelectRows =
        "SELECT position AS Position, event_id AS EventId, kind AS Kind, schema_version AS SchemaVersion, entity_key AS EntityKey, "
        + "payload AS Payload, occurred_at AS OccurredAt, relayed_at AS RelayedAt FROM network_outbox ";

    /// <summary>One outbox row (the outbox here, the relay in <see cref="SqlNetworkStore"/>).</summary>
    internal sealed class Row
    {
        public long Position { get; set; }

        public string EventId { get; set; } = "";

        public string Kind { get; set; } = "";

        public long SchemaVersion { get; set; }

        public string EntityKey { get; set; } = "";

        public string Payload { get; set; } = "";

        public string OccurredAt { get; set; } = "";

        public string? RelayedAt { get; set; }

        public OutboxRecord ToRecord() => new(
            Position, Guid.Parse(EventId, CultureInfo.InvariantCulture), new OutboxEvent(Kind, (int)SchemaVersion, EntityKey, Payload),
            JournalTime.Parse(OccurredAt), RelayedAt is null ? null : JournalTime.Parse(RelayedAt));
    }
}
