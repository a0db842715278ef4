using RadRegen.Core;
using RadRegen.Network.Events;
using RadRegen.Network.Privacy;

namespace RadRegen.Network.Inbox;

/// <summary>
/// Who this center is in the network, and which other centers configuration names as known before
/// their profile arrives (<c>Network:Center</c>, <c>Network:KnownCenters</c>).
/// </summary>
public sealed record NetworkMembership(string Center, IReadOnlySet<string> KnownCenters)
{
    /// <summary>A center that is in no network (its own events are still recorded in the outbox).</summary>
    public static NetworkMembership Alone(string? center) => new(center ?? "", new HashSet<string>(StringComparer.Ordinal));

    /// <summary>The membership of <paramref name="center"/> (the one holder of the center's code), with the centers configuration names.</summary>
    public static NetworkMembership For(CenterIdentity center, IReadOnlySet<string>? knownCenters)
    {
        ArgumentNullException.ThrowIfNull(center);
        return new(center.Code ?? "", knownCenters ?? new HashSet<string>(StringComparer.Ordinal));
    }
}

/// <summary>
/// The idempotent consumer of the network (ADR 0022): receives one envelope inside one unit of
/// work — checks it (known kind, schema version and center, else parked with the reason), drops a
/// duplicate event id, and applies it only when its version is higher than the highest applied
/// for its (source center, entity key); the version and the inbox row are written in the same
/// transaction as the handler's changes. So any duplication or reordering of a log leaves the same
/// state (the property test in RadRegen.Network.Tests), and a refused payload leaves nothing half
/// applied (the unit of work is rolled back, then the event parked in a new one).
/// </summary>
public sealed class NetworkInbox
{
    private readonly IUnitOfWorkFactory _units;
    private readonly IClock _clock;
    private readonly NetworkMembership _membership;
    private readonly Dictionary<string, INetworkEventHandler> _handlers;
    private readonly CenterKeyring _keys;

