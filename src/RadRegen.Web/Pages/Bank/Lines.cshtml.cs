using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

/// <summary>Every iPSC line of the bank, searched, sorted and paged in the database.</summary>
public sealed class LinesModel(BankService bank) : BankPageModel
{
    public ListView List { get; private set; } = null!;

    public IReadOnlyList<CellLine> Lines { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        List = ListView.From(Request, BankLists.Lines);
        Lines = List.Show(await bank.SearchLinesAsync(User.Actor(), List.Query, ct)).Items;
    }
}
