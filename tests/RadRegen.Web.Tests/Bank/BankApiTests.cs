using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Bank;

public class BankApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static readonly object Negative = new Dictionary<string, string>
    {
        ["HIV-1/2"] = "negative", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
    };

    /// <summary>Donor, line, MCB, WCB, storage and a lot of two vials in quarantine, made by the technician through the API.</summary>
    private static async Task<(long LotId, long BoxId, long[] Vials)> MakeLotAsync(HttpClient tech)
    {
        var donor = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            banking = true, research = true, clinical = true, screening = Negative, hlaGl = "A*24:02+A*24:02^B*52:01+B*52:01",
        }));
        Assert.StartsWith("D-", donor.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.True(donor.GetProperty("eligible").GetBoolean());
        var line = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "API-L1", donorId = donor.GetProperty("id").GetInt64(), method = "episomal plasmid", cloneName = "c3", passage = 10,
        }));
        var lineId = line.GetProperty("id").GetInt64();
        var mcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new { code = "API-L1-MCB", kind = "mcb", lineId, passage = 12, vials = 100 }));
        var wcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new
        {
            code = "API-L1-WCB", kind = "wcb", lineId, parentId = mcb.GetProperty("id").GetInt64(), passage = 15, vials = 100,
        }));
        var site = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { kind = "site", name = "CPC" }));
        var tank = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = site.GetProperty("id").GetInt64(), kind = "tank", name = "T1", maxCelsius = -150 }));
        var rack = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = tank.GetProperty("id").GetInt64(), kind = "rack", name = "R1" }));
        var box = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = rack.GetProperty("id").GetInt64(), kind = "box", name = "B1", rows = 5, columns = 5 }));
        var boxId = box.GetProperty("id").GetInt64();
        var lot = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lots"), new
        {
            productCode = "S9102", wcbId = wcb.GetProperty("id").GetInt64(), vials = 2, boxId,
        }));
        Assert.Equal("quarantine", lot.GetProperty("status").GetString());
        var lotId = lot.GetProperty("id").GetInt64();
        var detail = await OkJson(await tech.GetAsync(U($"/api/v1/bank/lots/{lotId}")));
        return (lotId, boxId, [.. detail.GetProperty("vials").EnumerateArray().Select(v => v.GetProperty("id").GetInt64())]);
    }

    private static async Task PassAllAsync(HttpClient tech, long lotId)
    {
        foreach (var (test, value, unit) in new[]
        {
            ("viability", "91", "%"), ("endotoxin", "0.1", "EU/mL"), ("sterility", "negative", null), ("mycoplasma", "negative", null),
            ("residual-undifferentiated", "0.02", "%"),
        })
        {
            await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/qc-results"), new { testCode = test, value, unit }));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Register_to_release_to_search_over_the_api_with_the_right_status_codes(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var (lotId, boxId, vials) = await MakeLotAsync(tech);

        // bad input: 400 with the field, nothing written
        var unit = await Problem(await tech.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/qc-results"), new { testCode = "endotoxin", value = "0.1", unit = "mg" }),
            HttpStatusCode.BadRequest);
        Assert.True(unit.GetProperty("errors").TryGetProperty("unit", out _));
        await Problem(await tech.PostAsJsonAsync(U("/api/v1/bank/lots"), new { productCode = "S0000", wcbId = 1, vials = 1 }), HttpStatusCode.BadRequest);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[0]}/move"), new { boxId, row = 6, column = 1, reason = "x" }), HttpStatusCode.BadRequest);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[0]}/move"), new { boxId, row = 1, column = 2, reason = "x" }), HttpStatusCode.Conflict);

        // release: 422 without every result, 403 for a technician, 403 with a wrong password
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"), new { password = server.PasswordOf(Role.QaOfficer) }),
            HttpStatusCode.UnprocessableEntity);
        await PassAllAsync(tech, lotId);
        await Problem(await tech.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"), new { password = server.PasswordOf(Role.CpcTechnician) }),
            HttpStatusCode.Forbidden);
        await Problem(await qa.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"), new { password = "not the password" }), HttpStatusCode.Forbidden);
        await Problem(await auditor.PostAsJsonAsync(U("/api/v1/bank/donors"), new { banking = true }), HttpStatusCode.Forbidden);

        var lotResponse = await qa.GetAsync(U($"/api/v1/bank/lots/{lotId}"));
        Assert.Equal("\"1\"", lotResponse.Headers.ETag!.Tag);
        using (var stale = new HttpRequestMessage(HttpMethod.Post, U($"/api/v1/bank/lots/{lotId}/release")))
        {
            stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
            stale.Content = JsonContent.Create(new { password = server.PasswordOf(Role.QaOfficer) });
            await Problem(await qa.SendAsync(stale), HttpStatusCode.Conflict);
        }

        var released = await OkJson(await qa.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"),
            new { password = server.PasswordOf(Role.QaOfficer), meaning = "released" }));
        Assert.Equal("released", released.GetProperty("status").GetString());

        var search = await OkJson(await auditor.GetAsync(U("/api/v1/bank/vials?productCode=S9102&status=released")));
        Assert.Equal(2, search.GetProperty("total").GetInt64());
        var csv = await auditor.GetStringAsync(U("/api/v1/bank/vials.csv?status=released"));
        Assert.StartsWith("identity,din,product_code", csv, StringComparison.Ordinal);
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        var vial = await OkJson(await auditor.GetAsync(U($"/api/v1/bank/vials/{vials[0]}")));
        Assert.Equal("API-L1", vial.GetProperty("lineage").GetProperty("line").GetProperty("code").GetString());
        Assert.True(vial.GetProperty("lineage").GetProperty("donor").GetProperty("consent").GetProperty("clinical").GetBoolean());

        // two simultaneous reservations: one wins, the other 409
        using var physician = await server.WithTokenAsync(Role.Physician);
        using var coordinator = await server.WithTokenAsync(Role.Coordinator);
        var both = await Task.WhenAll(
            physician.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[1]}/reserve"), new { reservedFor = "patient A" }),
            coordinator.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[1]}/reserve"), new { reservedFor = "patient B" }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());

        // every bank page renders for a signed-in auditor
        var (browser, _) = await server.SignInAsync("demo-auditor", server.PasswordOf(Role.Auditor));
        using (browser)
        {
            var donorId = vial.GetProperty("lineage").GetProperty("donor").GetProperty("id").GetInt64();
            var lineId = vial.GetProperty("lineage").GetProperty("line").GetProperty("id").GetInt64();
            foreach (var page in new[]
            {
                "/bank", "/bank/donors", $"/bank/donors/{donorId}", $"/bank/lines/{lineId}", $"/bank/lots/{lotId}", $"/bank/lots/{lotId}/labels",
                "/bank/inventory?status=released&productCode=S9102", $"/bank/vials/{vials[0]}", "/bank/storage", $"/bank/boxes/{boxId}", "/bank/products",
                "/bank/haplobank?population=CAU",
            })
            {
                var response = await browser.GetAsync(U(page));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
            }

            var labels = await browser.GetStringAsync(U($"/bank/lots/{lotId}/labels"));
            Assert.Contains("data:image/png;base64,", labels, StringComparison.Ordinal);
            var donorsCsv = await browser.GetStringAsync(U("/bank/donors?handler=Export"));
            Assert.StartsWith("code,banking,research,clinical", donorsCsv, StringComparison.Ordinal);
            var export = await browser.GetAsync(U("/bank/inventory?handler=Export&status=released"));
            Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(U("/bank/lots/999999"))).StatusCode);
        }

        // the donor is homozygous A*24:02~B*52:01 at A and B but untyped at DRB1: not known, so not banked
        var haplobank = await OkJson(await auditor.GetAsync(U("/api/v1/bank/haplobank?population=API")));
        Assert.Equal(0, haplobank.GetProperty("lines").GetArrayLength());
        Assert.Equal(10, haplobank.GetProperty("recruitNext").GetArrayLength());
        await Problem(await auditor.GetAsync(U("/api/v1/bank/haplobank?population=XYZ")), HttpStatusCode.BadRequest);

        var check = await OkJson(await auditor.GetAsync(U("/api/v1/bank/dins/G123498654321/check-character")));
        Assert.Equal("H", check.GetProperty("checkCharacter").GetString());
        Assert.Equal("77", check.GetProperty("type3Flag").GetString());
        var openapi = await OkJson(await auditor.GetAsync(U("/openapi/v1.json")));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/bank/lots/{id}/release", out _));
    }
}
