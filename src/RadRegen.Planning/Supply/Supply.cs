using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;

namespace RadRegen.Planning.Supply;

/// <summary>
/// Released, unexpired vials of one line at one site with one expiry: this center's bank
/// (<see cref="IProductInventory"/>) or another center's shareable stock as the network last
/// delivered it (<see cref="IRemoteStock"/>, docs/network.md).
/// </summary>
/// <param name="Ref">The lot's reference (the local line/site/expiry, or <c>CENTER/stock-ref</c>).</param>
/// <param name="Center">Null for this center's bank; the owning center's code otherwise.</param>
/// <param name="TransportHours">Hours to bring it here (0 locally).</param>
public sealed record StockLot(string Ref, string Product, string LineId, string? LineHla, string Site, int Vials, DateTimeOffset Expiry, string? Center = null,
    double TransportHours = 0)
{
    /// <summary>Whether the lot is in this center's bank.</summary>
    public bool Local => Center is null;

    /// <summary>Groups local vials by product, line, site and expiry day.</summary>
    public static IReadOnlyList<StockLot> FromVials(IEnumerable<StockVial> vials) =>
    [
        .. vials.Where(v => v.Remote is null)
            .GroupBy(v => (v.ProductType, v.LineId, v.LineHla, v.Site, Day: v.Expiry.UtcDateTime.Date))
            .Select(g => new StockLot(
                string.Create(CultureInfo.InvariantCulture, $"{g.Key.ProductType}/{g.Key.LineId}/{g.Key.Site}/{g.Key.Day:yyyy-MM-dd}"),
                g.Key.ProductType, g.Key.LineId, g.Key.LineHla, g.Key.Site, g.Count(), g.Min(v => v.Expiry)))
            .OrderBy(l => l.Product, StringComparer.Ordinal).ThenBy(l => l.Expiry).ThenBy(l => l.Ref, StringComparer.Ordinal),
    ];

    /// <summary>Other centers' shareable units with a configured transport time (the ones the allocation could propose too, <see cref="RemoteStock.Eligible"/>).</summary>
    public static IReadOnlyList<StockLot> FromRemote(IEnumerable<RemoteUnit> units) =>
    [
        .. units.Where(u => u.Shareable && u.Available > 0 && u.TransportHours is not null && u.EarliestExpiry is not null)
            .Select(u => new StockLot(u.Center + "/" + u.StockRef, u.ProductType, u.Center + "/" + u.StockRef, u.LineHla, u.Center, u.Available,
                u.EarliestExpiry!.Value, u.Center, u.TransportHours!.Value))
            .OrderBy(l => l.Product, StringComparer.Ordinal).ThenBy(l => l.Expiry).ThenBy(l => l.Ref, StringComparer.Ordinal),
    ];
}

