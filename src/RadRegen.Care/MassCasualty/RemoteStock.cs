using System.Globalization;
using RadRegen.Care.Allocation;

namespace RadRegen.Care.MassCasualty;

/// <summary>
/// Another center's stock as this center last heard it (issue 13 item 2, ADR 0030): one lot's
/// available vials at the owning center, with the transport time to here and the owner's consent to ship.
/// </summary>
/// <param name="Center">The owning center's ISBT 128 facility code.</param>
/// <param name="StockRef">The owning center's opaque stock reference (<c>lot-17</c>).</param>
/// <param name="LineHla">The line's typing (GL String), or null.</param>
/// <param name="Available">Vials available at the owner when it last told.</param>
/// <param name="EarliestExpiry">The soonest expiry among them.</param>
/// <param name="TransportHours">Hours to bring it here (<c>Network:TransportHours:&lt;CODE&gt;</c>); null when not configured.</param>
/// <param name="Shareable">Whether the owning center consents to ship it (<c>Network:Inventory:Shareable</c>).</param>
public sealed record RemoteUnit(string Center, string StockRef, string ProductType, string? LineHla, int Available, DateTimeOffset? EarliestExpiry,
    double? TransportHours, bool Shareable);

/// <summary>
/// The port through which the allocation sees other centers' stock. Care does not know the network;
/// the network module implements it over the read model its consumer keeps (never a call to
/// another center at allocation time).
/// </summary>
public interface IRemoteStock
{
    /// <summary>Other centers' stock of the given product types, as last delivered by the network.</summary>
    Task<IReadOnlyList<RemoteUnit>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct);
}

/// <summary>Which remote units the allocation may propose, as candidate vials, and why the others are left out.</summary>
public static class RemoteStock
{
    /// <summary>
    /// The vials the allocation may consider from <paramref name="units"/> at <paramref name="now"/>:
    /// the owner consents to ship, the transport time is configured, and every vial of the lot is
    /// still unexpired when it arrives (the earliest expiry after now + transport: remote vials are
    /// counted, not named, so the earliest expiry stands for all of them). Each gets a placeholder
    /// id <c>CENTER/STOCKREF/n</c>: the owner picks the real vials when it accepts. At most
    /// <paramref name="demand"/>[product] vials per lot are taken as candidates: no more could be given.
    /// The notes say, per reason, how many lots were left out.
    /// </summary>
    public static (IReadOnlyList<StockVial> Vials, IReadOnlyList<string> Notes) Eligible(IReadOnlyList<RemoteUnit> units, DateTimeOffset now,
        IReadOnlyDictionary<string, int> demand)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(demand);
        var vials = new List<StockVial>();
        int notShareable = 0, expiring = 0, used = 0;
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var u in units)
        {
            if (u.Available <= 0 || !demand.TryGetValue(u.ProductType, out var wanted))
            {
                continue;
            }

            if (!u.Shareable)
            {
                notShareable++;
                continue;
            }

            if (u.TransportHours is not { } hours)
            {
                unknown.Add(u.Center);
                continue;
            }

            if (u.EarliestExpiry is not { } expiry || expiry <= now.AddHours(hours))
            {
                expiring++;
                continue;
            }

            used++;
            var source = new RemoteSource(u.Center, u.StockRef, hours);
            var line = u.Center + "/" + u.StockRef;
            for (var i = 1; i <= Math.Min(u.Available, wanted); i++)
            {
                vials.Add(new StockVial(string.Create(CultureInfo.InvariantCulture, $"{line}/{i}"), u.ProductType, line, u.LineHla, u.Center, expiry, source));
            }
        }

        var notes = new List<string>();
        if (used > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{used} lot(s) of other centers' stock considered ({vials.Count} vial(s)): proposals until the owning center accepts a shipment request"));
        }

        if (notShareable > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{notShareable} lot(s) left out: the owning center does not consent to ship them"));
        }

        if (unknown.Count > 0)
        {
            notes.Add($"stock of {string.Join(", ", unknown)} left out: no transport time configured (Network:TransportHours:<CODE>)");
        }

        if (expiring > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{expiring} lot(s) left out: they would expire before arriving"));
        }

        return (vials, notes);
    }
}
