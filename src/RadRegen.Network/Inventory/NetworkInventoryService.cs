using System.Globalization;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Network;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Network.Inventory;

/// <summary>
/// The shared inventory's settings at this center (ADR 0023).
/// </summary>
/// <param name="OwnCenter">This center's ISBT 128 facility code (<c>Center:FacilityCode</c>), the center its own rows show.</param>
/// <param name="OwnCenterName">This center's name (<c>Center:Name</c>).</param>
/// <param name="TransportHours">
/// <c>Network:TransportHours:&lt;CODE&gt;</c>: hours to bring a product from that center to this one,
/// the center's own estimate (road, air, courier contract); a center without an entry shows
/// "transport time unknown". This center's own stock is 0 h. A planning figure the center sets,
/// not a published constant.
/// </param>
public sealed record NetworkInventoryOptions(string OwnCenter, string OwnCenterName, IReadOnlyDictionary<string, double> TransportHours)
{
    /// <summary>The center code own rows carry when the facility code is not configured.</summary>
    public const string UnconfiguredCenter = "(this center)";

    /// <summary>The options of <paramref name="center"/> (the one holder of the center's code and name).</summary>
    public static NetworkInventoryOptions For(CenterIdentity center, IReadOnlyDictionary<string, double> transportHours)
    {
        ArgumentNullException.ThrowIfNull(center);
        return new(center.Code ?? UnconfiguredCenter, center.Name, transportHours);
    }

    /// <summary>The hours from <paramref name="center"/> to this one: 0 for this center, null when not configured.</summary>
    public double? HoursFrom(string center) =>
        string.Equals(center, OwnCenter, StringComparison.OrdinalIgnoreCase) ? 0
        : TransportHours.TryGetValue(center, out var h) ? h : null;
}

/// <summary>A search of the stock across the network. Null fields do not filter.</summary>
/// <param name="ProductCode">Only this product (ISBT 128 product description code).</param>
/// <param name="CompatibleWith">A patient's GL String: only stock HLA-acceptable for the patient, ranked by compatibility.</param>
public sealed record NetworkInventorySearch(string? ProductCode = null, string? CompatibleWith = null, int Page = 1, int PageSize = 50);

/// <summary>One stock (a lot's available vials) at one center.</summary>
/// <param name="Center">The owning center's facility code.</param>
/// <param name="Own">Whether the stock is this center's.</param>
/// <param name="StockRef">The owning center's opaque reference (a shipment request names it).</param>
/// <param name="TransportHours">Hours to bring it here (0: here; null: not configured for that center).</param>
/// <param name="Shareable">Whether the owning center consents to ship it.</param>
/// <param name="Compatibility">With a patient's typing: 1/(1 + HvG), × 1/(1 + GvH) for immune-cell products (<see cref="HlaCompatibility"/>); else null.</param>
/// <param name="Explanation">The mismatches behind <paramref name="Compatibility"/>.</param>
/// <param name="Version">The owning center's version of the state (null for this center's own, read live).</param>
public sealed record NetworkStockRow(
    string Center,
    bool Own,
    string StockRef,
    string ProductCode,
    string ProductName,
    bool ContainsImmuneCells,
    string? HlaGl,
    string? Haplotype,
    int Available,
    DateTimeOffset? EarliestExpiry,
    DateTimeOffset? LatestExpiry,
    IReadOnlyList<StockSite> Sites,
    bool Shareable,
    double? TransportHours,
    DateTimeOffset UpdatedAt,
    double? Compatibility,
    string? Explanation,
    long? Version)
{
    /// <summary>"at W0002, ~6 h transport" / "here" / "at W0002, transport time unknown".</summary>
    public string Where => Own ? "here"
        : TransportHours is { } h ? string.Create(CultureInfo.InvariantCulture, $"at {Center}, ~{h:0.#} h transport")
        : $"at {Center}, transport time unknown";
}

/// <summary>One page of the network's stock.</summary>
public sealed record NetworkInventoryPage(IReadOnlyList<NetworkStockRow> Items, long Total, int Page, int PageSize);

/// <summary>Another center's stock a physician may ask for, for one therapy request (the shipment request itself is a shipment's).</summary>
public sealed record RemoteOffers(long RequestId, string ProductCode, int VialsNeeded, bool PatientTyped, IReadOnlyList<NetworkStockRow> Offers)
{
    /// <summary>What the page and the API say about these offers.</summary>
    public const string Label = "Other centers' stock: not reserved here; request a shipment from the owning center";
}

