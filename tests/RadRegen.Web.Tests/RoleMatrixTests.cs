using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Web.Security;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests;

/// <summary>
/// One server for the role matrix: a token per role made once, a real incident and a drill
/// incident with one patient each (opened by the coordinator).
/// </summary>
public sealed class RoleMatrixServer : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<Role, HttpClient> _clients = [];

    public TestServer Server { get; private set; } = null!;

    public long RealIncident { get; private set; }

    public long DrillIncident { get; private set; }

    public long RealPatient { get; private set; }

    public long DrillPatient { get; private set; }

    public HttpClient As(Role role) => _clients[role];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync("sqlite");
        foreach (var role in RoleNames.All)
        {
            _clients[role] = await Server.WithTokenAsync(role);
        }

        var coordinator = As(Role.Coordinator);
        (RealIncident, RealPatient) = await IncidentWithPatientAsync(coordinator, "INC-REAL", drill: false);
        (DrillIncident, DrillPatient) = await IncidentWithPatientAsync(coordinator, "DRILL-7", drill: true);
    }

    private static async Task<(long Incident, long Patient)> IncidentWithPatientAsync(HttpClient client, string code, bool drill)
    {
        var incident = await OkJson(await client.PostAsJsonAsync(new Uri("/api/v1/care/incidents", UriKind.Relative), new
        {
            code, title = code, kind = "criticality", startedAt = Start, place = "here", radionuclides = Array.Empty<string>(), drill,
        }), HttpStatusCode.Created);
        var id = incident.GetProperty("id").GetInt64();
        var patient = await OkJson(await client.PostAsJsonAsync(new Uri($"/api/v1/care/incidents/{id}/patients", UriKind.Relative), new
        {
            code = code + "-P1", ageYears = 40, sex = "female", weightKg = 60.0, exposureStart = Start, exposureHours = 1.0, route = "external",
        }), HttpStatusCode.Created);
        return (id, patient.GetProperty("id").GetInt64());
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }

        await Server.DisposeAsync();
    }
}

/// <summary>
/// Issue 12 item 9: the operation × role matrix held for every changing API endpoint, and the
/// segregation rules of ADR 0026 (the administrator reads no patient; the trainer reads drills only).
/// </summary>
public sealed partial class RoleMatrixTests(RoleMatrixServer fixture) : IClassFixture<RoleMatrixServer>
{
    /// <summary>
    /// Every changing endpoint under /api and the operations it performs (any one of them admits).
    /// A new endpoint fails <see cref="Every_changing_endpoint_is_in_the_matrix_and_declares_its_operations"/>
    /// until it is added here — and declares the same operations with <c>.Demands(…)</c>.
    /// </summary>
    private static readonly Dictionary<string, Operation[]> Matrix = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/audit/verify"] = [Operation.AuditRead],

        ["PUT /api/v1/bank/products/{code}"] = [Operation.BankCatalogueConfigure],
        ["POST /api/v1/bank/donors"] = [Operation.BankDonorRegister],
        ["POST /api/v1/bank/donors/{id:long}/consent-withdrawal"] = [Operation.BankDonorWithdrawConsent],
        ["POST /api/v1/bank/lines"] = [Operation.BankLineCreate],
        ["POST /api/v1/bank/cell-banks"] = [Operation.BankCellBankCreate],
        ["POST /api/v1/bank/lots"] = [Operation.BankLotCreate],
        ["POST /api/v1/bank/lots/{id:long}/qc-results"] = [Operation.BankQcRecord],
        ["POST /api/v1/bank/lots/{id:long}/release"] = [Operation.BankLotRelease],
        ["POST /api/v1/bank/lots/{id:long}/reject"] = [Operation.BankLotReject],
        ["POST /api/v1/bank/deviations/{id:long}/close"] = [Operation.BankDeviationClose],
        ["POST /api/v1/bank/locations"] = [Operation.BankStorageSetUp],
        ["POST /api/v1/bank/locations/{id:long}/temperatures"] = [Operation.BankTemperatureRecord],
        ["POST /api/v1/bank/excursions/{id:long}/resolve"] = [Operation.BankExcursionResolve],
        ["POST /api/v1/bank/vials/{id:long}/reserve"] = [Operation.BankVialReserve],
        ["POST /api/v1/bank/vials/{id:long}/cancel-reservation"] = [Operation.BankVialCancelReservation],
        ["POST /api/v1/bank/vials/{id:long}/ship"] = [Operation.BankVialShip],
        ["POST /api/v1/bank/vials/{id:long}/receive"] = [Operation.BankVialReceive],
        ["POST /api/v1/bank/vials/{id:long}/thaw"] = [Operation.BankVialThaw],
        ["POST /api/v1/bank/vials/{id:long}/administer"] = [Operation.BankVialAdminister],
        ["POST /api/v1/bank/vials/{id:long}/discard"] = [Operation.BankVialDiscard],
        ["POST /api/v1/bank/vials/{id:long}/move"] = [Operation.BankVialMove],
        ["POST /api/v1/bank/imports"] = [Operation.BankInventoryImport],
        ["POST /api/v1/bank/expiry"] = [Operation.BankVialExpire],

