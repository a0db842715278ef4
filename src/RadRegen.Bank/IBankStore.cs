using RadRegen.Core;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;

namespace RadRegen.Bank;

/// <summary>A search of the inventory. Null fields do not filter.</summary>
/// <param name="LineIds">Only vials of these lines (from an HLA filter); empty matches nothing.</param>
/// <param name="LocationId">Only vials stored at or below this location.</param>
public sealed record InventoryQuery(
    string? ProductCode = null,
    VialStatus? Status = null,
    IReadOnlyCollection<long>? LineIds = null,
    long? LocationId = null,
    DateTimeOffset? ExpiresBefore = null,
    DateTimeOffset? ExpiresAfter = null,
    string? LotNumber = null,
    int Page = 1,
    int PageSize = 50)
{
    /// <summary>
    /// When set, a status filter follows the one expiry rule (<see cref="Expiry"/>) at this instant:
    /// "expired" also finds live vials past their expiry, a live status leaves them out.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>The order (a key of <see cref="Model.BankLists.Vials"/>); null for the default, soonest expiry first.</summary>
    public SortOrder? Order { get; init; }
}

/// <summary>A line with its donor's typing, for HLA filters.</summary>
public sealed record LineTyping(long LineId, string? HlaGl, string? Haplotype);

/// <summary>A vial as the inventory shows it.</summary>
public sealed record InventoryItem(Vial Vial, string LotNumber, string LineCode, string? BoxName, string? LocationPath);

/// <summary>A vial that may be given to a patient now, with its line's typing and where it is stored.</summary>
/// <param name="LocationPath">The box's path of location ids ("/site/tank/rack/box/"), or null when not in a box.</param>
public sealed record AvailableVial(Vial Vial, string LotNumber, string LineCode, string? LineHla, string? LocationPath);

public sealed record InventoryPage(IReadOnlyList<InventoryItem> Items, long Total, int Page, int PageSize);

