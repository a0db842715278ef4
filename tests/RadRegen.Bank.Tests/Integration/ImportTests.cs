using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Import;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

[Trait("Kind", "Integration")]
public class ImportTests : EngineTests
{
    private const string Header = "donor_code,consent_banking,consent_research,consent_clinical,consented_on,hiv,hbv,hcv,htlv,syphilis,hla_gl,"
        + "line_code,method,clone,line_passage,mcb_code,mcb_passage,wcb_code,wcb_passage,lot_number,din,product_code,manufactured_on,division,box,position";

    private static string Row(string donor, string line, string lot, string din, string division, string position, string product = "S9102",
        string box = "CPC/LN2-1/R1/B1", string consentedOn = "2025-03-01") =>
        $"{donor},yes,yes,yes,{consentedOn},negative,negative,negative,negative,negative,\"A*24:02+A*24:02^B*52:01+B*52:01\","
        + $"{line},Sendai virus,c1,10,{line}-MCB,12,{line}-WCB,15,{lot},{din},{product},2026-01-15,{division},{box},{position}";

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_valid_inventory_is_imported_with_positions_in_quarantine(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var csv = "\uFEFF" + Header + "\r\n"
            + Row("IMP-D1", "IMP-L1", "IMP-LOT1", "G123498654321H", "A0", "B1") + "\r\n"
            + Row("IMP-D1", "IMP-L1", "IMP-LOT1", "G123498654321H", "A1", "B2") + "\r\n"
            + Row("IMP-D2", "IMP-L2", "IMP-LOT2", "", "A0", "", box: "") + "\r\n";
        var import = w.Services.GetRequiredService<InventoryImport>();
        var report = await import.ImportAsync(w.Tech, new StringReader(csv), "legacy.csv");
        Assert.Equal(new ImportReport(3, 2, 2, 4, 2, 3), report);
        var lot = await w.Bank.FindLotByNumberAsync(w.Auditor, "IMP-LOT1");
        Assert.Equal("G123498654321", lot.Din);
        var vials = await w.VialsAsync(lot);
        Assert.Equal(["B1", "B2"], vials.Select(v => RadRegen.Bank.Model.Positions.Label(v.Row!.Value, v.Column!.Value)));
        Assert.All(vials, v => Assert.Equal(RadRegen.Bank.Model.VialStatus.Quarantine, v.Status));
        var lineage = await w.Bank.LineageAsync(w.Auditor, vials[0].Id);
        Assert.Equal("IMP-D1", lineage.Donor.Code);
        Assert.Equal("IMP-L1-MCB", lineage.MasterBank!.Code);
        Assert.Equal(3, (await w.Bank.SearchAsync(w.Auditor, new InventorySearch(PageSize: 100))).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_file_with_bad_rows_lists_every_one_and_writes_nothing(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        await w.LotAsync(1); // occupies B1 A1
        var csv = Header + "\n"
            + Row("IMP-D1", "IMP-L1", "IMP-LOT1", "", "A0", "A1") + "\n"                       // row 2: occupied position
            + Row("IMP-D1", "IMP-L1", "IMP-LOT1", "", "A1", "Z9") + "\n"                       // row 3: outside the box
            + Row("IMP-D1", "IMP-L1", "IMP-LOT1", "", "A1", "C3") + "\n"                       // row 4: division twice
            + Row("IMP-D2", "IMP-L2", "IMP-LOT2", "", "A0", "C4", product: "S0000") + "\n"     // row 5: unknown product
            + Row("IMP-D3", "IMP-L3", "IMP-LOT3", "G123498654321A", "A0", "C5") + "\n"         // row 6: wrong check character
            + Row("D-TEST0001", "IMP-L4", "IMP-LOT4", "", "A0", "C6") + "\n"                   // row 7: donor exists
            + Row("IMP-D5", "IMP-L5", "IMP-LOT5", "", "A0", "C7", consentedOn: "15/01/2026") + "\n"; // row 8: bad date
        var before = await w.JournalCountAsync();
        var import = w.Services.GetRequiredService<InventoryImport>();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => import.ImportAsync(w.Tech, new StringReader(csv), "bad.csv"));
        var fields = ex.Errors.Select(e => e.Field).ToList();
        Assert.Contains("row 2: position", fields);
        Assert.Contains("row 3: position", fields);
        Assert.Contains("row 4: division", fields);
        Assert.Contains("row 5: product_code", fields);
        Assert.Contains("row 6: din", fields);
        Assert.Contains("row 7: donor_code", fields);
        Assert.Contains("row 8: consented_on", fields);
        Assert.Equal(before, await w.JournalCountAsync());
        Assert.Single(await w.Bank.ListDonorsAsync(w.Auditor));
        Assert.Equal(1, (await w.Bank.SearchAsync(w.Auditor, new InventorySearch())).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_missing_column_or_an_auditor_is_refused(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var import = w.Services.GetRequiredService<InventoryImport>();
        var header = await Assert.ThrowsAsync<DomainValidationException>(() => import.ImportAsync(w.Tech, new StringReader("donor_code,line_code\nX,Y\n"), "x.csv"));
        Assert.Equal("header", header.Errors[0].Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => import.ImportAsync(w.Auditor, new StringReader(Header), "x.csv"));
    }
}

[Trait("Kind", "Unit")]
public class CsvTextTests
{
    [Fact]
    public void Quoted_fields_commas_quotes_and_newlines_are_read()
    {
        var records = CsvText.Parse(new StringReader("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z"));
        Assert.Equal(3, records.Count);
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal("multi\nline", records[2].Fields[0]);
        Assert.Equal(3, records[2].Line);
    }
}
