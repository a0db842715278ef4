using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Laboratory;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests.Care;

public class LabCurveStoreTests : EngineTests
{
    private static NewLabCurve Curve(string assay, string name, IReadOnlyList<LabCountRow>? counts = null) => new(
        assay, name, "lq", 0.00128031901393, 0.02103872432802, 0.0630325340436,
        [[2.22223140352e-07, -9.94904381042e-07, 4.37994449856e-07], [-9.94904381042e-07, 2.66010126994e-05, -1.51049382045e-05], [4.37994449856e-07, -1.51049382045e-05, 1.60591394962e-05]],
        "test", "⁶⁰Co γ", counts, counts is null ? null : new LabFitSummary("poisson", 0.8, 8, 6.8, ["a warning"]), "lab", new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Curves_round_trip_and_exactly_one_is_active_per_assay(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        long a, b, m;
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<ILabCurveStore>();
            a = await store.InsertCurveAsync(Curve("dicentric", "A", [new LabCountRow(0, 5000, 8, [4992, 8]), new LabCountRow(1, 2000, 100)]), default);
            b = await store.InsertCurveAsync(Curve("dicentric", "B"), default);
            m = await store.InsertCurveAsync(Curve("micronucleus", "M"), default);
            Assert.True(await store.ActivateCurveAsync(a, "dicentric", null, default));
            Assert.True(await store.ActivateCurveAsync(m, "micronucleus", 1, default));
            await uow.CommitAsync();
        }

        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<ILabCurveStore>();
            var got = (await store.GetCurveAsync(a, default))!;
            Assert.Equal("A", got.Name);
            Assert.Equal(0.0630325340436, got.Beta);
            Assert.Equal(-1.51049382045e-05, got.Covariance[1][2]);
            Assert.Equal([4992L, 8L], got.Counts![0].Distribution);
            Assert.Null(got.Counts[1].Distribution);
            Assert.Equal("a warning", got.Fit!.Warnings.Single());
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), got.CreatedAt);
            Assert.True(got.Active);
            Assert.Equal(2, got.Version);

            Assert.False(await store.ActivateCurveAsync(b, "dicentric", 7, default)); // stale version
            Assert.True(await store.ActivateCurveAsync(b, "dicentric", 1, default));
            Assert.Equal(b, (await store.GetActiveCurveAsync("dicentric", default))!.Id);
            Assert.Equal(m, (await store.GetActiveCurveAsync("micronucleus", default))!.Id);
            Assert.Null(await store.GetActiveCurveAsync("translocation", default));
            Assert.Equal(2, (await store.ListCurvesAsync("dicentric", default)).Count);
            Assert.Equal(3, (await store.ListCurvesAsync(null, default)).Count);
            Assert.Equal(3, (await store.GetCurveAsync(a, default))!.Version); // cleared: version + 1
            await uow.CommitAsync();
        }

        // The database itself refuses a second active curve of an assay.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            RawAsync(services, "UPDATE lab_curves SET active = 1 WHERE id = @a", new { a }));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_curve_keeps_its_calibrated_range_and_its_activation_signature(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var units = w.Services.GetRequiredService<IUnitOfWorkFactory>();
        long entered, fitted;
        var at = new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var store = uow.Store<ILabCurveStore>();
            entered = await store.InsertCurveAsync(Curve("dicentric", "entered") with { CalibratedFromGy = 0.1, CalibratedToGy = 4.5 }, default);
            // A fitted curve without a recorded range (as before migration 0009) takes it from its count table.
            fitted = await store.InsertCurveAsync(Curve("micronucleus", "fitted", [new LabCountRow(0, 5000, 8), new LabCountRow(6, 1000, 900)]), default);
            Assert.True(await store.ActivateCurveAsync(entered, "dicentric", null, default));
            Assert.True(await store.RecordActivationAsync(entered, 42, "qa.sato", at, default));
            await uow.CommitAsync();
        }

        await using (var uow = await units.BeginAsync(WorkMode.Read))
        {
            var store = uow.Store<ILabCurveStore>();
            var e = (await store.GetCurveAsync(entered, default))!;
            Assert.Equal(0.1, e.CalibratedFromGy);
            Assert.Equal(4.5, e.CalibratedToGy);
            Assert.Equal(42, e.ActivationSignatureId);
            Assert.Equal("qa.sato", e.ActivatedBy);
            Assert.Equal(at, e.ActivatedAt);
            Assert.Equal(2, e.Version); // recording the signature does not count as another change
            Assert.Equal(4.5, e.ToSpec().CalibratedToGy);
            var f = (await store.GetCurveAsync(fitted, default))!;
            Assert.Equal(0, f.CalibratedFromGy);
            Assert.Equal(6, f.CalibratedToGy);
            Assert.Null(f.ActivatedBy);
        }
    }
}