    public NetworkInbox(IUnitOfWorkFactory units, IClock clock, NetworkMembership membership, IEnumerable<INetworkEventHandler> handlers, CenterKeyring? keys = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _keys = keys ?? CenterKeyring.None;
        _units = units;
        _clock = clock;
        _membership = membership;
        _handlers = new Dictionary<string, INetworkEventHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"two network event handlers for the kind {handler.Kind}");
            }
        }
    }

    /// <summary>The kinds this center applies.</summary>
    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <summary>Receives one envelope; see the class. Throws only when the database fails (the caller redelivers).</summary>
    public async Task<InboxOutcome> ReceiveAsync(NetworkEnvelope envelope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (string.Equals(envelope.SourceCenter, _membership.Center, StringComparison.Ordinal))
        {
            return InboxOutcome.Own;
        }

        if (Addressing.AddresseeOf(envelope.EntityKey) is { } addressee && !string.Equals(addressee, _membership.Center, StringComparison.Ordinal))
        {
            // Another center's record (an older sender published it on the shared subject): not read, not kept.
            return InboxOutcome.NotAddressed;
        }

        var result = await ReceiveOnceAsync(envelope, ct);
        if (result.Refused is { } reason)
        {
            // The handler's unit of work was rolled back (disposed without commit): nothing of it
            // stays; the event is parked in a new one.
            await using var uow = await _units.BeginAsync(WorkMode.Write, ct);
            var store = uow.Store<INetworkStore>();
            if (await store.InboxContainsAsync(envelope.EventId, ct))
            {
                return InboxOutcome.Duplicate;
            }

            await ParkAsync(store, envelope, ParkReasons.Refused, reason, _clock.UtcNow, ct);
            await uow.CommitAsync(ct);
            return InboxOutcome.Parked;
        }

        if (result.Raced)
        {
            // Another consumer applied an equal or newer version meanwhile: this one was rolled
            // back, and receiving it again records it as superseded.
            return await ReceiveAsync(envelope, ct);
        }

        foreach (var parked in result.Released)
        {
            await ReceiveAsync(parked.Envelope, ct);
        }

        return result.Outcome;
    }

    private sealed record Attempt(InboxOutcome Outcome, string? Refused = null, bool Raced = false)
    {
        public IReadOnlyList<ParkedEvent> Released { get; init; } = [];
    }

    private async Task<Attempt> ReceiveOnceAsync(NetworkEnvelope envelope, CancellationToken ct)
    {
        await using var uow = await _units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<INetworkStore>();
        if (await store.InboxContainsAsync(envelope.EventId, ct))
        {
            return new(InboxOutcome.Duplicate);
        }

        var now = _clock.UtcNow;
        if (await ProblemAsync(store, envelope, now, ct) is { } problem)
        {
            await ParkAsync(store, envelope, problem.Code, problem.Reason, now, ct);
            await uow.CommitAsync(ct);
            return new(InboxOutcome.Parked);
        }

        var current = await store.EntityVersionAsync(envelope.SourceCenter, envelope.EntityKey, ct);
        if (current >= envelope.EntityVersion)
        {
            await store.RecordInboxAsync(envelope, InboxOutcome.Superseded, now, ct);
            await uow.CommitAsync(ct);
            return new(InboxOutcome.Superseded);
        }

        var wasKnown = await store.CenterAsync(envelope.SourceCenter, ct) is not null;
        var readable = envelope;
        if (Addressing.AddresseeOf(envelope.EntityKey) is not null)
        {
            // Addressed to this center (ADR 0029): opened here, inside the unit of work; parked sealed when it does not open.
            var (opened, code, reason) = await OpenAsync(store, envelope, ct);
            if (opened is null)
            {
                await ParkAsync(store, envelope, code!, reason!, now, ct);
                await uow.CommitAsync(ct);
                return new(InboxOutcome.Parked);
            }

            readable = opened;
        }

        try
        {
            await _handlers[envelope.Kind].ApplyAsync(uow, readable, ct);
        }
        catch (DomainValidationException ex)
        {
            return new(InboxOutcome.Parked, Refused: ex.Message);
        }

        if (!await store.SetEntityVersionAsync(envelope.SourceCenter, envelope.EntityKey, envelope.EntityVersion, envelope.EventId, now, ct))
        {
            return new(InboxOutcome.Superseded, Raced: true);
        }

        await store.RecordInboxAsync(envelope, InboxOutcome.Applied, now, ct);
        await store.CenterAppliedAsync(envelope.SourceCenter, envelope.OccurredAt, now, ct);
        IReadOnlyList<ParkedEvent> released = [];
        if (!wasKnown && envelope.Kind == EventKinds.CenterProfile)
        {
            // The center is known now: what it sent before its profile is received again.
            released = await store.ReleaseParkedAsync(envelope.SourceCenter, ParkReasons.UnknownCenter, ct);
        }

        await uow.CommitAsync(ct);
        return new(InboxOutcome.Applied) { Released = released };
    }

    private async Task<(NetworkEnvelope? Opened, string? Code, string? Reason)> OpenAsync(INetworkStore store, NetworkEnvelope envelope, CancellationToken ct)
    {
        if (!SealedPayload.IsSealed(envelope.PayloadJson))
        {
            return (null, ParkReasons.Unsealed,
                $"{envelope.EntityKey} came unsealed: records addressed to one center must be sealed to it and signed by their sender (ADR 0029); an older RadRegen at {envelope.SourceCenter} sent it, or someone else did");
        }

        if (_keys.Keys is not { } mine)
        {
            return (null, ParkReasons.SealBroken, "this center has no network keys (Network:KeyFile) to open a sealed record");
        }

        if (await store.CenterKeysAsync(envelope.SourceCenter, ct) is not { } sender)
        {
            return (null, ParkReasons.SealBroken, $"center {envelope.SourceCenter} has told no public keys in its profile: its signature cannot be checked");
        }

        try
        {
            return (envelope with { PayloadJson = SealedPayload.Open(envelope, _membership.Center, mine, sender) }, null, null);
        }
        catch (SealException ex)
        {
            return (null, ParkReasons.SealBroken, ex.Message);
        }
    }

    private static async Task ParkAsync(INetworkStore store, NetworkEnvelope envelope, string code, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await store.ParkAsync(new ParkedEvent(envelope, code, reason, now), ct);
        await store.RecordInboxAsync(envelope, InboxOutcome.Parked, now, ct);
    }

    private async Task<(string Code, string Reason)?> ProblemAsync(INetworkStore store, NetworkEnvelope e, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(e.SourceCenter) || string.IsNullOrWhiteSpace(e.EntityKey) || e.EntityVersion <= 0 || e.PayloadJson is null)
        {
            return (ParkReasons.InvalidEnvelope, "the envelope lacks its source center, entity key or payload, its entity version is not positive, or it came under another center's subject");
        }

        if (!_handlers.TryGetValue(e.Kind ?? "", out var handler))
        {
            return (ParkReasons.UnknownKind, $"no handler for the kind '{e.Kind}' in this version of RadRegen (it applies {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))})");
        }

        if (!handler.SchemaVersions.Contains(e.SchemaVersion))
        {
            return (ParkReasons.UnknownSchemaVersion, $"schema version {e.SchemaVersion} of '{e.Kind}' is unknown here (this RadRegen reads {string.Join(", ", handler.SchemaVersions.Order())})");
        }

        if (e.Kind == EventKinds.CenterProfile || await store.CenterAsync(e.SourceCenter, ct) is not null)
        {
            return null;
        }

        if (_membership.KnownCenters.Contains(e.SourceCenter))
        {
            await store.EnsureConfiguredCenterAsync(e.SourceCenter, now, ct);
            return null;
        }

        return (ParkReasons.UnknownCenter, $"center {e.SourceCenter} is unknown: no center.profile received from it and not in Network:KnownCenters");
    }
}
