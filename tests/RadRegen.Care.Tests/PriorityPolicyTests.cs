using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>The crisis-standards priority policy (issue 11 items 4–6, ADR 0015).</summary>
public class PriorityPolicyTests : CareTestBase
{
    private static readonly DateTimeOffset Now = IncidentStart.AddDays(2);

    private static Patient Casualty(long id, string code, bool combinedInjury = false, int age = 40, int arrivalMinutes = 0) =>
        new(id, 1, code, age, Sex.Female, 70, IncidentStart, 0.5, ExposureRoute.External, false, combinedInjury, false, null, IncidentStart.AddMinutes(60 + arrivalMinutes), 1);

    private static DayGrade Day(int day, int n = 0, int h = 0, int c = 0, int g = 0, Dictionary<string, double>? signs = null) =>
        new(day, n, h, c, g, Math.Max(Math.Max(n, h), Math.Max(c, g)), $"N{n}H{h}C{c}G{g}", [], signs ?? []);

    private static PatientAssessment Assessed(long id, string? triage, int? rc, double? dose, params DayGrade[] days) =>
        new(id, 1, Now, 3, triage, rc, dose, dose * 0.8, dose * 1.2, [], days, [], []);

    [Fact]
    public void Under_scarcity_the_review_case_puts_the_salvageable_RC3_first_and_the_10_6_Gy_combined_injury_RC4_apart_as_expectant()
    {
        // Reference/clinical F3: the old score ranked the ~10.6 Gy combined-injury RC4 casualty #1 (13) above ~6.5 Gy RC3 (10).
        var hopeless = Casualty(1, "C-RC4", combinedInjury: true);
        var salvageable = Casualty(2, "C-RC3");
        var patients = new[] { hopeless, salvageable };
        var assessments = new[]
        {
            Assessed(1, "red", 4, 10.6, Day(1, n: 4, h: 4)),
            Assessed(2, "red", 3, 6.5, Day(1, h: 3)),
        };

        var scarce = TriageQueue.Build(patients, assessments, scarcity: true);
        Assert.Equal(["C-RC3", "C-RC4"], scarce.Select(e => e.Patient.Code));
        Assert.Equal(PriorityTier.Priority, scarce[0].Tier);
        Assert.Equal(PriorityTier.Expectant, scarce[1].Tier);
        Assert.Equal(3, scarce[1].ExpectantCriteria!.Count); // combined injury > 4.5 Gy, N4, ≥ 10 Gy
        Assert.Contains(scarce[1].Reasons, r => r.StartsWith("expectant under scarcity", StringComparison.Ordinal));
        Assert.DoesNotContain(scarce[1].Reasons, r => r.Contains("combined injury (+", StringComparison.Ordinal)); // no bonus

        // Enough stock for all: no one is expectant, and the weights (peaking at RC3) still put RC3 first.
        var plenty = TriageQueue.Build(patients, assessments, scarcity: false);
        Assert.All(plenty, e => Assert.NotEqual(PriorityTier.Expectant, e.Tier));
        Assert.Equal("C-RC3", plenty[0].Patient.Code);
        Assert.Contains(plenty[1].Reasons, r => r.StartsWith("meets expectant criteria", StringComparison.Ordinal));
        Assert.True(plenty[0].Benefit > plenty[1].Benefit);
    }

    [Fact]
    public void Unassessed_patients_need_assessment_and_rank_above_the_walking_well_who_are_last()
    {
        var patients = new[] { Casualty(1, "WELL"), Casualty(2, "UNSEEN"), Casualty(3, "SICK") };
        var assessments = new[]
        {
            Assessed(1, "green", 1, 0.3, Day(0, h: 1, signs: new() { ["lymphocytes"] = 2.1, ["platelets"] = 240 })),
            Assessed(3, "yellow", 2, 1.6, Day(1, h: 2)),
        };
        var queue = TriageQueue.Build(patients, assessments);
        Assert.Equal(["SICK", "UNSEEN", "WELL"], queue.Select(e => e.Patient.Code));
        Assert.Equal([PriorityTier.Priority, PriorityTier.NeedsAssessment, PriorityTier.WalkingWell], queue.Select(e => e.Tier));
        Assert.Contains(queue[1].Reasons, r => r.StartsWith("needs assessment", StringComparison.Ordinal));
        Assert.Contains(queue[2].Reasons, r => r.StartsWith("walking well", StringComparison.Ordinal));
    }

