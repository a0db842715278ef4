using Microsoft.AspNetCore.Mvc;
using RadRegen.Hosting.Hla;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Hla;

public sealed class IndexModel(HlaWorkbench workbench) : HlaPageModel
{
    [BindProperty(SupportsGet = true, Name = "gl")]
    public string? Gl { get; set; }

    public TypingExplanation? Explanation { get; private set; }

    public IReadOnlyList<ReferenceFileState> Files => workbench.Reference.Files;

    public async Task OnGetAsync()
    {
        User.Actor().Demand(RadRegen.Core.Access.Operation.HlaWorkbenchUse);
        if (Gl is not null)
        {
            await TryAsync(() =>
            {
                Explanation = workbench.Explain(User.Actor(), Gl);
                return Task.CompletedTask;
            });
        }
    }
}
