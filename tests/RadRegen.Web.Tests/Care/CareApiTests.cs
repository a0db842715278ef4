using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Care;

/// <summary>
/// Care through the API. The incident, observation and victims-import cases each work in an incident
/// of their own (under their own code) and share one server per engine; the priority-policy case
/// changes the policy every allocation reads, so it starts its own.
/// </summary>
public class CareApiTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-2);

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<long> IncidentAsync(HttpClient client, string code)
    {
        var incident = await OkJson(await client.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code, title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = Start, place = "Goiânia", radionuclides = new[] { "Cs-137" },
        }), HttpStatusCode.Created);
        return incident.GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> PatientAsync(HttpClient client, long incidentId, string code, int age = 40) =>
        await OkJson(await client.PostAsJsonAsync(U($"/api/v1/care/incidents/{incidentId}/patients"), new
        {
            code, ageYears = age, sex = "female", weightKg = 64.5, exposureStart = Start.AddHours(1), exposureHours = 0.5, route = "external", burns = true,
        }), HttpStatusCode.Created);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Incidents_and_patients_with_counts_and_every_refusal(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        using var anonymous = server.Anonymous();

        var id = await IncidentAsync(physician, "INC-API1");
        var list = await OkJson(await physician.GetAsync(U("/api/v1/care/incidents")));
        Assert.Contains(list.EnumerateArray(), i => i.GetProperty("code").GetString() == "INC-API1");
        Assert.Equal("lost-or-orphan-source", list[0].GetProperty("kind").GetString());
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new { code = "INC-X", title = "x", kind = "meteor", startedAt = Start }),
            HttpStatusCode.BadRequest, "kind");
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new { code = "INC-X", title = "x", kind = "criticality" }),
            HttpStatusCode.BadRequest, "startedAt");
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new { code = "INC-API1", title = "again", kind = "criticality", startedAt = Start }),
            HttpStatusCode.Conflict);
        await Problem(await auditor.PostAsJsonAsync(U("/api/v1/care/incidents"), new { code = "INC-AUD", title = "x", kind = "criticality", startedAt = Start }),
            HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(U("/api/v1/care/incidents"))).StatusCode);
        await Problem(await qa.GetAsync(U("/api/v1/care/incidents")), HttpStatusCode.Forbidden);
        await Problem(await qa.GetAsync(U($"/api/v1/care/incidents/{id}")), HttpStatusCode.Forbidden);
        await Problem(await physician.GetAsync(U("/api/v1/care/incidents/999999")), HttpStatusCode.NotFound);

        var patient = await PatientAsync(physician, id, "P-0001");
        var patientId = patient.GetProperty("id").GetInt64();
        Assert.Equal("female", patient.GetProperty("sex").GetString());
        await PatientAsync(physician, id, "P-0002", age: 9);
        await Problem(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/patients"), new { code = "P-0001", ageYears = 30, weightKg = 70 }),
            HttpStatusCode.Conflict);
        var bad = await Problem(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/patients"), new
        {
            code = "P-0003", ageYears = 130, sex = "other", weightKg = 70, exposureStart = Start.AddDays(-1), hlaTyping = "A*99:99:99:99:99",
        }), HttpStatusCode.BadRequest);
        var fields = bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToHashSet();
        Assert.Contains("sex", fields);
        await Problem(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/patients"), new { code = "P-0003", ageYears = 130, weightKg = 70 }),
            HttpStatusCode.BadRequest, "ageYears");
        await Problem(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/patients"), new { code = "P-0003", ageYears = 30, weightKg = 70, exposureStart = Start.AddDays(-1) }),
            HttpStatusCode.BadRequest, "exposureStart");
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/care/incidents/999999/patients"), new { code = "P-0003", ageYears = 30, weightKg = 70 }),
            HttpStatusCode.NotFound);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/care/incidents/{id}/patients"), new { code = "P-0004", ageYears = 30, weightKg = 70 }),
            HttpStatusCode.Forbidden);

        // the patient, its ETag and the HLA typing over a version
        var get = await physician.GetAsync(U($"/api/v1/care/patients/{patientId}"));
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);
        Assert.Equal("P-0001", (await OkJson(get)).GetProperty("patient").GetProperty("code").GetString());
        await Problem(await qa.GetAsync(U($"/api/v1/care/patients/{patientId}")), HttpStatusCode.Forbidden);
        await Problem(await physician.GetAsync(U("/api/v1/care/patients/999999")), HttpStatusCode.NotFound);
        const string gl = "A*02:01+A*24:02^B*07:02+B*52:01^DRB1*15:01+DRB1*15:02";
        using (var stale = new HttpRequestMessage(HttpMethod.Put, U($"/api/v1/care/patients/{patientId}/hla")))
        {
            stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
            stale.Content = JsonContent.Create(new { hlaTyping = gl });
            await Problem(await physician.SendAsync(stale), HttpStatusCode.Conflict);
        }

        await Problem(await physician.PutAsJsonAsync(U($"/api/v1/care/patients/{patientId}/hla"), new { hlaTyping = gl }), HttpStatusCode.BadRequest, "version");
        await Problem(await physician.PutAsJsonAsync(U($"/api/v1/care/patients/{patientId}/hla"), new { hlaTyping = "not a typing", version = 1 }),
            HttpStatusCode.BadRequest, "hlaTyping");
        var typed = await physician.PutAsJsonAsync(U($"/api/v1/care/patients/{patientId}/hla"), new { hlaTyping = gl, version = 1 });
        Assert.Equal("\"2\"", typed.Headers.ETag!.Tag);
        Assert.Contains("A*02:01", (await OkJson(typed)).GetProperty("hlaTyping").GetString(), StringComparison.Ordinal);
        await Problem(await physician.PutAsJsonAsync(U($"/api/v1/care/patients/{patientId}/hla"), new { hlaTyping = gl, version = 1 }), HttpStatusCode.Conflict);
        await Problem(await auditor.PutAsJsonAsync(U($"/api/v1/care/patients/{patientId}/hla"), new { hlaTyping = gl, version = 2 }), HttpStatusCode.Forbidden);

        // counts: two patients, neither assessed yet
        var incident = await OkJson(await physician.GetAsync(U($"/api/v1/care/incidents/{id}")));
        Assert.Equal(2, incident.GetProperty("patients").GetInt32());
        Assert.Equal(0, incident.GetProperty("assessed").GetInt32());
        Assert.Equal(2, incident.GetProperty("byTriage").GetProperty("not-assessed").GetInt32());
        var patients = await OkJson(await auditor.GetAsync(U($"/api/v1/care/incidents/{id}/patients")));
        Assert.Equal(2, patients.GetArrayLength());
        Assert.True(patients[0].GetProperty("hlaTyped").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Observations_as_json_and_csv_reassess_and_impossible_values_are_refused_by_field(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var anonymous = server.Anonymous();
        var id = await IncidentAsync(physician, "INC-OBS");
        var patientId = (await PatientAsync(physician, id, "P-0001")).GetProperty("id").GetInt64();
        var url = $"/api/v1/care/patients/{patientId}/observations";

        await Problem(await physician.GetAsync(U($"/api/v1/care/patients/{patientId}/assessment")), HttpStatusCode.NotFound);
        await Problem(await physician.PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = Start.AddHours(5), values = new { lymphocytes = 1500.0 } }),
            HttpStatusCode.BadRequest, "lymphocytes");
        await Problem(await physician.PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = Start.AddMinutes(10), values = new { lymphocytes = 1.5 } }),
            HttpStatusCode.BadRequest, "observedAt");
        await Problem(await physician.PostAsJsonAsync(U(url), new { kind = "x-ray", observedAt = Start.AddHours(5), values = new { lymphocytes = 1.5 } }),
            HttpStatusCode.BadRequest, "kind");
        await Problem(await coordinator.PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = Start.AddHours(5), values = new { lymphocytes = 1.5 } }),
            HttpStatusCode.Forbidden);
        await Problem(await physician.PostAsJsonAsync(U("/api/v1/care/patients/999999/observations"), new { kind = "blood-count", observedAt = Start.AddHours(5), values = new { lymphocytes = 1.5 } }),
            HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(U(url), new { kind = "vitals" })).StatusCode);

        var recorded = await OkJson(await physician.PostAsJsonAsync(U(url), new
        {
            kind = "symptoms", observedAt = Start.AddHours(4), values = new { vomitingOnsetAt = Start.AddHours(1.5), signs = new Dictionary<string, double> { ["nausea"] = 2 } },
        }), HttpStatusCode.Created);
        Assert.Equal(1, recorded.GetProperty("assessment").GetProperty("version").GetInt32());
        Assert.Equal("symptoms", recorded.GetProperty("observation").GetProperty("kind").GetString());

        // a CSV: every bad row listed, nothing written
        var badCsv = $"observedAt,lymphocytes,platelets,temperatureC\r\n{Iso(Start.AddHours(6))},1500,200,\r\n{Iso(Start.AddMinutes(5))},1.2,,\r\n{Iso(Start.AddHours(8))},abc,,50\r\n";
        var problem = await Problem(await physician.PostAsync(U(url + "/imports"), Csv(badCsv)), HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var problemErrors), problem.ToString());
        var errors = problemErrors.EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("upload row 2: lymphocytes", errors);
        Assert.Contains("upload row 3: observedAt", errors);
        Assert.Contains("upload row 4: lymphocytes", errors);
        Assert.Contains("upload row 4: temperatureC", errors);
        Assert.Single((await OkJson(await physician.GetAsync(U(url)))).EnumerateArray());
        await Problem(await physician.PostAsync(U(url + "/imports"), Csv("observedAt,age\r\n2026-01-01T00:00:00Z,3\r\n")), HttpStatusCode.BadRequest, "column \"age\"");

        var goodCsv = $"observedAt,lymphocytes,platelets,temperatureC\r\n{Iso(Start.AddHours(6))},1.6,210,37.9\r\n{Iso(Start.AddHours(26))},0.9,190,\r\n";
        var imported = await OkJson(await physician.PostAsync(U(url + "/imports"), Csv(goodCsv)));
        Assert.Equal(3, imported.GetProperty("observations").GetInt32());
        Assert.Equal(2, imported.GetProperty("assessment").GetProperty("version").GetInt32());
        await Problem(await coordinator.PostAsync(U(url + "/imports"), Csv(goodCsv)), HttpStatusCode.Forbidden);

        var observations = await OkJson(await physician.GetAsync(U(url)));
        Assert.Equal(4, observations.GetArrayLength());
        await Problem(await qa.GetAsync(U(url)), HttpStatusCode.Forbidden);
        var current = await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patientId}/assessment")));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal(4, current.GetProperty("observationCount").GetInt32());
        var history = await OkJson(await coordinator.GetAsync(U($"/api/v1/care/patients/{patientId}/assessments")));
        Assert.Equal(2, history.GetArrayLength());
        await Problem(await physician.GetAsync(U("/api/v1/care/patients/999999/assessments")), HttpStatusCode.NotFound);
        await Problem(await qa.GetAsync(U($"/api/v1/care/patients/{patientId}/assessments")), HttpStatusCode.Forbidden);

        var incident = await OkJson(await physician.GetAsync(U($"/api/v1/care/incidents/{id}")));
        Assert.Equal(1, incident.GetProperty("assessed").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Victims_import_then_queue_and_allocation_over_the_bank(string engine)
    {
        var server = await servers.ForAsync(engine);
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        var id = await IncidentAsync(coordinator, "INC-MC");
        var url = $"/api/v1/care/incidents/{id}";

        var badCsv = $"patient,age,sex,weightKg,observedAt,lymphocytes\r\nV-1,40,female,60,{Iso(Start.AddHours(6))},1.1\r\nV-2,,male,70,{Iso(Start.AddHours(6))},2000\r\n";
        var problem = await Problem(await coordinator.PostAsync(U(url + "/imports"), Csv(badCsv)), HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var problemErrors), problem.ToString());
        var errors = problemErrors.EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("upload row 3: age", errors);
        Assert.Contains("upload row 3: lymphocytes", errors);
        Assert.Equal(0, (await OkJson(await coordinator.GetAsync(U(url)))).GetProperty("patients").GetInt32());
        await Problem(await auditor.PostAsync(U(url + "/imports"), Csv(badCsv)), HttpStatusCode.Forbidden);
        await Problem(await coordinator.PostAsync(U("/api/v1/care/incidents/999999/imports"), Csv(badCsv)), HttpStatusCode.NotFound);

        // V-1: combined injury, ~6–8 Gy (vomiting at 25 min), platelets 8: meets the expectant criteria (combined injury > 4.5 Gy).
        // V-3: ~1–2 Gy with spontaneous bleeding (bloodLoss 3): salvageable, needs platelets. (Issue 11 items 4 and 6: this test expected
        // V-1 first, from the old score that ranked combined injury and the highest RC first.)
        var csv = new StringBuilder("patient,age,sex,weightKg,burns,observedAt,vomitingOnsetMinutes,lymphocytes,platelets,erythema,bloodLoss\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-1,40,female,60,yes,{Iso(Start.AddHours(4))},25,0.9,,3,\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-1,,,,,{Iso(Start.AddHours(28))},,0.3,8,,\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-2,12,male,35,,{Iso(Start.AddHours(6))},none,2.4,,,\r\n");
        csv.Append(CultureInfo.InvariantCulture, $"V-3,55,unknown,80,,{Iso(Start.AddHours(6))},150,1.8,,,3\r\n");
        var imported = await OkJson(await coordinator.PostAsync(U(url + "/imports"), Csv(csv.ToString())));
        Assert.Equal(3, imported.GetProperty("patients").GetInt32());
        Assert.Equal(3, imported.GetProperty("assessed").GetInt32());
        await Problem(await coordinator.PostAsync(U(url + "/imports"), Csv(csv.ToString())), HttpStatusCode.BadRequest, "patient");

        // ADR 0028: an imported first assessment is journaled by its payload's SHA-256; the history shows the stored payload.
        var v2 = (await OkJson(await auditor.GetAsync(U(url + "/patients")))).EnumerateArray().Single(p => p.GetProperty("code").GetString() == "V-2").GetProperty("id").GetInt64();
        var current = await OkJson(await auditor.GetAsync(U($"/api/v1/care/patients/{v2}/assessment")));
        var first = Assert.Single((await OkJson(await auditor.GetAsync(U($"/api/v1/care/patients/{v2}/assessments")))).EnumerateArray());
        static string? Triage(JsonElement e) => e.TryGetProperty("triage", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null; // stored JSON leaves nulls out
        Assert.Equal(Triage(current), Triage(first.GetProperty("assessment")));
        Assert.Equal(current.GetProperty("doses").GetArrayLength(), first.GetProperty("assessment").GetProperty("doses").GetArrayLength());
        Assert.Equal(1, first.GetProperty("assessment").GetProperty("version").GetInt32());

        var incident = await OkJson(await auditor.GetAsync(U(url)));
        Assert.Equal(3, incident.GetProperty("assessed").GetInt32());
        Assert.Equal(3, incident.GetProperty("byTriage").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(3, incident.GetProperty("byResponseCategory").EnumerateObject().Sum(p => p.Value.GetInt32()));

        var queue = await OkJson(await auditor.GetAsync(U(url + "/queue")));
        Assert.Equal(3, queue.GetArrayLength());
        Assert.Equal(1, queue[0].GetProperty("rank").GetInt32());
        Assert.Equal("V-3", queue[0].GetProperty("patient").GetString());
        Assert.NotEmpty(queue[0].GetProperty("needs").EnumerateArray());
        Assert.True(queue[0].GetProperty("benefit").GetDouble() > 0);
        var v1 = queue.EnumerateArray().Single(e => e.GetProperty("patient").GetString() == "V-1");
        Assert.Equal("priority", v1.GetProperty("tier").GetString()); // the queue alone does not know stock: no one is expectant
        Assert.NotEmpty(v1.GetProperty("expectantCriteria").EnumerateArray());
        Assert.Equal("walking-well", queue[2].GetProperty("tier").GetString());
        Assert.Equal(2, (await OkJson(await auditor.GetAsync(U(url + "/queue?top=2")))).GetArrayLength());
        await Problem(await qa.GetAsync(U(url + "/queue")), HttpStatusCode.Forbidden);
        await Problem(await auditor.GetAsync(U("/api/v1/care/incidents/999999/queue")), HttpStatusCode.NotFound);

        var run = await OkJson(await coordinator.PostAsJsonAsync(U(url + "/allocations"), new { transportLimits = new Dictionary<string, int> { ["CPC"] = 5 }, maxHvg = 2 }));
        Assert.StartsWith("min-cost flow", run.GetProperty("algorithm").GetString(), StringComparison.Ordinal);
        Assert.True(run.GetProperty("vialsRequested").GetInt32() > 0);
        Assert.Equal(run.GetProperty("vialsRequested").GetInt32(), run.GetProperty("vialsAllocated").GetInt32() + run.GetProperty("vialsUnmet").GetInt32());
        Assert.Contains(run.GetProperty("outcomes").EnumerateArray(), o => o.GetProperty("patient").GetString() == "V-3");
        Assert.True(run.GetProperty("scarcity").GetBoolean()); // no platelets in this bank
        Assert.StartsWith("expectant under scarcity", run.GetProperty("withheld").EnumerateArray().Single(w => w.GetProperty("patientCode").GetString() == "V-1").GetProperty("why").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(1, run.GetProperty("policyVersion").GetInt32());
        Assert.NotEmpty(run.GetProperty("policyRules").EnumerateArray());
        await Problem(await coordinator.PostAsJsonAsync(U(url + "/allocations"), new { maxHvg = 9 }), HttpStatusCode.BadRequest, "maxHvg");
        await Problem(await coordinator.PostAsJsonAsync(U(url + "/allocations"), new { transportLimits = new Dictionary<string, int> { ["CPC"] = -1 } }),
            HttpStatusCode.BadRequest, "transportLimits.CPC");
        await Problem(await auditor.PostAsJsonAsync(U(url + "/allocations"), new { }), HttpStatusCode.Forbidden);
        await Problem(await coordinator.PostAsJsonAsync(U("/api/v1/care/incidents/999999/allocations"), new { }), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_priority_policy_is_shown_and_changed_only_by_a_physician_or_coordinator_with_a_reason_and_a_signature(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var admin = await server.WithTokenAsync(Role.Admin);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        const string url = "/api/v1/care/priority-policy";

        var policy = await OkJson(await auditor.GetAsync(U(url)));
        Assert.Equal(1, policy.GetProperty("current").GetProperty("version").GetInt32());
        Assert.Equal(10, policy.GetProperty("current").GetProperty("policy").GetProperty("expectantDoseGy").GetDouble());
        Assert.Contains(policy.GetProperty("current").GetProperty("rules").EnumerateArray(), r => r.GetProperty("source").GetString()!.Contains("Waselenko", StringComparison.Ordinal));

        var password = server.PasswordOf(Role.Physician);
        var change = new { changes = new { expectantDoseGy = 12 }, reason = "regional crisis standards raised the threshold", password };
        await Problem(await admin.PutAsJsonAsync(U(url), change), HttpStatusCode.Forbidden);
        await Problem(await auditor.PutAsJsonAsync(U(url), change), HttpStatusCode.Forbidden);
        await Problem(await physician.PutAsJsonAsync(U(url), new { changes = new { expectantDoseGy = 12 }, password }), HttpStatusCode.BadRequest, "reason");
        await Problem(await physician.PutAsJsonAsync(U(url), new { changes = new { expectantDoseGy = -1 }, reason = "r", password }), HttpStatusCode.BadRequest, "policy.expectantDoseGy");
        await Problem(await physician.PutAsJsonAsync(U(url), new { changes = new { nonsense = 1 }, reason = "r", password }), HttpStatusCode.BadRequest, "policy.nonsense");
        await Problem(await physician.PutAsJsonAsync(U(url), new { reason = "r", password }), HttpStatusCode.BadRequest, "changes");
        Assert.Equal(1, (await OkJson(await auditor.GetAsync(U(url)))).GetProperty("current").GetProperty("version").GetInt32()); // nothing written

        var changed = await OkJson(await physician.PutAsJsonAsync(U(url), change));
        Assert.Equal(2, changed.GetProperty("version").GetInt32());
        Assert.True(changed.GetProperty("signatureId").GetInt64() > 0);
        var after = await OkJson(await auditor.GetAsync(U(url)));
        Assert.Equal(12, after.GetProperty("current").GetProperty("policy").GetProperty("expectantDoseGy").GetDouble());
        Assert.Equal(2, after.GetProperty("history").GetArrayLength());
        var journal = await OkJson(await auditor.GetAsync(U("/api/v1/audit/entries?recordType=priority-policy")));
        Assert.True(journal.GetRawText().Contains("regional crisis standards raised the threshold", StringComparison.Ordinal), journal.GetRawText());
    }
}
