using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Core.Reporting;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Planning;

/// <summary>Readiness planning through the real server (issue 16): scenarios, versions, readiness, bad input as problem details, roles, the page and the badge.</summary>
/// <remarks>The cases share one server: one of them writes a scenario of its own (center-orphan) that the others never read.</remarks>
public sealed class PlanningApiTests(SharedTestServers servers) : IClassFixture<SharedTestServers>
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task Scenarios_are_listed_entered_versioned_and_refused_naming_the_field()
    {
        var server = await servers.ForAsync("sqlite");
        var physician = await server.WithTokenAsync(Role.Physician);
        var list = await OkJson(await physician.GetAsync(U("/api/v1/planning/scenarios")));
        var coleman = list.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "coleman-knebel-2015");
        Assert.Equal(53_000, coleman.GetProperty("radiationOnly1_5To8_3Gy").GetProperty("p95").GetInt32());

        var coordinator = await server.WithTokenAsync(Role.Coordinator);
        object Body(int count) => new
        {
            title = "Orphan source at the scrap yard",
            @event = "orphan source",
            source = "planner's estimate from the 2026 exercise",
            bands = new object[] { new { key = "rad-severe", label = "5.3–8.3 Gy", injury = "radiation-only", doseFromGy = 5.3, doseToGy = 8.3, counts = new[] { count } } },
            reason = "annual review",
        };
        await Problem(await coordinator.PutAsJsonAsync(U("/api/v1/planning/scenarios/center-orphan"), Body(-1)), HttpStatusCode.BadRequest, "bands[0].counts[0]");
        await Problem(await coordinator.PutAsJsonAsync(U("/api/v1/planning/scenarios/center-orphan"), new { title = "x", source = "y", bands = new object[] { new { key = "a", injury = "laser", doseFromGy = 1, counts = new[] { 1 } } }, reason = "r" }),
            HttpStatusCode.BadRequest, "bands[0].injury");
        Assert.Equal(HttpStatusCode.NotFound, (await physician.GetAsync(U("/api/v1/planning/scenarios/center-orphan"))).StatusCode); // nothing written

        Assert.Equal(HttpStatusCode.Forbidden, (await physician.PutAsJsonAsync(U("/api/v1/planning/scenarios/center-orphan"), Body(3))).StatusCode);
        var v1 = await OkJson(await coordinator.PutAsJsonAsync(U("/api/v1/planning/scenarios/center-orphan"), Body(3)));
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        var v2 = await OkJson(await coordinator.PutAsJsonAsync(U("/api/v1/planning/scenarios/center-orphan"), Body(5)));
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Equal(5, v2.GetProperty("bands")[0].GetProperty("counts").GetProperty("estimate").GetInt32());
        var history = await OkJson(await physician.GetAsync(U("/api/v1/planning/scenarios/center-orphan/history")));
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("annual review", history[1].GetProperty("reason").GetString());
        await Problem(await coordinator.PutAsJsonAsync(U("/api/v1/planning/scenarios/coleman-knebel-2015"), Body(3)), HttpStatusCode.BadRequest, "id");
    }

    [Fact]
    public async Task Readiness_gives_demand_stock_plan_and_score_and_refuses_a_bad_capacity()
    {
        var server = await servers.ForAsync("sqlite");
        var auditor = await server.WithTokenAsync(Role.Auditor);
        var r = await OkJson(await auditor.GetAsync(U("/api/v1/planning/readiness?scenario=coleman-knebel-2015&percentile=95")));
        Assert.Equal(95, r.GetProperty("percentile").GetInt32());
        Assert.Equal(31, r.GetProperty("demand").GetProperty("byProduct").GetProperty("S9105").GetArrayLength());
        Assert.InRange(r.GetProperty("score").GetProperty("plan").GetDouble(), 0, 1);
        Assert.True(r.GetProperty("plan").GetProperty("binding").GetArrayLength() > 0);
        Assert.Equal("investigational", r.GetProperty("products")[0].GetProperty("approval").GetProperty("badge").GetString());

        await Problem(await auditor.GetAsync(U("/api/v1/planning/readiness?scenario=coleman-knebel-2015&percentile=90")), HttpStatusCode.BadRequest, "percentile");
        await Problem(await auditor.PostAsJsonAsync(U("/api/v1/planning/readiness"), new
        {
            scenario = "coleman-knebel-2015",
            capacities = new object[] { new { product = "S9105", vialsOnHand = 10, expansionDays = 0, maturationDays = 6, releaseTestingDays = 7, bioreactorSlots = 1, yieldVialsPerRun = 4, failureRate = 0.1 } },
        }), HttpStatusCode.BadRequest, "capacities[0].expansionDays");
        await Problem(await auditor.PostAsJsonAsync(U("/api/v1/planning/readiness"), new
        {
            scenario = "coleman-knebel-2015",
            capacities = new object[] { new { product = "S0000", vialsOnHand = 10, expansionDays = 23, maturationDays = 6, releaseTestingDays = 7, bioreactorSlots = 1, yieldVialsPerRun = 4, failureRate = 0.1 } },
        }), HttpStatusCode.BadRequest, "capacities[0].product");
        var trainer = await server.WithTokenAsync(Role.Trainer);
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.GetAsync(U("/api/v1/planning/readiness?scenario=coleman-knebel-2015"))).StatusCode);
        var admin = await server.WithTokenAsync(Role.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(U("/api/v1/planning/scenarios"))).StatusCode);

        var pdf = await auditor.GetAsync(U("/api/v1/planning/readiness.pdf?scenario=center-none"));
        Assert.Equal(HttpStatusCode.NotFound, pdf.StatusCode);
        var summary = await auditor.GetAsync(U("/api/v1/planning/readiness.pdf?scenario=coleman-knebel-2015&percentile=50"));
        if (server.Services.GetService<IReportRenderer>() is { } renderer)
        {
            Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
            Assert.Equal(renderer.ContentType, summary.Content.Headers.ContentType?.MediaType);
            var bytes = await summary.Content.ReadAsByteArrayAsync();
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        }
        else
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, summary.StatusCode); // until the PDF renderer is merged (ADR 0038)
        }
    }

    [Fact]
    public async Task The_planning_page_shows_scores_charts_data_and_approvals_and_the_bank_shows_the_badge()
    {
        var server = await servers.ForAsync("sqlite");
        var (client, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), server.PasswordOf(Role.Coordinator));
        using (client)
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(U("/planning?scenario=coleman-knebel-2015&percentile=85")));
            Assert.Contains("Readiness planning", html, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"score-plan\"", html, StringComparison.Ordinal);
            Assert.Contains("data-chart=", html, StringComparison.Ordinal);
            Assert.Contains("/js/planning.js", html, StringComparison.Ordinal);
            Assert.Contains("investigational", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
            var bad = WebUtility.HtmlDecode(await client.GetStringAsync(U("/planning?scenario=coleman-knebel-2015&percentile=90")));
            Assert.Contains("not 90", bad, StringComparison.Ordinal);
            using var japanese = new HttpRequestMessage(HttpMethod.Get, U("/planning?scenario=center-none"));
            japanese.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9");
            var ja = WebUtility.HtmlDecode(await (await client.SendAsync(japanese)).Content.ReadAsStringAsync());
            Assert.Contains("即応体制の計画", ja, StringComparison.Ordinal);
            Assert.Contains("no scenario 'center-none'", ja, StringComparison.Ordinal); // domain errors stay English
        }

        var (technician, _) = await server.SignInAsync(DemoSeeder.DemoUserName(Role.CpcTechnician), server.PasswordOf(Role.CpcTechnician));
        using (technician)
        {
            var products = await technician.GetAsync(U("/bank/products"));
            if (products.StatusCode == HttpStatusCode.OK)
            {
                var html = WebUtility.HtmlDecode(await products.Content.ReadAsStringAsync());
                Assert.Contains("data-testid=\"approval-S9105\"", html, StringComparison.Ordinal);
            }
        }
    }
}
