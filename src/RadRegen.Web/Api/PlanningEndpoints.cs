using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Core.Reporting;
using RadRegen.Hosting.Configuration;
using RadRegen.Planning;
using RadRegen.Planning.Approvals;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;
using RadRegen.Planning.Supply;
using RadRegen.Web.Localization;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// Readiness planning (<c>/api/v1/planning</c>, issue 16, ADR 0036, docs/planning.md): the scenario
/// library, a scenario's readiness (demand, stock, plan, score) as JSON or a PDF summary, and the
/// products' regulatory status. Role checks and validation live in <see cref="PlanningService"/>.
/// </summary>
public static class PlanningEndpoints
{
    /// <summary>A what-if readiness request: the scenario, percentile, warning days, population and manufacturing capacities to plan with.</summary>
    public sealed record ReadinessInput(string? Scenario, int? Percentile, int? WarningDays, bool? Conventional, string? Population, IReadOnlyList<CapacityInput>? Capacities);

    /// <summary>One product's manufacturing capacity (see <see cref="ManufacturingCapacity"/>).</summary>
    public sealed record CapacityInput(string? Product, int? VialsOnHand, int? ExpansionDays, int? MaturationDays, int? ReleaseTestingDays, int? BioreactorSlots,
        double? YieldVialsPerRun, double? FailureRate, string? Source);

    public sealed record DeriveInput(string? Incident, string? Reason);

    public sealed record ScenarioBody(string? Title, string? Event, string? Source, string? Terms, IReadOnlyList<int>? Percentiles, IReadOnlyList<BandInput>? Bands, string? Reason);

    public static IEndpointRouteBuilder MapPlanningApi(this IEndpointRouteBuilder app)
    {
        var planning = app.MapGroup("/api/v1/planning").RequireAuthorization().WithTags("planning");
        planning.MapGet("/scenarios", ListScenarios).WithName("ListPlanningScenarios").Demands(Operation.PlanningRead)
            .WithSummary("Every scenario (the published Coleman/Knebel 2015 table, the center's, derived ones) with casualty counts per band and percentile.");
        planning.MapGet("/scenarios/{id}", GetScenario).WithName("GetPlanningScenario").Demands(Operation.PlanningRead).WithSummary("One scenario, its highest version.");
        planning.MapGet("/scenarios/{id}/history", ScenarioHistory).WithName("GetPlanningScenarioHistory").Demands(Operation.PlanningRead)
            .WithSummary("Every version of a stored scenario, who set it, when and why.");
        planning.MapPut("/scenarios/{id}", PutScenario).WithName("PutPlanningScenario").Demands(Operation.PlanningScenarioEdit)
            .WithSummary("Enters a center scenario or a new version (title, event, source, percentiles, bands[{key, label, injury, doseFromGy, doseToGy, responseCategory, counts}], reason); 400 names each bad field (bands[0].counts[1] …), nothing written.");
        planning.MapPost("/scenarios/derive", Derive).WithName("DerivePlanningScenario").Demands(Operation.PlanningScenarioEdit)
            .WithSummary("Counts a drill's or an incident's victims (patients per dose band, RC and injury) into a scenario incident-<code>, a new version each time.");
        planning.MapGet("/readiness", GetReadiness).WithName("GetPlanningReadiness").Demands(Operation.PlanningRead)
            .WithSummary("A scenario's readiness (scenario, percentile 50|85|95, warningDays, population, conventional): demand per day and product, stock, the plan, the scores, the binding constraints.");
        planning.MapPost("/readiness", PostReadiness).WithName("PostPlanningReadiness").Demands(Operation.PlanningRead)
            .WithSummary("The same with the manufacturing capacities to plan with (a what-if, nothing stored); 400 names a bad capacity (capacities[0].expansionDays, an unknown product).");
        planning.MapGet("/readiness.pdf", GetReadinessPdf).WithName("GetPlanningReadinessPdf").Demands(Operation.PlanningRead)
            .WithSummary("The readiness summary as a PDF (the report renderer's).");
        planning.MapGet("/approvals", Approvals).WithName("GetPlanningApprovals").Demands(Operation.PlanningRead)
            .WithSummary("Per product its regulatory status: investigational or conditional with the end of the period and the patients still needed for full approval (2026 approvals).");
        return app;
    }

    private static async Task<Ok<object>> ListScenarios(HttpContext http, PlanningService planning, CancellationToken ct)
    {
        var all = await planning.ScenariosAsync(http.Actor(), ct);
        return TypedResults.Ok<object>(new { total = all.Count, scenarios = all.Select(PlanningViews.Scenario) });
    }

