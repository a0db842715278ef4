using System.Globalization;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Centers;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;

namespace RadRegen.Storage.Network;

/// <summary>The network's tables (migration 0015) and the relay's side of <c>network_outbox</c> (migration 0013).</summary>
internal sealed class SqlNetworkStore(SqlSession session) : INetworkStore
{
    private const string EnvelopeColumns =
        "event_id AS EventId, source_center AS SourceCenter, kind AS Kind, schema_version AS SchemaVersion, entity_key AS EntityKey, "
        + "entity_version AS EntityVersion, occurred_at AS OccurredAt";

    private const string CenterColumns =
        "code AS Code, name AS Name, time_zone AS TimeZone, bmt_beds AS BmtBeds, burn_unit AS BurnUnit, biodosimetry_lab AS BiodosimetryLab, "
        + "cpc AS Cpc, known_by AS KnownBy, profile_version AS ProfileVersion, first_seen_at AS FirstSeenAt, last_event_at AS LastEventAt, "
        + "last_applied_at AS LastAppliedAt, events_applied AS EventsApplied";

    private static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    // ---- inbox
    public async Task<bool> InboxContainsAsync(Guid eventId, CancellationToken ct = default) =>
        await session.ScalarAsync<long>("SELECT COUNT(*) FROM network_inbox WHERE event_id = @Id", new { Id = Id(eventId) }, ct) > 0;

    public Task RecordInboxAsync(NetworkEnvelope envelope, InboxOutcome outcome, DateTimeOffset receivedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return session.ExecuteAsync(
            "INSERT INTO network_inbox (event_id, source_center, kind, entity_key, entity_version, occurred_at, received_at, outcome) "
            + "VALUES (@EventId, @SourceCenter, @Kind, @EntityKey, @EntityVersion, @OccurredAt, @ReceivedAt, @Outcome)",
            new
            {
                EventId = Id(envelope.EventId),
                envelope.SourceCenter,
                Kind = envelope.Kind ?? "",
                envelope.EntityKey,
                envelope.EntityVersion,
                OccurredAt = JournalTime.ToText(envelope.OccurredAt),
                ReceivedAt = JournalTime.ToText(receivedAt),
                Outcome = outcome.ToString().ToLowerInvariant(),
            }, ct);
    }

    public Task<long?> EntityVersionAsync(string sourceCenter, string entityKey, CancellationToken ct = default) =>
        session.ScalarAsync<long?>("SELECT version FROM network_entity_versions WHERE source_center = @SourceCenter AND entity_key = @EntityKey",
            new { SourceCenter = sourceCenter, EntityKey = entityKey }, ct);

    public async Task<bool> SetEntityVersionAsync(string sourceCenter, string entityKey, long version, Guid eventId, DateTimeOffset appliedAt,
        CancellationToken ct = default) =>
        await session.ExecuteAsync(
            "INSERT INTO network_entity_versions (source_center, entity_key, version, event_id, applied_at) "
            + "VALUES (@SourceCenter, @EntityKey, @Version, @EventId, @AppliedAt) "
            + "ON CONFLICT (source_center, entity_key) DO UPDATE SET version = excluded.version, event_id = excluded.event_id, applied_at = excluded.applied_at "
            + "WHERE network_entity_versions.version < excluded.version",
            new { SourceCenter = sourceCenter, EntityKey = entityKey, Version = version, EventId = Id(eventId), AppliedAt = JournalTime.ToText(appliedAt) },
            ct) == 1;

    public Task ParkAsync(ParkedEvent parked, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(parked);
        var e = parked.Envelope;
        return session.ExecuteAsync(
            "INSERT INTO network_parked (event_id, source_center, kind, schema_version, entity_key, entity_version, occurred_at, payload, reason_code, reason, parked_at) "
            + "VALUES (@EventId, @SourceCenter, @Kind, @SchemaVersion, @EntityKey, @EntityVersion, @OccurredAt, @Payload, @ReasonCode, @Reason, @ParkedAt)",
            new
            {
                EventId = Id(e.EventId),
                SourceCenter = e.SourceCenter ?? "",
                Kind = e.Kind ?? "",
                e.SchemaVersion,
                EntityKey = e.EntityKey ?? "",
                e.EntityVersion,
                OccurredAt = JournalTime.ToText(e.OccurredAt),
                Payload = e.PayloadJson ?? "",
                parked.ReasonCode,
                parked.Reason,
                ParkedAt = JournalTime.ToText(parked.ParkedAt),
            }, ct);
    }