    [Fact]
    public void Ties_go_to_the_lower_dose_then_the_earlier_arrival_never_to_the_higher_dose()
    {
        // Same RC, same dose band (2–6 Gy): equal priority.
        var patients = new[] { Casualty(1, "HIGH", arrivalMinutes: 0), Casualty(2, "LOW", arrivalMinutes: 30), Casualty(3, "LOW-LATE", arrivalMinutes: 45), Casualty(4, "LOW-EARLY", arrivalMinutes: 5) };
        var assessments = new[]
        {
            Assessed(1, "red", 3, 5.5, Day(1, h: 3)),
            Assessed(2, "red", 3, 3.0, Day(1, h: 3)),
            Assessed(3, "red", 3, 4.0, Day(1, h: 3)),
            Assessed(4, "red", 3, 4.0, Day(1, h: 3)),
        };
        var queue = TriageQueue.Build(patients, assessments);
        Assert.Single(queue.Select(e => e.Priority).Distinct());
        Assert.Equal(["LOW", "LOW-EARLY", "LOW-LATE", "HIGH"], queue.Select(e => e.Patient.Code));
    }

    [Fact]
    public void Weights_peak_at_intermediate_severity()
    {
        var p = PriorityPolicy.Default;
        double Score(int rc, double dose) => TriageQueue.Score(Casualty(1, "X"), Assessed(1, "red", rc, dose, Day(1, h: rc)), p).Priority;
        Assert.True(Score(3, 4) > Score(4, 4));
        Assert.True(Score(3, 4) > Score(3, 9));
        Assert.True(Score(2, 3) > Score(4, 12));
        Assert.True(TriageQueue.Score(Casualty(1, "CI", combinedInjury: true), Assessed(1, "red", 3, 4, Day(1, h: 3)), p).Priority < Score(3, 4)); // MORTT
    }

    [Fact]
    public void Platelets_follow_the_count_or_bleeding_with_repeated_doses_over_the_nadir()
    {
        var p = PriorityPolicy.Default;
        var patient = Casualty(1, "P");
        List<Need> NeedsOf(int h, Dictionary<string, double> signs) => TriageQueue.Needs(patient, Assessed(1, "red", h, 5, Day(10, h: h, signs: signs)), p);

        Assert.Empty(NeedsOf(4, new() { ["platelets"] = 15 })); // H4 but above the AABB threshold of 10, no bleeding, no candidacy
        var low = Assert.Single(NeedsOf(4, new() { ["platelets"] = 8 }));
        Assert.Equal((SeedCatalogue.PlateletsCode, 3 * p.TransfusionsOverNadirH4), (low.ProductType, low.Vials));
        Assert.Contains("Kaufman", low.Why, StringComparison.Ordinal);
        var bleeding = Assert.Single(NeedsOf(3, new() { ["platelets"] = 40, ["bloodLoss"] = 3 }));
        Assert.Equal(3 * p.TransfusionsOverNadirH3, bleeding.Vials);
        Assert.Contains("bloodLoss", bleeding.Why, StringComparison.Ordinal);
        Assert.Empty(NeedsOf(2, new() { ["platelets"] = 60, ["bloodLoss"] = 2 }));
    }

