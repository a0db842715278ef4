using RadRegen.Core.Messaging;
using RadRegen.Network.Centers;
using RadRegen.Network.Events;

namespace RadRegen.Network.Inbox;

/// <summary>What became of a received event.</summary>
public enum InboxOutcome
{
    /// <summary>New for its entity: the handler applied it and its version was recorded.</summary>
    Applied,

    /// <summary>Its entity already had this or a newer version: recorded, not applied (an older event never overwrites newer state).</summary>
    Superseded,

    /// <summary>The event id was received before: nothing done.</summary>
    Duplicate,

    /// <summary>Not applied; kept whole with its reason (<see cref="ParkedEvent"/>).</summary>
    Parked,

    /// <summary>This center's own event, back from the stream: nothing done.</summary>
    Own,

    /// <summary>An event addressed to another center (ADR 0029): nothing read, nothing stored.</summary>
    NotAddressed,
}

/// <summary>Why an event was parked (stable codes, shown with the reason's words).</summary>
public static class ParkReasons
{
    public const string UnknownKind = "unknown-kind";
    public const string UnknownSchemaVersion = "unknown-schema-version";
    public const string UnknownCenter = "unknown-center";
    public const string InvalidEnvelope = "invalid-envelope";
    public const string Refused = "refused";

    /// <summary>An addressed event (a transfer record) that came in clear: it must be sealed to this center (ADR 0029).</summary>
    public const string Unsealed = "unsealed";

    /// <summary>A sealed event that does not open: changed, sealed to another key, or not signed by its source (ADR 0029).</summary>
    public const string SealBroken = "seal-broken";
}

/// <summary>An event that was not applied, kept whole with the reason.</summary>
public sealed record ParkedEvent(NetworkEnvelope Envelope, string ReasonCode, string Reason, DateTimeOffset ParkedAt);

/// <summary>A center this one knows (from its <c>center.profile</c> or from configuration), with the last event applied from it.</summary>
/// <param name="KnownBy"><c>profile</c> or <c>configuration</c>.</param>
/// <param name="LastEventAt">When the last event applied from the center occurred there (its commit time).</param>
/// <param name="LastAppliedAt">When this center applied it.</param>
public sealed record NetworkCenter(
    string Code,
    string Name,
    string TimeZone,
    CenterCapabilities Capabilities,
    string KnownBy,
    long? ProfileVersion,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset? LastEventAt,
    DateTimeOffset? LastAppliedAt,
    long EventsApplied)
{
    /// <summary>now − occurred time of the last applied event; null before any.</summary>
    public TimeSpan? Lag(DateTimeOffset now) => LastEventAt is { } at ? now - at : null;

    /// <summary>How long the last applied event took from its commit there to its application here.</summary>
    public TimeSpan? DeliveryDelay => LastEventAt is { } occurred && LastAppliedAt is { } applied ? applied - occurred : null;
}

/// <summary>The link to the NATS server.</summary>
public enum LinkStatus
{
    Connecting,
    Connected,
    Disconnected,
}

/// <summary>The link to the NATS server as the engine last recorded it.</summary>
public sealed record LinkState(string Url, LinkStatus Status, DateTimeOffset ChangedAt, DateTimeOffset? LastContactAt)
{
    /// <summary>Why the link failed last (e.g. the server refused the credentials), until the next contact; never a secret (ADR 0029).</summary>
    public string? LastError { get; init; }
}

/// <summary>The outbox seen from the relay: how much waits, since when, and when the relay last had an acknowledgement.</summary>
public sealed record OutboxSummary(long Total, long Pending, DateTimeOffset? OldestPendingAt, DateTimeOffset? LastRelayedAt);

/// <summary>The network's tables (migration 0015) and the relay's view of the outbox, within a unit of work.</summary>
public interface INetworkStore
{
    // ---- inbox
    Task<bool> InboxContainsAsync(Guid eventId, CancellationToken ct = default);

