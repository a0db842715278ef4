using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Import;

/// <summary>
/// Step 4 of an import: writes a valid plan in one unit of work — donors, then lines, then master
/// and working banks, then lots with their vials (in quarantine) — so that the whole file is
/// written or nothing is.
/// </summary>
internal static class InventoryWriter
{
    public static async Task WriteAsync(IUnitOfWorkFactory units, BankService bank, Actor actor, InventoryPlan plan, DateTimeOffset now, string source,
        CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var reason = $"import {source}";
        var donorIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, (_, request)) in plan.Donors)
        {
            donorIds[code] = (await BankService.InsertDonorAsync(uow, actor, bank.BuildDonor(request, actor.UserName, now), reason, ct)).Id;
        }

        var lineIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, l) in plan.Lines)
        {
            lineIds[code] = (await BankService.InsertLineAsync(uow, actor, new CreateLineRequest(code, donorIds[l.Donor], l.Method, l.CloneName, l.Passage), now,
                reason, ct)).Id;
        }

        var bankIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, b) in plan.Banks.OrderBy(b => b.Value.Kind))
        {
            // A working bank holds as many vials as the file's lots draw from it; a master bank one.
            var count = b.Kind == CellBankKind.Wcb
                ? plan.Lots.Values.Where(l => string.Equals(l.Wcb, code, StringComparison.OrdinalIgnoreCase)).Sum(l => l.Vials.Count) : 1;
            bankIds[code] = (await BankService.InsertBankAsync(uow, actor, new CreateBankRequest(code, b.Kind, lineIds[b.Line],
                b.Parent is null ? null : bankIds[b.Parent], b.Passage, Math.Max(1, count)), now, reason, ct)).Id;
        }

        foreach (var lot in plan.Lots.Values)
        {
            await bank.InsertLotAsync(uow, actor, new CreateLotRequest(lot.Product, bankIds[lot.Wcb], lot.Vials.Count, lot.LotNumber, lot.Made), lot.Din,
                reason, ct, lot.Vials);
        }

        await uow.CommitAsync(ct);
    }
}
