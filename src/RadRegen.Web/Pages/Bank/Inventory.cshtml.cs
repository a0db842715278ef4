using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Services;
using RadRegen.Web.Bank;
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

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public InventoryPage? Results { get; private set; }

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public IReadOnlyList<LocationOccupancy> Locations { get; private set; } = [];

    public bool HlaAvailable => bank.Hla.Available;

    private InventorySearch Search(int page, int size) => new(ProductCode, Status, Haplotype, CompatibleWith, LocationId,
        ExpiresBefore is { } d ? LocalTimeHtml.StartOfDay(d, HttpContext.CenterZone(), "expiresBefore") : null, LotNumber, page, size);

    public string PageUrl(int page, string? handler = null) => Url.Page("/Bank/Inventory", handler, new
    {
        productCode = ProductCode, status = Status, haplotype = Haplotype, compatibleWith = CompatibleWith, locationId = LocationId,
        expiresBefore = ExpiresBefore?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), lotNumber = LotNumber, page,
    })!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Products = await bank.ListProductsAsync(User.Actor(), ct);
        Locations = await bank.ListLocationsAsync(User.Actor(), ct);
        await TryAsync("search", async () => Results = await bank.SearchAsync(User.Actor(), Search(Math.Max(1, PageNumber), 50), ct));
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) =>
        await InventoryCsv.ExportAsync(bank, User.Actor(), Search(1, InventoryCsv.PageSize), ct);
}
