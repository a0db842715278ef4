using System.Text;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Web.Bank;

namespace RadRegen.Web.Tests.Bank;

public class InventoryCsvTests
{
    [Fact]
    public async Task An_export_larger_than_the_old_cap_of_100000_rows_is_complete_and_streams_page_by_page()
    {
        // Until issue 10 the export stopped after 200 pages of 500 (100 000 rows) without a word.
        const int pages = 202;
        const int lastPage = 7;
        var vial = new Vial(1, 1, 1, "G123498654321", "S9102", "A0", VialStatus.Released, 3, 2, 4, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            null, "=cmd");
        var item = new InventoryItem(vial, "LOT-1", "L-1", "B1", "1/2/3");
        var full = Enumerable.Repeat(item, InventoryCsv.PageSize).ToList();
        InventoryPage Page(int n) => new(n < pages ? full : full.Take(lastPage).ToList(), 0, n, InventoryCsv.PageSize);
        var requested = new List<int>();
        await using var output = new MemoryStream();
        var written = await InventoryCsv.WriteAsync(output, Page(1), n =>
        {
            requested.Add(n);
            return Task.FromResult(Page(n));
        }, CancellationToken.None);

        const long expected = ((pages - 1) * (long)InventoryCsv.PageSize) + lastPage;
        Assert.True(expected > 100_000);
        Assert.Equal(expected, written);
        Assert.Equal(Enumerable.Range(2, pages - 1), requested);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected + 1, lines.Length);
        Assert.Equal(InventoryCsv.Header, lines[0]);
        Assert.Equal("\"G123498654321 S9102 A0\",G123498654321,S9102,A0,released,\"LOT-1\",\"L-1\",\"B1\",B4,2027-01-01T00:00:00.0000000Z,,\"'=cmd\"", lines[1]);
    }
}
