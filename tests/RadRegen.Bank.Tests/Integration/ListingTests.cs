using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>Searching, sorting and paging a growing list in SQL, on both engines (ADR 0040).</summary>
public class ListingTests : EngineTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Donors_are_searched_sorted_and_paged_in_the_database(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        for (var i = 1; i <= 7; i++)
        {
            await w.Bank.RegisterDonorAsync(w.Tech, BankWorld.Eligible($"D-LIST{i:00}"));
        }

        var first = await w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery("list", Page: 1, PageSize: 3));
        Assert.Equal(7, first.Total);
        Assert.Equal(3, first.Pages);
        Assert.Equal(["D-LIST01", "D-LIST02", "D-LIST03"], first.Items.Select(d => d.Code));

        var last = await w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery("LIST", Page: 3, PageSize: 3, Sort: "-code"));
        Assert.Equal(["D-LIST01"], last.Items.Select(d => d.Code));
        Assert.Equal("-code", last.Sort);

        // LIKE's wildcards in the search text are taken literally.
        Assert.Empty((await w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery("LIST%1"))).Items);
        Assert.Empty((await w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery("LIST_1"))).Items);

        // A page past the end is empty, never the newest rows; int.MaxValue does not overflow.
        var beyond = await w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery(null, Page: int.MaxValue, PageSize: 500));
        Assert.Empty(beyond.Items);
        Assert.True(beyond.Total >= 7);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_sort_outside_the_whitelist_or_a_bad_page_is_refused_naming_the_field(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var sort = await Assert.ThrowsAsync<DomainValidationException>(
            () => w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery(Sort: "code; DROP TABLE bank_donors")));
        Assert.Equal("sort", Assert.Single(sort.Errors).Field);
        Assert.Contains("code, consented, registered, eligible", sort.Message, StringComparison.Ordinal);

        var page = await Assert.ThrowsAsync<DomainValidationException>(
            () => w.Bank.SearchDonorsAsync(w.Auditor, new ListQuery(Page: 0, PageSize: 501)));
        Assert.Equal(["page", "pageSize"], page.Errors.Select(e => e.Field));
    }
}
