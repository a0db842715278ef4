using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Work;

namespace RadRegen.Bank.Services;

/// <summary>
/// What the bank waits for (ADR 0040): quarantined lots (QC to record, deviations to close, release or
/// rejection), open deviations and storage excursions to assess. The lot's next step is decided here, from
/// the release rule's blockers (<see cref="ReleaseService.Readiness"/>), for the lot page and the inbox alike.
/// </summary>
public sealed class BankWork(IUnitOfWorkFactory units, IClock clock) : IWorkSource
{
    /// <summary>The step a lot waits for, or null when nothing waits (released, rejected).</summary>
    public static NextStep? NextStepOf(Lot lot, ReleaseReadiness readiness, IReadOnlyList<Deviation> deviations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lot);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(deviations);
        if (lot.Status != LotStatus.Quarantine)
        {
            return null;
        }

        if (readiness.Ready)
        {
            return new NextStep("release the lot (QA e-signature)", Operation.BankLotRelease);
        }

        // Blockers that no QC result or deviation closure can lift: the lot can only be rejected.
        if (lot.Flag is not null || Expiry.IsExpired(lot.ExpiresAt, now)
            || readiness.Blockers.Any(b => b.Contains("withdrew consent", StringComparison.Ordinal) || b.Contains("is not eligible", StringComparison.Ordinal)))
        {
            return new NextStep("reject the lot (QA e-signature)", Operation.BankLotReject);
        }

        if (deviations.Any(d => d.Status == DeviationStatus.Open))
        {
            return new NextStep("close the open deviations (QA)", Operation.BankDeviationClose);
        }

        return new NextStep("record the missing QC results", Operation.BankQcRecord);
    }

    public async Task<IReadOnlyList<WorkItem>> WaitingForAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Permissions.Allows(actor, Operation.BankRead))
        {
            return [];
        }

        var now = clock.UtcNow;
        var items = new List<WorkItem>();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var products = new Dictionary<string, Product>(StringComparer.Ordinal);
        var lots = await store.ListLotsAsync(null, LotStatus.Quarantine, Worklist.PerSourceLimit, ct);
        // What the release rule reads, read once for all the lots (one query per kind, not one per lot).
        var lotIds = lots.Select(l => l.Id).ToArray();
        var results = (await store.ListQcResultsAsync(lotIds, ct)).ToLookup(r => r.LotId);
        var deviationsOf = (await store.ListDeviationsAsync(lotIds, ct)).ToLookup(d => d.LotId);
        var donors = await store.DonorsOfLinesAsync([.. lots.Select(l => l.LineId).Distinct()], ct);
        foreach (var lot in lots)
        {
            if (!products.TryGetValue(lot.ProductCode, out var product))
            {
                product = products[lot.ProductCode] = await BankRules.ProductAsync(store, lot.ProductCode, ct);
            }

            var deviations = deviationsOf[lot.Id].ToList();
            var readiness = ReleaseService.Readiness(lot, product, [.. results[lot.Id]], deviations, now, donors.GetValueOrDefault(lot.LineId));
            if (NextStepOf(lot, readiness, deviations, now) is { } next && next.IsFor(actor)
                && next.Operation != Operation.BankDeviationClose)
            {
                items.Add(new WorkItem("bank", $"lot {lot.LotNumber}", $"/bank/lots/{lot.Id}", next, lot.ManufacturedAt)
                {
                    Detail = readiness.Ready ? null : string.Join("; ", readiness.Blockers),
                });
            }
        }

        var close = new NextStep("close the deviation with its conclusion (QA)", Operation.BankDeviationClose);
        if (close.IsFor(actor))
        {
            foreach (var d in (await store.ListDeviationsAsync(null, DeviationStatus.Open, ct)).Take(Worklist.PerSourceLimit))
            {
                items.Add(new WorkItem("bank", $"deviation {d.Id} ({d.TestCode})", $"/bank/lots/{d.LotId}#deviations", close, d.OpenedAt) { Detail = d.Description });
            }
        }

        var assess = new NextStep("assess the storage excursion (QA e-signature)", Operation.BankExcursionResolve);
        if (assess.IsFor(actor))
        {
            foreach (var e in (await store.ListExcursionsAsync(null, ExcursionStatus.Open, null, ct)).Take(Worklist.PerSourceLimit))
            {
                items.Add(new WorkItem("bank", $"excursion at {e.UnitName}", "/bank/storage#excursions", assess, e.MeasuredAt) { Detail = e.Flag });
            }
        }

        return items;
    }
}
