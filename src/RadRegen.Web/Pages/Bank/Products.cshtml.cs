using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class ProductsModel(BankService bank) : BankPageModel
{
    public IReadOnlyList<Product> Products { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Products = await bank.ListProductsAsync(User.Actor(), ct);
}
