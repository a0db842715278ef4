namespace RadRegen.Network.Hub;

/// <summary>
/// What a member may see of a request and its offers, by their confidentiality labels (issue 14
/// item 6; USIE and IRMIS label every report, reference/network/hub.md §3). Public: anyone. Members:
/// any registered member. Restricted: the requester, the addressees and the members that offered (an
/// offer marked restricted: the requester and its offerer only). The same rule serves queries
/// (<c>asMember</c>) and IRIX exports (<c>for</c>).
/// </summary>
public static class HubAccess
{
    /// <summary>True when <paramref name="viewer"/> (null: an outsider, e.g. a public export) may see the request.</summary>
    public static bool MaySee(AssistanceRequest request, IReadOnlyList<AssistanceOffer> offers, HubMember? viewer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offers);
        return request.Confidentiality switch
        {
            Confidentiality.Public => true,
            Confidentiality.Members => viewer is not null,
            _ => viewer is not null && (viewer.Code == request.Requester || request.Addressees.Contains(viewer.Code)
                || offers.Any(o => o.Offerer == viewer.Code)),
        };
    }

    /// <summary>True when <paramref name="viewer"/> may see the offer (given that it sees its request).</summary>
    public static bool MaySee(AssistanceOffer offer, AssistanceRequest request, HubMember? viewer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(request);
        return offer.Confidentiality switch
        {
            Confidentiality.Public => true,
            Confidentiality.Members => viewer is not null,
            _ => viewer is not null && (viewer.Code == request.Requester || viewer.Code == offer.Offerer),
        };
    }

    /// <summary>
    /// The view as <paramref name="viewer"/> may see it, or null when it may not see the request at
    /// all. Null viewer: this center's own users, who see what the center keeps (a restricted request
    /// is kept only by the centers of its audience, <see cref="HubRequestHandler"/>).
    /// </summary>
    public static RequestView? Filter(RequestView view, HubMember? viewer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (viewer is null)
        {
            return view;
        }

        if (!MaySee(view.Request, view.Offers, viewer))
        {
            return null;
        }

        var offers = view.Offers.Where(o => MaySee(o, view.Request, viewer)).ToList();
        return offers.Count == view.Offers.Count ? view : RequestView.Of(view.Request, offers, now);
    }

    /// <summary>Whether this center may keep a restricted record whose audience is <paramref name="audience"/>.</summary>
    public static bool MayKeep(Confidentiality label, IReadOnlyList<string> audience, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(options);
        return label != Confidentiality.Restricted || options.IsHub || (options.LocalCenter is { } here && audience.Contains(here));
    }
}
