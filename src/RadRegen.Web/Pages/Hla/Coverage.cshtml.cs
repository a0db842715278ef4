using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Hosting.Hla;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Hla;

public sealed class CoverageModel(HlaWorkbench workbench) : HlaPageModel
{
    [BindProperty(SupportsGet = true, Name = "set")]
    public string? Set { get; set; }

    [BindProperty]
    public NewSetForm Form { get; set; } = new();

    public IReadOnlyList<FrequencySetSummary> Sets { get; private set; } = [];

    public WorkbenchCoverage? Result { get; private set; }

    public bool MayRegister => User.May(Operation.HlaFrequencySetRegister);

    /// <summary>The curves for the chart (haplobank.js; the same numbers are in the tables).</summary>
    public string ChartJson => Result is not { } r ? "{}" : JsonSerializer.Serialize(new
    {
        bankCis = r.Coverage.Rows.Select(x => Math.Round(x.CumulativeCis * 100, 2)),
        bankTrans = r.Coverage.Rows.Select(x => Math.Round(x.CumulativeTrans * 100, 2)),
        planCis = r.Plan.ByFrequency.Rows.Select(x => Math.Round(x.CumulativeCis * 100, 2)),
        planTrans = r.Plan.Greedy.Rows.Select(x => Math.Round(x.CumulativeTrans * 100, 2)),
    });

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Sets = await workbench.ListSetsAsync(User.Actor(), ct);
        try
        {
            Result = await workbench.CoverageAsync(User.Actor(), string.IsNullOrWhiteSpace(Set) ? "API" : Set, 10, ct);
        }
        catch (RadRegen.Core.NotFoundException ex)
        {
            // An unknown set: the page says so (with the sets there are) and answers 404.
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var content = Form.Content;
        if (Form.File is { Length: > 0 } file)
        {
            using var reader = new StreamReader(file.OpenReadStream());
            content = await reader.ReadToEndAsync(ct);
        }

        FrequencySetSummary? saved = null;
        if (await TryAsync(async () => saved = await workbench.RegisterSetAsync(User.Actor(),
                new NewFrequencySet(Form.Key, Form.Name, Form.Population, Form.Source, content, Form.Partial), ct)))
        {
            return Redirect($"/hla/coverage?set={Uri.EscapeDataString(saved!.Key)}");
        }

        Sets = await workbench.ListSetsAsync(User.Actor(), ct);
        return Page();
    }

    public sealed class NewSetForm
    {
        public string? Key { get; set; }

        public string? Name { get; set; }

        public string? Population { get; set; }

        public string? Source { get; set; }

        public string? Content { get; set; }

        public IFormFile? File { get; set; }

        public bool Partial { get; set; }
    }
}
