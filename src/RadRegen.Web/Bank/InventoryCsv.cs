using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Core.Csv;
using RadRegen.Core.Journal;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Web.Bank;

/// <summary>The inventory as CSV (RFC 4180, UTF-8), the same for the API and the pages.</summary>
public static class InventoryCsv
{
    public const string Header = "identity,din,product_code,division,status,lot,line,box,position,expires_at,reserved_for,flag";

    /// <summary>Rows read from the store at a time (the largest page the search allows).</summary>
    public const int PageSize = 500;

    /// <summary>
    /// Every vial matching the search, streamed page by page to the response (no row cap: until
    /// issue 10 the export silently stopped at 200 pages, 100 000 rows). The first page is read here,
    /// so that a bad search is refused (400) before the response starts.
    /// </summary>
    public static async Task<CsvDownload> ExportAsync(BankService bank, Actor actor, InventorySearch search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(search);
        var first = await bank.SearchAsync(actor, search with { Page = 1, PageSize = PageSize }, ct);
        return new CsvDownload("radregen-inventory.csv", (body, aborted) =>
            WriteAsync(body, first, page => bank.SearchAsync(actor, search with { Page = page, PageSize = PageSize }, aborted), aborted));
    }

    /// <summary>
    /// Writes the header and the rows of <paramref name="first"/> and of every following page
    /// (<paramref name="next"/> gets the page number) until a page is not full. The store orders by
    /// the search's sort (expiry by default) and then id, so pages neither overlap nor skip while nothing changes. Returns the rows written.
    /// </summary>
    public static async Task<long> WriteAsync(Stream output, InventoryPage first, Func<int, Task<InventoryPage>> next, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(next);
        await using var csv = CsvOutput.Over(output, leaveOpen: true);
        csv.Header(Header.Split(','));
        long rows = 0;
        for (var page = first; ; page = await next(page.Page + 1))
        {
            foreach (var i in page.Items)
            {
                var v = i.Vial;
                csv.Text(v.Identity).Values(v.Din, v.ProductCode, v.Division, Lifecycle.Name(v.Status)).Text(i.LotNumber).Text(i.LineCode).Text(i.BoxName)
                    .Values(v.Row is null ? "" : Positions.Label(v.Row.Value, v.Column!.Value), JournalTime.ToText(v.ExpiresAt))
                    .Text(v.ReservedFor).Text(v.Flag);
                await csv.EndRowAsync(ct);
                rows++;
            }

            if (page.Items.Count < page.PageSize)
            {
                break;
            }
        }

        await csv.FlushAsync(ct);
        return rows;
    }
}