    Task RecordInboxAsync(NetworkEnvelope envelope, InboxOutcome outcome, DateTimeOffset receivedAt, CancellationToken ct = default);

    /// <summary>The highest version applied for (source center, entity key); null when none.</summary>
    Task<long?> EntityVersionAsync(string sourceCenter, string entityKey, CancellationToken ct = default);

    /// <summary>Records <paramref name="version"/> unless an equal or higher one is there (then false: another writer won).</summary>
    Task<bool> SetEntityVersionAsync(string sourceCenter, string entityKey, long version, Guid eventId, DateTimeOffset appliedAt, CancellationToken ct = default);

    Task ParkAsync(ParkedEvent parked, CancellationToken ct = default);

    /// <summary>Parked events, newest first.</summary>
    Task<IReadOnlyList<ParkedEvent>> ParkedAsync(int limit, CancellationToken ct = default);

    Task<long> ParkedCountAsync(CancellationToken ct = default);

    /// <summary>Removes the parked events of <paramref name="sourceCenter"/> with <paramref name="reasonCode"/> (and their inbox rows) and returns them, to be received again.</summary>
    Task<IReadOnlyList<ParkedEvent>> ReleaseParkedAsync(string sourceCenter, string reasonCode, CancellationToken ct = default);

    // ---- centers
    Task<NetworkCenter?> CenterAsync(string code, CancellationToken ct = default);

    Task<IReadOnlyList<NetworkCenter>> CentersAsync(CancellationToken ct = default);

    /// <summary>Creates or updates the center of <paramref name="profile"/> (known by profile).</summary>
    Task SaveProfileAsync(CenterProfile profile, long version, CancellationToken ct = default);

    /// <summary>The public keys <paramref name="code"/>'s profile told (ADR 0029); null when it told none or is unknown.</summary>
    Task<RadRegen.Network.Privacy.CenterPublicKeys?> CenterKeysAsync(string code, CancellationToken ct = default);

    /// <summary>When this center's whole state was published to <paramref name="network"/> on joining it (ADR 0029); null: not yet.</summary>
    Task<DateTimeOffset?> JoinedAsync(string network, CancellationToken ct = default);

    /// <summary>Records that this center's whole state was published to <paramref name="network"/>; false when another process did first.</summary>
    Task<bool> RecordJoinAsync(string network, string center, DateTimeOffset at, int lots, int capacity, CancellationToken ct = default);

    /// <summary>Adds a center named in configuration, unless known already.</summary>
    Task EnsureConfiguredCenterAsync(string code, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Notes an event applied from <paramref name="code"/> (last event, lag).</summary>
    Task CenterAppliedAsync(string code, DateTimeOffset occurredAt, DateTimeOffset appliedAt, CancellationToken ct = default);

    // ---- outbox (relay side)
    /// <summary>
    /// Outbox rows not yet acknowledged by JetStream, by position, after <paramref name="after"/>. The
    /// relay starts each round at 0 (not at a remembered cursor: on PostgreSQL identity positions may
    /// commit out of order) and pages on only past rows it holds back within the round.
    /// </summary>
    Task<IReadOnlyList<OutboxRecord>> PendingAsync(int limit, long after = 0, CancellationToken ct = default);

    Task MarkRelayedAsync(IReadOnlyCollection<long> positions, DateTimeOffset relayedAt, CancellationToken ct = default);

    Task<OutboxSummary> OutboxSummaryAsync(CancellationToken ct = default);

    /// <summary>The payload of this center's last enqueued event of <paramref name="kind"/> for <paramref name="entityKey"/>.</summary>
    Task<string?> LastOwnPayloadAsync(string kind, string entityKey, CancellationToken ct = default);

    // ---- link
    Task SaveLinkAsync(LinkState link, CancellationToken ct = default);

    Task<LinkState?> LinkAsync(CancellationToken ct = default);
}
