using Microsoft.Extensions.Logging;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Import;

/// <summary>What an import wrote.</summary>
public sealed record ImportReport(int Rows, int Donors, int Lines, int CellBanks, int Lots, int Vials);

/// <summary>
/// Imports an existing inventory from one CSV, one row per vial with its donor, line, cell banks,
/// lot and position. Everything is validated first and every bad row is listed; only then is
/// everything written, in one unit of work, or nothing. Imported lots arrive in quarantine: a
/// lot is released here only by a QA officer's signature.
/// </summary>
public sealed partial class InventoryImport(IUnitOfWorkFactory units, BankService bank, IClock clock, ILogger<InventoryImport>? logger = null)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "donor_code", "consent_banking", "consent_research", "consent_clinical", "consented_on",
        "hiv", "hbv", "hcv", "htlv", "syphilis", "hla_gl",
        "line_code", "method", "clone", "line_passage",
        "mcb_code", "mcb_passage", "wcb_code", "wcb_passage",
        "lot_number", "din", "product_code", "manufactured_on",
        "division", "box", "position",
    ];

    /// <summary>
    /// Reads the file (<see cref="InventoryRows"/>), checks it against the database
    /// (<see cref="InventoryStoreCheck"/>) and against itself (<see cref="InventoryPlan"/>), and
    /// writes it in one unit of work (<see cref="InventoryWriter"/>); every bad row is listed and
    /// nothing is written when there is one.
    /// </summary>
    private async Task<ImportReport> ImportRowsAsync(Actor actor, TextReader csv, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(csv);
        actor.Demand(Operation.BankInventoryImport);
        var rows = Read(csv);
        var errors = new ImportErrors();
        var now = clock.UtcNow;
        var snapshot = await InventoryStoreCheck.RunAsync(units, rows, errors, ct);
        var plan = InventoryPlan.Build(rows, snapshot, errors, bank, actor.UserName, now, source);
        errors.ThrowIfAny();
        await InventoryWriter.WriteAsync(units, bank, actor, plan, now, source, ct);
        return new ImportReport(rows.Count, plan.Donors.Count, plan.Lines.Count, plan.Banks.Count, plan.Lots.Count, rows.Count);
    }

    private static List<InventoryRow> Read(TextReader csv) => InventoryRows.Read(csv);
}
