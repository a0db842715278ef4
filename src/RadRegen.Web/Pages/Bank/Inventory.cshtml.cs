using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Web.Bank;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Bank;

public sealed class InventoryModel(BankService bank) : BankPageModel
{
    [BindProperty(SupportsGet = true, Name = "productCode")]
    public string? ProductCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "haplotype")]
    public string? Haplotype { get; set; }

    [BindProperty(SupportsGet = true, Name = "compatibleWith")]
    public string? CompatibleWith { get; set; }

    [BindProperty(SupportsGet = true, Name = "locationId")]
    public long? LocationId { get; set; }

    [BindProperty(SupportsGet = true, Name = "expiresBefore")]
    public DateOnly? ExpiresBefore { get; set; }

    [BindProperty(SupportsGet = true, Name = "lotNumber")]
    public string? LotNumber { get; set; }

    /// <summary>The page and sort from the URL (<c>page</c>, <c>pageSize</c>, <c>sort</c>: the API's names; ADR 0040).</summary>
    public ListView List { get; private set; } = null!;

    public InventoryPage? Results { get; private set; }

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public IReadOnlyList<LocationOccupancy> Locations { get; private set; } = [];

    public bool HlaAvailable => bank.Hla.Available;

    private InventorySearch Search(int page, int size) => new(ProductCode, Status, Haplotype, CompatibleWith, LocationId,
        ExpiresBefore is { } d ? LocalTimeHtml.StartOfDay(d, HttpContext.CenterZone(), "expiresBefore") : null, LotNumber, page, size,
        List.Query.Sort);

    /// <summary>This search, sorted as shown, as CSV.</summary>
    public string ExportUrl => Url.Page("/Bank/Inventory", "Export", new
    {
        productCode = ProductCode, status = Status, haplotype = Haplotype, compatibleWith = CompatibleWith, locationId = LocationId,
        expiresBefore = ExpiresBefore?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), lotNumber = LotNumber,
        sort = List.Query.Sort,
    })!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        List = ListView.From(Request, BankLists.Vials);
        Products = await bank.ListProductsAsync(User.Actor(), ct);
        Locations = await bank.ListLocationsAsync(User.Actor(), ct);
        await TryAsync("search", async () =>
        {
            Results = await bank.SearchAsync(User.Actor(), Search(List.Query.Page, List.Query.PageSize), ct);
            List.Show(new ListPage<InventoryItem>(Results.Items, Results.Total, Results.Page, Results.PageSize, List.Order.ToString()));
        });
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        List = ListView.From(Request, BankLists.Vials);
        return await InventoryCsv.ExportAsync(bank, User.Actor(), Search(1, InventoryCsv.PageSize), ct);
    }
}
