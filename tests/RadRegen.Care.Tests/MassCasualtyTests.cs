using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Tests;

[Trait("Kind", "Integration")]
public class MassCasualtyTests : CareTestBase
{
    private const string Matched = "HLA-A*24:02+HLA-A*24:02^HLA-B*52:01+HLA-B*52:01^HLA-DRB1*15:02+HLA-DRB1*15:02";

    private static string Csv() =>
        "\uFEFFpatient,age,sex,weightKg,burns,hla,observedAt,vomitingOnsetMinutes,nausea,lymphocytes,granulocytes,platelets,erythema\n"
        + "V-1,34,female,60,no,\"HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:01\",2026-11-20T07:00:00Z,25,3,1.2,5,200,\n"
        // Lymphocytes 1.2 → 0.8 within the Goans window (1 h → 6 h) give about 9 Gy: below the expectant dose, so V-1
        // stays salvageable under scarcity (with 0.6 the window alone gives about 10.5 Gy, expectant since issue 11).
        + "V-1,,,,,,2026-11-20T12:00:00Z,,,0.8,,,\n"
        + "V-1,,,,,,2026-11-21T06:30:00Z,,,0.3,0.4,8,3\n"
        + "V-1,,,,,,2026-11-25T08:00:00Z,,,0.2,0.3,12,\n"
        + "V-2,8,male,25,yes,,2026-11-20T08:00:00Z,none,,2.4,4,260,\n"
        + "V-3,61,male,82,no,,2026-11-20T09:00:00Z,150,1,1.9,,,\n";

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Import_assesses_ranks_and_allocates_with_explanations(string engine)
    {
        // Changed with issue 11 (F11): granulocytes < 0.5 on day 1 no longer make V-1 a stem-cell candidate;
        // the count on day 5 (granulocytes 0.3) confirms H4, so the clock reads day 6 for that row to be accepted.
        await using var w = await RadRegen.Testing.TestWorld.CreateAsync(engine, new RadRegen.Testing.TestClock(IncidentStart.AddDays(6)));
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        var mc = services.GetRequiredService<MassCasualtyService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv()), null, "victims.csv");
        Assert.Equal(3, victims.Count);
        Assert.Equal(6, victims[0].Observations.Count); // symptoms + blood ×4 + skin
        var summary = await mc.ImportAsync(Coordinator, incident.Id, victims);
        Assert.Equal((3, 3), (summary.Patients, summary.Assessed));

        var queue = await mc.QueueAsync(Coordinator, incident.Id);
        Assert.Equal("V-1", queue[0].Patient.Code);
        Assert.Equal(4, queue[0].Assessment!.ResponseCategory);
        // Platelets from the count (8 ≤ 10 ×10⁹/L, AABB); erythema C3 alone calls for no keratinocyte graft (issue 11 item 6, F9:
        // the old expectation of S9101 here encoded the wrong rule).
        Assert.Equal([SeedCatalogue.PlateletsCode], queue[0].Needs.Select(n => n.ProductType));
        Assert.Contains(queue[0].Reasons, r => r.StartsWith("RC4", StringComparison.Ordinal));
        Assert.Empty(queue[^1].Needs);

        var stock = new List<StockVial>
        {
            new("V1", "S9105", "L-24", Matched, "Kyoto", IncidentStart.AddDays(200)),
            new("V2", "S9105", "L-24", Matched, "Kyoto", IncidentStart.AddDays(100)),
            new("V3", "S9105", "L-24", Matched, "Kyoto", IncidentStart.AddDays(1)), // expired by the clock (incident + 2 d)
        };
        var run = await mc.AllocateAsync(Coordinator, incident.Id, new ListInventory(stock, IncidentStart.AddDays(2)), HlaCompatibility.Default);
        var platelets = run.Result.Outcomes.Single(o => o.Request.ProductType == "S9105");
        // Repeated doses over the H4 nadir (center planning figure), each one adult dose of 3e11 platelets, 1e11 per vial
        // (was one dose, 3 vials: F8, demand under-planned).
        Assert.Equal(3 * PriorityPolicy.Default.TransfusionsOverNadirH4, platelets.Request.Vials);
        Assert.Equal(["V2", "V1"], platelets.Allotments.Single().VialIds); // V3 expired; closest expiry first
        Assert.Contains($"{platelets.Request.Vials - 2} unmet", platelets.Explanation[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(run.Result.Outcomes, o => o.Request.ProductType == "S9101");
        Assert.True(run.Scarcity);
        Assert.Equal(1, run.Policy!.Version);
        var audit = services.GetRequiredService<AuditService>();
        Assert.Equal(1, (await audit.BrowseAsync(Core.Access.Actor.LocalOperator("t"), new JournalQuery(RecordType: "allocation"))).Total);
        // ADR 0033: the three imported victims and their first assessments are journaled in one chunk entry.
        var chunk = Assert.Single((await audit.BrowseAsync(Core.Access.Actor.LocalOperator("t"), new JournalQuery(RecordType: MassCasualtyService.ImportChunkRecordType))).Entries);
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(chunk.Payload).RootElement.GetProperty("victims").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_bad_file_lists_every_bad_row_and_writes_nothing(string engine)
    {
        await using var w = await OpenAsync(engine);
        var services = w.Services;
        var care = services.GetRequiredService<CareService>();
        var mc = services.GetRequiredService<MassCasualtyService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var csv = "patient,age,sex,weightKg,observedAt,lymphocytes,nausea\n"
            + "A,30,female,70,2026-11-20T07:00:00Z,-1,\n"
            + "B,30,dragon,70,2026-11-20T05:00:00Z,1.5,\n"
            + "C,30,male,70,2026-11-20T07:00:00Z,1.5,9\n";
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => mc.ParseAsync(Coordinator, incident.Id, new StringReader(csv), null, "v.csv"));
        Assert.Contains(ex.Errors, e => e.Field == "v.csv row 2: lymphocytes");
        Assert.Contains(ex.Errors, e => e.Field == "v.csv row 3: sex");
        Assert.Contains(ex.Errors, e => e.Field == "v.csv row 3: observedAt");
        Assert.Contains(ex.Errors, e => e.Field == "v.csv row 4: signs.nausea");
        Assert.Empty(await care.ListPatientsAsync(Coordinator, incident.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => mc.ParseAsync(Auditor, incident.Id, new StringReader(csv), null, "v.csv"));
    }
}
