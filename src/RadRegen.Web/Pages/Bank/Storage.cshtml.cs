using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class StorageModel(BankService bank) : BankPageModel
{
    public IReadOnlyList<LocationOccupancy> Locations { get; private set; } = [];

    [BindProperty]
    public long? ParentId { get; set; }

    [BindProperty]
    public string Kind { get; set; } = "box";

    [BindProperty]
    public string? LocationName { get; set; }

    [BindProperty]
    public int Rows { get; set; } = 9;

    [BindProperty]
    public int Columns { get; set; } = 9;

    [BindProperty]
    public double? MaxCelsius { get; set; } = -150;

    [BindProperty]
    public long? UnitId { get; set; }

    [BindProperty]
    public double? Celsius { get; set; }

    public bool CanMake => User.May(Operation.BankStorageSetUp);

    public async Task OnGetAsync(CancellationToken ct) => Locations = await bank.ListLocationsAsync(User.Actor(), ct);

    public async Task<IActionResult> OnPostLocationAsync(CancellationToken ct)
    {
        var kind = Enum.TryParse<LocationKind>(Kind, true, out var k) ? k : LocationKind.Box;
        if (await TryAsync("location", () => bank.CreateLocationAsync(User.Actor(), new CreateLocationRequest(ParentId, kind, LocationName ?? "", Rows, Columns, MaxCelsius), ct)))
        {
            Notice($"{kind.ToString().ToLowerInvariant()} {LocationName} added.");
            return Redirect("/bank/storage");
        }

        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTemperatureAsync(CancellationToken ct)
    {
        TemperatureReading? reading = null;
        if (await TryAsync("temperature", async () =>
        {
            if (Celsius is not { } c)
            {
                throw new Core.DomainValidationException("celsius", "enter the temperature in °C");
            }

            reading = await bank.RecordTemperatureAsync(User.Actor(), UnitId ?? 0, c, null, ct);
        }))
        {
            Notice(reading!.Excursion ? "EXCURSION recorded: the unit and every vial in it are flagged." : "Temperature recorded, within limits.");
            return Redirect("/bank/storage");
        }

        await OnGetAsync(ct);
        return Page();
    }
}
