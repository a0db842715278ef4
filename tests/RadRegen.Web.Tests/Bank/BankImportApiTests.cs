using System.Net;
using System.Text;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Bank;

/// <summary>Issue 12 item 6: <c>POST /api/v1/bank/imports</c> imports an inventory CSV as the CLI does, and names the bad rows.</summary>
public class BankImportApiTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static Uri U(string path) => new(path, UriKind.Relative);

    private const string Header = "donor_code,consent_banking,consent_research,consent_clinical,consented_on,hiv,hbv,hcv,htlv,syphilis,hla_gl,"
        + "line_code,method,clone,line_passage,mcb_code,mcb_passage,wcb_code,wcb_passage,lot_number,din,product_code,manufactured_on,division,box,position";

    private static string Row(string donor, string line, string lot, string division, string consentedOn = "2025-03-01", string product = "S9102") =>
        $"{donor},yes,yes,yes,{consentedOn},negative,negative,negative,negative,negative,\"A*24:02+A*24:02^B*52:01+B*52:01\","
        + $"{line},Sendai virus,c1,10,{line}-MCB,12,{line}-WCB,15,{lot},,{product},2026-01-15,{division},,";

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_inventory_csv_posted_to_the_api_is_imported_and_a_bad_row_is_named(string engine)
    {
        await using var server = await TestServer.StartAsync(engine);
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);

        // A file of a few hundred rows: Kestrel refuses synchronous reads, so the body must be read asynchronously.
        var rows = Enumerable.Range(0, 200).Select(i => Row("API-D1", "API-L1", "API-LOT1",
            $"{(char)('A' + (i / 10))}{(i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        var report = await OkJson(await tech.PostAsync(U("/api/v1/bank/imports"), Csv(Header + "\r\n" + string.Join("\r\n", rows) + "\r\n")));
        Assert.Equal(200, report.GetProperty("rows").GetInt32());
        Assert.Equal(1, report.GetProperty("lots").GetInt32());
        Assert.Equal(200, report.GetProperty("vials").GetInt32());

        var bad = Header + "\n" + Row("API-D2", "API-L2", "API-LOT2", "A0") + "\n"
            + Row("API-D3", "API-L3", "API-LOT3", "A0", consentedOn: "15/01/2026") + "\n"
            + Row("API-D4", "API-L4", "API-LOT4", "A0", product: "S0000") + "\n";
        var problem = await Problem(await tech.PostAsync(U("/api/v1/bank/imports"), Csv(bad)), HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("row 3: consented_on", fields);
        Assert.Contains(fields, f => f.StartsWith("row 4: ", StringComparison.Ordinal));
        Assert.DoesNotContain(fields, f => f.StartsWith("row 2: ", StringComparison.Ordinal));
        // All or nothing: the good row 2 was not imported either.
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var lots = await OkJson(await auditor.GetAsync(U("/api/v1/bank/lots")));
        Assert.DoesNotContain(lots.EnumerateArray(), l => l.GetProperty("lotNumber").GetString() == "API-LOT2");
    }
}
