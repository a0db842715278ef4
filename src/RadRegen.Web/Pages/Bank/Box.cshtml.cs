using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class BoxModel(BankService bank) : BankPageModel
{
    public BoxMap Map { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        PageOrNotFoundAsync(async () => Map = await bank.GetBoxAsync(User.Actor(), id, ct));
}
