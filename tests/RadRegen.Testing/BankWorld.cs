using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Storage;

namespace RadRegen.Testing;

/// <summary>
/// A bank on a <see cref="TestWorld"/>: people (two technicians, two QA officers, a physician, an
/// auditor), the catalogue, a donor, line, MCB, WCB and a 9×9 box, on a test clock.
/// </summary>
public sealed class BankWorld : IAsyncDisposable
{
    public const string Password = TestWorld.Password;

    public static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    public static readonly Actor System = TestWorld.System;

    private BankWorld(TestWorld world) => World = world;

    public TestWorld World { get; }

    public TestDatabase Db => World.Database;

    public ServiceProvider Services => World.Services;

    public TestClock Clock => World.Clock;

    public BankService Bank => World.Bank;

    public Actor Tech { get; private set; } = null!;

    public Actor Tech2 { get; private set; } = null!;

    public Actor Qa { get; private set; } = null!;

    public Actor Qa2 { get; private set; } = null!;

    public Actor Physician { get; private set; } = null!;

    public Actor Auditor { get; private set; } = null!;

    public Donor Donor { get; private set; } = null!;

    public CellLine Line { get; private set; } = null!;

    public CellBank Mcb { get; private set; } = null!;

    public CellBank Wcb { get; private set; } = null!;

    public StorageLocation Site { get; private set; } = null!;

    public StorageLocation Tank { get; private set; } = null!;

    public StorageLocation Box { get; private set; } = null!;

    public static async Task<BankWorld> CreateAsync(string engine)
    {
        var world = new BankWorld(await TestWorld.CreateAsync(engine, new TestClock(Start)));
        try
        {
            await world.SetUpAsync();
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }

        return world;
    }

    private Task<Actor> UserAsync(string name, Role role) => World.UserAsync(name, role);

    private async Task SetUpAsync()
    {
        await Bank.EnsureCatalogueAsync(System);
        Tech = await UserAsync("tech1", Role.CpcTechnician);
        Tech2 = await UserAsync("tech2", Role.CpcTechnician);
        Qa = await UserAsync("qa1", Role.QaOfficer);
        Qa2 = await UserAsync("qa2", Role.QaOfficer);
        Physician = await UserAsync("doc1", Role.Physician);
        Auditor = await UserAsync("audit1", Role.Auditor);
        var laid = await LayDownAsync(Bank, Tech);
        (Donor, Line, Mcb, Wcb, Site, Tank) = (laid.Donor, laid.Line, laid.Mcb, laid.Wcb, laid.Site, laid.Tank);
        Box = await Bank.CreateLocationAsync(Tech, new CreateLocationRequest(laid.Rack.Id, LocationKind.Box, "B1", 9, 9));
    }

    /// <summary>
    /// A donor, its line, MCB and WCB, and storage down to a rack (site CPC, tank LN2-1 at −150 °C, rack
    /// R1), laid down by <paramref name="tech"/>: the bank every bank test starts from, on any
    /// center's services (the network's tests and benchmarks use it on centers of their own).
    /// </summary>
    public static async Task<LaidDownLine> LayDownAsync(BankService bank, Actor tech, string donorCode = "D-TEST0001")
    {
        ArgumentNullException.ThrowIfNull(bank);
        var donor = await bank.RegisterDonorAsync(tech, Eligible(donorCode));
        var line = await bank.CreateLineAsync(tech, new CreateLineRequest("RR-L001", donor.Id, "episomal plasmid", "clone 4", 12));
        var mcb = await bank.CreateBankAsync(tech, new CreateBankRequest("RR-L001-MCB", CellBankKind.Mcb, line.Id, null, 15, 200));
        var wcb = await bank.CreateBankAsync(tech, new CreateBankRequest("RR-L001-WCB1", CellBankKind.Wcb, line.Id, mcb.Id, 18, 300));
        var site = await bank.CreateLocationAsync(tech, new CreateLocationRequest(null, LocationKind.Site, "CPC"));
        var tank = await bank.CreateLocationAsync(tech, new CreateLocationRequest(site.Id, LocationKind.Tank, "LN2-1", MaxCelsius: -150));
        var rack = await bank.CreateLocationAsync(tech, new CreateLocationRequest(tank.Id, LocationKind.Rack, "R1"));
        return new LaidDownLine(donor, line, mcb, wcb, site, tank, rack);
    }

    public static RegisterDonorRequest Eligible(string code, bool clinical = true) => new(code, new ConsentScopes(true, true, clinical), null,
        [.. BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative"))], "A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02");

    /// <summary>A lot of the MSC-like product with <paramref name="vials"/> vials in the box.</summary>
    public Task<Lot> LotAsync(int vials = 4) => Bank.CreateLotAsync(Tech, new CreateLotRequest("S9102", Wcb.Id, vials, BoxId: Box.Id));

    /// <summary>Records a passing result for every test of the MSC-like specification.</summary>
    public Task PassAllAsync(Lot lot, Actor? by = null) => PassAllAsync(Bank, by ?? Tech, lot.Id);

    /// <summary>Records, by <paramref name="by"/>, a passing result for every test of the MSC-like specification on any center's bank.</summary>
    public static async Task PassAllAsync(BankService bank, Actor by, long lotId)
    {
        ArgumentNullException.ThrowIfNull(bank);
        await bank.RecordQcResultAsync(by, lotId, "viability", "92.5", "%");
        await bank.RecordQcResultAsync(by, lotId, "endotoxin", "0.1", "EU/mL");
        await bank.RecordQcResultAsync(by, lotId, "sterility", "negative", null);
        await bank.RecordQcResultAsync(by, lotId, "mycoplasma", "negative", null);
        await bank.RecordQcResultAsync(by, lotId, "residual-undifferentiated", "0.01", "%");
        await bank.RecordQcResultAsync(by, lotId, "karyotype", "normal", null);
    }

    public async Task<Lot> ReleasedLotAsync(int vials = 4)
    {
        var lot = await LotAsync(vials);
        await PassAllAsync(lot);
        return await Bank.ReleaseLotAsync(Qa, lot.Id, Password);
    }

    public async Task<IReadOnlyList<Vial>> VialsAsync(Lot lot) => (await Bank.GetLotAsync(System, lot.Id)).Vials;

    public Task SetStatusAsync(long vialId, VialStatus status) =>
        World.RawAsync("UPDATE bank_vials SET status = @s WHERE id = @vialId", new { s = Lifecycle.Name(status), vialId });

    public Task SetPositionAsync(long vialId, long boxId, int row, int column) =>
        World.RawAsync("UPDATE bank_vials SET box_id = @boxId, pos_row = @row, pos_col = @column WHERE id = @vialId",
            new { boxId, row, column, vialId });

    public Task<long> JournalCountAsync() => World.JournalCountAsync();

    public ValueTask DisposeAsync() => World.DisposeAsync();
}

/// <summary>What <see cref="BankWorld.LayDownAsync"/> laid down.</summary>
public sealed record LaidDownLine(Donor Donor, CellLine Line, CellBank Mcb, CellBank Wcb, StorageLocation Site, StorageLocation Tank, StorageLocation Rack);
