using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Fhir;

/// <summary>One server for the FHIR tests: an incident with a typed patient and blood counts, a released lot with vials.</summary>
public sealed class FhirServer : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-2);

    public TestServer Server { get; private set; } = null!;

    public HttpClient Physician { get; private set; } = null!;

    public HttpClient Auditor { get; private set; } = null!;

    public HttpClient Trainer { get; private set; } = null!;

    public long Patient { get; private set; }

    public long OtherPatient { get; private set; }

    public Vial Vial { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync("sqlite");
        Physician = await Server.WithTokenAsync(Role.Physician);
        Auditor = await Server.WithTokenAsync(Role.Auditor);
        Trainer = await Server.WithTokenAsync(Role.Trainer);
        var incident = await OkJson(await Physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-FHIR", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = Start, place = "here", radionuclides = new[] { "Co-60" },
        }), HttpStatusCode.Created);
        var incidentId = incident.GetProperty("id").GetInt64();
        Patient = await PatientAsync(incidentId, "P-0001");
        OtherPatient = await PatientAsync(incidentId, "P-0002");
        await OkJson(await Physician.PutAsJsonAsync(U($"/api/v1/care/patients/{Patient}/hla"), new { hlaTyping = "HLA-A*01:01+HLA-A*02:01^HLA-B*07:02+HLA-B*08:01", version = 1 }));
        for (var h = 2; h <= 6; h += 2)
        {
            await OkJson(await Physician.PostAsJsonAsync(U($"/api/v1/care/patients/{Patient}/observations"), new
            {
                kind = "blood-count", observedAt = Start.AddHours(1 + h), values = new { lymphocytes = 1.6 - (0.2 * h), granulocytes = 5.0, platelets = 220.0 },
            }), HttpStatusCode.Created);
        }

        // A released lot with vials, through the bank's services (as a technician and QA of this center).
        var access = Server.Access;
        var tech = (await access.AddUserAsync(Actor.LocalOperator("test"), "fhir-tech", "fhir-tech", new HashSet<Role> { Role.CpcTechnician }, "correct horse battery")).ToActor();
        var qa = (await access.AddUserAsync(Actor.LocalOperator("test"), "fhir-qa", "fhir-qa", new HashSet<Role> { Role.QaOfficer }, "correct horse battery")).ToActor();
        var bank = Server.Services.GetRequiredService<BankService>();
        await bank.EnsureCatalogueAsync(Actor.LocalOperator("test"));
        var laid = await BankWorld.LayDownAsync(bank, tech);
        var box = await bank.CreateLocationAsync(tech, new CreateLocationRequest(laid.Rack.Id, LocationKind.Box, "B1", 9, 9));
        var lot = await bank.CreateLotAsync(tech, new CreateLotRequest("S9102", laid.Wcb.Id, 3, BoxId: box.Id));
        await BankWorld.PassAllAsync(bank, tech, lot.Id);
        await bank.ReleaseLotAsync(qa, lot.Id, "correct horse battery");
        Vial = (await bank.GetLotAsync(Actor.LocalOperator("test"), lot.Id)).Vials[0];
    }

    private async Task<long> PatientAsync(long incidentId, string code) =>
        (await OkJson(await Physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incidentId}/patients"), new
        {
            code, ageYears = 40, sex = "female", weightKg = 60.0, exposureStart = Start, exposureHours = 0.2, route = "external",
        }), HttpStatusCode.Created)).GetProperty("id").GetInt64();

    public async Task DisposeAsync()
    {
        Physician.Dispose();
        Auditor.Dispose();
        Trainer.Dispose();
        await Server.DisposeAsync();
    }

    public static Uri U(string path) => new(path, UriKind.Relative);
}