        ["POST /api/v1/care/incidents"] = [Operation.CareIncidentOpen],
        ["POST /api/v1/care/incidents/{id:long}/patients"] = [Operation.CarePatientRegister],
        ["POST /api/v1/care/incidents/{id:long}/imports"] = [Operation.CareVictimsImport],
        ["POST /api/v1/care/incidents/{id:long}/allocations"] = [Operation.CareAllocationRun],
        ["POST /api/v1/care/incidents/{id:long}/allocations/shipment-requests"] = [Operation.CareAllocationShipmentsRequest],
        ["PUT /api/v1/care/priority-policy"] = [Operation.CarePriorityPolicyChange],
        ["PUT /api/v1/care/patients/{id:long}/hla"] = [Operation.CarePatientHla],
        ["POST /api/v1/care/patients/{id:long}/observations"] = [Operation.CareObservationRecord, Operation.CareCytogeneticsRecord],
        ["POST /api/v1/care/patients/{id:long}/observations/imports"] = [Operation.CareObservationRecord, Operation.CareCytogeneticsRecord],
        ["POST /api/v1/care/patients/{id:long}/therapy-requests"] = [Operation.CareTherapyRequest],
        ["POST /api/v1/care/therapy-requests/{id:long}/reservations"] = [Operation.CareTherapyReserve],
        ["POST /api/v1/care/therapy-requests/{id:long}/cancel"] = [Operation.CareTherapyCancel],
        ["POST /api/v1/care/therapy-requests/{id:long}/dispatch"] = [Operation.CareTherapyDispatch],
        ["POST /api/v1/care/therapy-requests/{id:long}/receipt"] = [Operation.CareTherapyReceive],
        ["POST /api/v1/care/therapy-requests/{id:long}/administration"] = [Operation.CareTherapyAdminister],
        ["POST /api/v1/care/therapy-requests/{id:long}/follow-ups"] = [Operation.CareTherapyFollowUp],

        ["POST /api/v1/care/lab/curves/fit"] = [Operation.LabCurveFit],
        ["POST /api/v1/care/lab/curves"] = [Operation.LabCurveEnter],
        ["POST /api/v1/care/lab/curves/{id:long}/activate"] = [Operation.LabCurveActivate],
        ["POST /api/v1/care/lab/cases"] = [Operation.CareCytogeneticsRecord],

        ["POST /api/v1/network/capacity/reports"] = [Operation.NetworkCapacityReport],
        ["POST /api/v1/network/capacity/requests"] = [Operation.NetworkCapacityRequest],
        ["POST /api/v1/network/transfers"] = [Operation.NetworkTransferRequest],
        ["POST /api/v1/network/transfers/{id}/accept"] = [Operation.NetworkTransferDecide],
        ["POST /api/v1/network/transfers/{id}/decline"] = [Operation.NetworkTransferDecide],
        ["POST /api/v1/network/transfers/{id}/dispatch"] = [Operation.NetworkTransferTrack],
        ["POST /api/v1/network/transfers/{id}/admit"] = [Operation.NetworkTransferTrack],
        ["POST /api/v1/network/transfers/{id}/release"] = [Operation.NetworkTransferTrack],

