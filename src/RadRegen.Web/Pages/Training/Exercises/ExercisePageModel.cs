using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;

namespace RadRegen.Web.Pages.Training.Exercises;

/// <summary>
/// The exercise pages (issue 15, ADR 0035): a refusal (another trainee's drill) answers 403 and shows
/// the reason on the page; bad input shows each field's message; every page carries the DRILL banner.
/// </summary>
public abstract class ExercisePageModel : PageModel
{
    /// <summary>Why the actor may not see this exercise (403), or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The outcome of a form, shown once.</summary>
    [TempData] public string? Message { get; set; }

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    protected async Task<IActionResult> LoadOrRefuseAsync(Func<Task> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            await load();
            return Page();
        }
        catch (ForbiddenException ex)
        {
            Refusal = ex.Message;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }

    /// <summary>Runs a form's change; bad input or a rule shows its message on the page again (after <paramref name="reload"/>).</summary>
    protected async Task<IActionResult> ChangeAsync(Func<Task<string>> change, Func<Task> reload, string redirect)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(reload);
        try
        {
            Message = await change();
            return Redirect(redirect);
        }
        catch (DomainValidationException ex)
        {
            Errors = ex.Errors;
        }
        catch (Exception ex) when (ex is RuleViolationException or ConflictException)
        {
            Errors = [new FieldError("", ex.Message)];
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadOrRefuseAsync(reload);
    }
}
