using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class LabelsModel(BankService bank) : BankPageModel
{
    public Lot Lot { get; private set; } = null!;

    public IReadOnlyList<VialLabel> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        LotDetail detail;
        try
        {
            detail = await bank.GetLotAsync(User.Actor(), id, ct);
        }
        catch (Core.NotFoundException)
        {
            return NotFound();
        }

        Lot = detail.Lot;
        Items = [.. detail.Vials.Where(v => !Lifecycle.IsTerminal(v.Status)).Select(v => Labels.For(v, detail.Product, detail.Lot.LotNumber))];
        return Page();
    }
}
