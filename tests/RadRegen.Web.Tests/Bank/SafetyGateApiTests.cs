using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Bank;

/// <summary>Issue 11 item 7 (ADR 0016) through the real server: intended use and the donor gate answer problem details naming what and why.</summary>
public class SafetyGateApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Starting_material_is_refused_for_a_patient_naming_the_product(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var vials = await TherapySeed.ReleasedVialsAsync(server.Services, 2, "SM", "S9100");
        var care = server.Services.GetRequiredService<CareService>();
        var coordinator = Actor.LocalOperator("api-test", Role.Coordinator); // issue 12 item 9: a coordinator opens incidents and registers patients, not the administrator
        var exposure = server.Services.GetRequiredService<IClock>().UtcNow.AddHours(-12);
        var incident = await care.CreateIncidentAsync(coordinator, new NewIncident("INC-SM1", "API", IncidentKind.ReactorAccident, exposure, "Site", ["Cs-137"]));
        var patient = await care.RegisterPatientAsync(coordinator, incident.Id, new NewPatient("P-SM-0001", 50, Sex.Female, 80, exposure, HlaTyping: TherapySeed.MatchingPatient));
        var doctor = await server.WithTokenAsync(Role.Physician);

        var product = await OkJson(await doctor.GetAsync(U("/api/v1/bank/products/S9100")));
        Assert.Equal("starting-material", product.GetProperty("intendedUse").GetString());

        var request = await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/therapy-requests"),
            new { productCode = "S9100", dose = 1, urgency = "urgent", treatingCenter = "Hospital A" }), HttpStatusCode.BadRequest, "productCode");
        Assert.Contains("S9100", request.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("starting material", request.GetRawText(), StringComparison.Ordinal);

        var reserve = await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[0].Id}/reserve"), new { reservedFor = "P-SM-0001" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("S9100", reserve.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("starting material", reserve.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var vial = await OkJson(await doctor.GetAsync(U($"/api/v1/bank/vials/{vials[0].Id}")));
        Assert.Equal("released", vial.GetProperty("lineage").GetProperty("vial").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_donor_with_a_positive_marker_cannot_seed_a_clinical_line_but_a_research_one(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var donor = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            code = "D-HIVPOS01", banking = true, research = true, clinical = true,
            screening = new Dictionary<string, string>
            {
                ["HIV-1/2"] = "positive", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
            },
        }));
        Assert.False(donor.GetProperty("eligible").GetBoolean());
        var donorId = donor.GetProperty("id").GetInt64();

        var clinical = await Problem(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "API-HIV1", donorId, method = "episomal plasmid", cloneName = "c1", passage = 10,
        }), HttpStatusCode.UnprocessableEntity);
        var detail = clinical.GetProperty("detail").GetString();
        Assert.Contains("D-HIVPOS01", detail, StringComparison.Ordinal);
        Assert.Contains("HIV-1/2 positive", detail, StringComparison.Ordinal);
        Assert.Contains("21 CFR 1271", detail, StringComparison.Ordinal);
        Assert.Empty((await OkJson(await tech.GetAsync(U($"/api/v1/bank/lines?donorId={donorId}")))).EnumerateArray());

        var research = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "API-HIV1", donorId, method = "episomal plasmid", cloneName = "c1", passage = 10, intendedUse = "research",
        }));
        Assert.Equal("research", research.GetProperty("intendedUse").GetString());
    }
}