    public async Task<IReadOnlyList<ParkedEvent>> ParkedAsync(int limit, CancellationToken ct = default) =>
        [.. (await session.QueryAsync<ParkedRow>(
            $"SELECT {EnvelopeColumns}, payload AS Payload, reason_code AS ReasonCode, reason AS Reason, parked_at AS ParkedAt FROM network_parked "
            + "ORDER BY parked_at DESC, event_id LIMIT @Limit", new { Limit = (long)limit }, ct)).Select(r => r.ToParked())];

    public Task<long> ParkedCountAsync(CancellationToken ct = default) =>
        session.ScalarAsync<long>("SELECT COUNT(*) FROM network_parked", null, ct);

    public async Task<IReadOnlyList<ParkedEvent>> ReleaseParkedAsync(string sourceCenter, string reasonCode, CancellationToken ct = default)
    {
        var args = new { SourceCenter = sourceCenter, ReasonCode = reasonCode };
        var rows = await session.QueryAsync<ParkedRow>(
            $"SELECT {EnvelopeColumns}, payload AS Payload, reason_code AS ReasonCode, reason AS Reason, parked_at AS ParkedAt FROM network_parked "
            + "WHERE source_center = @SourceCenter AND reason_code = @ReasonCode ORDER BY entity_version", args, ct);
        if (rows.Count > 0)
        {
            await session.ExecuteAsync(
                "DELETE FROM network_inbox WHERE event_id IN (SELECT event_id FROM network_parked WHERE source_center = @SourceCenter AND reason_code = @ReasonCode)",
                args, ct);
            await session.ExecuteAsync("DELETE FROM network_parked WHERE source_center = @SourceCenter AND reason_code = @ReasonCode", args, ct);
        }

        return [.. rows.Select(r => r.ToParked())];
    }

    // ---- centers
    public async Task<NetworkCenter?> CenterAsync(string code, CancellationToken ct = default) =>
        (await session.SingleOrDefaultAsync<CenterRow>($"SELECT {CenterColumns} FROM network_centers WHERE code = @Code", new { Code = code }, ct))?.ToCenter();

    public async Task<IReadOnlyList<NetworkCenter>> CentersAsync(CancellationToken ct = default) =>
        [.. (await session.QueryAsync<CenterRow>($"SELECT {CenterColumns} FROM network_centers ORDER BY code", null, ct)).Select(r => r.ToCenter())];

    public Task SaveProfileAsync(CenterProfile profile, long version, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var c = profile.Capabilities;
        return session.ExecuteAsync(
            "INSERT INTO network_centers (code, name, time_zone, bmt_beds, burn_unit, biodosimetry_lab, cpc, known_by, profile_version, first_seen_at, "
            + "agreement_key, signing_key) "
            + "VALUES (@Code, @Name, @TimeZone, @BmtBeds, @BurnUnit, @BiodosimetryLab, @Cpc, 'profile', @Version, @Now, @AgreementKey, @SigningKey) "
            + "ON CONFLICT (code) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, bmt_beds = excluded.bmt_beds, "
            + "burn_unit = excluded.burn_unit, biodosimetry_lab = excluded.biodosimetry_lab, cpc = excluded.cpc, known_by = 'profile', "
            + "profile_version = excluded.profile_version, agreement_key = excluded.agreement_key, signing_key = excluded.signing_key",
            new
            {
                profile.Code,
                profile.Name,
                profile.TimeZone,
                c.BmtBeds,
                BurnUnit = c.BurnUnit ? 1 : 0,
                BiodosimetryLab = c.BiodosimetryLab ? 1 : 0,
                Cpc = c.Cpc ? 1 : 0,
                Version = version,
                Now = JournalTime.ToText(DateTimeOffset.UtcNow),
                AgreementKey = profile.Keys?.Agreement,
                SigningKey = profile.Keys?.Signing,
            }, ct);
    }

