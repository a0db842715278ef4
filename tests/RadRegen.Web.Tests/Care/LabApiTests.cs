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
        await Json(await qa.GetAsync(U("/api/v1/care/lab/curves")), HttpStatusCode.Forbidden);
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

        var activated = await Json(await tech.PostAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"), null), HttpStatusCode.OK);
        Assert.True(activated.GetProperty("active").GetBoolean());
        await Json(await qa.PostAsync(U($"/api/v1/care/lab/curves/{enteredId}/activate"), null), HttpStatusCode.Forbidden);

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
    }
}
