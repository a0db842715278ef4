using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Bank;

/// <summary>Issue 11 item 7 through the API (ADR 0017): QC value gates, far-out readings, excursions resolved by QA, flagged stock.</summary>
public class QcStorageApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private static readonly object Negative = new Dictionary<string, string>
    {
        ["HIV-1/2"] = "negative", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
    };

    /// <summary>Donor, line, banks, an LN2 tank with a box and a lot of two MSC-like vials in quarantine.</summary>
    private static async Task<(long LotId, long TankId, long[] Vials)> MakeLotAsync(HttpClient tech)
    {
        var donor = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            banking = true, research = true, clinical = true, screening = Negative, hlaGl = "A*24:02+A*24:02^B*52:01+B*52:01",
        }));
        var line = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "QCS-L1", donorId = donor.GetProperty("id").GetInt64(), method = "episomal plasmid", cloneName = "c3", passage = 10,
        }));
        var lineId = line.GetProperty("id").GetInt64();
        var mcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new { code = "QCS-L1-MCB", kind = "mcb", lineId, passage = 12, vials = 100 }));
        var wcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new
        {
            code = "QCS-L1-WCB", kind = "wcb", lineId, parentId = mcb.GetProperty("id").GetInt64(), passage = 15, vials = 100,
        }));
        var site = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { kind = "site", name = "CPC" }));
        var tank = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = site.GetProperty("id").GetInt64(), kind = "tank", name = "T1", maxCelsius = -150 }));
        Assert.Equal("ln2-vapour", tank.GetProperty("class").GetString());
        var rack = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = tank.GetProperty("id").GetInt64(), kind = "rack", name = "R1" }));
        var box = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/locations"), new { parentId = rack.GetProperty("id").GetInt64(), kind = "box", name = "B1", rows = 5, columns = 5 }));
        var lot = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lots"), new
        {
            productCode = "S9102", wcbId = wcb.GetProperty("id").GetInt64(), vials = 2, boxId = box.GetProperty("id").GetInt64(),
        }));
        var lotId = lot.GetProperty("id").GetInt64();
        var detail = await OkJson(await tech.GetAsync(U($"/api/v1/bank/lots/{lotId}")));
        return (lotId, tank.GetProperty("id").GetInt64(), [.. detail.GetProperty("vials").EnumerateArray().Select(v => v.GetProperty("id").GetInt64())]);
    }

    private static Task<HttpResponseMessage> Qc(HttpClient client, long lotId, string testCode, string value, string? unit) =>
        client.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/qc-results"), new { testCode, value, unit });

    private static string FieldError(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Impossible_QC_values_and_unknown_words_are_400_naming_the_field_and_open_no_deviation(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        var (lotId, _, _) = await MakeLotAsync(tech);

        var endotoxin = await Problem(await Qc(tech, lotId, "endotoxin", "-0.3", "EU/mL"), HttpStatusCode.BadRequest);
        Assert.Contains("cannot be negative", FieldError(endotoxin, "value"), StringComparison.Ordinal);
        var viability = await Problem(await Qc(tech, lotId, "viability", "101", "%"), HttpStatusCode.BadRequest);
        Assert.Contains("0–100", FieldError(viability, "value"), StringComparison.Ordinal);
        var text = await Problem(await Qc(tech, lotId, "viability", "ninety", "%"), HttpStatusCode.BadRequest);
        Assert.Contains("needs a number", FieldError(text, "value"), StringComparison.Ordinal);
        var word = await Problem(await Qc(tech, lotId, "mycoplasma", "not seen", null), HttpStatusCode.BadRequest);
        Assert.Contains("'negative', 'positive'", FieldError(word, "value"), StringComparison.Ordinal);
        Assert.Empty((await OkJson(await qa.GetAsync(U($"/api/v1/bank/lots/{lotId}")))).GetProperty("results").EnumerateArray());
        Assert.Empty((await OkJson(await qa.GetAsync(U("/api/v1/bank/deviations")))).EnumerateArray());

        var oos = await OkJson(await Qc(tech, lotId, "endotoxin", "0.9", "EU/mL"));
        Assert.NotEqual(JsonValueKind.Null, oos.GetProperty("deviation").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_far_out_reading_asks_for_confirm_an_excursion_flags_the_stock_and_only_QA_resolves_it(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var physician = await server.WithTokenAsync(Role.Physician);
        var (lotId, tankId, vials) = await MakeLotAsync(tech);
        foreach (var (test, value, unit) in new[]
        {
            ("viability", "91", "%"), ("endotoxin", "0.1", "EU/mL"), ("sterility", "negative", null), ("mycoplasma", "negative", null),
            ("residual-undifferentiated", "0.02", "%"),
        })
        {
            await OkJson(await Qc(tech, lotId, test, value, unit));
        }

        await OkJson(await qa.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"), new { password = server.PasswordOf(Role.QaOfficer) }));

        var far = await Problem(await tech.PostAsJsonAsync(U($"/api/v1/bank/locations/{tankId}/temperatures"), new { celsius = 200 }), HttpStatusCode.BadRequest);
        Assert.Contains("confirm=true", FieldError(far, "confirm"), StringComparison.Ordinal);
        Assert.Empty((await OkJson(await tech.GetAsync(U($"/api/v1/bank/locations/{tankId}/temperatures")))).EnumerateArray());

        var recorded = await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/bank/locations/{tankId}/temperatures"), new { celsius = -110.5 }));
        Assert.True(recorded.GetProperty("reading").GetProperty("excursion").GetBoolean());
        var excursion = recorded.GetProperty("excursion");
        var id = excursion.GetProperty("id").GetInt64();
        var flag = excursion.GetProperty("flag").GetString()!;
        Assert.StartsWith($"excursion #{id} on tank T1 at ", flag, StringComparison.Ordinal);

        var reserve = await Problem(await physician.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[0]}/reserve"), new { reservedFor = "P-1" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("awaiting QA assessment", reserve.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var listed = await OkJson(await physician.GetAsync(U("/api/v1/bank/vials?status=released")));
        Assert.All(listed.GetProperty("items").EnumerateArray(), i => Assert.Equal(flag, i.GetProperty("vial").GetProperty("flag").GetString()));

        var resolve = U($"/api/v1/bank/excursions/{id}/resolve");
        await Problem(await tech.PostAsJsonAsync(resolve, new { outcome = "returned to use", assessment = "ok", password = server.PasswordOf(Role.CpcTechnician) }),
            HttpStatusCode.Forbidden);
        await Problem(await physician.PostAsJsonAsync(resolve, new { outcome = "returned to use", assessment = "ok", password = server.PasswordOf(Role.Physician) }),
            HttpStatusCode.Forbidden);
        await Problem(await qa.PostAsJsonAsync(resolve, new { outcome = "returned to use", assessment = "ok", password = "wrong" }), HttpStatusCode.Forbidden);
        var open = await OkJson(await tech.GetAsync(U("/api/v1/bank/excursions?status=open")));
        Assert.Equal(id, Assert.Single(open.EnumerateArray()).GetProperty("id").GetInt64());

        var resolved = await OkJson(await qa.PostAsJsonAsync(resolve, new
        {
            outcome = "returned to use", assessment = "ten minutes above limit while the lid was open; within validation", password = server.PasswordOf(Role.QaOfficer),
        }));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("returned to use", resolved.GetProperty("outcome").GetString());
        await OkJson(await physician.PostAsJsonAsync(U($"/api/v1/bank/vials/{vials[0]}/reserve"), new { reservedFor = "P-1" }));
        await Problem(await qa.PostAsJsonAsync(resolve, new { outcome = "discarded", assessment = "again", password = server.PasswordOf(Role.QaOfficer) }),
            HttpStatusCode.UnprocessableEntity);
    }
}