        ["POST /api/v1/hub/members"] = [Operation.HubRegistryManage],
        ["POST /api/v1/hub/requests"] = [Operation.HubRequest],
        ["POST /api/v1/hub/requests/{id}/offers"] = [Operation.HubOffer],
        ["POST /api/v1/hub/requests/{id}/close"] = [Operation.HubRequest],
        ["POST /api/v1/hub/requests/{id}/release"] = [Operation.HubRequest],
        ["POST /api/v1/hub/irix"] = [Operation.HubIrixImport],
        ["POST /api/v1/hla/frequency-sets"] = [Operation.HlaFrequencySetRegister],
        ["POST /api/v1/hub/offers/{id}/accept"] = [Operation.HubRequest],
        ["POST /api/v1/hub/offers/{id}/commit"] = [Operation.HubOffer],
        ["POST /api/v1/hub/offers/{id}/deliver"] = [Operation.HubOffer],
        ["POST /api/v1/hub/offers/{id}/withdraw"] = [Operation.HubOffer],
        ["POST /api/v1/hub/offers/{id}/release"] = [Operation.HubRequest],
        ["POST /api/v1/network/shipments"] = [Operation.NetworkShipmentRequest],
        ["PUT /api/v1/network/shipments/settings"] = [Operation.NetworkShipmentConfigure],
        ["POST /api/v1/network/shipments/shippers"] = [Operation.NetworkShipperManage],
        ["POST /api/v1/network/shipments/shippers/{serial}/qualification"] = [Operation.NetworkShipperManage],
        ["POST /api/v1/network/shipments/shippers/{serial}/charge"] = [Operation.NetworkShipperManage],
        ["POST /api/v1/network/shipments/{id}/pack"] = [Operation.NetworkShipmentPack],
        ["POST /api/v1/network/shipments/{id}/dispatch"] = [Operation.NetworkShipmentHandOff],
        ["POST /api/v1/network/shipments/{id}/logger/imports"] = [Operation.NetworkShipmentReceive],
        ["POST /api/v1/network/shipments/{id}/receive"] = [Operation.NetworkShipmentReceive],
        ["POST /api/v1/network/shipments/{id}/quarantine-decision"] = [Operation.NetworkShipmentQuarantineDecide],
        ["POST /api/v1/network/shipments/{id}/decline"] = [Operation.NetworkShipmentDecline],
        ["POST /api/v1/network/shipments/{id}/cancel"] = [Operation.NetworkShipmentCancel],
        ["POST /api/v1/network/shipments/{id}/unpack"] = [Operation.NetworkShipmentPack],
        ["POST /api/v1/network/shipments/{id}/accept"] = [Operation.NetworkShipmentAccept],
        ["POST /api/v1/network/shipments/{id}/return"] = [Operation.NetworkShipmentReturn],
        ["POST /api/v1/network/shipments/{id}/return-decision"] = [Operation.NetworkShipmentReturnDecide],