    public async Task<RadRegen.Network.Privacy.CenterPublicKeys?> CenterKeysAsync(string code, CancellationToken ct = default)
    {
        var row = await session.SingleOrDefaultAsync<KeysRow>(
            "SELECT agreement_key AS Agreement, signing_key AS Signing FROM network_centers WHERE code = @Code", new { Code = code }, ct);
        return row is { Agreement: { } a, Signing: { } s } ? new RadRegen.Network.Privacy.CenterPublicKeys(a, s) : null;
    }

    public async Task<DateTimeOffset?> JoinedAsync(string network, CancellationToken ct = default) =>
        await session.SingleOrDefaultAsync<string>("SELECT published_at FROM network_joins WHERE network = @Network", new { Network = network }, ct) is { } at
            ? JournalTime.Parse(at)
            : null;

    public async Task<bool> RecordJoinAsync(string network, string center, DateTimeOffset at, int lots, int capacity, CancellationToken ct = default) =>
        await session.ExecuteAsync(
            "INSERT INTO network_joins (network, center, published_at, lots, capacity) VALUES (@Network, @Center, @At, @Lots, @Capacity) "
            + "ON CONFLICT (network) DO NOTHING",
            new { Network = network, Center = center, At = JournalTime.ToText(at), Lots = lots, Capacity = capacity }, ct) == 1;

    public Task EnsureConfiguredCenterAsync(string code, DateTimeOffset at, CancellationToken ct = default) =>
        session.ExecuteAsync(
            "INSERT INTO network_centers (code, name, time_zone, known_by, first_seen_at) VALUES (@Code, @Code, 'UTC', 'configuration', @At) "
            + "ON CONFLICT (code) DO NOTHING",
            new { Code = code, At = JournalTime.ToText(at) }, ct);

    public Task CenterAppliedAsync(string code, DateTimeOffset occurredAt, DateTimeOffset appliedAt, CancellationToken ct = default) =>
        session.ExecuteAsync(
            "UPDATE network_centers SET last_event_at = @OccurredAt, last_applied_at = @AppliedAt, events_applied = events_applied + 1 WHERE code = @Code",
            new { Code = code, OccurredAt = JournalTime.ToText(occurredAt), AppliedAt = JournalTime.ToText(appliedAt) }, ct);

    // ---- outbox
    public async Task<IReadOnlyList<OutboxRecord>> PendingAsync(int limit, long after = 0, CancellationToken ct = default) =>
        [.. (await session.QueryAsync<SqlOutbox.Row>(
            SqlOutbox.SelectRows + "WHERE relayed_at IS NULL AND position > @After ORDER BY position LIMIT @Limit",
            new { Limit = (long)limit, After = after }, ct)).Select(r => r.ToRecord())];

    public Task MarkRelayedAsync(IReadOnlyCollection<long> positions, DateTimeOffset relayedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            return Task.CompletedTask;
        }

