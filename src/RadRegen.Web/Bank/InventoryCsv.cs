using System.Text;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Web.Bank;

/// <summary>The inventory as CSV (RFC 4180, UTF-8), the same for the API and the pages.</summary>
public static class InventoryCsv
{
    public const string Header = "identity,din,product_code,division,status,lot,line,box,position,expires_at,reserved_for,flag";

    /// <summary>Every vial matching the search, page by page (at most 100 000 rows).</summary>
    public static async Task<byte[]> ExportAsync(BankService bank, Actor actor, InventorySearch search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(search);
        var csv = new StringBuilder(Header).Append("\r\n");
        var page = 1;
        while (page <= 200)
        {
            var result = await bank.SearchAsync(actor, search with { Page = page, PageSize = 500 }, ct);
            foreach (var i in result.Items)
            {
                var v = i.Vial;
                csv.AppendJoin(',', [CsvField.Quote(v.Identity), v.Din, v.ProductCode, v.Division, Lifecycle.Name(v.Status), CsvField.Quote(i.LotNumber), CsvField.Quote(i.LineCode),
                    CsvField.Quote(i.BoxName), v.Row is null ? "" : Positions.Label(v.Row.Value, v.Column!.Value), JournalTime.ToText(v.ExpiresAt),
                    CsvField.Quote(v.ReservedFor), CsvField.Quote(v.Flag)]).Append("\r\n");
            }

            if ((long)page * 500 >= result.Total)
            {
                break;
            }

            page++;
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
