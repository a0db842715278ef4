using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class LotModel(BankService bank) : BankPageModel
{
    public LotDetail Detail { get; private set; } = null!;

    public Lineage? Lineage { get; private set; }

    public Din Din => Din.Parse(Detail.Lot.Din);

    [BindProperty]
    public string? TestCode { get; set; }

    [BindProperty]
    public string? Value { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string Meaning { get; set; } = "released";

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public long DeviationId { get; set; }

    public bool CanRecord => User.May(Operation.BankQcRecord);

    public bool IsQa => User.May(Operation.BankLotRelease);

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        PageOrNotFoundAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Detail = await bank.GetLotAsync(User.Actor(), id, ct);
        Lineage = Detail.Vials.Count > 0 ? await bank.LineageAsync(User.Actor(), Detail.Vials[0].Id, ct) : null;
    }

    public async Task<IActionResult> OnPostQcAsync(long id, CancellationToken ct)
    {
        var recorded = (Result: (QcResult)null!, Deviation: (Deviation?)null);
        if (await TryAsync("qc:" + TestCode, async () => recorded = await bank.RecordQcResultAsync(User.Actor(), id, TestCode ?? "", Value ?? "", Unit, ct)))
        {
            Notice(recorded.Deviation is null
                ? $"{recorded.Result.TestCode}: {recorded.Result.Value} recorded — within specification."
                : $"{recorded.Result.TestCode}: {recorded.Result.Value} is OUT OF SPECIFICATION; deviation {recorded.Deviation.Id} opened.");
            return Redirect($"/bank/lots/{id}#qc");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReleaseAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("release", () => bank.ReleaseLotAsync(User.Actor(), id, Password ?? "", Meaning, null, ct)))
        {
            Notice("Lot released with your electronic signature.");
            return Redirect($"/bank/lots/{id}");
        }

        Password = null;
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("reject", () => bank.RejectLotAsync(User.Actor(), id, Password ?? "", Reason ?? "", ct)))
        {
            Notice("Lot rejected; its vials are discarded.");
            return Redirect($"/bank/lots/{id}");
        }

        Password = null;
        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseDeviationAsync(long id, CancellationToken ct)
    {
        if (await TryAsync("deviation", () => bank.CloseDeviationAsync(User.Actor(), DeviationId, Reason ?? "", ct)))
        {
            Notice($"Deviation {DeviationId} closed.");
            return Redirect($"/bank/lots/{id}#deviations");
        }

        await LoadAsync(id, ct);
        return Page();
    }
}