        // HL7 FHIR R4 (ADR 0037): a hospital's Bundle of lab Observations; refusals are OperationOutcomes.
        ["POST /fhir/r4"] = [Operation.CareObservationRecord],
        ["POST /api/v1/training/courses"] = [Operation.TrainingCourseManage],
        ["POST /api/v1/training/sessions"] = [Operation.TrainingCourseManage],
        ["POST /api/v1/training/sessions/{id:long}/enrolments"] = [Operation.TrainingEnrolmentManage],
        ["POST /api/v1/training/enrolments/{id:long}/attendance"] = [Operation.TrainingEnrolmentManage],
        ["POST /api/v1/training/enrolments/{id:long}/assessment"] = [Operation.TrainingAssess],
        ["POST /api/v1/training/certificates/{id:long}/revoke"] = [Operation.TrainingCertificateRevoke],
        ["PUT /api/v1/training/roster-requirements"] = [Operation.TrainingRequirementsChange],
        ["POST /api/v1/training/rosters/{kind}/{id:long}/members"] = [Operation.TrainingRosterManage],
        ["DELETE /api/v1/training/rosters/members/{id:long}"] = [Operation.TrainingRosterManage],
        ["POST /api/v1/training/capacity-drills"] = [Operation.TrainingCapacityDrillStart],
        ["POST /api/v1/training/capacity-drills/{id}/answer"] = [Operation.TrainingCapacityDrillAnswer],
        ["PUT /api/v1/planning/scenarios/{id}"] = [Operation.PlanningScenarioEdit],
        ["POST /api/v1/planning/scenarios/derive"] = [Operation.PlanningScenarioEdit],
        ["POST /api/v1/planning/readiness"] = [Operation.PlanningRead],
        ["POST /api/v1/training/exercises"] = [Operation.TrainingExerciseManage],
        ["POST /api/v1/training/exercises/{id:long}/trainees"] = [Operation.TrainingExerciseManage],
        ["POST /api/v1/training/exercises/{id:long}/triage"] = [Operation.TrainingExercisePlay],
        ["POST /api/v1/training/exercises/{id:long}/injects/{inject}/acknowledge"] = [Operation.TrainingExercisePlay],
        ["POST /api/v1/training/exercises/{id:long}/allocate"] = [Operation.TrainingExercisePlay],
        ["POST /api/v1/training/exercises/{id:long}/score"] = [Operation.TrainingExerciseAnswerKey],
        ["POST /api/v1/training/exercises/{id:long}/improvement-plan"] = [Operation.TrainingExerciseManage],
        ["PUT /api/v1/training/exercises/{id:long}/improvement-plan/{item}"] = [Operation.TrainingExerciseManage],
        // ---- fixes
        ["POST /api/v1/care/patients/{id:long}/assessment/sign"] = [Operation.CareAssessmentSign],
    };

    private static readonly string[] Changing = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static TheoryData<string> Roles => [.. RoleNames.All.Select(r => r.Name())];

    private static Uri U(string path) => new(path, UriKind.Relative);

    /// <summary>Every changing API endpoint the server maps: "METHOD pattern" and the operations its <c>.Demands</c> declares.</summary>
    private IReadOnlyList<(string Key, string Method, string Pattern, IReadOnlyList<Operation>? Declared, string ContentType)> Endpoints() =>
        [.. fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("/fhir", StringComparison.OrdinalIgnoreCase)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => Changing.Contains(m, StringComparer.OrdinalIgnoreCase))
                .Select(m => ($"{m} {e.RoutePattern.RawText!.TrimEnd('/')}", m, e.RoutePattern.RawText!, (IReadOnlyList<Operation>?)e.Metadata.GetMetadata<OperationMetadata>()?.Operations,
                    e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json")))
            .OrderBy(e => e.Item1, StringComparer.Ordinal)];

    [Fact]
    public void Every_changing_endpoint_is_in_the_matrix_and_declares_its_operations()
    {
        var endpoints = Endpoints();
        var missing = endpoints.Where(e => !Matrix.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(missing.Count == 0, "changing endpoints not in the role matrix test (add them to Matrix and .Demands(…) them): " + string.Join(", ", missing));
        var stale = Matrix.Keys.Except(endpoints.Select(e => e.Key), StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "the matrix names endpoints the server does not map: " + string.Join(", ", stale));
        foreach (var e in endpoints)
        {
            Assert.True(e.Declared is not null, $"{e.Key} does not declare its operation (.Demands(…))");
            Assert.Equal(Matrix[e.Key].Order(), e.Declared!.Order());
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_changing_endpoint_refuses_exactly_the_roles_the_table_refuses(string roleName)
    {
        Assert.True(RoleNames.TryParse(roleName, out var role));
        var client = fixture.As(role);
        var wrong = new List<string>();
        foreach (var e in Endpoints())
        {
            var allowed = Matrix[e.Key].Any(op => Permissions.Allows([role], op));
            using var request = new HttpRequestMessage(new HttpMethod(e.Method), U(RouteValue().Replace(e.Pattern, m => m.Value.StartsWith("{id", StringComparison.Ordinal) ? "999999" : "ZZ-NONE")))
            {
                // An empty object (or an empty CSV file): the body binds, so a refusal cannot hide behind a 400 or 415.
                Content = new StringContent(e.ContentType == "application/json" ? "{}" : "", Encoding.UTF8, e.ContentType),
            };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (allowed ? status is 401 or 403 or >= 500 : status != 403)
            {
                wrong.Add($"{e.Key}: {status} ({(allowed ? "allowed" : "refused")}) {await response.Content.ReadAsStringAsync()}");
            }
            else if (!allowed && e.Pattern.StartsWith("/fhir", StringComparison.Ordinal))
            {
                // FHIR answers with an OperationOutcome, naming the operation's words and the roles all the same.
                Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
                var outcome = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
                Assert.Contains("needs the role", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
            }
            else if (!allowed)
            {
                // The refusal names the operation's words and the roles, as the service's would.
                var problem = await Problem(response, HttpStatusCode.Forbidden);
                Assert.Contains("needs the role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.True(wrong.Count == 0, $"{roleName}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_trainer_lists_and_opens_drill_incidents_only_and_hears_403_for_real_ones()
    {
        var trainer = fixture.As(Role.Trainer);
        var listed = await OkJson(await trainer.GetAsync(U("/api/v1/care/incidents")));
        Assert.Equal(["DRILL-7"], listed.EnumerateArray().Select(i => i.GetProperty("code").GetString()));
        Assert.True(listed[0].GetProperty("drill").GetBoolean());

        await OkJson(await trainer.GetAsync(U($"/api/v1/care/incidents/{fixture.DrillIncident}")));
        await OkJson(await trainer.GetAsync(U($"/api/v1/care/incidents/{fixture.DrillIncident}/patients")));
        await OkJson(await trainer.GetAsync(U($"/api/v1/care/incidents/{fixture.DrillIncident}/queue")));
        await OkJson(await trainer.GetAsync(U($"/api/v1/care/patients/{fixture.DrillPatient}")));

        foreach (var path in new[]
        {
            $"/api/v1/care/incidents/{fixture.RealIncident}", $"/api/v1/care/incidents/{fixture.RealIncident}/patients",
            $"/api/v1/care/incidents/{fixture.RealIncident}/queue", $"/api/v1/care/patients/{fixture.RealPatient}",
            $"/api/v1/care/patients/{fixture.RealPatient}/assessments", "/api/v1/care/incidents/999999", "/api/v1/bank/lots",
        })
        {
            await Problem(await trainer.GetAsync(U(path)), HttpStatusCode.Forbidden);
        }

        // A physician reads both.
        var physician = fixture.As(Role.Physician);
        Assert.Equal(2, (await OkJson(await physician.GetAsync(U("/api/v1/care/incidents")))).GetArrayLength());
        await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{fixture.RealPatient}")));
    }

    [Fact]
    public async Task A_trainer_opening_a_real_patients_page_sees_access_denied_not_an_error()
    {
        var (browser, _) = await fixture.Server.SignInAsync("demo-trainer", fixture.Server.PasswordOf(Role.Trainer));
        using (browser)
        {
            var list = await browser.GetAsync(U("/care"));
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var html = await list.Content.ReadAsStringAsync();
            Assert.Contains("DRILL-7", html, StringComparison.Ordinal);
            Assert.DoesNotContain("INC-REAL", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"drill-badge\"", html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(U($"/care/patients/{fixture.DrillPatient}"))).StatusCode);
            var drill = await browser.GetAsync(U($"/care/incidents/{fixture.DrillIncident}"));
            Assert.Equal(HttpStatusCode.OK, drill.StatusCode);
            Assert.DoesNotContain($"href=\"/care/incidents/{fixture.DrillIncident}/allocation\"", await drill.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await RefusedAsync(browser, $"/care/patients/{fixture.RealPatient}");
            await RefusedAsync(browser, $"/care/incidents/{fixture.RealIncident}");
        }
    }

    [Fact]
    public async Task The_administrator_reads_no_patient_and_makes_no_gmp_record_but_manages_accounts()
    {
        var admin = fixture.As(Role.Admin);
        await Problem(await admin.GetAsync(U("/api/v1/care/incidents")), HttpStatusCode.Forbidden);
        await Problem(await admin.GetAsync(U($"/api/v1/care/patients/{fixture.RealPatient}")), HttpStatusCode.Forbidden);
        await Problem(await admin.GetAsync(U($"/api/v1/care/patients/{fixture.DrillPatient}")), HttpStatusCode.Forbidden);
        await Problem(await admin.PostAsJsonAsync(U("/api/v1/bank/locations"), new { kind = "site", name = "ADMIN-SITE" }), HttpStatusCode.Forbidden);
        await OkJson(await admin.GetAsync(U("/api/v1/users")));
        await OkJson(await admin.GetAsync(U("/api/v1/audit/entries")));

        var (browser, _) = await fixture.Server.SignInAsync("demo-admin", fixture.Server.PasswordOf(Role.Admin));
        using (browser)
        {
            await RefusedAsync(browser, $"/care/patients/{fixture.RealPatient}");
            await RefusedAsync(browser, "/care");
        }
    }

    /// <summary>A page refused to the role: the access-denied page (403), never an error page.</summary>
    private static async Task RefusedAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(U(path));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/access-denied", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(new Uri(location, UriKind.RelativeOrAbsolute))).StatusCode);
    }

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex RouteValue();
}
