using System.Globalization;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;

namespace RadRegen.Bank.Import;

/// <summary>What the database already holds that an import needs: product codes, boxes by path and by id.</summary>
internal sealed record InventoryStoreSnapshot(HashSet<string> Products, Dictionary<string, StorageLocation> Boxes);

/// <summary>
/// Step 2 of an import: one read-only unit of work that loads the products and boxes, and finds
/// every row that names a donor, line, cell bank or lot that exists already, or a position that
/// holds a vial.
/// </summary>
internal static class InventoryStoreCheck
{
    public static async Task<InventoryStoreSnapshot> RunAsync(IUnitOfWorkFactory units, IReadOnlyList<InventoryRow> rows, ImportErrors errors, CancellationToken ct)
    {
        var existing = new List<(InventoryRow Row, string Column, string Message)>();
        InventoryStoreSnapshot snapshot;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = uow.Store<IBankStore>();
            var products = (await store.ListProductsAsync(ct)).Select(p => p.Code).ToHashSet();
            var boxes = BoxesByPathAndId(await store.ListLocationsAsync(ct));
            snapshot = new InventoryStoreSnapshot(products, boxes);
            foreach (var r in rows)
            {
                if (r["donor_code"].Length > 0 && await store.FindDonorByCodeAsync(r["donor_code"].ToUpperInvariant(), ct) is not null)
                {
                    existing.Add((r, "donor_code", $"donor {r["donor_code"]} is already registered"));
                }

                if (r["line_code"].Length > 0 && await store.FindLineByCodeAsync(r["line_code"], ct) is not null)
                {
                    existing.Add((r, "line_code", $"line {r["line_code"]} exists already"));
                }

                foreach (var c in new[] { "mcb_code", "wcb_code" })
                {
                    if (r[c].Length > 0 && await store.FindBankByCodeAsync(r[c], ct) is not null)
                    {
                        existing.Add((r, c, $"cell bank {r[c]} exists already"));
                    }
                }

                if (r["lot_number"].Length > 0 && await store.FindLotByNumberAsync(r["lot_number"], ct) is not null)
                {
                    existing.Add((r, "lot_number", $"lot {r["lot_number"]} exists already"));
                }

                if (r["box"].Length > 0 && boxes.TryGetValue(r["box"], out var b) && InventoryRows.TryPosition(r["position"], out var row, out var col)
                    && await store.FindVialAtAsync(b.Id, row, col, ct) is { } there)
                {
                    existing.Add((r, "position", $"{r["position"]} of box {r["box"]} already holds vial {there.Identity}"));
                }
            }
        }

        foreach (var (r, c, m) in existing.DistinctBy(e => (e.Row.Number, e.Column)))
        {
            errors.Add(r, c, m);
        }

        return snapshot;
    }

    /// <summary>Every box by its path of names (<c>site/tank/rack/box</c>) and by its id.</summary>
    private static Dictionary<string, StorageLocation> BoxesByPathAndId(IReadOnlyList<StorageLocation> locations)
    {
        var boxes = new Dictionary<string, StorageLocation>(StringComparer.OrdinalIgnoreCase);
        foreach (var box in locations.Where(l => l.Kind == LocationKind.Box))
        {
            var names = box.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(id => locations.First(l => l.Id.ToString(CultureInfo.InvariantCulture) == id).Name);
            boxes[string.Join("/", names)] = box;
            boxes[box.Id.ToString(CultureInfo.InvariantCulture)] = box;
        }

        return boxes;
    }
}
