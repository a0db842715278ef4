using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>Migration 0012 (ADR 0026): the drill flag of incidents, stored and refused outside 0/1, and set on existing drill incidents, on each engine.</summary>
[Trait("Kind", "Integration")]
public class DrillIncidentStorageTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Migration_0012_flags_the_incidents_the_drill_and_the_demo_opened_and_keeps_the_others_real(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var coordinator = await w.UserAsync("coord1", Role.Coordinator);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        NewIncident Incident(string code, bool drill = false) => new(code, code, IncidentKind.Criticality, start, "here", [], drill);
        var opened = await w.Care.CreateIncidentAsync(coordinator, Incident("DRILL-7", drill: true));
        Assert.True(opened.Drill);
        await w.Care.CreateIncidentAsync(coordinator, Incident("DRILL-1-20261129101010"));
        await w.Care.CreateIncidentAsync(coordinator, Incident("DEMO-INC-1"));
        await w.Care.CreateIncidentAsync(coordinator, Incident("INC-0001"));
        await Assert.ThrowsAnyAsync<Exception>(() => w.RawAsync("UPDATE care_incidents SET drill = 2"));

        var migration = Migrator.Known(w.Database.Target.Engine).Single(m => m.Version == 12);
        Assert.Equal("drill_incidents", migration.Name);
        foreach (var statement in migration.Sql.Split(';').Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
                     .Where(s => s.StartsWith("UPDATE", StringComparison.Ordinal)))
        {
            await w.RawAsync(statement);
        }

        var flags = (await w.Care.ListIncidentsAsync(coordinator)).ToDictionary(i => i.Code, i => i.Drill);
        Assert.Equal(new Dictionary<string, bool> { ["DRILL-7"] = true, ["DRILL-1-20261129101010"] = true, ["DEMO-INC-1"] = true, ["INC-0001"] = false }, flags);
    }
}
