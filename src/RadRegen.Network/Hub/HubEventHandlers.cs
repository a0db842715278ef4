using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Network.Events;

namespace RadRegen.Network.Hub;

/// <summary>
/// Applies another center's <see cref="EventKinds.HubMember"/>: the member's whole declaration replaces
/// the stored one. Only the center that keeps a member may publish it.
/// </summary>
public sealed class HubMemberHandler : INetworkEventHandler
{
    public string Kind => EventKinds.HubMember;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { HubEvents.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var m = NetworkJson.Read<HubMember>(envelope.PayloadJson, HubJson.Options, nameof(HubMember));
        var errors = new List<FieldError>();
        if (m.Source != envelope.SourceCenter)
        {
            errors.Add(new FieldError("source", $"{envelope.SourceCenter} sent member {m.Code} kept by {m.Source}"));
        }

        HubInputs.MemberCode(m.Code, "code", errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var store = unitOfWork.Store<IHubStore>();
        var existing = await store.GetMemberAsync(m.Code, cancellationToken);
        if (existing is not null && existing.Source != m.Source)
        {
            throw new DomainValidationException("source", $"member {m.Code} is kept by {existing.Source} here; {m.Source} may not replace it");
        }

        if (!await store.SaveMemberAsync(m with { Version = (existing?.Version ?? 0) + 1 }, existing?.Version ?? 0, cancellationToken))
        {
            throw new ConflictException($"member {m.Code} changed while the network event was applied; the consumer retries");
        }

        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("hub-member", m.Code, "received",
            new { member = m, eventId = envelope.EventId, version = envelope.EntityVersion }), cancellationToken);
    }
}

/// <summary>
/// Applies another center's <see cref="EventKinds.HubRequest"/>: the request's whole state replaces the
/// stored one. A restricted request is kept only by the centers of its audience (its source, the hub,
/// the requester's and the addressees' centers); every other center drops it unread, as a transfer
/// record addressed elsewhere is dropped.
/// </summary>
public sealed class HubRequestHandler(HubOptions options) : INetworkEventHandler
{
    public string Kind => EventKinds.HubRequest;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { HubEvents.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var r = NetworkJson.Read<AssistanceRequest>(envelope.PayloadJson, HubJson.Options, nameof(AssistanceRequest));
        if (r.Source != envelope.SourceCenter)
        {
            throw new DomainValidationException("source", $"{envelope.SourceCenter} sent request {r.Id} kept by {r.Source}");
        }

        if (!HubAccess.MayKeep(r.Confidentiality, r.Audience, options))
        {
            return; // Restricted and not for this center: nothing stored, nothing journaled.
        }

        var store = unitOfWork.Store<IHubStore>();
        var existing = await store.GetRequestAsync(r.Id, cancellationToken);
        if (existing is not null && existing.Source != r.Source)
        {
            throw new DomainValidationException("source", $"request {r.Id} is kept by {existing.Source} here, not {r.Source}");
        }

        if (!await store.SaveRequestAsync(r with { Version = (existing?.Version ?? 0) + 1 }, existing?.Version ?? 0, cancellationToken))
        {
            throw new ConflictException($"request {r.Id} changed while the network event was applied; the consumer retries");
        }

        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("hub-request", r.Id, "received",
            new { request = r, eventId = envelope.EventId, version = envelope.EntityVersion }), cancellationToken);
    }
}

/// <summary>
/// Applies another center's <see cref="EventKinds.HubOffer"/>: the fields its source owns (the offering
/// side: offer, commitment, delivery, withdrawal; the requesting side: acceptance, closing, release)
/// are taken into the stored offer, so both sides converge whatever order their events arrive in.
/// </summary>
public sealed class HubOfferHandler(HubOptions options) : INetworkEventHandler
{
    public string Kind => EventKinds.HubOffer;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { HubEvents.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var p = NetworkJson.Read<AssistanceOffer>(envelope.PayloadJson, HubJson.Options, nameof(AssistanceOffer));
        if (!HubAccess.MayKeep(p.Confidentiality, p.Audience, options))
        {
            return;
        }

        var store = unitOfWork.Store<IHubStore>();
        var existing = await store.GetOfferAsync(p.Id, cancellationToken);
        var merged = Merge(existing, p, envelope.SourceCenter) with { Version = (existing?.Version ?? 0) + 1 };
        if (!await store.SaveOfferAsync(merged, existing?.Version ?? 0, cancellationToken))
        {
            throw new ConflictException($"offer {p.Id} changed while the network event was applied; the consumer retries");
        }

        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("hub-offer", p.Id, "received",
            new { offer = p, eventId = envelope.EventId, version = envelope.EntityVersion, state = merged.State.Name() }), cancellationToken);
    }

    /// <summary><paramref name="existing"/> with the fields <paramref name="source"/> owns taken from <paramref name="p"/>.</summary>
    public static AssistanceOffer Merge(AssistanceOffer? existing, AssistanceOffer p, string source)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (source != p.Source && source != p.RequestSource)
        {
            throw new DomainValidationException("source", $"{source} is neither side of offer {p.Id} ({p.Source} offers, {p.RequestSource} requested)");
        }

        if (existing is not null && (existing.Source != p.Source || existing.RequestSource != p.RequestSource || existing.RequestId != p.RequestId))
        {
            throw new DomainValidationException("source", $"offer {p.Id} is {existing.Source} → {existing.RequestSource} here, not {p.Source} → {p.RequestSource}");
        }

        var o = existing ?? p;
        return source == p.Source
            ? o with
            {
                Offerer = p.Offerer, Scope = p.Scope, Lines = p.Lines, Terms = p.Terms, CostAmount = p.CostAmount, CostCurrency = p.CostCurrency,
                Confidentiality = p.Confidentiality, Audience = p.Audience, OfferedAt = p.OfferedAt, OfferedBy = p.OfferedBy,
                CommittedAt = p.CommittedAt, CommittedBy = p.CommittedBy, DeliveredAt = p.DeliveredAt, DeliveredBy = p.DeliveredBy,
                WithdrawnAt = p.WithdrawnAt, WithdrawnBy = p.WithdrawnBy, ReleaseReason = p.WithdrawnAt is not null ? p.ReleaseReason : o.ReleaseReason,
            }
            : o with
            {
                AcceptedAt = p.AcceptedAt, AcceptedBy = p.AcceptedBy, ClosedAt = p.ClosedAt, ClosedBy = p.ClosedBy,
                ReleasedAt = p.ReleasedAt, ReleasedBy = p.ReleasedBy, ReleaseReason = p.ReleasedAt is not null ? p.ReleaseReason : o.ReleaseReason,
            };
    }
}
