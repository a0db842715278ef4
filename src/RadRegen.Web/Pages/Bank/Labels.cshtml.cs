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

    /// <summary>Why the lot gets no labels (rejected, expired, consent withdrawn), or null.</summary>
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        LotDetail detail;
        try
        {
            detail = await bank.LabelsAsync(User.Actor(), id, ct);
        }
        catch (Core.NotFoundException)
        {
            return NotFound();
        }
        catch (Core.RuleViolationException ex)
        {
            // The lot itself is shown with the reason; no label is printed (ADR 0016).
            Lot = (await bank.GetLotAsync(User.Actor(), id, ct)).Lot;
            Refused = ex.Message;
            return Page();
        }

        Lot = detail.Lot;
        Items = [.. detail.Vials.Select(v => Labels.For(v, detail.Product, detail.Lot.LotNumber))];
        return Page();
    }
}
