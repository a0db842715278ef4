using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Planning;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Planning;

/// <summary>
/// <c>/planning</c>: readiness planning (issue 16, docs/planning.md). A scenario and percentile are
/// chosen; the page shows the scores, demand against supply per day and product (charts, and the
/// same numbers in tables), the plan with its binding constraints, the stock's expiry and HLA
/// coverage, and each product's regulatory status.
/// </summary>
[AuthorizeOperation(Operation.PlanningRead)]
public sealed class IndexModel(PlanningService planning) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "scenario")]
    public string? ScenarioId { get; set; }

    [BindProperty(SupportsGet = true, Name = "percentile")]
    public int? Percentile { get; set; }

    [BindProperty(SupportsGet = true, Name = "warningDays")]
    public int WarningDays { get; set; }

    [BindProperty(SupportsGet = true, Name = "population")]
    public string? Population { get; set; }

    public IReadOnlyList<Scenario> Scenarios { get; private set; } = [];

    public ReadinessReport? Report { get; private set; }

    public IReadOnlyList<string> Populations => planning.Options.PopulationNames ?? [planning.Options.Population];

    /// <summary>Per product: vials due, issued from the shelf and with the plan per day (also in the tables).</summary>
    public string ChartJson => Report is not { } r ? "{}" : JsonSerializer.Serialize(new
    {
        days = Enumerable.Range(0, r.Demand.HorizonDays + 1),
        products = r.Demand.ByProduct.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new
        {
            product = p.Key,
            due = p.Value.Select(v => Math.Round(v, 1)),
            shelf = Series(r.Shelf.SuppliedByProduct, p.Key, p.Value.Count),
            plan = Series(r.Plan.SuppliedByProduct, p.Key, p.Value.Count),
        }),
        expiring = new { months = r.Expiring.Select(e => e.Month), local = r.Expiring.Select(e => e.LocalVials), network = r.Expiring.Select(e => e.NetworkVials) },
    });

    private static IEnumerable<double> Series(IReadOnlyDictionary<string, IReadOnlyList<double>> supplied, string product, int n) =>
        supplied.TryGetValue(product, out var s) ? s.Select(v => Math.Round(v, 1)) : Enumerable.Repeat(0.0, n);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Scenarios = await planning.ScenariosAsync(User.Actor(), ct);
        var id = string.IsNullOrWhiteSpace(ScenarioId) ? PublishedScenarios.ColemanKnebelId : ScenarioId;
        try
        {
            Report = await planning.ReadinessAsync(User.Actor(), new ReadinessRequest(id, Percentile, WarningDays, true, Population), ct);
        }
        catch (DomainValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                ModelState.AddModelError(e.Field, e.Message);
            }
        }
        catch (NotFoundException ex)
        {
            ModelState.AddModelError("scenario", ex.Message);
        }
    }
}
