using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Tests;

/// <summary>
/// The allocation drawing on other centers' stock (issue 13 item 2, ADR 0030): a remote unit within
/// the need's window serves a patient local stock cannot; one beyond the window is not used; local
/// comes first at equal value; non-shareable, untimed or expiring remote stock is left out; a drill
/// never draws on it.
/// </summary>
[Trait("Kind", "Unit")]
public class RemoteAllocationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Expiry = Now.AddDays(200);

    /// <summary>Every pair acceptable with the same score: only the remote cost and the window tell units apart.</summary>
    private sealed class Equal : ICompatibility
    {
        public PairScore Score(AllocationRequest request, string lineId, string? lineHla) => new(0.5, true, "HvG 1: test");
    }

    private static AllocationRequest Need(string patient, int vials, double window = 24) =>
        new($"{patient}/S9105", patient, "S9105", vials, 5, null, Benefit: 0.25, BenefitBasis: "test", WindowHours: window);

    private static IEnumerable<StockVial> Local(string line, int n) =>
        Enumerable.Range(1, n).Select(i => new StockVial($"{line}-{i}", "S9105", line, null, "CPC", Expiry));

    private static IEnumerable<StockVial> Remote(string center, string stockRef, double hours, int n) =>
        RemoteStock.Eligible([new RemoteUnit(center, stockRef, "S9105", null, n, Expiry, hours, true)], Now, new Dictionary<string, int> { ["S9105"] = n }).Vials;

    [Fact]
    public void Under_scarcity_a_remote_unit_within_the_window_serves_a_patient_local_stock_cannot()
    {
        var result = Allocator.Allocate([Need("P-1", 2), Need("P-2", 2)], [.. Local("L-1", 2), .. Remote("W0002", "lot-17", 6, 2)], new Equal());

        Assert.Equal(4, result.VialsAllocated);
        var remote = result.Outcomes.SelectMany(o => o.Allotments).Single(a => a.Remote is not null);
        Assert.Equal(new RemoteSource("W0002", "lot-17", 6), remote.Remote);
        Assert.Equal(2, remote.VialIds.Count);
        var explained = result.Outcomes.Single(o => o.Allotments.Any(a => a.Remote is not null)).Explanation;
        Assert.Contains(explained, e => e.Contains("W0002's stock lot-17, ~6 h transport (within the 24 h window)", StringComparison.Ordinal)
            && e.Contains("W0002 must accept a shipment request, nothing is reserved there until it does", StringComparison.Ordinal));
        // The value reported is the clinical one (benefit × compatibility), not the discounted objective.
        Assert.Equal(4 * 0.25 * 0.5, result.TotalValue, 9);
    }

    [Fact]
    public void A_remote_unit_arriving_after_the_window_is_not_used_and_the_explanation_says_so()
    {
        var result = Allocator.Allocate([Need("P-1", 2), Need("P-2", 2)], [.. Local("L-1", 2), .. Remote("W0003", "lot-4", 30, 2)], new Equal());

        Assert.Equal(2, result.VialsAllocated);
        Assert.DoesNotContain(result.Outcomes.SelectMany(o => o.Allotments), a => a.Remote is not null);
        var unmet = result.Outcomes.Single(o => o.Unmet > 0);
        Assert.Contains("W0003's stock lot-4 (compatibility 0.5) would arrive in ~30 h, after this need's 24 h window", unmet.Explanation[^1], StringComparison.Ordinal);

        // A longer window (a candidate before the nadir) takes it.
        var later = Allocator.Allocate([Need("P-1", 2), Need("P-2", 2, window: 72)], [.. Local("L-1", 2), .. Remote("W0003", "lot-4", 30, 2)], new Equal());
        Assert.Equal(4, later.VialsAllocated);
        Assert.Equal("P-2", later.Outcomes.Single(o => o.Allotments.Any(a => a.Remote is not null)).Request.PatientCode);
    }

    [Fact]
    public void At_equal_value_local_stock_comes_first_and_a_nearer_center_before_a_farther_one()
    {
        var result = Allocator.Allocate([Need("P-1", 2)], [.. Remote("W0002", "lot-1", 2, 2), .. Local("L-1", 2)], new Equal());
        Assert.All(result.Outcomes.Single().Allotments, a => Assert.Null(a.Remote));
        Assert.Equal(2, result.VialsAllocated);

        var remoteOnly = Allocator.Allocate([Need("P-1", 2)], [.. Remote("W0009", "lot-9", 12, 2), .. Remote("W0002", "lot-1", 6, 2)], new Equal());
        Assert.Equal("W0002", remoteOnly.Outcomes.Single().Allotments.Single().Remote!.Center);

        // With the discounts at 0 (center policy) local and remote are worth the same: the objective cannot tell them apart.
        var policy = PriorityPolicy.Default with { RemoteStockDiscount = 0, TransportDiscountPerHour = 0 };
        Assert.Equal(1.0, policy.RemoteCost.Factor(100));
        Assert.Equal(1 - 0.02 - (0.001 * 6), PriorityPolicy.Default.RemoteCost.Factor(6), 12);
    }

    [Fact]
    public void Non_shareable_untimed_expiring_or_empty_remote_stock_is_left_out_with_the_reason()
    {
        var demand = new Dictionary<string, int> { ["S9105"] = 10 };
        var (vials, notes) = RemoteStock.Eligible(
        [
            new RemoteUnit("W0002", "lot-1", "S9105", null, 3, Expiry, 6, Shareable: false),
            new RemoteUnit("W0003", "lot-2", "S9105", null, 3, Expiry, null, true),
            new RemoteUnit("W0004", "lot-3", "S9105", null, 3, Now.AddHours(5), 6, true), // expires before it could arrive
            new RemoteUnit("W0005", "lot-4", "S9105", null, 3, Now.AddDays(-1), 6, true), // already expired
            new RemoteUnit("W0006", "lot-5", "S9105", null, 0, Expiry, 6, true),
            new RemoteUnit("W0007", "lot-6", "S9101", null, 3, Expiry, 6, true), // no need of it
            new RemoteUnit("W0008", "lot-7", "S9105", null, 50, Expiry, 6, true), // more than is needed: only the demand is a candidate
        ], Now, demand);

        Assert.Equal(10, vials.Count);
        Assert.All(vials, v => Assert.Equal(new RemoteSource("W0008", "lot-7", 6), v.Remote));
        Assert.Equal("W0008/lot-7/1", vials[0].Id);
        Assert.Contains("1 lot(s) left out: the owning center does not consent to ship them", notes);
        Assert.Contains("stock of W0003 left out: no transport time configured (Network:TransportHours:<CODE>)", notes);
        Assert.Contains("2 lot(s) left out: they would expire before arriving", notes);
        Assert.StartsWith("1 lot(s) of other centers' stock considered (10 vial(s))", notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_checks_its_windows_and_discounts()
    {
        var bad = PriorityPolicy.Default with { PlateletWindowHours = 0, CutaneousWindowHours = 10_000, RemoteStockDiscount = 1, TransportDiscountPerHour = -0.1 };
        Assert.Equal(["plateletWindowHours", "cutaneousWindowHours", "remoteStockDiscount", "transportDiscountPerHour"], bad.Problems().Select(e => e.Field));
        Assert.Contains(PriorityPolicy.Default.Rules(), r => r.Name.StartsWith("Treatment windows", StringComparison.Ordinal) && r.Source.Contains("center planning figures", StringComparison.Ordinal));
    }
}

/// <summary>The same through <see cref="MassCasualtyService.AllocateAsync"/>: the needs carry the policy's windows; a drill never draws on other centers' stock.</summary>
[Trait("Kind", "Integration")]
public class RemoteAllocationServiceTests : CareTestBase
{
    private const string Matched = "HLA-A*24:02+HLA-A*24:02^HLA-B*52:01+HLA-B*52:01^HLA-DRB1*15:02+HLA-DRB1*15:02";

    /// <summary>V-1: platelets 8 ×10⁹/L on day 1 (a transfusion due now: the 24 h window), HLA-typed.</summary>
    private const string Victims =
        "patient,age,sex,weightKg,burns,hla,observedAt,vomitingOnsetMinutes,lymphocytes,granulocytes,platelets\n"
        + "V-1,34,female,60,no,\"HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:01\",2026-11-20T09:00:00Z,150,1.6,5,200\n"
        + "V-1,,,,,,2026-11-21T06:30:00Z,,0.9,2,8\n";

    private sealed class FixedRemote(params RemoteUnit[] units) : IRemoteStock
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<RemoteUnit>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<RemoteUnit>>([.. units.Where(u => productTypes.Contains(u.ProductType))]);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Real_incidents_draw_on_remote_stock_within_the_window_and_drills_never_do(string engine)
    {
        await using var w = await RadRegen.Testing.TestWorld.CreateAsync(engine, new RadRegen.Testing.TestClock(IncidentStart.AddDays(2)));
        var care = w.Services.GetRequiredService<CareService>();
        var mc = w.Services.GetRequiredService<MassCasualtyService>();
        var remote = new FixedRemote(
            new RemoteUnit("W0002", "lot-17", "S9105", Matched, 4, IncidentStart.AddDays(200), 6, true),
            new RemoteUnit("W0003", "lot-5", "S9105", Matched, 40, IncidentStart.AddDays(200), 30, true), // beyond the 24 h window
            new RemoteUnit("W0004", "lot-8", "S9105", Matched, 40, IncidentStart.AddDays(200), 2, false)); // not shareable
        var local = new ListInventory([new StockVial("V1", "S9105", "L-24", Matched, "CPC", IncidentStart.AddDays(100))], IncidentStart.AddDays(2));

        var real = await care.CreateIncidentAsync(Coordinator, AnIncident("INC-R"));
        await mc.ImportAsync(Coordinator, real.Id, await mc.ParseAsync(Coordinator, real.Id, new StringReader(Victims), null, "v.csv"));
        var queue = await mc.QueueAsync(Coordinator, real.Id);
        Assert.Equal(PriorityPolicy.Default.PlateletWindowHours, queue[0].Needs.Single().WindowHours);

        var run = await mc.AllocateAsync(Coordinator, real.Id, local, HlaCompatibility.Default, remote: remote);
        var outcome = run.Result.Outcomes.Single();
        Assert.Equal(24, outcome.Request.WindowHours);
        Assert.Equal(["V1"], outcome.Allotments.Single(a => a.Remote is null).VialIds); // local first
        Assert.Equal(4, outcome.Allotments.Single(a => a.Remote is not null).VialIds.Count);
        Assert.Equal("W0002", outcome.Allotments.Single(a => a.Remote is not null).Remote!.Center);
        Assert.Contains("would arrive in ~30 h, after this need's 24 h window", outcome.Explanation[^1], StringComparison.Ordinal);
        Assert.Equal((1, 4 + 24), (run.VialsInStock, run.RemoteVials)); // lot-17: 4; lot-5: as many as the demand (24 vials); lot-8: none
        Assert.Contains("1 lot(s) left out: the owning center does not consent to ship them", run.RemoteNotes!);
        Assert.Equal(real.Id, run.Incident!.Id);
        var audit = w.Services.GetRequiredService<AuditService>();
        var planned = (await audit.BrowseAsync(Core.Access.Actor.LocalOperator("t"), new JournalQuery(RecordType: "allocation"))).Entries.Single();
        Assert.Contains("\"center\":\"W0002\"", planned.Payload, StringComparison.Ordinal);

        var drill = await care.CreateIncidentAsync(Coordinator, AnIncident("DRILL-R") with { Drill = true });
        await mc.ImportAsync(Coordinator, drill.Id, await mc.ParseAsync(Coordinator, drill.Id, new StringReader(Victims), null, "v.csv"));
        var calls = remote.Calls;
        // A drill allocates its simulated stock only (ADR 0035): the real stock is refused for it.
        await Assert.ThrowsAsync<RuleViolationException>(() => mc.AllocateAsync(Coordinator, drill.Id, local, HlaCompatibility.Default, remote: remote));
        var drillStock = new ListInventory([new StockVial("D1", "S9105", "L-24", Matched, "CPC", IncidentStart.AddDays(100))], IncidentStart.AddDays(2), drill: true);
        var drillRun = await mc.AllocateAsync(Coordinator, drill.Id, drillStock, HlaCompatibility.Default, remote: remote);
        Assert.Equal(calls, remote.Calls); // not even read
        Assert.Equal(0, drillRun.RemoteVials);
        Assert.DoesNotContain(drillRun.Result.Outcomes.SelectMany(o => o.Allotments), a => a.Remote is not null);
        Assert.Contains(drillRun.RemoteNotes!, n => n.StartsWith("a drill", StringComparison.Ordinal));
    }
}
