using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;

namespace RadRegen.Web.Pages.Hla;

/// <summary>What the workbench pages share: domain errors shown beside their field, other refusals as one message.</summary>
public abstract class HlaPageModel : PageModel
{
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; protected set; }

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    protected async Task<bool> TryAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return true;
        }
        catch (DomainValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                FieldErrors[e.Field] = e.Message;
            }

            Error = ex.Message;
        }
        catch (Exception ex) when (ex is ForbiddenException or NotFoundException or RuleViolationException)
        {
            Error = ex.Message;
        }

        return false;
    }

    public static string Pct(double? f) => f is { } v ? RadRegen.Hosting.Hla.HlaWorkbench.Percent(v) : "—";
}
