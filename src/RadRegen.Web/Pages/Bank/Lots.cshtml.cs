using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

/// <summary>Every lot of the bank, searched, filtered by status, sorted and paged in the database.</summary>
public sealed class LotsModel(BankService bank) : BankPageModel
{
    public ListView List { get; private set; } = null!;

    public IReadOnlyList<Lot> Lots { get; private set; } = [];

    /// <summary>The status filter (quarantine, released, …), from the URL's <c>status</c>.</summary>
    public LotStatus? Status { get; private set; }

    public string? StatusError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        List = ListView.From(Request, BankLists.Lots);
        var status = Request.Query["status"].ToString();
        if (status.Length > 0)
        {
            if (!int.TryParse(status, out _) && Enum.TryParse<LotStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                Status = parsed;
            }
            else
            {
                StatusError = $"status: '{status}' is not a lot status";
            }
        }

        Lots = List.Show(await bank.SearchLotsAsync(User.Actor(), List.Query, Status, ct)).Items;
    }
}
