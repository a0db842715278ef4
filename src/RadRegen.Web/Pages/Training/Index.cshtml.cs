using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core.Access;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training;

/// <summary>The education and drills landing page (issue 15): courses, who is current, rosters, capacity drills and exercises.</summary>
public sealed class IndexModel : PageModel
{
    public bool CanCatalogue => User.May(Operation.TrainingCatalogueRead);

    public bool CanMatrix => User.May(Operation.TrainingRecordsRead);

    public bool CanRoster => User.May(Operation.TrainingRosterRead);

    public bool CanDrills => User.May(Operation.TrainingCapacityDrillRead);
}
