using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Care;

/// <summary>
/// Typings accepted are typings handled (issue 12 item 5): a MAC code or serological antigen is
/// refused at every entry point with a 400 naming the field, and a typing stored before the rule
/// neither fails the patient page nor matching.
/// </summary>
/// <remarks>
/// The cases share one server: each works in an incident of its own (the two refused typings under
/// codes of their own), and the refused entries store nothing.
/// </remarks>
public class HlaTypingEntryTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Theory]
    [InlineData("A*24:MDP+A*02:01^B*52:01+B*07:02", "MAC code A*24:MDP cannot be resolved: the operator has not loaded an NMDP MAC file; enter the alleles as a GL String")]
    [InlineData("A*24:02+A*02:01^B2535+B7", "serological antigen B2535 cannot be resolved: the operator has not loaded the WMDA file rel_dna_ser.txt; enter the alleles as a GL String")]
    public async Task A_MAC_code_or_serological_antigen_is_a_400_naming_the_field_on_patient_HLA_and_donor_entry(string typing, string expected)
    {
        var server = await servers.ForAsync("sqlite");
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        var exposure = DateTimeOffset.UtcNow.AddDays(-1);
        var incident = await OkJson(await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = typing.Contains(":MDP", StringComparison.Ordinal) ? "INC-HLA-MAC" : "INC-HLA-SER", title = "Typing entry", kind = "criticality", startedAt = exposure.AddHours(-1), place = "Plant", radionuclides = new[] { "Cs-137" },
        }), HttpStatusCode.Created);
        var incidentId = incident.GetProperty("id").GetInt64();

        var registered = await Problem(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incidentId}/patients"), new
        {
            code = "P-HLA1", ageYears = 40, sex = "female", weightKg = 60, exposureStart = exposure, route = "external", hlaTyping = typing,
        }), HttpStatusCode.BadRequest, "hlaTyping");
        Assert.Contains(expected, registered.GetRawText().Replace("\\u002B", "+", StringComparison.Ordinal), StringComparison.Ordinal);

        var patient = await OkJson(await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incidentId}/patients"), new
        {
            code = "P-HLA2", ageYears = 40, sex = "female", weightKg = 60, exposureStart = exposure, route = "external",
        }), HttpStatusCode.Created);
        var typed = await Problem(await physician.PutAsJsonAsync(U($"/api/v1/care/patients/{patient.GetProperty("id").GetInt64()}/hla"), new { hlaTyping = typing, version = 1 }),
            HttpStatusCode.BadRequest, "hlaTyping");
        Assert.Contains(expected, typed.GetRawText().Replace("\\u002B", "+", StringComparison.Ordinal), StringComparison.Ordinal);

        var donor = await Problem(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            banking = true, research = true, clinical = true, hlaGl = typing,
            screening = new Dictionary<string, string>
            {
                ["HIV-1/2"] = "negative", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
            },
        }), HttpStatusCode.BadRequest, "hlaGl");
        Assert.Contains(expected, donor.GetRawText().Replace("\\u002B", "+", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_typing_matching_cannot_handle_shows_why_on_the_patient_page_and_counts_as_untyped_in_matching()
    {
        var server = await servers.ForAsync("sqlite");
        await TherapySeed.ReleasedVialsAsync(server.Services, 2);
        var care = server.Services.GetRequiredService<CareService>();
        var coordinator = Actor.LocalOperator("typing-test", Role.Coordinator); // issue 12 item 9: a coordinator opens incidents and registers patients, not the administrator
        var exposure = server.Services.GetRequiredService<IClock>().UtcNow.AddHours(-12);
        var incident = await care.CreateIncidentAsync(coordinator, new NewIncident("INC-OLD", "Old typing", IncidentKind.ReactorAccident, exposure, "Site", ["Cs-137"]));
        var patient = await care.RegisterPatientAsync(coordinator, incident.Id, new NewPatient("P-OLD-0001", 50, Sex.Female, 80, exposure));

        // A typing stored before entry refused MAC codes: written straight to the store, as the old rule let it in.
        await using (var uow = await server.Services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write))
        {
            Assert.True(await uow.Store<ICareStore>().UpdatePatientHlaAsync(patient.Id, "A*24:MDP+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05", patient.Version, default));
            await uow.CommitAsync();
        }

        using var doctor = await server.WithTokenAsync(Role.Physician);
        var request = await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/care/patients/{patient.Id}/therapy-requests"),
            new { productCode = "S9102", dose = 1, urgency = "urgent", treatingCenter = "Hospital A" }));
        var matches = await OkJson(await doctor.GetAsync(U($"/api/v1/care/therapy-requests/{request.GetProperty("id").GetInt64()}/matches")));
        Assert.Contains("patient HLA typing cannot be matched: MAC code A*24:MDP", matches.GetRawText().Replace("\\u002B", "+", StringComparison.Ordinal), StringComparison.Ordinal);

        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (client)
        {
            var page = await client.GetAsync(U($"/care/patients/{patient.Id}"));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Contains("data-testid=\"patient-hla-unmatchable\"", html, StringComparison.Ordinal);
            Assert.Contains("cannot be matched: MAC code A*24:MDP cannot be resolved: the operator has not loaded an NMDP MAC file", html, StringComparison.Ordinal);
        }
    }
}
