using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class BoxModel(BankService bank) : BankPageModel
{
    public BoxMap Map { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        try
        {
            Map = await bank.GetBoxAsync(User.Actor(), id, ct);
        }
        catch (Core.NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }
}
