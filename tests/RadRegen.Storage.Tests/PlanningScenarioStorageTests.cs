using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Planning;
using RadRegen.Planning.Scenarios;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>Migration 0027 (ADR 0036): the center's scenarios, versioned and journaled, on each engine.</summary>
[Trait("Kind", "Integration")]
public class PlanningScenarioStorageTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_center_scenario_is_stored_in_versions_with_a_journal_entry_each(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var planner = await w.UserAsync("planner1", Role.Coordinator);
        var planning = w.Get<PlanningService>();

        var first = await planning.SaveCenterScenarioAsync(planner, CenterScenarios.OrphanSource, "first estimate");
        var second = await planning.SaveCenterScenarioAsync(planner, CenterScenarios.OrphanSource with { Title = "Orphan source, revised" }, "revised after the drill");
        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);

        var history = await planning.HistoryAsync(planner, CenterScenarios.OrphanSource.Id);
        Assert.Equal([1, 2], history.Select(h => h.Scenario.Version));
        Assert.Equal(["first estimate", "revised after the drill"], history.Select(h => h.Reason));
        Assert.Equal("Orphan source, revised", (await planning.ScenarioAsync(planner, CenterScenarios.OrphanSource.Id)).Title);
        Assert.Equal(first.Bands.Count, history[0].Scenario.Bands.Count);

        var journal = await w.Get<AuditService>().BrowseAsync(TestWorld.System, new JournalQuery(RecordType: "planning-scenario", PageSize: 10));
        Assert.Equal(2, journal.Total);
        Assert.True((await w.Get<AuditService>().VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_scenario_with_a_negative_count_writes_nothing(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var planner = await w.UserAsync("planner1", Role.Coordinator);
        var planning = w.Get<PlanningService>();
        var band = CenterScenarios.Criticality.Bands[0];
        var bad = CenterScenarios.Criticality with { Bands = [band with { Counts = [-1, .. band.Counts.Skip(1)] }, .. CenterScenarios.Criticality.Bands.Skip(1)] };

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => planning.SaveCenterScenarioAsync(planner, bad, "typo"));
        Assert.Contains(refused.Errors, e => e.Field.StartsWith("bands[0].counts", StringComparison.Ordinal));
        Assert.Empty(await planning.HistoryAsync(planner, CenterScenarios.Criticality.Id));
    }
}
