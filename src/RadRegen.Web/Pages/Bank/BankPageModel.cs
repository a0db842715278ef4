using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Bank.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using RadRegen.Core;
using RadRegen.Web.Localization;

namespace RadRegen.Web.Pages.Bank;

/// <summary>
/// What every bank page shares: domain errors shown beside their field (the form keeps what was
/// typed), other refusals as one message, and status badges that always carry text.
/// </summary>
public abstract class BankPageModel : PageModel
{
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; protected set; }

    /// <summary>Which form failed (so the page can show its errors there).</summary>
    public string? FailedForm { get; protected set; }

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    protected async Task<bool> TryAsync(string form, Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (DomainValidationException ex)
        {
            // The page's own messages (required, format) read in the person's language; a message without a
            // translation — the domain's rules, which are also the API's problem details — stays English (ADR 0041).
            var words = HttpContext.RequestServices.GetRequiredService<IStringLocalizer<UiText>>();
            foreach (var e in ex.Errors)
            {
                FieldErrors[e.Field] = words[e.Message];
            }

            Error = words["Please correct the marked fields: {0}", string.Join("; ", ex.Errors.Select(e => $"{e.Field}: {words[e.Message]}"))];
        }
        catch (Exception ex) when (ex is ForbiddenException or ConflictException or RuleViolationException or NotFoundException)
        {
            Error = ex.Message;
        }

        FailedForm = form;
        return false;
    }

    protected void Notice(string message) => TempData["notice"] = message;

    /// <summary>
    /// Loads the page's record and shows the page; an unknown id is a 404 and a record the role may
    /// not read is the access-denied page (403), never an error page.
    /// </summary>
    protected async Task<IActionResult> PageOrNotFoundAsync(Func<Task> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            await load();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        return Page();
    }

    public static string Badge(VialStatus s) => s switch
    {
        VialStatus.Quarantine => "text-bg-warning",
        VialStatus.Released => "text-bg-success",
        VialStatus.Reserved => "text-bg-info",
        VialStatus.Shipped or VialStatus.Received => "text-bg-primary",
        VialStatus.Thawed => "text-bg-secondary",
        VialStatus.Administered => "text-bg-dark",
        _ => "text-bg-danger",
    };

    public static string Badge(LotStatus s) => s switch
    {
        LotStatus.Quarantine => "text-bg-warning",
        LotStatus.Released => "text-bg-success",
        _ => "text-bg-danger",
    };

    public static string Name(VialStatus s) => Lifecycle.Name(s);

    public static string Name(LotStatus s) => Lifecycle.Name(s);

    /// <summary>A lot's badge by its status now (<see cref="Expiry.LotStatusName"/>): expired reads as expired.</summary>
    public static string Badge(string lotStatusName) => lotStatusName switch
    {
        "quarantine" => "text-bg-warning",
        "released" => "text-bg-success",
        _ => "text-bg-danger",
    };
}
