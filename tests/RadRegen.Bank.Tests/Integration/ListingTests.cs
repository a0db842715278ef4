using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
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

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_vial_inventory_sorts_by_a_whitelisted_key_with_its_filters_and_paging(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var first = await w.VialsAsync(await w.LotAsync(3));
        w.Clock.Advance(TimeSpan.FromDays(1));
        var second = await w.VialsAsync(await w.ReleasedLotAsync(3));
        await w.SetPositionAsync(first[0].Id, w.Box.Id, 9, 9);
        await w.SetStatusAsync(second[1].Id, VialStatus.Reserved);
        await w.World.RawAsync("UPDATE bank_vials SET box_id = NULL, pos_row = NULL, pos_col = NULL WHERE id = @id", new { id = second[2].Id });

        async Task<long[]> IdsAsync(string? sort, int page = 1, int size = 50, string? status = null) =>
            [.. (await w.Bank.SearchAsync(w.Auditor, new InventorySearch(Status: status, Page: page, PageSize: size, Sort: sort))).Items.Select(i => i.Vial.Id)];

        var all = first.Concat(second).ToList();
        var byExpiry = all.OrderBy(v => v.ExpiresAt).ThenBy(v => v.Id).Select(v => v.Id).ToArray();
        Assert.Equal(byExpiry, await IdsAsync(null));
        Assert.Equal(byExpiry, await IdsAsync("expires"));
        Assert.Equal(Enumerable.Reverse(byExpiry), await IdsAsync("-expires"));
        Assert.Equal(all.OrderBy(v => v.Identity, StringComparer.Ordinal).ThenBy(v => v.Id).Select(v => v.Id), await IdsAsync("identity"));
        Assert.Equal(all.OrderByDescending(v => v.Identity, StringComparer.Ordinal).ThenByDescending(v => v.Id).Select(v => v.Id), await IdsAsync("-identity"));
        Assert.Equal(second.Select(v => v.Id).Reverse().Concat(first.Select(v => v.Id).Reverse()), await IdsAsync("-lot"));
        Assert.Equal(all.Select(v => v.Id), await IdsAsync("product"));

        // The stored status: quarantine, released, reserved (text order); ties by id in the same direction.
        Assert.Equal(new[] { second[1].Id, second[2].Id, second[0].Id, first[2].Id, first[1].Id, first[0].Id }, await IdsAsync("-status"));

        // Where it is stored: a vial outside any box first, then box and position (row, then column).
        var byPlace = new[] { second[2].Id, first[1].Id, first[2].Id, second[0].Id, second[1].Id, first[0].Id };
        Assert.Equal(byPlace, await IdsAsync("location"));
        Assert.Equal(byPlace[2..4], await IdsAsync("location", page: 2, size: 2));
        Assert.Equal(Enumerable.Reverse(byPlace), await IdsAsync("-location"));

        // Filters still apply: released vials only, sorted.
        Assert.Equal(new[] { second[0].Id, second[2].Id }, await IdsAsync("-location", status: "released"));

        foreach (var bad in new[] { "expires_at", "location; DROP TABLE bank_vials", "--lot", "din" })
        {
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => IdsAsync(bad));
            Assert.Equal("sort", Assert.Single(refused.Errors).Field);
            Assert.Contains("identity, lot, product, status, expires, location", refused.Message, StringComparison.Ordinal);
        }
    }
}
