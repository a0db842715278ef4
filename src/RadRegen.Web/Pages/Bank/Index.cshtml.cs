using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class IndexModel(BankService bank) : BankPageModel
{
    public IReadOnlyList<Lot> Lots { get; private set; } = [];

    public IReadOnlyList<Deviation> OpenDeviations { get; private set; } = [];

    public long Available { get; private set; }

    public long Quarantined { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        Lots = await bank.ListLotsAsync(actor, null, null, 25, ct);
        OpenDeviations = await bank.ListDeviationsAsync(actor, DeviationStatus.Open, ct);
        Available = (await bank.SearchAsync(actor, new InventorySearch(Status: "released", PageSize: 1), ct)).Total;
        Quarantined = (await bank.SearchAsync(actor, new InventorySearch(Status: "quarantine", PageSize: 1), ct)).Total;
    }
}
