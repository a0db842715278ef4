using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class LineModel(BankService bank) : BankPageModel
{
    public CellLine Line { get; private set; } = null!;

    public Donor Donor { get; private set; } = null!;

    public IReadOnlyList<CellBank> Banks { get; private set; } = [];

    public IReadOnlyList<Lot> Lots { get; private set; } = [];

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public IReadOnlyList<LocationOccupancy> Boxes { get; private set; } = [];

    [BindProperty]
    public string? BankCode { get; set; }

    [BindProperty]
    public string Kind { get; set; } = "mcb";

    [BindProperty]
    public long? ParentId { get; set; }

    [BindProperty]
    public int BankPassage { get; set; }

    [BindProperty]
    public int BankVials { get; set; } = 100;

    [BindProperty]
    public string? ProductCode { get; set; }

    [BindProperty]
    public long? WcbId { get; set; }

    [BindProperty]
    public int LotVials { get; set; } = 10;

    [BindProperty]
    public long? BoxId { get; set; }

    /// <summary>Whether the page offers its forms: laying down a cell bank and making a lot.</summary>
    public bool CanMake => User.May(Operation.BankCellBankCreate) || User.May(Operation.BankLotCreate);

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        PageOrNotFoundAsync(() => LoadAsync(id, ct));

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        var actor = User.Actor();
        Line = await bank.GetLineAsync(actor, id, ct);
        Donor = await bank.GetDonorAsync(actor, Line.DonorId, ct);
        Banks = await bank.ListBanksAsync(actor, id, ct);
        Lots = await bank.ListLotsAsync(actor, id, null, 200, ct);
        Products = await bank.ListProductsAsync(actor, ct);
        Boxes = [.. (await bank.ListLocationsAsync(actor, ct)).Where(l => l.Location.Kind == LocationKind.Box && l.Occupied < l.Capacity)];
    }

    public async Task<IActionResult> OnPostBankAsync(long id, CancellationToken ct)
    {
        var kind = string.Equals(Kind, "wcb", StringComparison.OrdinalIgnoreCase) ? CellBankKind.Wcb : CellBankKind.Mcb;
        if (await TryAsync("bank", async () => await bank.CreateBankAsync(User.Actor(),
            new CreateBankRequest(BankCode ?? "", kind, id, kind == CellBankKind.Wcb ? ParentId : null, BankPassage, BankVials), null, ct)))
        {
            Notice($"{kind.ToString().ToUpperInvariant()} {BankCode} laid down.");
            return Redirect($"/bank/lines/{id}");
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostLotAsync(long id, CancellationToken ct)
    {
        Lot? lot = null;
        if (await TryAsync("lot", async () => lot = await bank.CreateLotAsync(User.Actor(),
            new CreateLotRequest(ProductCode ?? "", WcbId ?? 0, LotVials, null, null, BoxId), null, ct)))
        {
            Notice($"Lot {lot!.LotNumber} made: {LotVials} vials in quarantine.");
            return Redirect($"/bank/lots/{lot.Id}");
        }

        await LoadAsync(id, ct);
        return Page();
    }
}