/// <summary>The bank's storage port, bound to one unit of work. Updates take the expected version and return false when stale.</summary>
public interface IBankStore
{
    Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken ct);

    Task<Product?> FindProductAsync(string code, CancellationToken ct);

    Task InsertProductAsync(Product product, CancellationToken ct);

    Task<bool> UpdateProductAsync(Product product, int expectedVersion, CancellationToken ct);

    Task<long> InsertDonorAsync(Donor donor, CancellationToken ct);

    Task<Donor?> FindDonorAsync(long id, CancellationToken ct);

    Task<Donor?> FindDonorByCodeAsync(string code, CancellationToken ct);

    Task<IReadOnlyList<Donor>> ListDonorsAsync(CancellationToken ct);

    /// <summary>One page of donors matching the query's text (code, HLA, haplotype), in <paramref name="order"/> (<see cref="BankLists.Donors"/>).</summary>
    Task<ListPage<Donor>> SearchDonorsAsync(ListQuery query, SortOrder order, CancellationToken ct);

    Task<bool> UpdateDonorAsync(Donor donor, int expectedVersion, CancellationToken ct);

    Task<long> InsertLineAsync(CellLine line, CancellationToken ct);

    Task<CellLine?> FindLineAsync(long id, CancellationToken ct);

    Task<CellLine?> FindLineByCodeAsync(string code, CancellationToken ct);

    Task<IReadOnlyList<CellLine>> ListLinesAsync(long? donorId, CancellationToken ct);

    /// <summary>The donor of each line in <paramref name="lineIds"/>, by line id (a line not found is left out); one read for many lines (the inbox).</summary>
    Task<IReadOnlyDictionary<long, Donor>> DonorsOfLinesAsync(IReadOnlyCollection<long> lineIds, CancellationToken ct);

    /// <summary>One page of lines matching the text (line code, clone, method, donor code), in <paramref name="order"/> (<see cref="BankLists.Lines"/>).</summary>
    Task<ListPage<CellLine>> SearchLinesAsync(ListQuery query, SortOrder order, CancellationToken ct);

    /// <summary>Every line with its donor's GL String and haplotype (one small query).</summary>
    Task<IReadOnlyList<LineTyping>> ListLineTypingsAsync(CancellationToken ct);

    Task FlagLinesOfDonorAsync(long donorId, string flag, CancellationToken ct);

    Task<long> InsertBankAsync(CellBank bank, CancellationToken ct);

    Task<CellBank?> FindBankAsync(long id, CancellationToken ct);

    Task<CellBank?> FindBankByCodeAsync(string code, CancellationToken ct);

    Task<IReadOnlyList<CellBank>> ListBanksAsync(long lineId, CancellationToken ct);

    Task<long> InsertLotAsync(Lot lot, CancellationToken ct);

    Task<Lot?> FindLotAsync(long id, CancellationToken ct);

    Task<Lot?> FindLotByNumberAsync(string lotNumber, CancellationToken ct);

    Task<IReadOnlyList<Lot>> ListLotsAsync(long? lineId, LotStatus? status, int limit, CancellationToken ct);

    /// <summary>One page of lots matching the text (lot number, DIN, product code), optionally of one status, in <paramref name="order"/> (<see cref="BankLists.Lots"/>).</summary>
    Task<ListPage<Lot>> SearchLotsAsync(ListQuery query, LotStatus? status, SortOrder order, CancellationToken ct);

    Task<bool> UpdateLotAsync(Lot lot, int expectedVersion, CancellationToken ct);

    Task FlagLotsOfDonorAsync(long donorId, string flag, CancellationToken ct);

    Task<long> InsertVialAsync(Vial vial, CancellationToken ct);

    Task<Vial?> FindVialAsync(long id, CancellationToken ct);

    Task<Vial?> FindVialByIdentityAsync(string din, string productCode, string division, CancellationToken ct);

    Task<IReadOnlyList<Vial>> ListVialsOfLotAsync(long lotId, CancellationToken ct);

    Task<IReadOnlyList<Vial>> ListVialsInBoxAsync(long boxId, CancellationToken ct);

    Task<Vial?> FindVialAtAsync(long boxId, int row, int column, CancellationToken ct);

    /// <summary>Writes the vial's state and position if its version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateVialAsync(Vial vial, int expectedVersion, CancellationToken ct);

    /// <summary>Adds <paramref name="flag"/> to every vial of the donor's lines not in a final state; returns their ids.</summary>
    Task<IReadOnlyList<long>> FlagVialsOfDonorAsync(long donorId, string flag, CancellationToken ct);

    /// <summary>Adds <paramref name="flag"/> to every vial not in a final state stored under a location path; returns their ids.</summary>
    Task<IReadOnlyList<long>> FlagVialsUnderAsync(string locationPath, string flag, CancellationToken ct);

    /// <summary>Vials past their expiry and not in a final state, oldest first.</summary>
    Task<IReadOnlyList<Vial>> ListDueForExpiryAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Quarantined or released lots past their expiry (<c>expires_at ≤ now</c>) not yet marked expired.</summary>
    Task<IReadOnlyList<Lot>> ListLotsDueForExpiryAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Marks a lot expired at <paramref name="at"/> (conditional on its version).</summary>
    Task<bool> MarkLotExpiredAsync(long lotId, DateTimeOffset at, int expectedVersion, CancellationToken ct);

    Task<InventoryPage> SearchAsync(InventoryQuery query, CancellationToken ct);

    /// <summary>
    /// Released vials of the products, unexpired at <paramref name="now"/>, with no flag on the vial,
    /// its lot or its line, from donors whose consent to clinical use stands and who are eligible:
    /// what may be offered to a patient. Soonest expiry first.
    /// </summary>
    Task<IReadOnlyList<AvailableVial>> ListAvailableVialsAsync(IReadOnlyCollection<string> productCodes, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Of the vials <paramref name="vialIds"/>, those of <paramref name="productCode"/> that
    /// <see cref="ListAvailableVialsAsync"/> would list (the same rule): what a reservation of those
    /// vials checks, without reading the whole stock.
    /// </summary>
    Task<IReadOnlyList<AvailableVial>> FindAvailableVialsAsync(IReadOnlyCollection<long> vialIds, string productCode, DateTimeOffset now, CancellationToken ct);

    /// <summary>How many vials of each line are in a given status (lines without any are left out).</summary>
    Task<IReadOnlyDictionary<long, int>> CountVialsByLineAsync(VialStatus status, CancellationToken ct);

    Task<Lineage?> LineageAsync(long vialId, CancellationToken ct);

    Task<long> InsertQcResultAsync(QcResult result, CancellationToken ct);

    Task<IReadOnlyList<QcResult>> ListQcResultsAsync(long lotId, CancellationToken ct);

    /// <summary>The QC results of every lot in <paramref name="lotIds"/>, by lot then id (one read for many lots: the inbox).</summary>
    Task<IReadOnlyList<QcResult>> ListQcResultsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct);

    Task<long> InsertDeviationAsync(Deviation deviation, CancellationToken ct);

    Task<Deviation?> FindDeviationAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<Deviation>> ListDeviationsAsync(long? lotId, DeviationStatus? status, CancellationToken ct);

    /// <summary>The deviations, open or closed, of every lot in <paramref name="lotIds"/>, by lot then id (one read for many lots: the inbox).</summary>
    Task<IReadOnlyList<Deviation>> ListDeviationsAsync(IReadOnlyCollection<long> lotIds, CancellationToken ct);

    Task<bool> UpdateDeviationAsync(Deviation deviation, int expectedVersion, CancellationToken ct);

    Task<long> InsertLocationAsync(StorageLocation location, CancellationToken ct);

    Task<StorageLocation?> FindLocationAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<StorageLocation>> ListLocationsAsync(CancellationToken ct);

    Task<int> CountVialsInBoxAsync(long boxId, CancellationToken ct);

    Task SetLocationFlagAsync(long id, string? flag, CancellationToken ct);

    Task<long> InsertReadingAsync(TemperatureReading reading, CancellationToken ct);

    Task<IReadOnlyList<TemperatureReading>> ListReadingsAsync(long locationId, int limit, CancellationToken ct);

    /// <summary>Inserts an open excursion (its <see cref="Excursion.Flag"/> written later, once its id is known) and returns its id.</summary>
    Task<long> InsertExcursionAsync(Excursion excursion, CancellationToken ct);

    /// <summary>Writes an open excursion's flag text and the vials it flagged (append-only).</summary>
    Task SetExcursionFlagAsync(long id, string flag, IReadOnlyList<long> vialIds, CancellationToken ct);

    Task<Excursion?> FindExcursionAsync(long id, CancellationToken ct);

    /// <summary>Excursions, newest first; null filters do not filter (<paramref name="vialId"/>: those that flagged the vial).</summary>
    Task<IReadOnlyList<Excursion>> ListExcursionsAsync(long? locationId, ExcursionStatus? status, long? vialId, CancellationToken ct);

    /// <summary>Writes the resolution of an open excursion if its version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> ResolveExcursionAsync(Excursion resolved, int expectedVersion, CancellationToken ct);

    /// <summary>Released, unexpired vials that carry a flag (an excursion awaiting QA, a consent withdrawal): stock held back from allocation, and why.</summary>
    Task<IReadOnlyList<InventoryItem>> ListFlaggedStockAsync(DateTimeOffset now, int limit, CancellationToken ct);

    Task InsertCustodyAsync(CustodyEvent custody, CancellationToken ct);

    Task<IReadOnlyList<CustodyEvent>> ListCustodyAsync(long vialId, CancellationToken ct);

    /// <summary>The next DIN sequence number for a facility and year (1, 2, …), inside the transaction.</summary>
    Task<int> NextDinSequenceAsync(string facility, int year, CancellationToken ct);
}
