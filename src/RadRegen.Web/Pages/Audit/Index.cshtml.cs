using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Csv;
using RadRegen.Core.Journal;
using RadRegen.Web.Infrastructure;
using RadRegen.Web.Security;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Audit;

/// <summary>Journal browse, filter, export and verify. The page gate is the service's own row of the permission table.</summary>
[AuthorizeOperation(Operation.AuditRead)]
public sealed class IndexModel(AuditService audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "recordType")]
    public string? RecordType { get; set; }

    [BindProperty(SupportsGet = true, Name = "recordId")]
    public string? RecordId { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public DateOnly? To { get; set; }

    /// <summary>The page and sort from the URL (<c>page</c>, <c>pageSize</c>, <c>sort</c>: the API's names; ADR 0040).</summary>
    public ListView List { get; private set; } = null!;

    public JournalPage? Results { get; private set; }

    public JournalVerification? Verification { get; private set; }

    public string? Error { get; private set; }

    public string ExportUrl => Url.Page("/Audit/Index", "Export", Filters())!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        List = ListView.From(Request, JournalLists.Entries);
        await LoadAsync(ct);
    }

    public async Task OnPostVerifyAsync(CancellationToken ct)
    {
        List = ListView.From(Request, JournalLists.Entries);
        Verification = await audit.VerifyAsync(User.Actor(), ct);
        await LoadAsync(ct);
    }

    /// <summary>All matching entries as CSV (RFC 4180), oldest first.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var pageNumber = 1;
        var rows = new List<JournalEntry>();
        while (true)
        {
            var page = await audit.BrowseAsync(User.Actor(), Query(pageNumber, 500), ct);
            rows.AddRange(page.Entries);
            if ((long)pageNumber * page.PageSize >= page.Total)
            {
                break;
            }

            pageNumber++;
        }

        return new CsvDownload("radregen-journal.csv", async (output, aborted) =>
        {
            await using var csv = CsvOutput.Over(output, leaveOpen: true);
            csv.Header("sequence", "time", "user", "record_type", "record_id", "action", "reason", "payload", "previous_hash", "hash");
            foreach (var e in rows.OrderBy(e => e.Sequence))
            {
                csv.Values(e.Sequence.ToString(CultureInfo.InvariantCulture), e.Time).Text(e.User).Text(e.RecordType).Text(e.RecordId).Text(e.Action)
                    .Text(e.Reason).Text(e.Payload).Values(e.PreviousHash, e.Hash);
                await csv.EndRowAsync(aborted);
            }
        });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        try
        {
            Results = await audit.BrowseAsync(User.Actor(), Query(List.Query.Page, List.Query.PageSize) with { Sort = List.Query.Sort }, ct);
            List.Show(new ListPage<JournalEntry>(Results.Entries, Results.Total, Results.Page, Results.PageSize, List.Order.ToString()));
        }
        catch (DomainValidationException ex)
        {
            Error = ex.Message;
        }
    }

    private JournalQuery Query(int page, int size) => new(
        RecordType,
        RecordId,
        UserName,
        From is { } f ? LocalTimeHtml.StartOfDay(f, HttpContext.CenterZone(), "from") : null,
        To is { } t ? LocalTimeHtml.StartOfDay(t.AddDays(1), HttpContext.CenterZone(), "to") : null,
        page,
        size);

    // The export is every matching entry in sequence order (the chain's order), whatever the sort shown.
    private Dictionary<string, string?> Filters() => new()
    {
        ["recordType"] = RecordType,
        ["recordId"] = RecordId,
        ["user"] = UserName,
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