    private static async Task<Ok<object>> GetScenario(string id, HttpContext http, PlanningService planning, CancellationToken ct) =>
        TypedResults.Ok(PlanningViews.Scenario(await planning.ScenarioAsync(http.Actor(), id, ct)));

    private static async Task<Ok<object>> ScenarioHistory(string id, HttpContext http, PlanningService planning, CancellationToken ct)
    {
        var versions = await planning.HistoryAsync(http.Actor(), id, ct);
        return TypedResults.Ok<object>(versions.Select(v => new { scenario = PlanningViews.Scenario(v.Scenario), setBy = v.SetBy, setAt = v.SetAt, reason = v.Reason }));
    }

    private static async Task<Ok<object>> PutScenario(string id, ScenarioBody body, HttpContext http, PlanningService planning, CancellationToken ct)
    {
        var scenario = new ScenarioInput(id, body.Title, body.Event, body.Source, body.Terms, body.Percentiles, body.Bands).ToScenario();
        return TypedResults.Ok(PlanningViews.Scenario(await planning.SaveCenterScenarioAsync(http.Actor(), scenario, body.Reason, ct)));
    }

    private static async Task<Ok<object>> Derive(DeriveInput input, HttpContext http, PlanningService planning, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Incident))
        {
            throw new Core.DomainValidationException("incident", "the incident's id or code");
        }

        return TypedResults.Ok(PlanningViews.Scenario(await planning.DeriveFromIncidentAsync(http.Actor(), input.Incident, input.Reason, ct)));
    }

    private static ReadinessRequest Request(string? scenario, int? percentile, int? warningDays, bool? conventional, string? population,
        IReadOnlyList<ManufacturingCapacity>? capacities = null) =>
        string.IsNullOrWhiteSpace(scenario)
            ? throw new Core.DomainValidationException("scenario", "the scenario's id (GET /api/v1/planning/scenarios)")
            : new ReadinessRequest(scenario.Trim(), percentile, warningDays ?? 0, conventional != true, population, capacities);

    private static async Task<Ok<object>> GetReadiness(string? scenario, int? percentile, int? warningDays, bool? conventional, string? population, HttpContext http,
        PlanningService planning, CancellationToken ct) =>
        TypedResults.Ok(PlanningViews.Readiness(await planning.ReadinessAsync(http.Actor(), Request(scenario, percentile, warningDays, conventional, population), ct)));

    private static async Task<Ok<object>> PostReadiness(ReadinessInput input, HttpContext http, PlanningService planning, CancellationToken ct)
    {
        IReadOnlyList<ManufacturingCapacity>? capacities = input.Capacities?.Select((c, i) => new ManufacturingCapacity(c?.Product ?? "", c?.VialsOnHand ?? 0,
            c?.ExpansionDays ?? 0, c?.MaturationDays ?? 0, c?.ReleaseTestingDays ?? 0, c?.BioreactorSlots ?? 0, c?.YieldVialsPerRun ?? 0, c?.FailureRate ?? 0,
            c?.Source ?? "what-if entered with the request")).ToList();
        return TypedResults.Ok(PlanningViews.Readiness(await planning.ReadinessAsync(http.Actor(),
            Request(input.Scenario, input.Percentile, input.WarningDays, input.Conventional, input.Population, capacities), ct)));
    }

    private static async Task<IResult> GetReadinessPdf(string? scenario, int? percentile, int? warningDays, bool? conventional, string? population, HttpContext http,
        PlanningService planning, CenterSettings center, CancellationToken ct)
    {
        var report = await planning.ReadinessAsync(http.Actor(), Request(scenario, percentile, warningDays, conventional, population), ct);
        var document = ReadinessDocument.Build(report, center.Name, LocalTimeHtml.Format(report.At, center.TimeZone));
        var renderer = http.RequestServices.GetService<IReportRenderer>();
        if (renderer is null)
        {
            return TypedResults.Problem("no report renderer is registered in this build (the PDF renderer, ADR 0038)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.File(renderer.Render(document), renderer.ContentType, $"readiness-{report.Scenario.Id}{(report.Percentile is { } p ? "-p" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}.pdf");
    }

    private static Ok<object> Approvals(HttpContext http)
    {
        _ = http;
        return TypedResults.Ok<object>(ApprovalRegistry.All.Select(PlanningViews.Approval));
    }
}
