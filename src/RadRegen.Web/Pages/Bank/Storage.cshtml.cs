using Microsoft.AspNetCore.Mvc;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Bank;

public sealed class StorageModel(BankService bank) : BankPageModel
{
    public IReadOnlyList<LocationOccupancy> Locations { get; private set; } = [];

    public IReadOnlyList<Excursion> Excursions { get; private set; } = [];

    [BindProperty]
    public string? TemperatureClass { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    [BindProperty]
    public long? ExcursionId { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public string? Assessment { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool CanResolve => User.May(Operation.BankExcursionResolve);

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

    public async Task OnGetAsync(CancellationToken ct)
    {
        Locations = await bank.ListLocationsAsync(User.Actor(), ct);
        Excursions = await bank.ListExcursionsAsync(User.Actor(), ct: ct);
    }

    public async Task<IActionResult> OnPostLocationAsync(CancellationToken ct)
    {
        var kind = Enum.TryParse<LocationKind>(Kind, true, out var k) ? k : LocationKind.Box;
        if (await TryAsync("location", () => bank.CreateLocationAsync(User.Actor(), new CreateLocationRequest(ParentId, kind, LocationName ?? "", Rows, Columns,
            kind is LocationKind.Tank or LocationKind.Freezer ? MaxCelsius : null,
            string.IsNullOrWhiteSpace(TemperatureClass) ? null : TemperatureClasses.Parse(TemperatureClass, "class")), ct)))
        {
            Notice($"{kind.ToString().ToLowerInvariant()} {LocationName} added.");
            return Redirect("/bank/storage");
        }

        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTemperatureAsync(CancellationToken ct)
    {
        TemperatureRecorded? recorded = null;
        if (await TryAsync("temperature", async () =>
        {
            if (Celsius is not { } c)
            {
                throw new Core.DomainValidationException("celsius", "enter the temperature in °C");
            }

            recorded = await bank.RecordTemperatureAsync(User.Actor(), UnitId ?? 0, c, null, Confirm, ct);
        }))
        {
            Notice(recorded!.Excursion is { } e
                ? $"EXCURSION #{e.Id} recorded: the unit and its {e.VialIds.Count} vials are flagged until QA resolves it."
                : "Temperature recorded, within limits.");
            return Redirect("/bank/storage");
        }

        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResolveAsync(CancellationToken ct)
    {
        Excursion? resolved = null;
        if (await TryAsync("resolve", async () =>
            resolved = await bank.ResolveExcursionAsync(User.Actor(), ExcursionId ?? 0, Outcome ?? "", Assessment ?? "", Password ?? "", null, ct)))
        {
            Notice($"Excursion #{resolved!.Id} resolved ({resolved.Outcome}), signed by {resolved.ResolvedBy}.");
            return Redirect("/bank/storage");
        }

        await OnGetAsync(ct);
        return Page();
    }
}