/// <summary>
/// What a product's manufacture can deliver: master-cell-bank vials on hand (one per run), the
/// process days, the bioreactor sets a run occupies while it matures, the yield and the failure rate.
/// </summary>
/// <param name="VialsOnHand">Master-cell-bank vials on hand; each run thaws one.</param>
/// <param name="ExpansionDays">Days of expansion after the thaw.</param>
/// <param name="MaturationDays">Days of maturation in a bioreactor set (the slot a run occupies).</param>
/// <param name="ReleaseTestingDays">Days from the end of maturation to release.</param>
/// <param name="BioreactorSlots">Runs that can mature at once.</param>
/// <param name="YieldVialsPerRun">Product vials one successful run fills.</param>
/// <param name="FailureRate">Share of runs that fail release (the plan counts the expected yield).</param>
/// <param name="Source">Where the figures come from, and which are the center's planning figures.</param>
public sealed record ManufacturingCapacity(string Product, int VialsOnHand, int ExpansionDays, int MaturationDays, int ReleaseTestingDays, int BioreactorSlots,
    double YieldVialsPerRun, double FailureRate, string Source)
{
    /// <summary>Days from thaw to release.</summary>
    public int LeadDays => ExpansionDays + MaturationDays + ReleaseTestingDays;

    /// <summary>Vials a run is expected to give, after failures.</summary>
    public double ExpectedVialsPerRun => YieldVialsPerRun * (1 - FailureRate);

    /// <summary>
    /// iPLAT1 (reference/planning/README.md §2): one master-cell-bank vial per run, 23 days of
    /// expansion, 6 days of maturation in one set of 4 × 8 L bioreactors (Blood 2022; Blood Adv
    /// 2022;6:6056); yield 4 vials of 1 × 10¹¹ platelets (the policy's vial) from "> 100 billion" per
    /// 8 L reactor (Eto 2019) × 4 reactors. Not published, so the center's planning figures: 10
    /// master-cell-bank vials on hand, one reactor set, 7 release-testing days, 10 % failed runs.
    /// </summary>
    public static ManufacturingCapacity Iplat1 { get; } = new(SeedCatalogue.PlateletsCode, VialsOnHand: 10, ExpansionDays: 23, MaturationDays: 6,
        ReleaseTestingDays: 7, BioreactorSlots: 1, YieldVialsPerRun: 4 * 1e11 / PriorityPolicy.Default.PlateletsPerVial, FailureRate: 0.1,
        "iPLAT1: 1 MCB vial, 23 d expansion, 6 d maturation in 4 × 8 L bioreactors (Sugimoto et al., Blood 2022; Blood Adv 2022;6:6056); "
        + "yield > 1e11 platelets per 8 L reactor (Eto 2019) × 4 = 4 vials of 1e11. The center's planning figures: 10 MCB vials on hand, 1 reactor set, "
        + "7 release-testing days, 10 % failed runs");

    /// <summary>
    /// Keratinocyte sheets: no published process for iPSC-derived keratinocyte sheets at scale, so
    /// every figure is the center's planning figure, labelled so.
    /// </summary>
    public static ManufacturingCapacity KeratinocyteSheets { get; } = new(SeedCatalogue.KeratinocyteSheetsCode, VialsOnHand: 10, ExpansionDays: 14,
        MaturationDays: 7, ReleaseTestingDays: 7, BioreactorSlots: 2, YieldVialsPerRun: 10, FailureRate: 0.1,
        "center's planning figures (no published process): 10 MCB vials, 14 d expansion, 7 d sheet maturation, 7 release-testing days, 2 culture slots, 10 vials per run, 10 % failed runs");

    /// <summary>The first fixtures: iPLAT1 for platelets, the center's figures for keratinocyte sheets.</summary>
    public static IReadOnlyList<ManufacturingCapacity> Defaults { get; } = [Iplat1, KeratinocyteSheets];

    /// <summary>Problems, each naming its field (<paramref name="prefix"/>.expansionDays …).</summary>
    public IReadOnlyList<FieldError> Problems(string prefix, IReadOnlyCollection<string> knownProducts)
    {
        ArgumentNullException.ThrowIfNull(knownProducts);
        var errors = new List<FieldError>();
        if (!knownProducts.Contains(Product))
        {
            errors.Add(new(prefix + ".product", $"unknown product '{Product}'; the catalogue has {string.Join(", ", knownProducts.Order(StringComparer.Ordinal))}"));
        }

        foreach (var (name, v) in new[] { ("expansionDays", ExpansionDays), ("maturationDays", MaturationDays), ("bioreactorSlots", BioreactorSlots) })
        {
            if (v is < 1 or > 365)
            {
                errors.Add(new($"{prefix}.{name}", "a whole number from 1 to 365 (zero days or slots cannot make a product)"));
            }
        }

        if (ReleaseTestingDays is < 0 or > 365)
        {
            errors.Add(new(prefix + ".releaseTestingDays", "0 to 365 days"));
        }

        if (VialsOnHand is < 0 or > 100_000)
        {
            errors.Add(new(prefix + ".vialsOnHand", "0 to 100,000 master-cell-bank vials"));
        }

        if (!double.IsFinite(YieldVialsPerRun) || YieldVialsPerRun <= 0 || YieldVialsPerRun > 1_000_000)
        {
            errors.Add(new(prefix + ".yieldVialsPerRun", "more than 0 vials per run"));
        }

        if (!double.IsFinite(FailureRate) || FailureRate is < 0 or >= 1)
        {
            errors.Add(new(prefix + ".failureRate", "a share from 0 to below 1"));
        }

        return errors;
    }
}
