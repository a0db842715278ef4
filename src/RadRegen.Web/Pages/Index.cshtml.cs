using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages;

public sealed class IndexModel(AuditService audit) : PageModel
{
    public IReadOnlyList<string> Roles { get; private set; } = [];

    /// <summary>The latest journal entry and the count, for those who may read the journal.</summary>
    public JournalPage? Journal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        Roles = [.. actor.Roles.Order().Select(r => r.Name())];
        if (actor.May(Operation.AuditRead))
        {
            Journal = await audit.BrowseAsync(actor, new JournalQuery(PageSize: 1), ct);
        }
    }
}
