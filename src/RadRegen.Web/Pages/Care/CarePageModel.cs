using Microsoft.AspNetCore.Mvc;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Care;

/// <summary>
/// What the care pages share with the bank's (errors beside their field, refusals as one message)
/// plus: a page a role may not read shows the access-denied page, and colours always carry text.
/// </summary>
public abstract class CarePageModel : BankPageModel
{
    /// <summary>Who may open incidents and register patients.</summary>
    public bool CanRegister => User.May(Operation.CarePatientRegister);

    /// <summary>Who may import victims and run allocations.</summary>
    public bool CanCoordinate => User.May(Operation.CareAllocationRun);

    /// <summary>Loads the page; an unknown id is a 404 and a refused role sees the access-denied page.</summary>
    protected async Task<IActionResult> PageOrRefusedAsync(Func<Task> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            return await PageOrNotFoundAsync(load);
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    /// <summary>Bootstrap badge class for a triage colour or state (the text is always shown too).</summary>
    public static string TriageBadge(string colour) => colour switch
    {
        "red" => "text-bg-danger",
        "yellow" => "text-bg-warning",
        "green" => "text-bg-success",
        _ => "text-bg-secondary",
    };

    public static string Words(string key) => key.Replace('-', ' ');

    public static string Gy(double? dose) => dose is { } d ? d.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " Gy" : "—";
}
