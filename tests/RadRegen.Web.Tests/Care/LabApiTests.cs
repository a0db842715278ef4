using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Hosting.Demo;

namespace RadRegen.Web.Tests.Care;

public class LabApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task The_laboratory_enters_fits_activates_and_scores_a_case_and_a_QA_officer_is_refused()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var auditor = await server.WithTokenAsync(Role.Auditor);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Anonymous().GetAsync(U("/api/v1/care/lab/curves"))).StatusCode);
        // QA reads the curves (it signs their activation, ADR 0018) but does not enter them.
        await Json(await qa.GetAsync(U("/api/v1/care/lab/curves")), HttpStatusCode.OK);
        var refused = await Json(await qa.PostAsJsonAsync(U("/api/v1/care/lab/curves"), LabDemoSeeder.Barquinero1995), HttpStatusCode.Forbidden);
        Assert.Equal(403, refused.GetProperty("status").GetInt32());

        // bad input: 400 problem details naming the fields
        var bad = await tech.PostAsJsonAsync(U("/api/v1/care/lab/curves"), LabDemoSeeder.Barquinero1995 with
        {
            Alpha = -1, Covariance = [[1e-7, 1e-7, 0], [-1e-7, 1e-5, 0], [0, 0, 1e-5]],
        });
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        var problem = await Json(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("alpha", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("covariance[0][1]", out _));

        var entered = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/curves"), LabDemoSeeder.Barquinero1995), HttpStatusCode.Created);
        var enteredId = entered.GetProperty("id").GetInt64();
        var fitted = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/curves/fit"), new
        {
            assay = "dicentric",
            name = "Barquinero totals",
            rows = new[]
            {
                new { doseGy = 0.0, cells = 5000, aberrations = 8 }, new { doseGy = 0.5, cells = 2002, aberrations = 55 },
                new { doseGy = 1.0, cells = 2008, aberrations = 169 }, new { doseGy = 2.0, cells = 1003, aberrations = 310 },
            },
        }), HttpStatusCode.Created);
        Assert.Equal("dicentric", fitted.GetProperty("assay").GetString());
        var badRows = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/curves/fit"), new
        {
            assay = "dicentric", name = "x", rows = new[] { new { doseGy = 0.0, cells = 0, aberrations = 8 } },
        }), HttpStatusCode.BadRequest);
        Assert.True(badRows.GetProperty("errors").TryGetProperty("rows[0].cells", out _));

        // Activating a dose curve needs QA's e-signature (issue 12, item 9): the laboratory is refused, QA without a password is a 400 naming it.
        await Json(await tech.PostAsJsonAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"), new { password = server.PasswordOf(Role.CpcTechnician) }), HttpStatusCode.Forbidden);
        var unsigned = await Json(await qa.PostAsJsonAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"), new { }), HttpStatusCode.BadRequest);
        Assert.True(unsigned.GetProperty("errors").TryGetProperty("password", out _));
        await Json(await qa.PostAsJsonAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"), new { password = "not the password" }), HttpStatusCode.Forbidden);
        var activated = await Json(await qa.PostAsJsonAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"),
            new { password = server.PasswordOf(Role.QaOfficer), meaning = "approved for case scoring" }), HttpStatusCode.OK);
        Assert.True(activated.GetProperty("active").GetBoolean());
        Assert.Equal(DemoSeeder.DemoUserName(Role.QaOfficer), activated.GetProperty("activatedBy").GetString());
        Assert.Equal(5, activated.GetProperty("calibratedToGy").GetDouble());
        Assert.Equal(0, activated.GetProperty("warnings").GetArrayLength());

        var list = await Json(await auditor.GetAsync(U("/api/v1/care/lab/curves?assay=dicentric")), HttpStatusCode.OK);
        Assert.Equal(2, list.GetArrayLength());
        Assert.Single(list.EnumerateArray(), c => c.GetProperty("active").GetBoolean());
        var detail = await Json(await auditor.GetAsync(U($"/api/v1/care/lab/curves/{enteredId}")), HttpStatusCode.OK);
        var points = detail.GetProperty("points");
        Assert.Equal(51, points.GetArrayLength());
        Assert.All(points.EnumerateArray(), p => Assert.True(p.GetProperty("lower").GetDouble() <= p.GetProperty("yield").GetDouble()
            && p.GetProperty("yield").GetDouble() <= p.GetProperty("upper").GetDouble()));
        await Json(await auditor.GetAsync(U("/api/v1/care/lab/curves/999")), HttpStatusCode.NotFound);

        // a patient registered by a physician; the laboratory scores their sample
        var care = server.Services.GetRequiredService<CareService>();
        var physician = new Actor(1, "dr", new HashSet<Role> { Role.Physician });
        var start = DateTimeOffset.UtcNow.AddHours(-30);
        var incident = await care.CreateIncidentAsync(physician, new NewIncident("INC-LAB", "Lab test", IncidentKind.LostOrOrphanSource, start, "Plant", ["Co-60"]));
        var patient = await care.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-LAB1", 40, Sex.Female, 60, start.AddMinutes(5)));

        await Json(await qa.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 25 }),
            HttpStatusCode.Forbidden);
        var badCase = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = -1 }),
            HttpStatusCode.BadRequest);
        Assert.True(badCase.GetProperty("errors").TryGetProperty("aberrations", out _));
        await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "micronucleus", cells = 500, aberrations = 25 }),
            HttpStatusCode.UnprocessableEntity);

        var scored = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 25 }),
            HttpStatusCode.Created);
        Assert.Equal("cytogenetics", scored.GetProperty("observation").GetProperty("kind").GetString());
        Assert.InRange(scored.GetProperty("cytogenetics").GetProperty("estimateGy").GetDouble(), 0.72, 0.74);
        Assert.Equal(1, scored.GetProperty("assessment").GetProperty("version").GetInt32());
        Assert.Equal(enteredId, scored.GetProperty("curveId").GetInt64());
        Assert.Equal($"/care/patients/{patient.Id}", scored.GetProperty("patientUrl").GetString());
        Assert.Equal(scored.GetProperty("cytogenetics").GetProperty("estimateGy").GetDouble(), (await care.GetPatientAsync(physician, patient.Id)).Assessment!.BasisDoseGy);
        Assert.False(scored.GetProperty("cytogenetics").GetProperty("extrapolated").GetBoolean());

        // 99,999 dicentrics in 500 cells: refused (400) naming aberrations, nothing written.
        var impossible = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 99_999 }),
            HttpStatusCode.BadRequest);
        Assert.Contains("per cell", impossible.GetProperty("errors").GetProperty("aberrations")[0].GetString(), StringComparison.Ordinal);

        // 1200 in 500 cells ≈ 6 Gy, beyond the curve's 5 Gy: flagged as an extrapolation (raises to red: no confirmation needed).
        var beyond = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 1200 }),
            HttpStatusCode.Created);
        Assert.True(beyond.GetProperty("cytogenetics").GetProperty("extrapolated").GetBoolean());
        Assert.Equal("red", beyond.GetProperty("assessment").GetProperty("triage").GetString());

        // Back to 25 in 500 (green): lowers red, so 400 naming confirm and saying from which colour to which; nothing written; confirm = true records it.
        var lower = new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 25 };
        var needsConfirm = await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), lower), HttpStatusCode.BadRequest);
        Assert.Contains("from red to green", needsConfirm.GetProperty("errors").GetProperty("confirm")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await care.GetPatientAsync(physician, patient.Id)).Observations.Count);
        await Json(await tech.PostAsJsonAsync(U("/api/v1/care/lab/cases"), new { patientId = patient.Id, assay = "dicentric", cells = 500, aberrations = 25, confirm = true }),
            HttpStatusCode.Created);
        Assert.Equal(3, (await care.GetPatientAsync(physician, patient.Id)).Observations.Count);
    }

    [Fact]
    public async Task An_observation_that_lowers_the_triage_colour_is_refused_through_the_API_until_confirmed()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var doctor = await server.WithTokenAsync(Role.Physician);
        var care = server.Services.GetRequiredService<CareService>();
        var physician = new Actor(1, "dr", new HashSet<Role> { Role.Physician });
        var start = DateTimeOffset.UtcNow.AddHours(-40);
        var incident = await care.CreateIncidentAsync(physician, new NewIncident("INC-CONF", "Confirm", IncidentKind.LostOrOrphanSource, start, "Plant", ["Co-60"]));
        var patient = await care.RegisterPatientAsync(physician, incident.Id, new NewPatient("P-CONF", 40, Sex.Female, 60, start));

        // Vomiting 20 min after exposure: 6–8 Gy (IAEA EPR-Medical 2024 Table 3) → red.
        var first = await Json(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/observations"), new
        {
            kind = "symptoms", observedAt = start.AddHours(1), values = new { vomitingOnsetAt = start.AddMinutes(20) },
        }), HttpStatusCode.Created);
        Assert.Equal("red", first.GetProperty("assessment").GetProperty("triage").GetString());

        // A cytogenetic result of 0.73 Gy (more trusted) would make the patient green.
        var cyto = new
        {
            kind = "cytogenetics", observedAt = start.AddHours(30),
            values = new { cells = 500, aberrations = 25, curve = new { name = "Barquinero", assay = "dicentric", model = "lq", c = 0.00128, alpha = 0.021, beta = 0.0631,
                covariance = new[] { new[] { 0.0, 0, 0 }, new[] { 0.0, 0, 0 }, new[] { 0.0, 0, 0 } } } },
        };
        var refused = await Json(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/observations"), cyto), HttpStatusCode.BadRequest);
        Assert.Contains("from red to green", refused.GetProperty("errors").GetProperty("confirm")[0].GetString(), StringComparison.Ordinal);
        Assert.Single((await care.GetPatientAsync(physician, patient.Id)).Observations);

        var confirmed = await Json(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/observations"), new { cyto.kind, cyto.observedAt, cyto.values, confirm = true }),
            HttpStatusCode.Created);
        Assert.Equal("green", confirmed.GetProperty("assessment").GetProperty("triage").GetString());
    }
}
