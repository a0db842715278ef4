using System.Text.Json;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;
using RadRegen.Network.Privacy;

namespace RadRegen.Network.Hub;

/// <summary>
/// The international hub (issue 14, ADR 0032): a registry of members and their capabilities by RANET
/// area, requests for assistance and offers against them, moved through the EDXL-RM-named states
/// (request → offer → accept → commit → deliver → close, or release). Every change is journaled,
/// every step of a request or offer is e-signed (<see cref="SignatureService"/>, as the bank's release),
/// and the whole state is published in the same unit of work (<see cref="HubEvents"/>): all or nothing.
/// </summary>
public sealed class HubService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, HubOptions options)
{
    public HubOptions Options => options;

    // ---------------------------------------------------------------- registry

    /// <summary>Declares a member with its capabilities (the whole declaration replaces the previous one) and publishes it.</summary>
    public async Task<HubMember> DeclareMemberAsync(Actor actor, MemberInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.HubRegistryManage);
        var here = options.RequireLocalCenter();
        var errors = new List<FieldError>();
        var code = HubInputs.MemberCode(input.Code, "code", errors);
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new FieldError("name", "is required"));
        }

        var kind = HubCodes.Collect(() => HubCodes.ParseMemberKind(input.Kind, "kind"), errors);
        var country = HubInputs.Country(input.Country, errors);
        string? center = null;
        if (!string.IsNullOrWhiteSpace(input.Center))
        {
            center = RadRegen.Bank.Identity.Din.TryFacility(input.Center);
            if (center is null)
            {
                errors.Add(new FieldError("center", $"'{input.Center}' is not a facility code (a letter and four letters or digits, e.g. G1234)"));
            }
        }

        var capabilities = HubInputs.Capabilities(input.Capabilities, errors);
        new InputLimits(errors).Text("name", input.Name, Limits.Title).Text("organisation", input.Organisation, Limits.ShortName);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var existing = await store.GetMemberAsync(code!, ct);
        if (existing is not null && existing.Source != here)
        {
            throw new RuleViolationException($"code: member {code} is kept by center {existing.Source}; only that center may change its declaration");
        }

        var now = clock.UtcNow;
        var member = new HubMember(code!, input.Name!.Trim(), kind!.Value, country, HubInputs.Trimmed(input.Organisation), center, capabilities, here, now,
            actor.UserName, (existing?.Version ?? 0) + 1);
        if (!await store.SaveMemberAsync(member, existing?.Version ?? 0, ct))
        {
            throw new ConflictException($"member {code} was changed meanwhile; reload");
        }

        var payload = HubEvents.Payload(member);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("hub-member", member.Code, existing is null ? "declared" : "re-declared", payload), ct);
        await HubEvents.EnqueueAsync(uow, EventKinds.HubMember, HubEvents.MemberKey(member.Code), payload, now, ct);
        await uow.CommitAsync(ct);
        return member;
    }

    public async Task<IReadOnlyList<HubMember>> ListMembersAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IHubStore>().ListMembersAsync(ct);
    }

    public async Task<HubMember> GetMemberAsync(Actor actor, string code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IHubStore>().GetMemberAsync((code ?? "").Trim().ToUpperInvariant(), ct) ?? throw new NotFoundException($"no member {code}");
    }

    /// <summary>The registry searched: members' capabilities by area, kind, a day they must hold on (default today) and words.</summary>
    public async Task<IReadOnlyList<(HubMember Member, Capability Capability)>> SearchAsync(Actor actor, CapabilitySearch search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(search);
        actor.Demand(Operation.HubRead);
        var errors = new List<FieldError>();
        var area = string.IsNullOrWhiteSpace(search.Area) ? null : HubCodes.Collect(() => HubCodes.ParseArea(search.Area, "area"), errors);
        var kind = string.IsNullOrWhiteSpace(search.Kind) ? null : HubCodes.Collect(() => HubCodes.ParseKind(search.Kind, "kind"), errors);
        new InputLimits(errors).Text("text", search.Text, Limits.ShortName);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var day = search.ValidOn ?? DateOnly.FromDateTime(clock.UtcNow.UtcDateTime);
        var words = HubInputs.Trimmed(search.Text);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var members = await uow.Store<IHubStore>().ListMembersAsync(ct);
        return [.. members.SelectMany(m => m.Capabilities.Select(c => (Member: m, Capability: c)))
            .Where(x => x.Capability.ValidOn(day) && (area is null || x.Capability.Area == area) && (kind is null || x.Capability.Kind == kind)
                && (words is null || Contains(x.Member.Name, words) || Contains(x.Member.Code, words) || Contains(x.Capability.Description, words)
                    || Contains(x.Capability.ProductType, words) || Contains(x.Member.Country, words)))
            .OrderBy(x => x.Capability.Area).ThenBy(x => x.Capability.Kind).ThenByDescending(x => x.Capability.Quantity).ThenBy(x => x.Member.Code, StringComparer.Ordinal)];
    }

    private static bool Contains(string? haystack, string needle) => haystack?.Contains(needle, StringComparison.OrdinalIgnoreCase) == true;

    // ---------------------------------------------------------------- requests

    /// <summary>Enters a request for assistance, signed by the coordinator who enters it; published to the network.</summary>
    public async Task<RequestView> CreateRequestAsync(Actor actor, NewAssistanceRequest input, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.HubRequest);
        var here = options.RequireLocalCenter();
        var errors = new List<FieldError>();
        var draft = Draft(input, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var now = clock.UtcNow;
        var request = await CompleteAsync(store, draft with { Id = Guid.NewGuid().ToString("D"), Source = here, RequestedAt = now, RequestedBy = actor.UserName, Version = 1 }, ct);
        await store.SaveRequestAsync(request, 0, ct);
        await SignAsync(uow, actor, "hub-request", request.Id, "requested assistance", HubEvents.Payload(request), password, ct);
        await PublishRequestAsync(uow, actor.UserName, request, "requested", now, ct);
        await uow.CommitAsync(ct);
        return RequestView.Of(request, [], now);
    }

    /// <summary>The request fields of an input, checked (ids, times and audience are filled in later).</summary>
    internal static AssistanceRequest Draft(NewAssistanceRequest input, List<FieldError> errors)
    {
        var requester = HubInputs.MemberCode(input.Requester, "requester", errors);
        if (string.IsNullOrWhiteSpace(input.Subject))
        {
            errors.Add(new FieldError("subject", "is required (one line: what is asked)"));
        }

        if (string.IsNullOrWhiteSpace(input.Scope))
        {
            errors.Add(new FieldError("scope", "is required (the scope and type of assistance, Assistance Convention Art. 2.2)"));
        }

        var lines = HubInputs.Lines(input.Lines, errors);
        var patients = HubInputs.Patients(input.Patients, errors);
        var urgency = HubCodes.Collect(() => HubCodes.ParseUrgency(input.Urgency, "urgency"), errors);
        var label = HubCodes.Collect(() => HubCodes.ParseConfidentiality(input.Confidentiality, "confidentiality"), errors);
        if (input.AnswerWithinHours is not { } hours || hours < 1 || hours > HubInputs.MaxAnswerHours)
        {
            errors.Add(new FieldError("answerWithinHours", $"must be a whole number of hours from 1 to {HubInputs.MaxAnswerHours}: the window for the prompt answer the Convention asks (Art. 2.3 names no number, so the requester states it)"));
        }

        var addressees = new List<string>();
        foreach (var (a, i) in (input.Addressees ?? []).Select((a, i) => (a, i)))
        {
            if (HubInputs.MemberCode(a, $"addressees[{i}]", errors) is { } code && !addressees.Contains(code, StringComparer.Ordinal))
            {
                addressees.Add(code);
            }
        }

        new InputLimits(errors).Text("subject", input.Subject, Limits.Title).Text("scope", input.Scope, Limits.FreeText)
            .Text("supportingInformation", input.SupportingInformation, Limits.FreeText).Count("addressees", addressees.Count, Limits.ShortList);
        return new AssistanceRequest("", "", requester ?? "", input.Subject?.Trim() ?? "", input.Scope?.Trim() ?? "", lines, patients,
            HubInputs.Trimmed(input.SupportingInformation), urgency ?? Urgency.Routine, label ?? Confidentiality.Restricted, addressees, [],
            input.AnswerWithinHours ?? 0, default, "", null, null, null, null, null, 0);
    }

    /// <summary>Checks the requester and addressees against the registry and fills in the audience.</summary>
    internal async Task<AssistanceRequest> CompleteAsync(IHubStore store, AssistanceRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var requester = await store.GetMemberAsync(request.Requester, ct);
        if (requester is null)
        {
            errors.Add(new FieldError("requester", $"no member {request.Requester} in the registry; declare it first (a State contact point, collaborating center or liaison institution)"));
        }

        var audience = new SortedSet<string>(StringComparer.Ordinal) { request.Source };
        if (options.HubCenter is { } hub)
        {
            audience.Add(hub);
        }

        if (requester?.Center is { } rc)
        {
            audience.Add(rc);
        }

        for (var i = 0; i < request.Addressees.Count; i++)
        {
            var m = await store.GetMemberAsync(request.Addressees[i], ct);
            if (m is null)
            {
                errors.Add(new FieldError($"addressees[{i}]", $"no member {request.Addressees[i]} in the registry"));
            }
            else if (m.Center is { } c)
            {
                audience.Add(c);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return request with { Audience = [.. audience] };
    }

    /// <summary>
    /// Requests as this center keeps them, newest first, optionally only those in <paramref name="state"/>
    /// or open ones; with <paramref name="asMember"/>, only what that member's view allows (<see cref="HubAccess"/>).
    /// </summary>
    public async Task<IReadOnlyList<RequestView>> ListRequestsAsync(Actor actor, string? state = null, bool openOnly = false, string? asMember = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        HubState? wanted = string.IsNullOrWhiteSpace(state) ? null : HubCodes.ParseState(state, "state");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IHubStore>();
        var viewer = await ViewerAsync(store, asMember, ct);
        var offers = (await store.ListOffersAsync(null, ct)).ToLookup(o => o.RequestId, StringComparer.Ordinal);
        var now = clock.UtcNow;
        var views = new List<RequestView>();
        foreach (var r in await store.ListRequestsAsync(ct))
        {
            var view = HubAccess.Filter(RequestView.Of(r, [.. offers[r.Id]], now), viewer, now);
            if (view is not null && (wanted is null || view.State == wanted) && (!openOnly || !r.Ended))
            {
                views.Add(view);
            }
        }

        return views;
    }

    public async Task<RequestView> GetRequestAsync(Actor actor, string id, string? asMember = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IHubStore>();
        var viewer = await ViewerAsync(store, asMember, ct);
        var r = await store.GetRequestAsync(id ?? "", ct) ?? throw new NotFoundException($"no request {id}");
        var now = clock.UtcNow;
        // A request the member may not see is as absent as one that does not exist (no existence leak).
        return HubAccess.Filter(RequestView.Of(r, await store.ListOffersAsync(r.Id, ct), now), viewer, now) ?? throw new NotFoundException($"no request {id}");
    }

    internal static async Task<HubMember?> ViewerAsync(IHubStore store, string? asMember, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(asMember))
        {
            return null;
        }

        var code = asMember.Trim().ToUpperInvariant();
        return await store.GetMemberAsync(code, ct) ?? throw new DomainValidationException("asMember", $"no member {code} in the registry");
    }

    /// <summary>The requester's side ends a delivered request (all accepted offers delivered); offers never accepted are released.</summary>
    public Task<RequestView> CloseRequestAsync(Actor actor, string id, string password, CancellationToken ct = default) =>
        EndRequestAsync(actor, id, password, null, close: true, ct);

    /// <summary>The requester's side releases a request it no longer needs (EDXL-RM ReleaseResource): every live offer is released with it.</summary>
    public Task<RequestView> ReleaseRequestAsync(Actor actor, string id, string? reason, string password, CancellationToken ct = default) =>
        EndRequestAsync(actor, id, password, reason, close: false, ct);

    private async Task<RequestView> EndRequestAsync(Actor actor, string id, string password, string? reason, bool close, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRequest);
        var here = options.RequireLocalCenter();
        if (!close)
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new DomainValidationException("reason", "is required (why the assistance is no longer needed)");
            }

            new InputLimits().Text("reason", reason, Limits.FreeText).ThrowIfAny();
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var r = await store.GetRequestAsync(id ?? "", ct) ?? throw new NotFoundException($"no request {id}");
        if (r.Source != here)
        {
            throw new RuleViolationException($"request: {r.Id} is kept by center {r.Source}; only that center may {(close ? "close" : "release")} it");
        }

        var offers = await store.ListOffersAsync(r.Id, ct);
        var state = RequestView.StateOf(r, offers);
        var action = close ? "close" : "release";
        if (r.Ended)
        {
            throw new RuleViolationException($"state: request {r.Id} is {state.Name()}; '{action}' needs an open request");
        }

        if (close && state != HubState.Delivered)
        {
            throw new RuleViolationException($"state: request {r.Id} is {state.Name()}; 'close' needs it delivered (every accepted offer delivered)");
        }

        var now = clock.UtcNow;
        var ended = close
            ? r with { ClosedAt = now, ClosedBy = actor.UserName, Version = r.Version + 1 }
            : r with { ReleasedAt = now, ReleasedBy = actor.UserName, ReleaseReason = reason!.Trim(), Version = r.Version + 1 };
        if (!await store.SaveRequestAsync(ended, r.Version, ct))
        {
            throw new ConflictException($"request {r.Id} was changed meanwhile; reload");
        }

        await SignAsync(uow, actor, "hub-request", r.Id, close ? "closed request" : "released request", HubEvents.Payload(ended), password, ct);
        await PublishRequestAsync(uow, actor.UserName, ended, close ? "closed" : "released", now, ct);
        var after = new List<AssistanceOffer>();
        foreach (var o in offers)
        {
            var changed = o.Live
                ? close && o.State == HubState.Delivered
                    ? o with { ClosedAt = now, ClosedBy = actor.UserName }
                    : o with { ReleasedAt = now, ReleasedBy = actor.UserName, ReleaseReason = close ? "request closed" : reason!.Trim() }
                : o;
            if (!ReferenceEquals(changed, o))
            {
                changed = changed with { Version = o.Version + 1 };
                if (!await store.SaveOfferAsync(changed, o.Version, ct))
                {
                    throw new ConflictException($"offer {o.Id} was changed meanwhile; reload");
                }

                await PublishOfferAsync(uow, actor.UserName, changed, changed.State == HubState.Closed ? "closed" : "released", now, ct);
            }

            after.Add(changed);
        }

        await uow.CommitAsync(ct);
        return RequestView.Of(ended, after, now);
    }

    // ---------------------------------------------------------------- offers

    /// <summary>Offers assistance against an open request on behalf of a member this center keeps; signed; published.</summary>
    public async Task<AssistanceOffer> OfferAsync(Actor actor, string requestId, NewAssistanceOffer input, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.HubOffer);
        var here = options.RequireLocalCenter();
        var errors = new List<FieldError>();
        var offerer = HubInputs.MemberCode(input.Offerer, "offerer", errors);
        if (string.IsNullOrWhiteSpace(input.Scope))
        {
            errors.Add(new FieldError("scope", "is required (what is offered, Assistance Convention Art. 2.3)"));
        }

        var lines = HubInputs.Lines(input.Lines, errors);
        var label = string.IsNullOrWhiteSpace(input.Confidentiality) ? (Confidentiality?)null
            : HubCodes.Collect(() => HubCodes.ParseConfidentiality(input.Confidentiality, "confidentiality"), errors);
        var currency = HubInputs.Currency(input.CostCurrency, errors);
        if (input.CostAmount is { } cost && cost < 0)
        {
            errors.Add(new FieldError("costAmount", "must not be negative (0: free of charge)"));
        }

        if (input.CostAmount is not null && currency is null)
        {
            errors.Add(new FieldError("costCurrency", "is required with a cost amount (ISO 4217, e.g. EUR)"));
        }

        new InputLimits(errors).Text("scope", input.Scope, Limits.FreeText).Text("terms", input.Terms, Limits.FreeText);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var r = await store.GetRequestAsync(requestId ?? "", ct) ?? throw new NotFoundException($"no request {requestId}");
        var state = RequestView.StateOf(r, await store.ListOffersAsync(r.Id, ct));
        if (r.Ended || state == HubState.Delivered)
        {
            throw new RuleViolationException($"state: request {r.Id} is {state.Name()}; an offer needs an open request (requested, offered, accepted or committed)");
        }

        var member = await store.GetMemberAsync(offerer!, ct)
            ?? throw new DomainValidationException("offerer", $"no member {offerer} in the registry; declare it first");
        if (member.Source != here)
        {
            throw new RuleViolationException($"offerer: member {member.Code} is kept by center {member.Source}; that center offers on its behalf");
        }

        if (member.Code == r.Requester)
        {
            throw new DomainValidationException("offerer", $"{member.Code} is the requester of {r.Id}");
        }

        var now = clock.UtcNow;
        var audience = new SortedSet<string>(r.Audience, StringComparer.Ordinal) { here };
        var offer = new AssistanceOffer(Guid.NewGuid().ToString("D"), r.Id, here, r.Source, member.Code, input.Scope!.Trim(), lines, HubInputs.Trimmed(input.Terms),
            input.CostAmount, currency, label ?? r.Confidentiality, [.. audience], now, actor.UserName,
            null, null, null, null, null, null, null, null, null, null, null, null, null, 1);
        await store.SaveOfferAsync(offer, 0, ct);
        await SignAsync(uow, actor, "hub-offer", offer.Id, "offered assistance", HubEvents.Payload(offer), password, ct);
        await PublishOfferAsync(uow, actor.UserName, offer, "offered", now, ct);
        await uow.CommitAsync(ct);
        return offer;
    }

    /// <summary>The requesting side accepts an offer (EDXL-RM RequisitionResource).</summary>
    public Task<AssistanceOffer> AcceptAsync(Actor actor, string offerId, string password, CancellationToken ct = default) =>
        StepAsync(actor, offerId, password, Side.Requester, "accept", "accepted offer", [HubState.Offered],
            (o, now, user) => o with { AcceptedAt = now, AcceptedBy = user }, ct);

    /// <summary>The offering side commits the resources (EDXL-RM CommitResource).</summary>
    public Task<AssistanceOffer> CommitAsync(Actor actor, string offerId, string password, CancellationToken ct = default) =>
        StepAsync(actor, offerId, password, Side.Offerer, "commit", "committed resources", [HubState.Accepted],
            (o, now, user) => o with { CommittedAt = now, CommittedBy = user }, ct);

    /// <summary>The offering side reports the assistance delivered (EDXL-RM ReportResourceDeploymentStatus).</summary>
    public Task<AssistanceOffer> DeliverAsync(Actor actor, string offerId, string password, CancellationToken ct = default) =>
        StepAsync(actor, offerId, password, Side.Offerer, "deliver", "delivered assistance", [HubState.Committed],
            (o, now, user) => o with { DeliveredAt = now, DeliveredBy = user }, ct);

    /// <summary>The offering side withdraws its offer before delivery, with a reason.</summary>
    public Task<AssistanceOffer> WithdrawAsync(Actor actor, string offerId, string? reason, string password, CancellationToken ct = default) =>
        StepAsync(actor, offerId, password, Side.Offerer, "withdraw", "withdrew offer", [HubState.Offered, HubState.Accepted, HubState.Committed],
            (o, now, user) => o with { WithdrawnAt = now, WithdrawnBy = user, ReleaseReason = Reason(reason) }, ct, needsReason: true, reason);

    /// <summary>The requesting side releases one offer it does not need (EDXL-RM ReleaseResource), with a reason.</summary>
    public Task<AssistanceOffer> ReleaseOfferAsync(Actor actor, string offerId, string? reason, string password, CancellationToken ct = default) =>
        StepAsync(actor, offerId, password, Side.Requester, "release", "released offer", [HubState.Offered, HubState.Accepted, HubState.Committed],
            (o, now, user) => o with { ReleasedAt = now, ReleasedBy = user, ReleaseReason = Reason(reason) }, ct, needsReason: true, reason);

    public async Task<AssistanceOffer> GetOfferAsync(Actor actor, string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IHubStore>().GetOfferAsync(id ?? "", ct) ?? throw new NotFoundException($"no offer {id}");
    }

    private static string Reason(string? reason) => reason!.Trim();

    private enum Side
    {
        Requester,
        Offerer,
    }

    private async Task<AssistanceOffer> StepAsync(Actor actor, string offerId, string password, Side side, string action, string meaning, HubState[] from,
        Func<AssistanceOffer, DateTimeOffset, string, AssistanceOffer> change, CancellationToken ct, bool needsReason = false, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(side == Side.Requester ? Operation.HubRequest : Operation.HubOffer);
        var here = options.RequireLocalCenter();
        if (needsReason && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", $"is required (why the offer is {(side == Side.Offerer ? "withdrawn" : "released")})");
        }

        new InputLimits().Text("reason", reason, Limits.FreeText).ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var o = await store.GetOfferAsync(offerId ?? "", ct) ?? throw new NotFoundException($"no offer {offerId}");
        var owner = side == Side.Requester ? o.RequestSource : o.Source;
        if (owner != here)
        {
            throw new RuleViolationException($"offer: only the {(side == Side.Requester ? "requesting" : "offering")} side {owner} may '{action}' offer {o.Id}; this is {here}");
        }

        if (!from.Contains(o.State))
        {
            throw new RuleViolationException($"state: offer {o.Id} is {o.State.Name()}; '{action}' needs it {string.Join(" or ", from.Select(s => s.Name()))}"
                + (from.Length == 1 && from[0].EdxlRmMessage() is { } m ? $" (EDXL-RM: {m} comes first)" : ""));
        }

        if (side == Side.Requester && await store.GetRequestAsync(o.RequestId, ct) is { Ended: true } ended)
        {
            throw new RuleViolationException($"state: request {ended.Id} is {(ended.ClosedAt is null ? "released" : "closed")}; its offers can no longer change");
        }

        var now = clock.UtcNow;
        var changed = change(o, now, actor.UserName) with { Version = o.Version + 1 };
        if (!await store.SaveOfferAsync(changed, o.Version, ct))
        {
            throw new ConflictException($"offer {o.Id} was changed meanwhile (by this center or a network event); reload");
        }

        await SignAsync(uow, actor, "hub-offer", o.Id, meaning, HubEvents.Payload(changed), password, ct);
        await PublishOfferAsync(uow, actor.UserName, changed, changed.State.Name(), now, ct);
        await uow.CommitAsync(ct);
        return changed;
    }

    // ---------------------------------------------------------------- IRIX 1.0

    /// <summary>
    /// Writes a request and the offers <paramref name="forMember"/> may see as an IRIX 1.0 report. A
    /// public request may go to anyone (no member); a members-only or restricted one only to a member
    /// its label allows (<see cref="HubAccess"/>). Each report gets a new ReportUUID; it Follows the
    /// request's previous report, or Revokes it once the request is released. The chain is recorded
    /// and journaled; with <see cref="HubOptions.IrixSchemaDirectory"/> the report is checked first.
    /// </summary>
    public async Task<(string Xml, IrixReportRecord Report)> ExportIrixAsync(Actor actor, string requestId, string? forMember, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        var viewer = await ViewerAsync(store, forMember, ct);
        var r = await store.GetRequestAsync(requestId ?? "", ct) ?? throw new NotFoundException($"no request {requestId}");
        var offers = await store.ListOffersAsync(r.Id, ct);
        if (!HubAccess.MaySee(r, offers, viewer))
        {
            throw new RuleViolationException(viewer is null
                ? $"for: request {r.Id} is {r.Confidentiality.Name()}; name the member the report is for (only a public request is exported to anyone)"
                : $"for: request {r.Id} is {r.Confidentiality.Name()} and {viewer.Code} is not among those its label allows (requester, addressees, members that offered)");
        }

        var visible = offers.Where(o => HubAccess.MaySee(o, r, viewer)).ToList();
        var chain = await store.ListIrixReportsAsync(r.Id, ct);
        var previous = chain.Count == 0 ? null : chain[^1].ReportUuid;
        var now = clock.UtcNow;
        var released = r.ReleasedAt is not null;
        var identification = new IrixIdentification(options.OrganisationReporting ?? options.RequireLocalCenter(), now, HubIrix.ReportContext, Guid.NewGuid().ToString("D"),
            released ? null : previous, released ? previous : null, r.Confidentiality.Name(), viewer is null ? [] : [viewer.Code]);
        var xml = HubIrix.Write(identification, r, visible);
        if (options.IrixSchemaDirectory is { } dir && HubIrix.Validate(xml, dir) is { Count: > 0 } faults)
        {
            throw new RuleViolationException($"irix: the report fails the IRIX schema in {dir}: {string.Join("; ", faults.Take(5))}");
        }

        var record = new IrixReportRecord(identification.ReportUuid, r.Id, "exported", identification.Follows, identification.Revokes, now, actor.UserName);
        await store.InsertIrixReportAsync(record, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("hub-request", r.Id, "irix-exported",
            new { reportUuid = record.ReportUuid, record.Follows, record.Revokes, forMember = viewer?.Code, offers = visible.Count, confidentiality = r.Confidentiality.Name() }), ct);
        await uow.CommitAsync(ct);
        return (xml, record);
    }

    /// <summary>
    /// Reads an IRIX 1.0 request report and enters it here, signed by the importing coordinator: a new
    /// report creates the request (its RequestUUID becomes the request's id); a report that Follows a
    /// known report replaces the request's fields; one that Revokes it releases the request. Responses
    /// become offers (state "offered") of members this center keeps. All or nothing; a report already
    /// read is a conflict.
    /// </summary>
    public async Task<RequestView> ImportIrixAsync(Actor actor, string xml, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HubIrixImport);
        var here = options.RequireLocalCenter();
        new InputLimits().Text("irix", xml, new TextLimit("IRIX report", 1_000_000, "a request report is a few kilobytes; a megabyte is far beyond one")).ThrowIfAny();
        var report = HubIrix.Read(xml, options.IrixSchemaDirectory);
        var head = report.Requests.FirstOrDefault(q => q.Response is null) ?? report.Requests[0];
        var fields = HubIrix.Fields(head.Text);
        string? Field(string key) => fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        var errors = new List<FieldError>();
        var lines = fields.Where(f => f.Key.Equals("Line", StringComparison.OrdinalIgnoreCase)).Select(f => HubIrix.Parts(f.Value))
            .Select(p => new LineInput(p.GetValueOrDefault("area"), Empty(p.GetValueOrDefault("kind")), Int(p.GetValueOrDefault("quantity")),
                Empty(p.GetValueOrDefault("product")), Empty(p.GetValueOrDefault("note")))).ToList();
        var patients = fields.Where(f => f.Key.Equals("Patients", StringComparison.OrdinalIgnoreCase)).Select(f => HubIrix.Parts(f.Value))
            .Select(p => new PatientInput(Empty(p.GetValueOrDefault("triage")), Int(p.GetValueOrDefault("rc")), Int(p.GetValueOrDefault("count")))).ToList();

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHubStore>();
        if (await store.FindIrixReportAsync(report.Identification.ReportUuid, ct) is { } seen)
        {
            throw new ConflictException($"IRIX report {seen.ReportUuid} was already {seen.Direction} here (request {seen.RequestId})");
        }

        var requester = Field("Requester");
        if (requester is null)
        {
            var org = report.Identification.OrganisationReporting;
            requester = (await store.ListMembersAsync(ct)).FirstOrDefault(m => string.Equals(m.Organisation, org, StringComparison.OrdinalIgnoreCase))?.Code;
            if (requester is null)
            {
                errors.Add(new FieldError("Identification.OrganisationReporting", $"'{org}' is no member's IRIX organisation and the request text names no 'Requester:'; declare the member with this organisation first"));
            }
        }

        var input = new NewAssistanceRequest(requester, head.Subject, Field("Scope") ?? head.Text, lines, patients, Field("Supporting-Information"),
            Field("Urgency") ?? "routine", Field("Confidentiality") ?? report.Identification.Confidentiality ?? "restricted", [], Int(Field("Answer-Within-Hours")));
        if (lines.Count == 0)
        {
            errors.Add(new FieldError("Requests.Request[0].RequestText", "names no coded capability area ('Line: area=…'); a request is coded by RANET area"));
        }

        var draft = Draft(input, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors.DistinctBy(e => e.ToString()).ToList());
        }

        var now = clock.UtcNow;
        var prior = report.Identification.Revokes ?? report.Identification.Follows;
        AssistanceRequest request;
        string action;
        if (prior is not null)
        {
            var previous = await store.FindIrixReportAsync(prior, ct)
                ?? throw new DomainValidationException(report.Identification.Revokes is null ? "Identification.Follows" : "Identification.Revokes", $"report {prior} is not known here");
            var existing = (await store.GetRequestAsync(previous.RequestId, ct))!;
            if (existing.Source != here)
            {
                throw new RuleViolationException($"request: {existing.Id} is kept by center {existing.Source}; only that center may take a newer report of it");
            }

            if (existing.Ended)
            {
                throw new RuleViolationException($"state: request {existing.Id} is {(existing.ClosedAt is null ? "released" : "closed")}; a newer report cannot change it");
            }

            request = report.Identification.Revokes is not null
                ? existing with { ReleasedAt = now, ReleasedBy = actor.UserName, ReleaseReason = $"revoked by IRIX report {report.Identification.ReportUuid}", Version = existing.Version + 1 }
                : await CompleteAsync(store, existing with
                {
                    Requester = draft.Requester, Subject = draft.Subject, Scope = draft.Scope, Lines = draft.Lines, Patients = draft.Patients,
                    SupportingInformation = draft.SupportingInformation, Urgency = draft.Urgency, Confidentiality = draft.Confidentiality,
                    AnswerWithinHours = draft.AnswerWithinHours, Version = existing.Version + 1,
                }, ct);
            if (!await store.SaveRequestAsync(request, existing.Version, ct))
            {
                throw new ConflictException($"request {existing.Id} was changed meanwhile; reload");
            }

            action = report.Identification.Revokes is null ? "irix-updated" : "released";
        }
        else
        {
            if (await store.GetRequestAsync(head.RequestUuid, ct) is not null)
            {
                throw new ConflictException($"request {head.RequestUuid} exists here; a newer report of it must say Follows (or Revokes)");
            }

            request = await CompleteAsync(store, draft with { Id = head.RequestUuid, Source = here, RequestedAt = now, RequestedBy = actor.UserName, Version = 1 }, ct);
            await store.SaveRequestAsync(request, 0, ct);
            action = "requested";
        }

        await SignAsync(uow, actor, "hub-request", request.Id, "imported IRIX request report", HubEvents.Payload(request), password, ct);
        await store.InsertIrixReportAsync(new IrixReportRecord(report.Identification.ReportUuid, request.Id, "imported", report.Identification.Follows,
            report.Identification.Revokes, now, actor.UserName), ct);
        await PublishRequestAsync(uow, actor.UserName, request, action, now, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("hub-request", request.Id, "irix-imported",
            new { reportUuid = report.Identification.ReportUuid, report.Identification.Follows, report.Identification.Revokes, report.Identification.OrganisationReporting }), ct);
        foreach (var (resp, i) in report.Requests.Where(q => q.Response is not null).Select((q, i) => (q.Response!, i)))
        {
            if (await store.GetOfferAsync(resp.ResponseUuid, ct) is not null)
            {
                continue; // Already here from an earlier report of the chain.
            }

            var rf = HubIrix.Fields(resp.Text);
            string? R(string key) => rf.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            var offerErrors = new List<FieldError>();
            var offerer = HubInputs.MemberCode(R("Offerer"), $"responses[{i}].Offerer", offerErrors);
            var offerLines = HubInputs.Lines([.. rf.Where(f => f.Key.Equals("Line", StringComparison.OrdinalIgnoreCase)).Select(f => HubIrix.Parts(f.Value))
                .Select(p => new LineInput(p.GetValueOrDefault("area"), Empty(p.GetValueOrDefault("kind")), Int(p.GetValueOrDefault("quantity")),
                    Empty(p.GetValueOrDefault("product")), Empty(p.GetValueOrDefault("note"))))], offerErrors);
            var member = offerer is null ? null : await store.GetMemberAsync(offerer, ct);
            if (offerer is not null && member is null)
            {
                offerErrors.Add(new FieldError($"responses[{i}].Offerer", $"no member {offerer} in the registry"));
            }
            else if (member is not null && member.Source != here)
            {
                offerErrors.Add(new FieldError($"responses[{i}].Offerer", $"member {member.Code} is kept by center {member.Source}; that center enters its offers"));
            }

            if (offerErrors.Count > 0)
            {
                throw new DomainValidationException(offerErrors);
            }

            var cost = R("Cost")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var offer = new AssistanceOffer(resp.ResponseUuid, request.Id, here, request.Source, member!.Code, R("Scope") ?? resp.Text, offerLines, R("Terms"),
                cost is { Length: 2 } && decimal.TryParse(cost[0], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var amount) ? amount : null,
                cost is { Length: 2 } ? cost[1] : null, request.Confidentiality, [.. new SortedSet<string>(request.Audience, StringComparer.Ordinal) { here }],
                now, actor.UserName, null, null, null, null, null, null, null, null, null, null, null, null, null, 1);
            await store.SaveOfferAsync(offer, 0, ct);
            await PublishOfferAsync(uow, actor.UserName, offer, "offered", now, ct);
        }

        await uow.CommitAsync(ct);
        return RequestView.Of(request, await ListOffersAfterAsync(request.Id, ct), now);
    }

    private async Task<IReadOnlyList<AssistanceOffer>> ListOffersAfterAsync(string requestId, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IHubStore>().ListOffersAsync(requestId, ct);
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static int? Int(string? s) => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    // ---------------------------------------------------------------- shared

    private async Task SignAsync(IUnitOfWork uow, Actor actor, string type, string id, string meaning, object content, string password, CancellationToken ct) =>
        await signatures.SignAsync(uow, actor, new SignatureIntent(type, id, meaning, content), password, ct);

    internal async Task PublishRequestAsync(IUnitOfWork uow, string user, AssistanceRequest r, string action, DateTimeOffset now, CancellationToken ct)
    {
        var payload = HubEvents.Payload(r);
        await uow.Journal.AppendAsync(user, new JournalRecord("hub-request", r.Id, action, payload), ct);
        var to = await HubEvents.RecipientsAsync(uow, r.Confidentiality, r.Audience, options, ct);
        await HubEvents.EnqueueAsync(uow, EventKinds.HubRequest, HubEvents.RequestKey(r.Id), payload, to, now, ct);
    }

    internal async Task PublishOfferAsync(IUnitOfWork uow, string user, AssistanceOffer o, string action, DateTimeOffset now, CancellationToken ct)
    {
        var payload = HubEvents.Payload(o);
        await uow.Journal.AppendAsync(user, new JournalRecord("hub-offer", o.Id, action, payload), ct);
        var to = await HubEvents.RecipientsAsync(uow, o.Confidentiality, o.Audience, options, ct);
        await HubEvents.EnqueueAsync(uow, EventKinds.HubOffer, HubEvents.OfferKey(o.Id), payload, to, now, ct);
    }
}

