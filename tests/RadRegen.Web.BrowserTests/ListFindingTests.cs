using System.Net.Http.Json;
using Microsoft.Playwright;
using RadRegen.Core.Access;
using static Microsoft.Playwright.Assertions;

namespace RadRegen.Web.BrowserTests;

/// <summary>Finding a donor (issue 17 item 5): search, sort by a column heading, and page, in the browser.</summary>
public class ListFindingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_technician_searches_sorts_and_pages_the_donor_list()
    {
        using (var tech = await fixture.Server.WithTokenAsync(Role.CpcTechnician))
        {
            for (var i = 1; i <= 55; i++)
            {
                var created = await tech.PostAsJsonAsync(new Uri("/api/v1/bank/donors", UriKind.Relative), new { code = $"D-BRW{i:000}", banking = true });
                created.EnsureSuccessStatusCode();
            }
        }

        var page = await fixture.SignInAsync(Role.CpcTechnician);
        await page.GotoAsync("/bank/donors");
        await Expect(page.GetByTestId("pager-status")).ToContainTextAsync("Page 1 of 2");
        await Expect(page.GetByTestId("donors").Locator("tbody tr")).ToHaveCountAsync(50);

        await page.GetByTestId("list-q").FillAsync("BRW05");
        await page.GetByTestId("list-search-go").ClickAsync();
        await Expect(page.GetByTestId("donors").Locator("tbody tr")).ToHaveCountAsync(6);
        Assert.Contains("q=BRW05", page.Url, StringComparison.Ordinal);

        await page.GetByTestId("sort-code").ClickAsync();
        await Expect(page.Locator("th[aria-sort='descending']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("donors").Locator("tbody tr").First).ToContainTextAsync("D-BRW055");

        await page.GotoAsync("/bank/donors?q=BRW");
        await page.GetByTestId("pager-next").ClickAsync();
        await Expect(page.GetByTestId("pager-status")).ToContainTextAsync("Page 2 of 2");
        await Expect(page.GetByTestId("donors").Locator("tbody tr")).ToHaveCountAsync(5);
    }
}
