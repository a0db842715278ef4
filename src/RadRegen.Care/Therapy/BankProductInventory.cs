using System.Globalization;
using RadRegen.Bank;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;

namespace RadRegen.Care.Therapy;

/// <summary>
/// The bank's stock as the care module sees it: released, unexpired vials with no flag on vial, lot
/// or line, whose donor's clinical consent stands (<see cref="IBankStore.ListAvailableVialsAsync"/>),
/// with the line's typing and the storage site.
/// </summary>
public sealed class BankProductInventory(IUnitOfWorkFactory units, IClock clock) : IProductInventory
{
    public async Task<IReadOnlyList<StockVial>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await AvailableAsync(uow, productTypes, clock.UtcNow, ct);
    }

    /// <summary>The same inside a unit of work: a reservation re-reads the stock in its own transaction.</summary>
    internal static async Task<IReadOnlyList<StockVial>> AvailableAsync(IUnitOfWork uow, IReadOnlyCollection<string> productTypes, DateTimeOffset now, CancellationToken ct)
    {
        var store = uow.Store<IBankStore>();
        var vials = await store.ListAvailableVialsAsync(productTypes, now, ct);
        var sites = await SitesAsync(store, ct);
        return [.. vials.Select(v => new StockVial(
            v.Vial.Id.ToString(CultureInfo.InvariantCulture), v.Vial.ProductCode, v.LineCode, v.LineHla, Site(sites, v.LocationPath), v.Vial.ExpiresAt))];
    }

    /// <summary>Available vials with their lot, for offers; of <paramref name="onlyVials"/> when given (a reservation's own vials).</summary>
    internal static async Task<IReadOnlyList<(AvailableVial Vial, string Site)>> AvailableWithSitesAsync(IUnitOfWork uow, string productCode, DateTimeOffset now,
        CancellationToken ct, IReadOnlyCollection<long>? onlyVials = null)
    {
        var store = uow.Store<IBankStore>();
        var vials = onlyVials is null
            ? await store.ListAvailableVialsAsync([productCode], now, ct)
            : await store.FindAvailableVialsAsync(onlyVials, productCode, now, ct);
        var sites = await SitesAsync(store, ct);
        return [.. vials.Select(v => (v, Site(sites, v.LocationPath)))];
    }

    private static async Task<Dictionary<string, string>> SitesAsync(IBankStore store, CancellationToken ct) =>
        (await store.ListLocationsAsync(ct)).Where(l => l.ParentId is null)
            .ToDictionary(l => l.Id.ToString(CultureInfo.InvariantCulture), l => l.Name, StringComparer.Ordinal);

    /// <summary>The site of a box: the first id of its location path ("/site/tank/rack/box/").</summary>
    private static string Site(Dictionary<string, string> sites, string? path)
    {
        if (path is null)
        {
            return "unstored";
        }

        var first = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && sites.TryGetValue(first, out var name) ? name : "unstored";
    }
}
