using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class DonorsModel(BankService bank) : BankPageModel
{
    public sealed class DonorForm
    {
        public string? Code { get; set; }

        public bool Banking { get; set; } = true;

        public bool Research { get; set; }

        public bool Clinical { get; set; }

        public DateOnly? ConsentedOn { get; set; }

        public Dictionary<string, string> Screening { get; set; } = [];

        public string? HlaGl { get; set; }
    }

    [BindProperty]
    public DonorForm Input { get; set; } = new();

    public IReadOnlyList<Donor> Donors { get; private set; } = [];

    public bool CanRegister => User.IsInRole("cpc-technician") || User.IsInRole("admin");

    public async Task OnGetAsync(CancellationToken ct) => Donors = await bank.ListDonorsAsync(User.Actor(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Donor? donor = null;
        var ok = await TryAsync("register", async () => donor = await bank.RegisterDonorAsync(User.Actor(), new RegisterDonorRequest(
            Input.Code,
            new ConsentScopes(Input.Banking, Input.Research, Input.Clinical),
            Input.ConsentedOn is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            [.. Input.Screening.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).Select(kv => new ScreeningResult(kv.Key, kv.Value))],
            Input.HlaGl), ct));
        if (ok)
        {
            Notice($"Donor {donor!.Code} registered.");
            return Redirect($"/bank/donors/{donor.Id}");
        }

        await OnGetAsync(ct);
        return Page();
    }
}
