using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Services;

/// <summary>The center's settings for the bank.</summary>
/// <param name="FacilityCode">ISBT 128 facility identification number (αpppp) that begins every DIN.</param>
public sealed record BankOptions(string? FacilityCode)
{
    /// <summary>The bank's options for <paramref name="center"/> (the one holder of the center's code).</summary>
    public static BankOptions For(CenterIdentity center) => new(center?.Code);

    /// <summary>The facility code for a new DIN; without one configured the bank issues none rather than borrow another center's.</summary>
    public string RequireFacilityCode() => FacilityCode
        ?? throw new RuleViolationException("this installation has no ISBT 128 facility code (setting Center:FacilityCode), so it cannot issue a DIN");
}

/// <summary>
/// The cell bank's front door: one object for callers that use several of its features (pages, the
/// command line, the care module, the tests). Each feature is its own service, readable alone, and
/// new code may take just the one it needs:
/// <list type="bullet">
/// <item><see cref="ProductCatalogueService"/>: product types, specifications, shelf lives;</item>
/// <item><see cref="DonorService"/>: donors, screening, consent and its withdrawal;</item>
/// <item><see cref="LineService"/>: iPSC lines, master and working cell banks;</item>
/// <item><see cref="LotService"/>: lots and their vials under a DIN;</item>
/// <item><see cref="ReleaseService"/>: QC results, deviations, QA release and rejection;</item>
/// <item><see cref="StorageService"/>: locations, boxes and positions, temperatures;</item>
/// <item><see cref="VialService"/>: every vial transition and move, with the chain of custody;</item>
/// <item><see cref="InventoryService"/>: inventory search, the haplobank, lineage.</item>
/// </list>
/// Every method takes the actor and demands its operation (<see cref="Permissions"/>), writes its
/// change and the journal entries in one unit of work, and refuses bad input before writing.
/// </summary>
public sealed class BankService(
    ProductCatalogueService catalogue,
    DonorService donors,
    LineService lines,
    LotService lots,
    ReleaseService release,
    StorageService storage,
    VialService vials,
    InventoryService inventory,
    IHlaTyping hla,
    BankOptions options)
{
    public static IReadOnlyList<string> ScreeningMarkers => DonorService.ScreeningMarkers;

    public IHlaTyping Hla => hla;

    public BankOptions Options => options;

    public ProductCatalogueService Catalogue => catalogue;

    public DonorService Donors => donors;

    public LineService Lines => lines;

    public LotService Lots => lots;

    public ReleaseService Release => release;

    public StorageService Storage => storage;

    public VialService Vials => vials;

    public InventoryService Inventory => inventory;

    /// <summary>What blocks release (<see cref="ReleaseService.Readiness"/>).</summary>
    public static ReleaseReadiness Readiness(Lot lot, Product product, IReadOnlyList<QcResult> results, IReadOnlyList<Deviation> deviations,
        DateTimeOffset now) => ReleaseService.Readiness(lot, product, results, deviations, now);

    // ---- the product catalogue (Catalogue)

    public Task<IReadOnlyList<Product>> ListProductsAsync(Actor actor, CancellationToken ct = default) => catalogue.ListProductsAsync(actor, ct);
    public Task<Product> GetProductAsync(Actor actor, string code, CancellationToken ct = default) => catalogue.GetProductAsync(actor, code, ct);
    public Task<Product> SaveProductAsync(Actor actor, Product product, int? expectedVersion, string? reason, CancellationToken ct = default) =>
        catalogue.SaveProductAsync(actor, product, expectedVersion, reason, ct);
    public Task<int> EnsureCatalogueAsync(Actor actor, CancellationToken ct = default) => catalogue.EnsureCatalogueAsync(actor, ct);

    // ---- donors and consent (Donors)

    public Task<Donor> RegisterDonorAsync(Actor actor, RegisterDonorRequest request, CancellationToken ct = default) =>
        donors.RegisterDonorAsync(actor, request, ct);
    public Task<Donor> GetDonorAsync(Actor actor, long id, CancellationToken ct = default) => donors.GetDonorAsync(actor, id, ct);
    public Task<IReadOnlyList<Donor>> ListDonorsAsync(Actor actor, CancellationToken ct = default) => donors.ListDonorsAsync(actor, ct);

    public Task<ListPage<Donor>> SearchDonorsAsync(Actor actor, ListQuery query, CancellationToken ct = default) => donors.SearchDonorsAsync(actor, query, ct);
    public Task<Donor> WithdrawConsentAsync(Actor actor, long donorId, string reason, CancellationToken ct = default) =>
        donors.WithdrawConsentAsync(actor, donorId, reason, ct);

    // ---- lines and cell banks (Lines)

    public Task<CellLine> CreateLineAsync(Actor actor, CreateLineRequest request, string? reason = null, CancellationToken ct = default) =>
        lines.CreateLineAsync(actor, request, reason, ct);
    public Task<CellLine> GetLineAsync(Actor actor, long id, CancellationToken ct = default) => lines.GetLineAsync(actor, id, ct);
    public Task<IReadOnlyList<CellLine>> ListLinesAsync(Actor actor, long? donorId = null, CancellationToken ct = default) =>
        lines.ListLinesAsync(actor, donorId, ct);
    public Task<ListPage<CellLine>> SearchLinesAsync(Actor actor, ListQuery query, CancellationToken ct = default) => lines.SearchLinesAsync(actor, query, ct);
    public Task<CellBank> CreateBankAsync(Actor actor, CreateBankRequest request, string? reason = null, CancellationToken ct = default) =>
        lines.CreateBankAsync(actor, request, reason, ct);
    public Task<IReadOnlyList<CellBank>> ListBanksAsync(Actor actor, long lineId, CancellationToken ct = default) => lines.ListBanksAsync(actor, lineId, ct);

    // ---- lots (Lots)

    public Task<Lot> CreateLotAsync(Actor actor, CreateLotRequest request, string? reason = null, CancellationToken ct = default) =>
        lots.CreateLotAsync(actor, request, reason, ct);
    public Task<LotDetail> GetLotAsync(Actor actor, long lotId, CancellationToken ct = default) => lots.GetLotAsync(actor, lotId, ct);

    public Task<LotDetail> LabelsAsync(Actor actor, long lotId, CancellationToken ct = default) => lots.LabelsAsync(actor, lotId, ct);
    public Task<Lot> FindLotByNumberAsync(Actor actor, string lotNumber, CancellationToken ct = default) => lots.FindLotByNumberAsync(actor, lotNumber, ct);
    public Task<IReadOnlyList<Lot>> ListLotsAsync(Actor actor, long? lineId = null, LotStatus? status = null, int limit = 200, CancellationToken ct = default) =>
        lots.ListLotsAsync(actor, lineId, status, limit, ct);
    public Task<ListPage<Lot>> SearchLotsAsync(Actor actor, ListQuery query, LotStatus? status = null, CancellationToken ct = default) =>
        lots.SearchLotsAsync(actor, query, status, ct);

    // ---- QC, deviations and release (Release)

    public Task<(QcResult Result, Deviation? Deviation)> RecordQcResultAsync(Actor actor, long lotId, string testCode, string value, string? unit, CancellationToken ct = default) =>
        release.RecordQcResultAsync(actor, lotId, testCode, value, unit, ct);
    public Task<Deviation> CloseDeviationAsync(Actor actor, long deviationId, string closure, CancellationToken ct = default) =>
        release.CloseDeviationAsync(actor, deviationId, closure, ct);
    public Task<IReadOnlyList<Deviation>> ListDeviationsAsync(Actor actor, DeviationStatus? status, CancellationToken ct = default) =>
        release.ListDeviationsAsync(actor, status, ct);
    public Task<Lot> ReleaseLotAsync(Actor actor, long lotId, string password, string meaning = "released", int? expectedVersion = null, CancellationToken ct = default) =>
        release.ReleaseLotAsync(actor, lotId, password, meaning, expectedVersion, ct);
    public Task<Lot> RejectLotAsync(Actor actor, long lotId, string password, string reason, CancellationToken ct = default) =>
        release.RejectLotAsync(actor, lotId, password, reason, ct);

    // ---- storage and temperatures (Storage)

    public Task<StorageLocation> CreateLocationAsync(Actor actor, CreateLocationRequest request, CancellationToken ct = default) =>
        storage.CreateLocationAsync(actor, request, ct);
    public Task<IReadOnlyList<LocationOccupancy>> ListLocationsAsync(Actor actor, CancellationToken ct = default) => storage.ListLocationsAsync(actor, ct);
    public Task<BoxMap> GetBoxAsync(Actor actor, long boxId, CancellationToken ct = default) => storage.GetBoxAsync(actor, boxId, ct);
    public Task<TemperatureReading> RecordTemperatureAsync(Actor actor, long locationId, double celsius, DateTimeOffset? measuredAt = null, CancellationToken ct = default) =>
        storage.RecordTemperatureAsync(actor, locationId, celsius, measuredAt, ct);
    public Task<IReadOnlyList<TemperatureReading>> ListTemperaturesAsync(Actor actor, long locationId, CancellationToken ct = default) =>
        storage.ListTemperaturesAsync(actor, locationId, ct);
    public Task<TemperatureRecorded> RecordTemperatureAsync(Actor actor, long locationId, double celsius, DateTimeOffset? measuredAt, bool confirm, CancellationToken ct = default) =>
        storage.RecordTemperatureAsync(actor, locationId, celsius, measuredAt, confirm, ct);
    public Task<Excursion> ResolveExcursionAsync(Actor actor, long excursionId, string outcome, string assessment, string password, int? expectedVersion = null,
        CancellationToken ct = default) => storage.ResolveExcursionAsync(actor, excursionId, outcome, assessment, password, expectedVersion, ct);
    public Task<IReadOnlyList<Excursion>> ListExcursionsAsync(Actor actor, long? locationId = null, ExcursionStatus? status = null, long? vialId = null,
        CancellationToken ct = default) => storage.ListExcursionsAsync(actor, locationId, status, vialId, ct);

    // ---- vials and custody (Vials)

    public Task<Vial> ReserveAsync(Actor actor, long vialId, string reservedFor, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.ReserveAsync(actor, vialId, reservedFor, expectedVersion, ct);
    public Task<Vial> CancelReservationAsync(Actor actor, long vialId, string reason, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.CancelReservationAsync(actor, vialId, reason, expectedVersion, ct);
    public Task<Vial> ShipAsync(Actor actor, long vialId, string destination, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.ShipAsync(actor, vialId, destination, expectedVersion, ct);
    public Task<Vial> ReceiveAsync(Actor actor, long vialId, string note, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.ReceiveAsync(actor, vialId, note, expectedVersion, ct);
    public Task<Vial> ThawAsync(Actor actor, long vialId, string reason, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.ThawAsync(actor, vialId, reason, expectedVersion, ct);
    public Task<Vial> AdministerAsync(Actor actor, long vialId, string patient, string password, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.AdministerAsync(actor, vialId, patient, password, expectedVersion, ct);
    public Task<Vial> DiscardAsync(Actor actor, long vialId, string reason, string password, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.DiscardAsync(actor, vialId, reason, password, expectedVersion, ct);
    public Task<Vial> ReserveInAsync(IUnitOfWork uow, Actor actor, long vialId, string reservedFor, CancellationToken ct = default) =>
        vials.ReserveInAsync(uow, actor, vialId, reservedFor, ct);
    public Task<Vial> CancelReservationInAsync(IUnitOfWork uow, Actor actor, long vialId, string reason, CancellationToken ct = default) =>
        vials.CancelReservationInAsync(uow, actor, vialId, reason, ct);
    public Task<Vial> ShipInAsync(IUnitOfWork uow, Actor actor, long vialId, string destination, CancellationToken ct = default) =>
        vials.ShipInAsync(uow, actor, vialId, destination, ct);
    public Task<Vial> ReceiveInAsync(IUnitOfWork uow, Actor actor, long vialId, string note, CancellationToken ct = default) =>
        vials.ReceiveInAsync(uow, actor, vialId, note, ct);
    public Task<Vial> AdministerInAsync(IUnitOfWork uow, Actor actor, long vialId, string patient, CancellationToken ct = default) =>
        vials.AdministerInAsync(uow, actor, vialId, patient, ct);
    public Task<Vial> MoveAsync(Actor actor, long vialId, long boxId, int row, int column, string reason, int? expectedVersion = null, CancellationToken ct = default) =>
        vials.MoveAsync(actor, vialId, boxId, row, column, reason, expectedVersion, ct);
    public Task<VialDetail> GetVialAsync(Actor actor, long vialId, CancellationToken ct = default) => vials.GetVialAsync(actor, vialId, ct);
    public Task<Vial> FindVialAsync(Actor actor, string din, string productCode, string division, CancellationToken ct = default) =>
        vials.FindVialAsync(actor, din, productCode, division, ct);
    public Task<int> ExpireDueAsync(Actor actor, CancellationToken ct = default) => vials.ExpireDueAsync(actor, ct);

    // ---- inventory, haplobank and lineage (Inventory)

    public Task<InventoryPage> SearchAsync(Actor actor, InventorySearch search, CancellationToken ct = default) => inventory.SearchAsync(actor, search, ct);
    public Task<IReadOnlyList<HaplobankLine>> HaplobankLinesAsync(Actor actor, CancellationToken ct = default) => inventory.HaplobankLinesAsync(actor, ct);
    public Task<Lineage> LineageAsync(Actor actor, long vialId, CancellationToken ct = default) => inventory.LineageAsync(actor, vialId, ct);

    // ---- for the inventory import, which writes donors, lines, banks and lots in its own unit of work

    internal Donor BuildDonor(RegisterDonorRequest request, string user, DateTimeOffset now) => donors.BuildDonor(request, user, now);

    internal static Task<Donor> InsertDonorAsync(IUnitOfWork uow, Actor actor, Donor donor, string? reason, CancellationToken ct) =>
        DonorService.InsertDonorAsync(uow, actor, donor, reason, ct);

    internal static Task<CellLine> InsertLineAsync(IUnitOfWork uow, Actor actor, CreateLineRequest request, DateTimeOffset now, string? reason,
        CancellationToken ct) => LineService.InsertLineAsync(uow, actor, request, now, reason, ct);

    internal static Task<CellBank> InsertBankAsync(IUnitOfWork uow, Actor actor, CreateBankRequest request, DateTimeOffset now, string? reason,
        CancellationToken ct) => LineService.InsertBankAsync(uow, actor, request, now, reason, ct);

    internal Task<Lot> InsertLotAsync(IUnitOfWork uow, Actor actor, CreateLotRequest request, Din? din, string? reason, CancellationToken ct,
        IReadOnlyList<VialPlacement>? placements = null) => lots.InsertLotAsync(uow, actor, request, din, reason, ct, placements);
}
