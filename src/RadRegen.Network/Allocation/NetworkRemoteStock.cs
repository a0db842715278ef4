using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Network.Inventory;

namespace RadRegen.Network.Allocation;

/// <summary>
/// Other centers' stock for the mass-casualty allocation (issue 13 item 2, ADR 0030): the read model
/// the network consumer keeps from their <c>inventory.stock</c> events (ADR 0023), with the
/// transport time this center configured for each (<c>Network:TransportHours:&lt;CODE&gt;</c>).
/// Never a call to another center: what the allocation sees is what the network has delivered.
/// This center's own stock, should the network echo it, is left out (the bank gives it live).
/// </summary>
public sealed class NetworkRemoteStock(IUnitOfWorkFactory units, NetworkInventoryOptions options) : IRemoteStock
{
    public async Task<IReadOnlyList<RemoteUnit>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(productTypes);
        var result = new List<RemoteUnit>();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<INetworkStockStore>();
        foreach (var product in productTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            foreach (var e in await store.ListAvailableAsync(product, ct))
            {
                if (string.Equals(e.SourceCenter, options.OwnCenter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var s = e.State;
                result.Add(new RemoteUnit(e.SourceCenter, s.StockRef, s.ProductCode, s.HlaGl, s.Available, s.EarliestExpiry, options.HoursFrom(e.SourceCenter), s.Shareable));
            }
        }

        return result;
    }
}
