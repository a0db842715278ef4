using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class VialModel(BankService bank) : BankPageModel
{
    public VialDetail Detail { get; private set; } = null!;

    [BindProperty]
    public string? Action { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public long? BoxId { get; set; }

    [BindProperty]
    public int Row { get; set; }

    [BindProperty]
    public int Column { get; set; }

    [BindProperty]
    public int Version { get; set; }

    /// <summary>The temperature excursions that flagged this vial, open or resolved.</summary>
    public IReadOnlyList<Excursion> Excursions { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        PageOrNotFoundAsync(async () =>
        {
            Detail = await bank.GetVialAsync(User.Actor(), id, ct);
            Excursions = await bank.ListExcursionsAsync(User.Actor(), vialId: id, ct: ct);
        });

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        var actor = User.Actor();
        var text = Text ?? "";
        if (await TryAsync("act", () => Action switch
        {
            "reserve" => bank.ReserveAsync(actor, id, text, Version, ct),
            "cancel" => bank.CancelReservationAsync(actor, id, text, Version, ct),
            "ship" => bank.ShipAsync(actor, id, text, Version, ct),
            "receive" => bank.ReceiveAsync(actor, id, text, Version, ct),
            "thaw" => bank.ThawAsync(actor, id, text, Version, ct),
            "administer" => bank.AdministerAsync(actor, id, text, Password ?? "", Version, ct),
            "discard" => bank.DiscardAsync(actor, id, text, Password ?? "", Version, ct),
            "move" => bank.MoveAsync(actor, id, BoxId ?? 0, Row, Column, text, Version, ct),
            _ => throw new Core.DomainValidationException("action", "choose an action"),
        }))
        {
            Notice($"Vial {Action} recorded.");
            return Redirect($"/bank/vials/{id}");
        }

        Password = null;
        Detail = await bank.GetVialAsync(actor, id, ct);
        return Page();
    }
}
