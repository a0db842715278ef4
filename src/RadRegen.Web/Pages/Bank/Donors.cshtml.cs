using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;
using RadRegen.Web.Localization;

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

    /// <summary>The search, sort and page of the list (the URL's q, sort, page, pageSize).</summary>
    public Web.Infrastructure.ListView List { get; private set; } = null!;

    public bool CanRegister => User.May(Operation.BankDonorRegister);

    public async Task OnGetAsync(CancellationToken ct)
    {
        List = Web.Infrastructure.ListView.From(Request, BankLists.Donors);
        Donors = List.Show(await bank.SearchDonorsAsync(User.Actor(), List.Query, ct)).Items;
    }

    /// <summary>The donor list as CSV (pseudonymous codes only).</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var donors = await bank.ListDonorsAsync(User.Actor(), ct);
        return new Web.Infrastructure.CsvDownload("radregen-donors.csv", async (body, aborted) =>
        {
            await using var csv = Core.Csv.CsvOutput.Over(body, leaveOpen: true);
            csv.Header("code", "banking", "research", "clinical", "consented_at", "withdrawn_at", "eligible", "hla_gl", "homozygous", "haplotype");
            foreach (var d in donors)
            {
                csv.Text(d.Code).Values(Yes(d.Consent.Banking), Yes(d.Consent.Research), Yes(d.Consent.Clinical),
                    Core.Journal.JournalTime.ToText(d.ConsentedAt), d.WithdrawnAt is { } w ? Core.Journal.JournalTime.ToText(w) : "", Yes(d.Eligible))
                    .Text(d.HlaGl).Value(d.Homozygous is { } h ? Yes(h) : "").Text(d.Haplotype);
                await csv.EndRowAsync(aborted);
            }
        });
    }

    private static string Yes(bool b) => b ? "yes" : "no";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Donor? donor = null;
        var ok = await TryAsync("register", async () => donor = await bank.RegisterDonorAsync(User.Actor(), new RegisterDonorRequest(
            Input.Code,
            new ConsentScopes(Input.Banking, Input.Research, Input.Clinical),
            Input.ConsentedOn is { } d ? LocalTimeHtml.StartOfDay(d, HttpContext.CenterZone(), "consentedOn") : null,
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