/// <summary>
/// The stock of every center of the network, this one's included (issue 13 item 2, ADR 0023): this
/// center's from the bank's tables (the same state it publishes), the others' from the read model
/// their <c>inventory.stock</c> events keep. Filters by product and by HLA compatibility with a
/// patient (the therapy matching's <see cref="ICompatibility"/>), each row with its center, the
/// transport time to here as its cost, and the owning center's consent to ship.
/// </summary>
public sealed class NetworkInventoryService(
    IUnitOfWorkFactory units, IClock clock, StockPublisher publisher, IHlaTyping hla, ICompatibility compatibility, NetworkInventoryOptions options)
{
    public async Task<NetworkInventoryPage> SearchAsync(Actor actor, NetworkInventorySearch search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(search);
        actor.Demand(Operation.NetworkInventoryRead);
        Paging.Validate(search.Page, search.PageSize);
        var product = ProductCode(search.ProductCode);
        var patient = PatientTyping(search.CompatibleWith);
        var rows = await RowsAsync(product, ct);
        var ranked = Rank(rows, patient);
        var offset = Paging.Offset(search.Page, search.PageSize);
        return new NetworkInventoryPage([.. ranked.Skip((int)Math.Min(offset, int.MaxValue)).Take(search.PageSize)], ranked.Count, search.Page, search.PageSize);
    }

    /// <summary>
    /// For a therapy request: other centers' stock of the product that is HLA-acceptable for the
    /// patient and that its center consents to ship, best compatibility first, then shortest
    /// transport. The physician sees it beside the local matches as "at CENTER, ~N h transport,
    /// request shipment".
    /// </summary>
    public async Task<RemoteOffers> RemoteOffersAsync(Actor actor, long requestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareRead);
        actor.Demand(Operation.NetworkInventoryRead);
        string productCode;
        string? patientHla;
        int vialsNeeded;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            var request = await uow.Store<ITherapyStore>().GetRequestAsync(requestId, ct) ?? throw new NotFoundException($"no therapy request {requestId}");
            var patient = await uow.Store<ICareStore>().GetPatientAsync(request.PatientId, ct) ?? throw new NotFoundException($"no patient {request.PatientId}");
            (productCode, patientHla, vialsNeeded) = (request.ProductCode, patient.HlaTyping, request.VialsNeeded);
        }

        var rows = await RowsAsync(productCode, ct, includeOwn: false);
        // An untyped patient scores as the matcher's worst case, as in the local matches: no offer.
        var offers = Scored(rows.Where(r => r.Shareable), string.IsNullOrWhiteSpace(patientHla) ? null : patientHla.Trim()).ToList();
        return new RemoteOffers(requestId, productCode, vialsNeeded, !string.IsNullOrWhiteSpace(patientHla), offers);
    }

    private async Task<List<NetworkStockRow>> RowsAsync(string? product, CancellationToken ct, bool includeOwn = true)
    {
        var now = clock.UtcNow;
        var rows = new List<NetworkStockRow>();
        if (includeOwn)
        {
            foreach (var s in await publisher.CurrentAsync(ct))
            {
                if (s.Available > 0 && (product is null || s.ProductCode == product))
                {
                    rows.Add(Row(options.OwnCenter, true, s, null));
                }
            }
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        foreach (var e in await uow.Store<INetworkStockStore>().ListAvailableAsync(product, ct))
        {
            // This center's own events, if the network ever echoes them, are read live above; and
            // stock past its latest expiry is gone whether or not its center has said so yet.
            if (!string.Equals(e.SourceCenter, options.OwnCenter, StringComparison.OrdinalIgnoreCase) && e.State.LatestExpiry > now)
            {
                rows.Add(Row(e.SourceCenter, false, e.State, e.Version));
            }
        }

        return rows;
    }

    private NetworkStockRow Row(string center, bool own, StockPayload s, long? version) =>
        new(center, own, s.StockRef, s.ProductCode, s.ProductName, s.ContainsImmuneCells, s.HlaGl, s.Haplotype, s.Available, s.EarliestExpiry, s.LatestExpiry, s.Sites,
            s.Shareable, options.HoursFrom(center), s.UpdatedAt, null, null, version);

    /// <summary>
    /// Without a patient: this center first, then by center, product and soonest expiry. With one:
    /// only acceptable stock (HvG within the matcher's limit), best compatibility first, then the
    /// shortest transport (unknown last), then soonest expiry.
    /// </summary>
    private List<NetworkStockRow> Rank(List<NetworkStockRow> rows, string? patient) =>
        patient is null
            ? [.. rows.OrderByDescending(r => r.Own).ThenBy(r => r.Center, StringComparer.Ordinal).ThenBy(r => r.ProductCode, StringComparer.Ordinal)
                .ThenBy(r => r.EarliestExpiry).ThenBy(r => r.StockRef, StringComparer.Ordinal)]
            : [.. Scored(rows, patient)];

    private IEnumerable<NetworkStockRow> Scored(IEnumerable<NetworkStockRow> rows, string? patient) =>
        rows.Select(r =>
            {
                var score = compatibility.Score(new AllocationRequest("network-search", "network-search", r.ProductCode, 1, 1, patient, r.ContainsImmuneCells),
                    r.Center + "/" + r.StockRef, r.HlaGl);
                return (Row: r with { Compatibility = score.Score, Explanation = score.Explanation }, score.Acceptable);
            })
            .Where(x => x.Acceptable)
            .Select(x => x.Row)
            .OrderByDescending(r => r.Compatibility)
            .ThenBy(r => r.TransportHours ?? double.MaxValue)
            .ThenBy(r => r.EarliestExpiry)
            .ThenBy(r => r.Center, StringComparer.Ordinal)
            .ThenBy(r => r.StockRef, StringComparer.Ordinal);

    private static string? ProductCode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var code = text.Trim().ToUpperInvariant();
        return code.Length <= 20 && code.All(char.IsAsciiLetterOrDigit)
            ? code
            : throw new DomainValidationException("product", $"'{text}' is not a product code (letters and digits, at most 20, such as S9102)");
    }

    private string? PatientTyping(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!hla.Available)
        {
            throw new RuleViolationException("HLA compatibility search needs the HLA library, which this build does not include yet");
        }

        string gl;
        try
        {
            gl = hla.Analyze(text).GlString;
        }
        catch (DomainValidationException ex)
        {
            throw new DomainValidationException("compatibleWith", ex.Errors[0].Message);
        }

        if (compatibility is HlaCompatibility h && h.WhyNotMatchable(gl) is { } reason)
        {
            throw new DomainValidationException("compatibleWith", reason);
        }

        return gl;
    }
}
