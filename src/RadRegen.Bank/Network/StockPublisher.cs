using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;

namespace RadRegen.Bank.Network;

/// <summary>
/// What this center shares of its stock (ADR 0023), from its configuration.
/// </summary>
/// <param name="Shareable">
/// <c>Network:Inventory:Shareable</c>: whether the center consents to ship its released clinical
/// stock to other centers (default true: issue 13 item 2 asks for the owning center's consent, and a
/// network exists to share; a center that only lends on request sets false and its stock still shows,
/// marked not shareable).
/// </param>
public sealed record StockSharing(bool Shareable)
{
    public static StockSharing Default { get; } = new(true);
}

/// <summary>
/// Tells the network of centers about this center's released, allocatable stock (issue 13 item 2,
/// ADR 0023): one <c>inventory.stock</c> event per affected lot, with the lot's whole current shared
/// state (<see cref="StockPayload"/>), enqueued in the outbox in the unit of work of the change, so
/// the event exists if and only if the change committed. The bank's services call
/// <see cref="PublishLotsAsync"/> where available stock changes: a lot released, a vial reserved,
/// given back, discarded, expired or moved while released, an excursion flagging or returning vials,
/// a donor's consent withdrawn, a product's catalogue entry changed.
/// </summary>
/// <remarks>
/// The entity is the lot (product and HLA typing are the lot's line's), with its vials counted by
/// storage site: a lot's state is one row wherever its vials move, so a move between sites never
/// leaves a stale entry behind at the old site.
/// </remarks>
public sealed class StockPublisher(IUnitOfWorkFactory units, IClock clock, StockSharing sharing)
{
    /// <summary>
    /// The event kind: <c>RadRegen.Network.Events.EventKinds.InventoryStock</c> (the bank does not
    /// reference the network project; a test checks the two agree).
    /// </summary>
    public const string Kind = "inventory.stock";

    /// <summary>The payload schema (<see cref="StockPayload"/>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The site of vials that are in no box.</summary>
    public const string Unstored = "unstored";

    /// <summary>The stock's opaque reference at its center (<c>lot-17</c>).</summary>
    public static string StockRef(long lotId) => "lot-" + lotId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The entity key the consumers keep versions by (<c>stock/lot-17</c>).</summary>
    public static string EntityKey(long lotId) => "stock/" + StockRef(lotId);

    /// <summary>The lot id of <see cref="StockRef"/> text, or null when it is not one.</summary>
    public static long? LotIdOf(string? stockRef) =>
        stockRef is not null && stockRef.StartsWith("lot-", StringComparison.Ordinal)
            && long.TryParse(stockRef.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>Enqueues the current state of each distinct released lot in <paramref name="uow"/>'s outbox (others are left out).</summary>
    public async Task PublishLotsAsync(IUnitOfWork uow, IEnumerable<long> lotIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(lotIds);
        var ids = lotIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var now = clock.UtcNow;
        var outbox = uow.Store<IOutbox>();
        foreach (var state in await StateAsync(uow, ids, now, ct))
        {
            await outbox.EnqueueAsync(ToEvent(state), now, ct);
        }
    }

    /// <summary>Enqueues the current state of one lot.</summary>
    public Task PublishLotAsync(IUnitOfWork uow, long lotId, CancellationToken ct) => PublishLotsAsync(uow, [lotId], ct);

    /// <summary>
    /// Publishes the state of every released lot (including those now at 0, so a center that kept
    /// an old state learns it is gone), in one unit of work: for a center joining the network or
    /// re-sending its stock. Journaled. Returns the number of events enqueued.
    /// </summary>
    public async Task<int> PublishAllAsync(CancellationToken ct = default)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var count = await PublishAllAsync(uow, ct);
        await uow.CommitAsync(ct);
        return count;
    }

