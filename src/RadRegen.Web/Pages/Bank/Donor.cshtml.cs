using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class DonorModel(BankService bank) : BankPageModel
{
    public Donor Donor { get; private set; } = null!;

    public IReadOnlyList<CellLine> Lines { get; private set; } = [];

    [BindProperty]
    public string? LineCode { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? CloneName { get; set; }

    [BindProperty]
    public int Passage { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>clinical or research (ADR 0016).</summary>
    [BindProperty]
    public string? LineUse { get; set; }

    public bool CanMake => User.May(Operation.BankLineCreate);

    public bool CanWithdraw => User.May(Operation.BankDonorWithdrawConsent);

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        PageOrNotFoundAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Donor = await bank.GetDonorAsync(User.Actor(), id, ct);
        Lines = await bank.ListLinesAsync(User.Actor(), id, ct);
    }

    public async Task<IActionResult> OnPostLineAsync(long id, CancellationToken ct)
    {
        CellLine? line = null;
        if (await TryAsync("line", async () => line = await bank.CreateLineAsync(User.Actor(),
            new CreateLineRequest(LineCode ?? "", id, Method ?? "", CloneName ?? "", Passage,
                string.IsNullOrWhiteSpace(LineUse) ? null : IntendedUses.Parse(LineUse)), null, ct)))
        {
            Notice($"Line {line!.Code} registered.");
            return Redirect($"/bank/lines/{line.Id}");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("withdraw", () => bank.WithdrawConsentAsync(User.Actor(), id, Reason ?? "", ct)))
        {
            Notice("Consent withdrawal recorded; existing material is flagged.");
            return Redirect($"/bank/donors/{id}");
        }

        await LoadAsync(id, ct);
        return Page();
    }
}
