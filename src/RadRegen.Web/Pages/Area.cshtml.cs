using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Web.Pages;

public sealed class AreaModel : PageModel
{
    public Area Area { get; private set; } = AreaCatalog.All[0];

    public IActionResult OnGet(string area)
    {
        var found = AreaCatalog.Find(area);
        if (found is null)
        {
            return NotFound();
        }

        Area = found;
        return Page();
    }
}