/// <summary>
/// HL7 FHIR R4 at /fhir/r4 through HTTP (issue 17 item 1): metadata, read, search with paging, the
/// Bundle of lab Observations all or nothing, and every error an OperationOutcome with its status.
/// </summary>
public sealed class FhirApiTests(FhirServer fixture) : IClassFixture<FhirServer>
{
    private static Uri U(string path) => FhirServer.U(path);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A FHIR resource answer: the status, the FHIR media type, the resource type.</summary>
    private static async Task<JsonElement> Fhir(HttpResponseMessage response, HttpStatusCode expected, string resourceType)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(resourceType, root.GetProperty("resourceType").GetString());
        return root;
    }

    /// <summary>An OperationOutcome with <paramref name="expected"/>; its issues' diagnostics and expressions as text.</summary>
    private static async Task<string> Outcome(HttpResponseMessage response, HttpStatusCode expected, string? mentions = null)
    {
        var outcome = await Fhir(response, expected, "OperationOutcome");
        var text = string.Join("\n", outcome.GetProperty("issue").EnumerateArray().Select(i =>
            $"{i.GetProperty("code").GetString()} {(i.TryGetProperty("expression", out var e) ? string.Join(",", e.EnumerateArray().Select(x => x.GetString())) : "")}: {i.GetProperty("diagnostics").GetString()}"));
        if (mentions is not null)
        {
            Assert.Contains(mentions, text, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>How many Observations of the patient come from care observations (ids p{patient}-o…; not the dose estimates an assessment adds).</summary>
    private async Task<int> ObservationTotalAsync(long patient) =>
        (await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation?subject=Patient/{patient}&_count=500")), HttpStatusCode.OK, "Bundle"))
            .TryGetProperty("entry", out var entries)
            ? entries.EnumerateArray().Count(e => e.GetProperty("resource").GetProperty("id").GetString()!.StartsWith($"p{patient}-o", StringComparison.Ordinal))
            : 0;

    private static object Lab(long patient, string loinc, double value, string unit, DateTimeOffset at, string status = "final") => new
    {
        resource = new
        {
            resourceType = "Observation",
            status,
            category = new[] { new { coding = new[] { new { system = "http://terminology.hl7.org/CodeSystem/observation-category", code = "laboratory" } } } },
            code = new { coding = new[] { new { system = "http://loinc.org", code = loinc } } },
            subject = new { reference = $"Patient/{patient}" },
            effectiveDateTime = Iso(at),
            valueQuantity = new { value, unit, system = "http://unitsofmeasure.org", code = unit },
        },
        request = new { method = "POST", url = "Observation" },
    };

    private static StringContent Body(object bundle, string mediaType = "application/fhir+json") => new(JsonSerializer.Serialize(bundle), Encoding.UTF8, mediaType);

    [Fact]
    public async Task Metadata_lists_exactly_what_we_support()
    {
        var statement = await Fhir(await fixture.Physician.GetAsync(U("/fhir/r4/metadata")), HttpStatusCode.OK, "CapabilityStatement");
        Assert.Equal("4.0.1", statement.GetProperty("fhirVersion").GetString());
        var rest = statement.GetProperty("rest")[0];
        Assert.Equal(["Patient", "Observation", "Condition", "BiologicallyDerivedProduct", "SupplyDelivery"],
            rest.GetProperty("resource").EnumerateArray().Select(r => r.GetProperty("type").GetString()));
        Assert.Equal(["transaction", "batch"], rest.GetProperty("interaction").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        // Not signed in: 401 with an OperationOutcome (login), with no session and with a token we do not know.
        using var anonymous = fixture.Server.Anonymous();
        await Outcome(await anonymous.GetAsync(U("/fhir/r4/metadata")), HttpStatusCode.Unauthorized, "login : not signed in");
        using var forged = fixture.Server.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "rr_not-a-token");
        var refused = await forged.GetAsync(U("/fhir/r4/Patient?identifier=1"));
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await Outcome(refused, HttpStatusCode.Unauthorized, "login : not signed in");
        // The API's own 401 stays problem details.
        var api = await anonymous.GetAsync(U("/api/v1/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_patient_is_read_and_searched_by_identifier_pseudonymous()
    {
        var patient = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Patient/{fixture.Patient}")), HttpStatusCode.OK, "Patient");
        Assert.Equal(fixture.Patient.ToString(CultureInfo.InvariantCulture), patient.GetProperty("id").GetString());
        Assert.False(patient.TryGetProperty("name", out _));
        Assert.Equal("urn:radregen:fhir:patient-id", patient.GetProperty("identifier")[0].GetProperty("system").GetString());

        var bundle = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Patient?identifier=urn:radregen:fhir:patient-id|{fixture.Patient}")), HttpStatusCode.OK, "Bundle");
        Assert.Equal("searchset", bundle.GetProperty("type").GetString());
        Assert.Equal(1, bundle.GetProperty("total").GetInt32());
        Assert.Equal(0, (await Fhir(await fixture.Physician.GetAsync(U("/fhir/r4/Patient?identifier=999999")), HttpStatusCode.OK, "Bundle")).GetProperty("total").GetInt32());

        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Patient/999999")), HttpStatusCode.NotFound, "no patient 999999");
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Patient?name=Smith")), HttpStatusCode.BadRequest, "'name' is not supported");
        // The trainer reads drills only: a real patient is refused, as on the API.
        await Outcome(await fixture.Trainer.GetAsync(U($"/fhir/r4/Patient/{fixture.Patient}")), HttpStatusCode.Forbidden, "needs the role");
    }

    [Fact]
    public async Task Observations_are_searched_by_subject_category_and_code_and_paged_with_links()
    {
        var all = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation?subject=Patient/{fixture.Patient}")), HttpStatusCode.OK, "Bundle");
        var ids = all.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!).ToList();
        Assert.Contains(ids, id => id.EndsWith("-lym", StringComparison.Ordinal));
        Assert.Contains($"p{fixture.Patient}-hla-A", ids);
        Assert.Contains($"p{fixture.Patient}-hla-B", ids);

        var lymphocytes = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation?subject=Patient/{fixture.Patient}&code=http://loinc.org|731-0")), HttpStatusCode.OK, "Bundle");
        Assert.True(lymphocytes.GetProperty("total").GetInt32() >= 3);
        Assert.All(lymphocytes.GetProperty("entry").EnumerateArray(), e =>
            Assert.Equal("731-0", e.GetProperty("resource").GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()));

        var genotypes = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation?patient={fixture.Patient}&code=84413-4&category=laboratory")), HttpStatusCode.OK, "Bundle");
        Assert.Equal(2, genotypes.GetProperty("total").GetInt32());
        var value = genotypes.GetProperty("entry")[0].GetProperty("resource").GetProperty("valueCodeableConcept").GetProperty("coding")[0];
        Assert.Equal("http://glstring.org", value.GetProperty("system").GetString());

        // Paging: _count=2, then the next link, until there is none; every entry once.
        var seen = new List<string>();
        var url = $"/fhir/r4/Observation?subject=Patient/{fixture.Patient}&_count=2";
        for (var pages = 0; url is not null; pages++)
        {
            Assert.True(pages < 50);
            var page = await Fhir(await fixture.Physician.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute)), HttpStatusCode.OK, "Bundle");
            Assert.True(page.GetProperty("entry").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id").GetString()!));
            var links = page.GetProperty("link").EnumerateArray().ToDictionary(l => l.GetProperty("relation").GetString()!, l => l.GetProperty("url").GetString()!);
            Assert.Contains("self", links.Keys);
            url = links.GetValueOrDefault("next");
        }

        Assert.Equal(ids, seen);

        // A single observation is read by its id; an unknown one is 404 with an OperationOutcome.
        await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation/{ids[0]}")), HttpStatusCode.OK, "Observation");
        await Outcome(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation/p{fixture.Patient}-o999999-lym")), HttpStatusCode.NotFound);
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Observation")), HttpStatusCode.BadRequest, "subject");
        await Outcome(await fixture.Physician.GetAsync(U($"/fhir/r4/Observation?subject=Patient/{fixture.Patient}&_count=zero")), HttpStatusCode.BadRequest, "_count");

        // ARS: a Condition once the assessment grades a response; its id reads it back.
        var conditions = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Condition?subject=Patient/{fixture.Patient}")), HttpStatusCode.OK, "Bundle");
        Assert.Equal(1, conditions.GetProperty("total").GetInt32());
        var condition = conditions.GetProperty("entry")[0].GetProperty("resource");
        Assert.StartsWith("RC", condition.GetProperty("stage")[0].GetProperty("summary").GetProperty("coding")[0].GetProperty("code").GetString(), StringComparison.Ordinal);
        await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/Condition/p{fixture.Patient}-ars")), HttpStatusCode.OK, "Condition");
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Condition/p999999-ars")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_vial_is_read_and_found_by_its_isbt_128_identifier_and_shipments_are_a_searchset()
    {
        var product = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/BiologicallyDerivedProduct/{fixture.Vial.Id}")), HttpStatusCode.OK, "BiologicallyDerivedProduct");
        var mpho = product.GetProperty("identifier")[0];
        Assert.Equal("https://www.isbt128.org/uri/MPHOUniqueIdentifier", mpho.GetProperty("system").GetString());
        Assert.Equal(fixture.Vial.Din, product.GetProperty("identifier")[1].GetProperty("value").GetString());
        Assert.Equal("available", product.GetProperty("status").GetString());

        var found = await Fhir(await fixture.Physician.GetAsync(U($"/fhir/r4/BiologicallyDerivedProduct?identifier=https://www.isbt128.org/uri/MPHOUniqueIdentifier|{mpho.GetProperty("value").GetString()}")),
            HttpStatusCode.OK, "Bundle");
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/BiologicallyDerivedProduct/999999")), HttpStatusCode.NotFound);

        var deliveries = await Fhir(await fixture.Physician.GetAsync(U("/fhir/r4/SupplyDelivery")), HttpStatusCode.OK, "Bundle");
        Assert.Equal(0, deliveries.GetProperty("total").GetInt32());
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/SupplyDelivery/A9999-20990101-NOTHING0")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_type_we_do_not_serve_or_an_interaction_we_do_not_offer_is_an_operation_outcome()
    {
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Medication")), HttpStatusCode.NotFound, "'Medication' is not served");
        await Outcome(await fixture.Physician.GetAsync(U("/fhir/r4/Medication/1")), HttpStatusCode.NotFound, "'Medication' is not served");
        await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4/Patient"), Body(new { resourceType = "Patient" })), HttpStatusCode.MethodNotAllowed, "not offered");
        await Outcome(await fixture.Physician.DeleteAsync(U($"/fhir/r4/Patient/{fixture.Patient}")), HttpStatusCode.MethodNotAllowed);
        // A resource of a type we do not take, posted at the root: 400, nothing written.
        var before = await ObservationTotalAsync(fixture.OtherPatient);
        await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(new { resourceType = "Patient", gender = "female" })), HttpStatusCode.BadRequest, "not a Patient");
        await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(new { resourceType = "Bundle", type = "transaction", entry = new object[]
        {
            Lab(fixture.OtherPatient, "731-0", 1.2, "10*9/L", FhirServer.Start.AddHours(3)),
            new { resource = new { resourceType = "Patient", gender = "male" }, request = new { method = "POST", url = "Patient" } },
        } })), HttpStatusCode.BadRequest, "Bundle.entry[1].resource: resource type Patient is not taken");
        Assert.Equal(before, await ObservationTotalAsync(fixture.OtherPatient));
        await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), new StringContent("lymphocytes=1.2", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(new { resourceType = "Bundle", type = "transaction", bogus = 1 })), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_bundle_with_one_invalid_observation_is_refused_whole_naming_it_and_writes_nothing()
    {
        var before = await ObservationTotalAsync(fixture.OtherPatient);
        var t = FhirServer.Start.AddHours(10);
        var bundle = new
        {
            resourceType = "Bundle",
            type = "transaction",
            entry = new[]
            {
                Lab(fixture.OtherPatient, "731-0", 1.0, "10*9/L", t),
                Lab(fixture.OtherPatient, "751-8", 4.5, "10*3/uL", t),
                Lab(fixture.OtherPatient, "777-3", 90000, "10*9/L", t.AddHours(1)), // platelets 90,000 ×10⁹/L: a unit error
                Lab(fixture.OtherPatient, "718-7", 13.1, "g/dL", t),
            },
        };
        var text = await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(bundle)), HttpStatusCode.UnprocessableEntity, "Bundle.entry[2]");
        Assert.Contains("platelets", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bundle.entry[0]", text, StringComparison.Ordinal);
        Assert.Equal(before, await ObservationTotalAsync(fixture.OtherPatient));

        // A status that is not a result and an unknown patient: each entry named with its reason.
        var refused = await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(new
        {
            resourceType = "Bundle",
            type = "batch",
            entry = new[] { Lab(fixture.OtherPatient, "731-0", 1.0, "10*9/L", t, "preliminary"), Lab(999999, "731-0", 1.0, "10*9/L", t) },
        })), HttpStatusCode.BadRequest);
        Assert.Contains("Bundle.entry[0].resource.status", refused, StringComparison.Ordinal);
        Assert.Equal(before, await ObservationTotalAsync(fixture.OtherPatient));
        var unknown = await Outcome(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(new
        {
            resourceType = "Bundle",
            type = "transaction",
            entry = new[] { Lab(fixture.OtherPatient, "731-0", 1.0, "10*9/L", t), Lab(999999, "731-0", 1.0, "10*9/L", t) },
        })), HttpStatusCode.UnprocessableEntity, "Bundle.entry[1]");
        Assert.Contains("no patient 999999", unknown, StringComparison.Ordinal);
        Assert.Equal(before, await ObservationTotalAsync(fixture.OtherPatient));

        // The auditor may not record observations: 403 as an OperationOutcome, nothing written.
        await Outcome(await fixture.Auditor.PostAsync(U("/fhir/r4"), Body(bundle)), HttpStatusCode.Forbidden, "needs the role");
    }

    [Fact]
    public async Task A_valid_bundle_becomes_the_patients_blood_counts_in_one_unit_of_work()
    {
        var before = await ObservationTotalAsync(fixture.OtherPatient);
        var t = FhirServer.Start.AddHours(20);
        var bundle = new
        {
            resourceType = "Bundle",
            type = "transaction",
            entry = new[]
            {
                Lab(fixture.OtherPatient, "731-0", 1.4, "10*9/L", t),
                Lab(fixture.OtherPatient, "751-8", 4.5, "10*3/uL", t),
                Lab(fixture.OtherPatient, "718-7", 13.1, "g/dL", t),
                Lab(fixture.OtherPatient, "731-0", 1.3, "10*9/L", t.AddHours(4)),
            },
        };
        // Plain application/json is accepted as well.
        var response = await Fhir(await fixture.Physician.PostAsync(U("/fhir/r4"), Body(bundle, "application/json")), HttpStatusCode.OK, "Bundle");
        Assert.Equal("transaction-response", response.GetProperty("type").GetString());
        var entries = response.GetProperty("entry").EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Equal("201 Created", e.GetProperty("response").GetProperty("status").GetString()));
        var location = entries[2].GetProperty("response").GetProperty("location").GetString()!;
        var haemoglobin = await Fhir(await fixture.Physician.GetAsync(U("/fhir/r4/" + location)), HttpStatusCode.OK, "Observation");
        Assert.Equal(131m, haemoglobin.GetProperty("valueQuantity").GetProperty("value").GetDecimal()); // 13.1 g/dL = 131 g/L
        Assert.Equal(before + 4, await ObservationTotalAsync(fixture.OtherPatient));

        // The same values through our API: two blood counts (one per time), as the hospital's lab sent them.
        var record = await OkJson(await fixture.Physician.GetAsync(U($"/api/v1/care/patients/{fixture.OtherPatient}")));
        Assert.Equal(2, record.GetProperty("observations").EnumerateArray().Count(o => o.GetProperty("recordedBy").GetString() == "demo-physician"));
    }
}
