using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>
/// The bank store's reads for many lots at once (the inbox's release blockers), on each engine: the same rows as
/// the lot-by-lot reads, in lot then id order, also when the ids are more than one SQLite statement takes.
/// </summary>
[Trait("Kind", "Integration")]
public class BankManyLotsStorageTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Results_deviations_and_donors_of_many_lots_are_those_read_one_lot_at_a_time(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var first = await w.LotAsync(1);
        var second = await w.LotAsync(1);
        var untested = await w.LotAsync(1);
        foreach (var lot in new[] { second, first })
        {
            await w.PassAllAsync(lot);
            await w.Bank.RecordQcResultAsync(w.Tech, lot.Id, "endotoxin", "0.7", "EU/mL");
        }

        var (_, closed) = await w.Bank.RecordQcResultAsync(w.Tech, first.Id, "endotoxin", "0.8", "EU/mL");
        await w.Bank.CloseDeviationAsync(w.Qa, closed!.Id, "confirmed");

        await using var uow = await w.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Read);
        var store = uow.Store<IBankStore>();
        var ct = CancellationToken.None;
        long[] lots = [second.Id, untested.Id, first.Id];
        // Ids that match no lot, past a SQLite statement's share, around the real ones and repeated.
        long[] many = [.. Enumerable.Range(1, 2 * Storage.Bank.SqlBankStore.SqliteIdsPerStatement + 7).Select(i => 1_000_000L + i), .. lots, .. lots];

        var results = new List<QcResult>();
        var deviations = new List<Deviation>();
        foreach (var id in lots.Order())
        {
            results.AddRange(await store.ListQcResultsAsync(id, ct));
            deviations.AddRange(await store.ListDeviationsAsync(id, null, ct));
        }

        Assert.Equal(15, results.Count);
        Assert.Equal(3, deviations.Count);
        Assert.Equal(results, await store.ListQcResultsAsync(lots, ct));
        Assert.Equal(results, await store.ListQcResultsAsync(many, ct));
        Assert.Equal(deviations, await store.ListDeviationsAsync(lots, ct));
        Assert.Equal(deviations, await store.ListDeviationsAsync(many, ct));
        Assert.Empty(await store.ListQcResultsAsync([], ct));
        Assert.Empty(await store.ListDeviationsAsync([], ct));

        var donors = await store.DonorsOfLinesAsync([w.Line.Id, 987_654], ct);
        Assert.Equal([w.Line.Id], donors.Keys);
        var donor = await store.FindDonorAsync(w.Line.DonorId, ct);
        Assert.Equivalent(donor, donors[w.Line.Id], strict: true);
        Assert.Empty(await store.DonorsOfLinesAsync([], ct));
    }
}