/// <summary>The hub's events: entity keys and payloads (schema 1: the whole record, its local version left out).</summary>
public static class HubEvents
{
    public const int SchemaVersion = 1;

    public static string MemberKey(string code) => $"hub-member/{code}";

    public static string RequestKey(string id) => $"hub-request/{id}";

    public static string OfferKey(string id) => $"hub-offer/{id}";

    public static HubMember Payload(HubMember m) => m with { Version = 0 };

    public static AssistanceRequest Payload(AssistanceRequest r) => r with { Version = 0 };

    public static AssistanceOffer Payload(AssistanceOffer o) => o with { Version = 0 };

    internal static Task EnqueueAsync(IUnitOfWork uow, string kind, string key, object payload, DateTimeOffset now, CancellationToken ct) =>
        uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(kind, SchemaVersion, key, JsonSerializer.Serialize(payload, payload.GetType(), HubJson.Options)), now, ct);

    /// <summary>
    /// Enqueues the event on the shared subject (<paramref name="recipients"/> null: every center), or one
    /// copy addressed to each recipient (<see cref="Addressing.To"/>): the engine seals each to its
    /// addressee and publishes it on the addressee's own subject (ADR 0029), never on the shared one.
    /// </summary>
    internal static async Task EnqueueAsync(IUnitOfWork uow, string kind, string key, object payload, IReadOnlyList<string>? recipients, DateTimeOffset now, CancellationToken ct)
    {
        if (recipients is null)
        {
            await EnqueueAsync(uow, kind, key, payload, now, ct);
            return;
        }

        foreach (var center in recipients)
        {
            await EnqueueAsync(uow, kind, Addressing.To(center, key), payload, now, ct);
        }
    }

    /// <summary>
    /// Who a request or offer goes to (ADR 0032, amended): null (every center) when it is public; the
    /// centers of its audience when restricted (the source, the hub, the requester's, the addressees'
    /// and for an offer the offering center); when members-only, the hub, the audience and every center
    /// that keeps a member of this center's registry (the registry is broadcast, so the sender knows it;
    /// a center that is in no member's record is not a member and is not sent it). This center is left
    /// out: its own events never come back to it.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> RecipientsAsync(IUnitOfWork uow, Confidentiality label, IReadOnlyList<string> audience, HubOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(options);
        if (label == Confidentiality.Public)
        {
            return null;
        }

        var to = new SortedSet<string>(audience, StringComparer.Ordinal);
        if (options.HubCenter is { } hub)
        {
            to.Add(hub);
        }

        if (label == Confidentiality.Members)
        {
            foreach (var member in await uow.Store<IHubStore>().ListMembersAsync(ct))
            {
                if (member.Center is { } center)
                {
                    to.Add(center);
                }
            }
        }

        if (options.LocalCenter is { } here)
        {
            to.Remove(here);
        }

        return [.. to];
    }
}