        var condition = session.Engine == Engine.Postgres ? "position = ANY(@Positions)" : "position IN @Positions";
        return session.ExecuteAsync($"UPDATE network_outbox SET relayed_at = @At WHERE {condition} AND relayed_at IS NULL",
            new { Positions = positions.ToArray(), At = JournalTime.ToText(relayedAt) }, ct);
    }

    public async Task<OutboxSummary> OutboxSummaryAsync(CancellationToken ct = default)
    {
        var row = await session.SingleOrDefaultAsync<SummaryRow>(
            "SELECT COUNT(*) AS Total, COUNT(*) - COUNT(relayed_at) AS Pending, MIN(CASE WHEN relayed_at IS NULL THEN occurred_at END) AS OldestPendingAt, "
            + "MAX(relayed_at) AS LastRelayedAt FROM network_outbox", null, ct);
        return row is null
            ? new OutboxSummary(0, 0, null, null)
            : new OutboxSummary(row.Total, row.Pending, Time(row.OldestPendingAt), Time(row.LastRelayedAt));
    }

    public Task<string?> LastOwnPayloadAsync(string kind, string entityKey, CancellationToken ct = default) =>
        session.ScalarAsync<string?>(
            "SELECT payload FROM network_outbox WHERE kind = @Kind AND entity_key = @EntityKey ORDER BY position DESC LIMIT 1",
            new { Kind = kind, EntityKey = entityKey }, ct);

    // ---- link
    public Task SaveLinkAsync(LinkState link, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return session.ExecuteAsync(
            "INSERT INTO network_link (id, url, state, changed_at, last_contact_at, last_error) VALUES (1, @Url, @State, @ChangedAt, @LastContactAt, @LastError) "
            + "ON CONFLICT (id) DO UPDATE SET url = excluded.url, state = excluded.state, changed_at = excluded.changed_at, last_contact_at = excluded.last_contact_at, "
            + "last_error = excluded.last_error",
            new
            {
                link.Url,
                State = link.Status.ToString().ToLowerInvariant(),
                ChangedAt = JournalTime.ToText(link.ChangedAt),
                LastContactAt = link.LastContactAt is { } t ? JournalTime.ToText(t) : null,
                link.LastError,
            }, ct);
    }

    public async Task<LinkState?> LinkAsync(CancellationToken ct = default)
    {
        var row = await session.SingleOrDefaultAsync<LinkRow>(
            "SELECT url AS Url, state AS State, changed_at AS ChangedAt, last_contact_at AS LastContactAt, last_error AS LastError FROM network_link WHERE id = 1", null, ct);
        return row is null
            ? null
            : new LinkState(row.Url, Enum.Parse<LinkStatus>(row.State, ignoreCase: true), JournalTime.Parse(row.ChangedAt), Time(row.LastContactAt))
            {
                LastError = row.LastError,
            };
    }

    private static DateTimeOffset? Time(string? text) => text is null ? null : JournalTime.Parse(text);

    private sealed class ParkedRow
    {
        public string EventId { get; set; } = "";

        public string SourceCenter { get; set; } = "";

        public string Kind { get; set; } = "";

        public long SchemaVersion { get; set; }

        public string EntityKey { get; set; } = "";

        public long EntityVersion { get; set; }

        public string OccurredAt { get; set; } = "";

        public string Payload { get; set; } = "";

        public string ReasonCode { get; set; } = "";

        public string Reason { get; set; } = "";

        public string ParkedAt { get; set; } = "";

        public ParkedEvent ToParked() => new(
            new NetworkEnvelope(Guid.Parse(EventId, CultureInfo.InvariantCulture), (int)SchemaVersion, SourceCenter, Kind, EntityKey, EntityVersion,
                JournalTime.Parse(OccurredAt), Payload),
            ReasonCode, Reason, JournalTime.Parse(ParkedAt));
    }

    private sealed class KeysRow
    {
        public string? Agreement { get; set; }

        public string? Signing { get; set; }
    }

    private sealed class CenterRow
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string TimeZone { get; set; } = "";

        public long BmtBeds { get; set; }

        public long BurnUnit { get; set; }

        public long BiodosimetryLab { get; set; }

        public long Cpc { get; set; }

        public string KnownBy { get; set; } = "";

        public long? ProfileVersion { get; set; }

        public string FirstSeenAt { get; set; } = "";

        public string? LastEventAt { get; set; }

        public string? LastAppliedAt { get; set; }

        public long EventsApplied { get; set; }

        public NetworkCenter ToCenter() => new(
            Code, Name, TimeZone, new CenterCapabilities((int)BmtBeds, BurnUnit != 0, BiodosimetryLab != 0, Cpc != 0), KnownBy, ProfileVersion,
            JournalTime.Parse(FirstSeenAt), Time(LastEventAt), Time(LastAppliedAt), EventsApplied);
    }

    private sealed class SummaryRow
    {
        public long Total { get; set; }

        public long Pending { get; set; }

        public string? OldestPendingAt { get; set; }

        public string? LastRelayedAt { get; set; }
    }

    private sealed class LinkRow
    {
        public string Url { get; set; } = "";

        public string State { get; set; } = "";

        public string ChangedAt { get; set; } = "";

        public string? LastContactAt { get; set; }

        public string? LastError { get; set; }
    }
}
