using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core.Work;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages;

/// <summary>What waits for me: every module's records whose next step my roles may take, oldest first.</summary>
public sealed class InboxModel(Worklist worklist) : PageModel
{
    public IReadOnlyList<WorkItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await worklist.ForAsync(User.Actor(), ct);
}