    [Fact]
    public void Keratinocyte_grafts_follow_ulceration_or_necrosis_not_erythema()
    {
        var p = PriorityPolicy.Default;
        var patient = Casualty(1, "P");
        List<Need> NeedsOf(int c, Dictionary<string, double> signs) => TriageQueue.Needs(patient, Assessed(1, "red", c, 3, Day(12, c: c, signs: signs)), p);
        Assert.Empty(NeedsOf(4, new() { ["erythema"] = 4, ["itching"] = 4, ["swelling"] = 4 }));
        Assert.Empty(NeedsOf(3, new() { ["ulcer"] = 2, ["blistering"] = 3, ["desquamation"] = 3 }));
        Assert.Equal(SeedCatalogue.KeratinocyteSheetsCode, Assert.Single(NeedsOf(3, new() { ["ulcer"] = 3 })).ProductType);
        Assert.Single(NeedsOf(4, new() { ["desquamation"] = 4 }));
        Assert.Single(NeedsOf(4, new() { ["blistering"] = 4 }));
    }

    [Fact]
    public void Under_scarcity_the_salvageable_RC3_gets_the_product_before_the_expectant_RC4_and_each_is_told_why()
    {
        var patients = new[] { Casualty(1, "C-RC4", combinedInjury: true), Casualty(2, "C-RC3") };
        var lowPlatelets = new Dictionary<string, double> { ["platelets"] = 6 };
        var assessments = new[]
        {
            Assessed(1, "red", 4, 10.6, Day(8, n: 4, h: 4, signs: lowPlatelets)),
            Assessed(2, "red", 3, 6.5, Day(8, h: 3, signs: lowPlatelets)),
        };
        var queue = TriageQueue.Build(patients, assessments, scarcity: true);
        var (requests, withheld) = MassCasualtyService.Split(queue, null, new HashSet<string> { SeedCatalogue.PlateletsCode });
        var request = Assert.Single(requests);
        Assert.Equal("C-RC3", request.PatientCode);
        Assert.Equal("C-RC4", Assert.Single(withheld).PatientCode);
        Assert.StartsWith("expectant under scarcity", withheld[0].Why, StringComparison.Ordinal);
        var vials = Enumerable.Range(1, 5).Select(i => new StockVial($"V{i}", SeedCatalogue.PlateletsCode, "L-1", null, "Hub", Now.AddDays(30))).ToList();
        var result = Allocator.Allocate(requests, vials, new AnyLine());
        Assert.Equal(5, result.Outcomes.Single().Allocated);
        Assert.Contains(result.Outcomes.Single().Explanation, e => e.Contains("expected benefit 0.3 (RC3, 6–8 Gy", StringComparison.Ordinal));

        // The objective is benefit × compatibility, not priority: with both requested, RC3's benefit wins the short stock.
        var both = MassCasualtyService.Requests(TriageQueue.Build(patients, assessments));
        var shared = Allocator.Allocate(both, vials, new AnyLine());
        Assert.Equal(5, shared.Outcomes.Single(o => o.Request.PatientCode == "C-RC3").Allocated);
        Assert.Equal(0, shared.Outcomes.Single(o => o.Request.PatientCode == "C-RC4").Allocated);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_new_observation_re_assesses_and_the_queue_shows_the_new_tier(string engine)
    {
        await using var w = await OpenAsync(engine);
        var care = w.Care;
        var mc = w.Get<MassCasualtyService>();
        var incident = await care.CreateIncidentAsync(Coordinator, AnIncident());
        var patient = await care.RegisterPatientAsync(Physician, incident.Id, APatient());
        Assert.Equal(PriorityTier.NeedsAssessment, (await mc.QueueAsync(Coordinator, incident.Id)).Single().Tier);
        await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, patient.ExposureStart.AddHours(30),
            new ObservationData { Lymphocytes = 2.0, Granulocytes = 5, Platelets = 250 });
        var after = (await mc.QueueAsync(Coordinator, incident.Id)).Single();
        Assert.NotEqual(PriorityTier.NeedsAssessment, after.Tier);
        await care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, patient.ExposureStart.AddHours(40),
            new ObservationData { Lymphocytes = 0.3, Granulocytes = 0.4, Platelets = 8 });
        var sick = (await mc.QueueAsync(Coordinator, incident.Id)).Single();
        Assert.Equal(PriorityTier.Priority, sick.Tier);
        Assert.Contains(sick.Needs, n => n.ProductType == SeedCatalogue.PlateletsCode);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_policy_is_versioned_and_a_change_needs_the_role_a_reason_and_a_signature(string engine)
    {
        await using var w = await OpenAsync(engine);
        var service = w.Get<PriorityPolicyService>();
        var v1 = await service.EnsureConfiguredAsync();
        Assert.Equal(1, v1.Version);
        Assert.Equal(1, (await service.EnsureConfiguredAsync()).Version); // same configuration: no new version

        var lead = await w.UserAsync("lead", Role.Physician);
        var change = new JsonObject { ["expectantDoseGy"] = 12 };
        await Assert.ThrowsAsync<ForbiddenException>(() => service.ChangeAsync(Auditor, change, "why", TestWorld.Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.ChangeAsync(As(Role.Admin, "admin"), change, "why", TestWorld.Password));
        var noReason = await Assert.ThrowsAsync<DomainValidationException>(() => service.ChangeAsync(lead, change, " ", TestWorld.Password));
        Assert.Equal("reason", Assert.Single(noReason.Errors).Field);
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => service.ChangeAsync(lead, new JsonObject { ["rcWeights"] = new JsonArray(1, 2) }, "r", TestWorld.Password));
        Assert.Equal("policy.rcWeights", Assert.Single(bad.Errors).Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => service.ChangeAsync(lead, change, "r", "wrong password"));
        Assert.Single(await service.HistoryAsync(Coordinator)); // nothing half-written

        var v2 = await service.ChangeAsync(lead, change, "stock of platelets restored; regional policy", TestWorld.Password);
        Assert.Equal(2, v2.Version);
        Assert.Equal(12, v2.Policy.ExpectantDoseGy);
        Assert.NotNull(v2.SignatureId);
        Assert.Equal(12, (await service.CurrentAsync(Coordinator)).Policy.ExpectantDoseGy);
        var journal = await w.Audit.BrowseAsync(Actor.LocalOperator("t"), new JournalQuery(RecordType: "priority-policy"));
        Assert.Equal(2, journal.Total);
        Assert.Contains(journal.Entries, e => e.Action == "changed" && e.User == "lead" && e.Reason == "stock of platelets restored; regional policy"
            && e.Payload.Contains("expectantDoseGy: 10", StringComparison.Ordinal));
        // One signed change; the wrong password above is journaled as signature-failed (issue 12 item 1), written after the refused unit of work.
        await w.Services.GetRequiredService<AttemptJournal>().FlushAsync();
        var signatureEntries = (await w.Audit.BrowseAsync(Actor.LocalOperator("t"), new JournalQuery(RecordType: "signature"))).Entries;
        Assert.Single(signatureEntries, e => e.Action == "signed");
        Assert.Single(signatureEntries, e => e.Action == "signature-failed");

        // Unchanged configuration at the next start keeps the signed change in force.
        Assert.Equal(2, (await service.EnsureConfiguredAsync()).Version);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_configuration_that_differs_at_start_adds_a_version(string engine)
    {
        await using var w = await OpenAsync(engine);
        await w.Get<PriorityPolicyService>().EnsureConfiguredAsync();
        var other = new PriorityPolicyService(w.Units, w.Clock, w.Get<SignatureService>(), PriorityPolicy.Default with { ExpectantDoseGy = 11 });
        var v2 = await other.EnsureConfiguredAsync();
        Assert.Equal(2, v2.Version);
        Assert.Equal(11, v2.Policy.ExpectantDoseGy);
        Assert.Equal(2, (await other.EnsureConfiguredAsync()).Version);
        Assert.Equal([PolicySources.Configuration, PolicySources.Configuration], (await other.HistoryAsync(Coordinator)).Select(v => v.Source));
    }

    private sealed class AnyLine : ICompatibility
    {
        public PairScore Score(AllocationRequest request, string lineId, string? lineHla) => new(1, true, "test");
    }
}