    /// <summary>As <see cref="PublishAllAsync(CancellationToken)"/>, in the caller's unit of work (a center joining a network: ADR 0029); journaled, not committed.</summary>
    public async Task<int> PublishAllAsync(IUnitOfWork uow, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        var now = clock.UtcNow;
        var states = await StateAsync(uow, null, now, ct);
        var outbox = uow.Store<IOutbox>();
        foreach (var state in states)
        {
            await outbox.EnqueueAsync(ToEvent(state), now, ct);
        }

        await uow.Journal.AppendAsync("system", new JournalRecord("network-inventory", "stock", "published-all",
            new { lots = states.Count, available = states.Sum(s => s.Available), shareable = sharing.Shareable }), ct);
        return states.Count;
    }

    /// <summary>The current shared state of this center's stock (every released lot, at 0 too), for its own search.</summary>
    public async Task<IReadOnlyList<StockPayload>> CurrentAsync(CancellationToken ct = default)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await StateAsync(uow, null, clock.UtcNow, ct);
    }

    /// <summary>
    /// The shared state of the released lots among <paramref name="lotIds"/> (null: every released
    /// lot), read in <paramref name="uow"/>. A lot QA never released (in quarantine, rejected) is
    /// never told: it never had stock to share, and its typing stays at home.
    /// </summary>
    public async Task<IReadOnlyList<StockPayload>> StateAsync(IUnitOfWork uow, IReadOnlyCollection<long>? lotIds, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        var stock = uow.Store<IStockStore>();
        var bank = uow.Store<IBankStore>();
        var groups = await stock.ListAvailableAsync(lotIds, now, ct);
        var ids = lotIds ?? [.. (await stock.ListReleasedLotIdsAsync(ct)).Union(groups.Select(g => g.LotId))];
        if (ids.Count == 0)
        {
            return [];
        }

        var lots = await stock.ListLotsAsync(ids, ct);
        var byLot = groups.ToLookup(g => g.LotId);
        var sites = (await bank.ListLocationsAsync(ct)).Where(l => l.ParentId is null)
            .ToDictionary(l => l.Id.ToString(CultureInfo.InvariantCulture), l => l.Name, StringComparer.Ordinal);
        var products = new Dictionary<string, Product?>(StringComparer.Ordinal);
        var states = new List<StockPayload>(lots.Count);
        foreach (var lot in lots.Where(l => l.Released).OrderBy(l => l.LotId))
        {
            if (!products.TryGetValue(lot.ProductCode, out var product))
            {
                products[lot.ProductCode] = product = await bank.FindProductAsync(lot.ProductCode, ct);
            }

            var bySite = byLot[lot.LotId]
                .GroupBy(g => Site(sites, g.BoxPath), StringComparer.Ordinal)
                .Select(s => new StockSite(s.Key, s.Sum(g => g.Count), s.Min(g => g.EarliestExpiry), s.Max(g => g.LatestExpiry)))
                .OrderByDescending(s => s.Available).ThenBy(s => s.Site, StringComparer.Ordinal)
                .ToList();
            var available = bySite.Sum(s => s.Available);
            states.Add(new StockPayload(StockRef(lot.LotId), lot.ProductCode, product?.Name ?? lot.ProductCode, product?.ContainsImmuneCells ?? false,
                lot.HlaGl, lot.Haplotype, available,
                available == 0 ? null : bySite.Min(s => s.EarliestExpiry), available == 0 ? null : bySite.Max(s => s.LatestExpiry),
                bySite, sharing.Shareable, now));
        }

        return states;
    }

    private static OutboxEvent ToEvent(StockPayload state) =>
        new(Kind, SchemaVersion, "stock/" + state.StockRef, state.ToJson());

    /// <summary>The site of a box: the first id of its location path ("/site/tank/rack/box/"), as the care module reads it.</summary>
    private static string Site(Dictionary<string, string> sites, string? path)
    {
        var first = path?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && sites.TryGetValue(first, out var name) ? name : Unstored;
    }
}
