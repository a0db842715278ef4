using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Hosting.Demo;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Web.Tests;

/// <summary>Menus and pages ask the permission table the services check: nobody is shown what they may not open.</summary>
public class AccessPagesTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static async Task<string> SignedInPageAsync(TestServer server, Role role, string path)
    {
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(role), server.PasswordOf(role));
        using (client)
        {
            var response = await client.GetAsync(U(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
    }

    [Fact]
    public async Task The_menu_and_the_dashboard_show_each_role_only_the_areas_it_may_open()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        foreach (var role in RoleNames.All)
        {
            var html = await SignedInPageAsync(server, role, "/");
            foreach (var area in AreaCatalog.All)
            {
                var may = area.Opens is not { } op || Permissions.Allows([role], op);
                Assert.True(may == html.Contains($"data-testid=\"nav-{area.Key}\"", StringComparison.Ordinal), $"{role.Name()}: menu entry {area.Key}");
                Assert.True(may == html.Contains($"id=\"area-{area.Key}\"", StringComparison.Ordinal), $"{role.Name()}: dashboard card {area.Key}");
            }

            Assert.Equal(Permissions.Allows([role], Operation.AuditRead), html.Contains("data-testid=\"nav-audit\"", StringComparison.Ordinal));
        }

        var qa = await SignedInPageAsync(server, Role.QaOfficer, "/");
        Assert.DoesNotContain("href=\"/care\"", qa, StringComparison.Ordinal);
        Assert.Contains("href=\"/bank\"", qa, StringComparison.Ordinal);
        Assert.Contains("href=\"/audit\"", qa, StringComparison.Ordinal);
        var physician = await SignedInPageAsync(server, Role.Physician, "/");
        Assert.Contains("href=\"/care\"", physician, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/audit\"", physician, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_qa_officer_opening_a_patient_link_is_refused_with_the_access_denied_page_not_an_error()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var physician = await server.WithTokenAsync(Role.Physician);
        var incident = await physician.PostAsJsonAsync(U("/api/v1/care/incidents"), new
        {
            code = "INC-QA", title = "Irradiator accident", kind = "lost-or-orphan-source", startedAt = DateTimeOffset.UtcNow.AddDays(-1), place = "Lab",
        });
        Assert.Equal(HttpStatusCode.Created, incident.StatusCode);
        var incidentId = (await incident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var patient = await physician.PostAsJsonAsync(U($"/api/v1/care/incidents/{incidentId}/patients"), new
        {
            code = "P-QA", ageYears = 40, sex = "female", weightKg = 64.5, exposureStart = DateTimeOffset.UtcNow.AddHours(-20), exposureHours = 0.5,
            route = "external",
        });
        Assert.Equal(HttpStatusCode.Created, patient.StatusCode);
        var patientId = (await patient.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var (doctor, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), server.PasswordOf(Role.Physician));
        using (doctor)
        {
            Assert.Equal(HttpStatusCode.OK, (await doctor.GetAsync(U($"/care/patients/{patientId}"))).StatusCode);
        }

        var (qa, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.QaOfficer), server.PasswordOf(Role.QaOfficer));
        using (qa)
        {
            // QA opens the laboratory page (it signs curve activations, ADR 0018), never the patients.
            Assert.Equal(HttpStatusCode.OK, (await qa.GetAsync(U("/care/lab"))).StatusCode);
            foreach (var path in new[] { $"/care/patients/{patientId}", $"/care/incidents/{incidentId}", "/care", "/care/patients/999999" })
            {
                var refused = await qa.GetAsync(U(path));
                Assert.True(refused.StatusCode == HttpStatusCode.Redirect, $"{path}: {refused.StatusCode}");
                var location = refused.Headers.Location!;
                Assert.StartsWith("/access-denied", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, StringComparison.Ordinal);
            }

            var page = await qa.GetAsync(U("/access-denied"));
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("data-testid=\"access-denied\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await qa.GetAsync(U("/bank"))).StatusCode);
        }
    }
}
