using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

public partial class BankWalkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Register_donor_line_lot_record_QC_release_by_QA_and_the_vial_is_found_available()
    {
        var tech = await fixture.SignInAsync(Role.CpcTechnician);
        await tech.GotoAsync("/bank");
        await tech.GetByRole(AriaRole.Link, new() { Name = "Register a donor" }).ClickAsync();
        await tech.GetByTestId("donor-code").FillAsync("D-WALK0001");
        await tech.GetByLabel("Clinical use").CheckAsync();
        foreach (var marker in new[] { "HIV-1-2", "HBV", "HCV", "HTLV-1-2", "Syphilis" })
        {
            await tech.GetByTestId("marker-" + marker).SelectOptionAsync("negative");
        }

        await tech.GetByTestId("donor-hla").FillAsync("A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02");
        await tech.GetByTestId("register-donor").ClickAsync();
        await Expect(tech.GetByTestId("donor-heading")).ToHaveTextAsync("D-WALK0001");
        await Expect(tech.GetByTestId("notice")).ToContainTextAsync("registered");

        await tech.GetByTestId("line-code").FillAsync("WALK-L1");
        await tech.GetByTestId("line-method").FillAsync("episomal plasmid");
        await tech.GetByTestId("line-clone").FillAsync("clone 7");
        await tech.GetByTestId("line-passage").FillAsync("11");
        await tech.GetByTestId("create-line").ClickAsync();
        await Expect(tech.GetByTestId("line-heading")).ToHaveTextAsync("WALK-L1");

        await tech.GetByTestId("bank-code").FillAsync("WALK-L1-MCB");
        await tech.GetByTestId("bank-passage").FillAsync("14");
        await tech.GetByTestId("create-bank").ClickAsync();
        await Expect(tech.GetByTestId("banks")).ToContainTextAsync("WALK-L1-MCB");
        await tech.GetByTestId("bank-code").FillAsync("WALK-L1-WCB");
        await tech.GetByTestId("bank-kind").SelectOptionAsync("wcb");
        await tech.GetByTestId("bank-parent").SelectOptionAsync(new SelectOptionValue { Label = "WALK-L1-MCB" });
        await tech.GetByTestId("bank-passage").FillAsync("17");
        await tech.GetByTestId("create-bank").ClickAsync();
        await Expect(tech.GetByTestId("banks")).ToContainTextAsync("WALK-L1-WCB");

        await tech.GetByTestId("lot-product").SelectOptionAsync("S9102");
        await tech.GetByTestId("lot-vials").FillAsync("3");
        await tech.GetByTestId("create-lot").ClickAsync();
        await Expect(tech.GetByTestId("lot-status")).ToHaveTextAsync("quarantine");
        var lotUrl = tech.Url;
        var lotNumber = await tech.GetByTestId("lot-number").TextContentAsync();

        // a value in the wrong unit is refused beside the field, nothing recorded
        await tech.GetByTestId("qc-value-endotoxin").FillAsync("0.1");
        await tech.GetByTestId("qc-unit-endotoxin").FillAsync("ng/mL");
        await tech.GetByTestId("qc-record-endotoxin").ClickAsync();
        await Expect(tech.GetByTestId("error")).ToContainTextAsync("EU/mL");
        await Expect(tech.GetByTestId("qc-row-endotoxin")).ToContainTextAsync("pending");

        foreach (var (test, value, unit) in new (string, string, string?)[]
        {
            ("viability", "93.1", null), ("endotoxin", "0.12", "EU/mL"), ("sterility", "negative", null), ("mycoplasma", "negative", null),
            ("residual-undifferentiated", "0.02", null), ("karyotype", "normal", null),
        })
        {
            await tech.GetByTestId("qc-value-" + test).FillAsync(value);
            if (unit is not null)
            {
                await tech.GetByTestId("qc-unit-" + test).FillAsync(unit);
            }

            await tech.GetByTestId("qc-record-" + test).ClickAsync();
            await Expect(tech.GetByTestId("notice")).ToContainTextAsync("within specification");
        }

        await Expect(tech.GetByTestId("readiness")).ToContainTextAsync("ready for QA release");
        await Expect(tech.GetByTestId("release")).ToHaveCountAsync(0); // a technician cannot release

        var qa = await fixture.SignInAsync(Role.QaOfficer);
        await qa.GotoAsync(lotUrl);
        await qa.GetByTestId("release-password").FillAsync("not my password");
        await qa.GetByTestId("release").ClickAsync();
        await Expect(qa.GetByTestId("error")).ToContainTextAsync("password does not match");
        await Expect(qa.GetByTestId("lot-status")).ToHaveTextAsync("quarantine");
        await qa.GetByTestId("release-password").FillAsync(fixture.Server.PasswordOf(Role.QaOfficer));
        await qa.GetByTestId("release").ClickAsync();
        await Expect(qa.GetByTestId("lot-status")).ToHaveTextAsync("released");
        await Expect(qa.GetByTestId("signature")).ToContainTextAsync("(demo-qa-officer) — released");
        await Expect(qa.GetByTestId("lineage")).ToContainTextAsync("Donor D-WALK0001");

        await qa.GotoAsync("/bank/haplobank?population=API");
        await Expect(qa.GetByTestId("bank-lines")).ToHaveTextAsync("1");
        await Expect(qa.GetByTestId("coverage-table")).ToContainTextAsync("A*24:02~B*52:01~DRB1*15:02");
        await Expect(qa.GetByTestId("recruit-table").Locator("tbody tr")).ToHaveCountAsync(10);
        await qa.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-haplobank.png"), FullPage = true });

        var physician = await fixture.SignInAsync(Role.Physician);
        await physician.GotoAsync("/bank/inventory");
        await physician.GetByTestId("search-product").SelectOptionAsync("S9102");
        await physician.GetByTestId("search-status").SelectOptionAsync("released");
        await physician.GetByLabel("Lot", new() { Exact = true }).FillAsync(lotNumber!);
        await physician.GetByTestId("search").ClickAsync();
        await Expect(physician.GetByTestId("search-total")).ToContainTextAsync("3 vials match");
        await Expect(physician.GetByTestId("inventory").Locator("tbody tr").First).ToContainTextAsync("released");
        await physician.GetByTestId("inventory").Locator("tbody tr a code").First.ClickAsync();
        await Expect(physician.GetByTestId("vial-status")).ToHaveTextAsync("released");
        await Expect(physician.GetByTestId("lineage")).ToContainTextAsync("Line WALK-L1");
        await physician.GetByTestId("vial-text-reserve").FillAsync("patient P-0001");
        await physician.GetByTestId("vial-reserve").ClickAsync();
        await Expect(physician.GetByTestId("vial-status")).ToHaveTextAsync("reserved");
        await Expect(physician.GetByTestId("custody")).ToContainTextAsync("demo-physician");
        await physician.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "radregen-bank-vial.png"), FullPage = true });
        Assert.Matches(LotUrl(), lotUrl);
    }

    [GeneratedRegex("/bank/lots/[0-9]+$")]
    private static partial Regex LotUrl();
}
