using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Work;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>What the bank waits for, and for whom (the inbox and the lot page's next step, ADR 0040).</summary>
public class BankWorkTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_lot_waits_for_QC_then_for_QA_release_and_each_role_sees_only_its_own_step(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var lot = await w.LotAsync();
        var worklist = w.World.Get<Worklist>();

        var forTech = await worklist.ForAsync(w.Tech);
        var qcStep = Assert.Single(forTech, i => i.Record == $"lot {lot.LotNumber}");
        Assert.Equal(Operation.BankQcRecord, qcStep.Next.Operation);
        Assert.Contains("no result for release test", qcStep.Detail, StringComparison.Ordinal);
        // QA may record QC results too (the permission table), but nobody is asked to release yet.
        Assert.All(await worklist.ForAsync(w.Qa), i => Assert.NotEqual(Operation.BankLotRelease, i.Next.Operation));

        await w.PassAllAsync(lot);
        var release = Assert.Single(await worklist.ForAsync(w.Qa), i => i.Record == $"lot {lot.LotNumber}");
        Assert.Equal(Operation.BankLotRelease, release.Next.Operation);
        Assert.Equal($"/bank/lots/{lot.Id}", release.Link);
        Assert.Equal([Role.QaOfficer], release.Next.By);
        Assert.DoesNotContain(await worklist.ForAsync(w.Tech), i => i.Record == $"lot {lot.LotNumber}");
        Assert.Empty(await worklist.ForAsync(w.Auditor));

        await w.Bank.ReleaseLotAsync(w.Qa, lot.Id, BankWorld.Password);
        Assert.DoesNotContain(await worklist.ForAsync(w.Qa), i => i.Record == $"lot {lot.LotNumber}");
        var detail = await w.Bank.GetLotAsync(w.Qa, lot.Id);
        Assert.Null(Services.BankWork.NextStepOf(detail.Lot, detail.Readiness, detail.Deviations, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// Lots in every state the inbox tells apart: the items are exactly those the lot-by-lot reading gave before
    /// the inbox read each kind once for all lots (<see cref="LotByLotAsync"/> keeps that reading), and the read
    /// of QC results, deviations and donors is one store call each however many lots wait.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_inbox_reads_each_kind_once_for_all_lots_and_gives_the_items_the_lot_by_lot_reading_gave(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var (line2, wcb2) = await LineAsync(w, "2");
        var (line3, wcb3) = await LineAsync(w, "3");
        Task<Lot> LotOf(CellBank wcb) => w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", wcb.Id, 1, BoxId: w.Box.Id));

        var untested = await LotOf(w.Wcb);
        await w.Bank.RecordQcResultAsync(w.Tech, untested.Id, "viability", "92.5", "%");
        var ready = await LotOf(w.Wcb);
        await w.PassAllAsync(ready);
        var deviating = await LotOf(w.Wcb);
        await w.PassAllAsync(deviating);
        var (_, open) = await w.Bank.RecordQcResultAsync(w.Tech, deviating.Id, "endotoxin", "0.7", "EU/mL");
        var retest = await LotOf(w.Wcb);
        await w.PassAllAsync(retest);
        var (_, closed) = await w.Bank.RecordQcResultAsync(w.Tech, retest.Id, "endotoxin", "0.9", "EU/mL");
        await w.Bank.CloseDeviationAsync(w.Qa, closed!.Id, "confirmed; retest ordered");
        var flagged = await LotOf(w.Wcb);
        await w.PassAllAsync(flagged);
        await w.World.RawAsync("UPDATE bank_lots SET flag = 'held by QA' WHERE id = @id", new { id = flagged.Id });
        var expired = await LotOf(w.Wcb);
        await w.World.RawAsync("UPDATE bank_lots SET expires_at = @at WHERE id = @id", new { at = JournalTime.ToText(w.Clock.UtcNow.AddDays(-1)), id = expired.Id });
        var withdrawn = await LotOf(wcb2);
        await w.PassAllAsync(withdrawn);
        await w.Bank.WithdrawConsentAsync(w.Tech, line2.DonorId, "donor asked by letter");
        var ineligible = await LotOf(wcb3);
        await w.PassAllAsync(ineligible);
        await w.World.RawAsync("UPDATE bank_donors SET screening = '[]' WHERE id = @id", new { id = line3.DonorId });
        var released = await w.ReleasedLotAsync(1);

        var counting = new CountingUnits(w.Services.GetRequiredService<IUnitOfWorkFactory>());
        var work = new BankWork(counting, w.Clock);
        foreach (var actor in new[] { w.Tech, w.Qa, w.Auditor })
        {
            Assert.Equal(await LotByLotAsync(w, actor), await work.WaitingForAsync(actor, CancellationToken.None));
        }

        var forQa = await work.WaitingForAsync(w.Qa, CancellationToken.None);
        var forTech = await work.WaitingForAsync(w.Tech, CancellationToken.None);
        // QA may also record QC results (the permission table): take each lot's step from both, once.
        Operation? StepOf(Lot lot) => forQa.Concat(forTech).Where(i => i.Record == $"lot {lot.LotNumber}").Select(i => (Operation?)i.Next.Operation).Distinct().SingleOrDefault();
        Assert.Equal(Operation.BankQcRecord, StepOf(untested));
        Assert.Equal(Operation.BankLotRelease, StepOf(ready));
        Assert.Null(StepOf(deviating));
        Assert.Contains(forQa, i => i.Record == $"deviation {open!.Id} (endotoxin)");
        Assert.Equal(Operation.BankQcRecord, StepOf(retest));
        Assert.Equal(Operation.BankLotReject, StepOf(flagged));
        Assert.Equal(Operation.BankLotReject, StepOf(expired));
        Assert.Equal(Operation.BankLotReject, StepOf(withdrawn));
        Assert.Contains("withdrew consent", forQa.Single(i => i.Record == $"lot {withdrawn.LotNumber}").Detail, StringComparison.Ordinal);
        Assert.Equal(Operation.BankLotReject, StepOf(ineligible));
        Assert.Contains("is not eligible", forQa.Single(i => i.Record == $"lot {ineligible.LotNumber}").Detail, StringComparison.Ordinal);
        Assert.Null(StepOf(released));

        // One visit: each kind read once for the eight lots, nothing read lot by lot.
        counting.Calls.Clear();
        await work.WaitingForAsync(w.Qa, CancellationToken.None);
        Assert.Equal(1, counting.Count("ListQcResultsAsync(IReadOnlyCollection`1)"));
        Assert.Equal(1, counting.Count("ListDeviationsAsync(IReadOnlyCollection`1)"));
        Assert.Equal(1, counting.Count("DonorsOfLinesAsync(IReadOnlyCollection`1)"));
        Assert.Equal(0, counting.Count("ListQcResultsAsync(Int64)"));
        Assert.Equal(0, counting.Count("FindLineAsync(Int64)"));
        Assert.Equal(0, counting.Count("FindDonorAsync(Int64)"));
        Assert.Equal(1, counting.Count("ListDeviationsAsync(Nullable`1,Nullable`1)"));
    }

    private static async Task<(CellLine Line, CellBank Wcb)> LineAsync(BankWorld w, string n)
    {
        var donor = await w.Bank.RegisterDonorAsync(w.Tech, BankWorld.Eligible($"D-TEST000{n}"));
        var line = await w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest($"RR-L00{n}", donor.Id, "episomal plasmid", "clone 1", 12));
        var mcb = await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest($"RR-L00{n}-MCB", CellBankKind.Mcb, line.Id, null, 15, 200));
        return (line, await w.Bank.CreateBankAsync(w.Tech, new CreateBankRequest($"RR-L00{n}-WCB1", CellBankKind.Wcb, line.Id, mcb.Id, 18, 300)));
    }

    /// <summary>The inbox's lot items as they were computed before (issue: ~800 small reads a visit): each lot's QC results, deviations, line and donor read one at a time.</summary>
    private static async Task<List<WorkItem>> LotByLotAsync(BankWorld w, Actor actor)
    {
        var items = new List<WorkItem>();
        if (!Permissions.Allows(actor, Operation.BankRead))
        {
            return items;
        }

        var now = w.Clock.UtcNow;
        await using var uow = await w.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        var store = uow.Store<IBankStore>();
        foreach (var lot in await store.ListLotsAsync(null, LotStatus.Quarantine, Worklist.PerSourceLimit, CancellationToken.None))
        {
            var product = (await store.FindProductAsync(lot.ProductCode, CancellationToken.None))!;
            var results = await store.ListQcResultsAsync(lot.Id, CancellationToken.None);
            var deviations = await store.ListDeviationsAsync(lot.Id, null, CancellationToken.None);
            var line = await store.FindLineAsync(lot.LineId, CancellationToken.None);
            var donor = line is null ? null : await store.FindDonorAsync(line.DonorId, CancellationToken.None);
            var readiness = ReleaseService.Readiness(lot, product, results, deviations, now, donor);
            if (BankWork.NextStepOf(lot, readiness, deviations, now) is { } next && next.IsFor(actor) && next.Operation != Operation.BankDeviationClose)
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
            foreach (var d in (await store.ListDeviationsAsync(null, DeviationStatus.Open, CancellationToken.None)).Take(Worklist.PerSourceLimit))
            {
                items.Add(new WorkItem("bank", $"deviation {d.Id} ({d.TestCode})", $"/bank/lots/{d.LotId}#deviations", close, d.OpenedAt) { Detail = d.Description });
            }
        }

        var assess = new NextStep("assess the storage excursion (QA e-signature)", Operation.BankExcursionResolve);
        if (assess.IsFor(actor))
        {
            foreach (var e in (await store.ListExcursionsAsync(null, ExcursionStatus.Open, null, CancellationToken.None)).Take(Worklist.PerSourceLimit))
            {
                items.Add(new WorkItem("bank", $"excursion at {e.UnitName}", "/bank/storage#excursions", assess, e.MeasuredAt) { Detail = e.Flag });
            }
        }

        return items;
    }

    /// <summary>Units of work whose bank store counts its calls by method and parameter types ("FindLineAsync(Int64)").</summary>
    private sealed class CountingUnits(IUnitOfWorkFactory inner) : IUnitOfWorkFactory
    {
        public List<string> Calls { get; } = [];

        public int Count(string call) => Calls.Count(c => c == call);

        public async Task<IUnitOfWork> BeginAsync(WorkMode mode, CancellationToken cancellationToken = default) =>
            new Unit(await inner.BeginAsync(mode, cancellationToken), Calls);

        private sealed class Unit(IUnitOfWork inner, List<string> calls) : IUnitOfWork
        {
            public IJournal Journal => inner.Journal;

            public TStore Store<TStore>() where TStore : class
            {
                var store = inner.Store<TStore>();
                if (store is not IBankStore bank)
                {
                    return store;
                }

                var proxy = DispatchProxy.Create<IBankStore, CountingProxy>();
                ((CountingProxy)(object)proxy).Set(bank, calls);
                return (TStore)(object)proxy;
            }

            public Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }

    /// <summary>Forwards every call to the real store and notes it.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from it at run time
    public class CountingProxy : DispatchProxy
#pragma warning restore CA1852
    {
        private IBankStore _inner = null!;
        private List<string> _calls = null!;

        internal void Set(IBankStore inner, List<string> calls) => (_inner, _calls) = (inner, calls);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            _calls.Add($"{targetMethod.Name}({string.Join(",", targetMethod.GetParameters().SkipLast(1).Select(p => p.ParameterType.Name))})");
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
