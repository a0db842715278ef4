using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Network.Inventory;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>
/// The shared inventory (issue 13 item 2, ADR 0023): released, allocatable stock of every center of
/// the network, this one's included, by product and by HLA compatibility with a patient. Read only;
/// the rules and the role check live in <see cref="NetworkInventoryService"/>.
/// </summary>
public sealed class InventoryModel(NetworkInventoryService inventory) : BankPageModel
{
    [BindProperty(SupportsGet = true, Name = "product")]
    public string? Product { get; set; }

    [BindProperty(SupportsGet = true, Name = "compatibleWith")]
    public string? CompatibleWith { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public NetworkInventoryPage? Result { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.May(Operation.NetworkInventoryRead))
        {
            return Forbid();
        }

        await TryAsync("search", async () => Result = await inventory.SearchAsync(User.Actor(),
            new NetworkInventorySearch(Product, CompatibleWith, PageNumber, 50), ct));
        return Page();
    }
}
