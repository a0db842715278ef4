namespace RadRegen.Bank.Model;

/// <summary>What the donor agreed to. Withdrawal blocks every new use and flags existing material.</summary>
public sealed record ConsentScopes(bool Banking, bool Research, bool Clinical)
{
    public override string ToString() =>
        string.Join(", ", new[] { Banking ? "banking" : null, Research ? "research" : null, Clinical ? "clinical use" : null }.Where(s => s is not null));
}

/// <summary>An infectious-marker screening result (negative, positive).</summary>
public sealed record ScreeningResult(string Marker, string Result);

public sealed record Donor(
    long Id,
    string Code,
    ConsentScopes Consent,
    DateTimeOffset ConsentedAt,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawalReason,
    IReadOnlyList<ScreeningResult> Screening,
    bool Eligible,
    string? HlaGl,
    bool? Homozygous,
    string? Haplotype,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    int Version = 1)
{
    public bool ConsentWithdrawn => WithdrawnAt is not null;
}

public sealed record CellLine(
    long Id,
    string Code,
    long DonorId,
    string Method,
    string CloneName,
    int Passage,
    string? Flag,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int Version = 1)
{
    /// <summary>Clinical, or research use only (a donor not eligible for clinical use; ADR 0016). Its banks and lots follow it.</summary>
    public IntendedUse IntendedUse { get; init; } = IntendedUse.Clinical;
}

public enum CellBankKind
{
    Mcb,
    Wcb,
}

public sealed record CellBank(
    long Id,
    string Code,
    CellBankKind Kind,
    long LineId,
    long? ParentId,
    int Passage,
    int Vials,
    DateTimeOffset CreatedAt,
    string CreatedBy);

public enum LotStatus
{
    Quarantine,
    Released,
    Rejected,
}

public sealed record Lot(
    long Id,
    string LotNumber,
    string Din,
    string ProductCode,
    long WcbId,
    long LineId,
    LotStatus Status,
    DateTimeOffset ManufacturedAt,
    DateTimeOffset ExpiresAt,
    string? Flag,
    DateTimeOffset? ReleasedAt,
    string? ReleasedBy,
    long? SignatureId,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int Version = 1)
{
    /// <summary>The product's intended use, or research use only when the line is (ADR 0016). Only clinical lots go to patients.</summary>
    public IntendedUse IntendedUse { get; init; } = IntendedUse.Clinical;

    /// <summary>When the expiry run marked the lot expired (journaled); <see cref="Expiry.LotStatusName"/> reads it.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }
}

public enum VialStatus
{
    Quarantine,
    Released,
    Reserved,
    Shipped,
    Received,
    Thawed,
    Administered,
    Discarded,
    Expired,
}

public sealed record Vial(
    long Id,
    long LotId,
    long LineId,
    string Din,
    string ProductCode,
    string Division,
    VialStatus Status,
    long? BoxId,
    int? Row,
    int? Column,
    DateTimeOffset ExpiresAt,
    string? ReservedFor,
    string? Flag,
    int Version = 1)
{
    /// <summary>Chain of identity: DIN + product code + division.</summary>
    public string Identity => $"{Din} {ProductCode} {Division}";

    public string? Position => BoxId is null ? null : $"{BoxId}:{Positions.Label(Row!.Value, Column!.Value)}";
}

public sealed record QcResult(
    long Id,
    long LotId,
    string TestCode,
    string Value,
    string? Unit,
    bool Passed,
    DateTimeOffset RecordedAt,
    string RecordedBy);

public enum DeviationStatus
{
    Open,
    Closed,
}

public sealed record Deviation(
    long Id,
    long LotId,
    long? QcResultId,
    string TestCode,
    string Description,
    DeviationStatus Status,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? Closure,
    int Version = 1);

public enum LocationKind
{
    Site,
    Tank,
    Freezer,
    Rack,
    Box,
}

/// <summary>site → LN2 tank or freezer → rack → box (rows × columns).</summary>
public sealed record StorageLocation(
    long Id,
    long? ParentId,
    LocationKind Kind,
    string Name,
    string Path,
    int Rows,
    int Columns,
    double? MaxCelsius,
    string? Flag,
    int Version = 1)
{
    public int Capacity => Rows * Columns;

    /// <summary>A tank's or freezer's declared temperature class (null for sites, racks, boxes; see <see cref="StorageUnits"/>).</summary>
    public Catalogue.TemperatureClass? Class { get; init; }
}

/// <summary>A temperature of a tank or freezer; <see cref="Confirmed"/>: implausible for the unit and recorded on confirmation.</summary>
public sealed record TemperatureReading(long Id, long LocationId, DateTimeOffset MeasuredAt, double Celsius, bool Excursion, string RecordedBy)
{
    public bool Confirmed { get; init; }
}

/// <summary>One link of the chain of custody: who moved a vial, or changed its state, when and why.</summary>
public sealed record CustodyEvent(
    long Id,
    long VialId,
    DateTimeOffset At,
    string User,
    string Action,
    string? FromStatus,
    string ToStatus,
    string? FromPosition,
    string? ToPosition,
    string? Reason);

/// <summary>A vial's lineage back to the donor and consent, read in one query.</summary>
public sealed record Lineage(
    Vial Vial,
    Lot Lot,
    CellBank WorkingBank,
    CellBank? MasterBank,
    CellLine Line,
    Donor Donor);

/// <summary>Box positions are written A1 (row letter, column number).</summary>
public static class Positions
{
    public static string Label(int row, int column) =>
        $"{(char)('A' + row - 1)}{column.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
