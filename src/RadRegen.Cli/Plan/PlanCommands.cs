using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Planning;
using RadRegen.Planning.Scenarios;

namespace RadRegen.Cli.Plan;

/// <summary>
/// <c>radregen plan …</c>: readiness planning (issue 16, docs/planning.md) on this center's database —
/// the scenario library, the readiness of a scenario at a percentile (demand per day and product,
/// stock, the plan, the score), and entering a center scenario. Reads act as the local operator with
/// the auditor's read-only role; entering a scenario is the coordinator's (the center's planner).
/// </summary>
internal static class PlanCommands
{
    private static Actor Reader => CliDatabase.OperatorAs(Role.Auditor);

    public static Command Create()
    {
        var plan = new Command("plan", "Readiness planning (docs/planning.md): scenarios, demand through the care rules, the network's stock, "
            + "the OR-Tools production and procurement plan, readiness scores.");
        plan.Add(Scenarios());
        plan.Add(Readiness());
        plan.Add(Enter());
        return plan;
    }

    private static Command Scenarios()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("scenarios", "Every scenario (the published Coleman/Knebel table, the center's, derived ones) with its casualty counts per band and percentile.")
            { db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var scenarios = await services.GetRequiredService<PlanningService>().ScenariosAsync(Reader, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = scenarios.Count, scenarios = scenarios.Select(PlanningViews.Scenario) });
                return ExitCodes.Ok;
            }

            var rows = new List<IReadOnlyList<string>>();
            foreach (var s in scenarios)
            {
                foreach (var b in s.Bands)
                {
                    rows.Add([s.Id + " v" + s.Version.ToString(CultureInfo.InvariantCulture), b.Label,
                        s.Percentiles.Count == 0 ? b.Counts[0].ToString("#,0", CultureInfo.InvariantCulture)
                            : string.Join(" / ", b.Counts.Select(c => c.ToString("#,0", CultureInfo.InvariantCulture)))]);
                }
            }

            TextTable.Write(parse.InvocationConfiguration.Output, ["scenario", "band", "casualties (50/85/95th percentile or estimate)"], rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Readiness()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var scenario = new Option<string>("--scenario") { Description = "The scenario's id (radregen plan scenarios).", Required = true };
        var percentile = new Option<int?>("--percentile") { Description = "50, 85 or 95 for the published table (default: the highest the scenario gives)." };
        var warning = new Option<int>("--warning-days") { Description = "Days between now and the scenario's day 0 (runs may start that early). Default 0.", DefaultValueFactory = _ => 0 };
        var population = new Option<string?>("--population") { Description = "The haplotype frequency set of the population (API, CAU, AFA, HIS; default the center's)." };
        var conventional = new Option<bool>("--conventional") { Description = "Conventional standards: no one is expectant (default: crisis standards, ADR 0015)." };
        var command = new Command("readiness", "A scenario's readiness: demand per day and product through the care rules, the network's stock, the plan and the scores.")
            { scenario, percentile, warning, population, conventional, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var report = await services.GetRequiredService<PlanningService>().ReadinessAsync(Reader,
                new ReadinessRequest(parse.GetValue(scenario)!, parse.GetValue(percentile), parse.GetValue(warning), !parse.GetValue(conventional), parse.GetValue(population)), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, PlanningViews.Readiness(report));
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            o.WriteLine(string.Create(c, $"{report.Scenario.Title} ({report.Scenario.Id} v{report.Scenario.Version}{(report.Percentile is { } p ? $", {p}th percentile" : "")})"));
            o.WriteLine(string.Create(c, $"readiness: shelf {report.ShelfScore:P1}, with the network {report.NetworkScore:P1}, with the plan {report.PlanScore:P1}"));
            o.WriteLine(string.Create(c, $"patients: {report.Demand.EligiblePatients:#,0} eligible, {report.Demand.ExpectantPatients:#,0} expectant; served {report.Plan.PatientsServed:#,0.#} with the plan"));
            TextTable.Write(o, ["product", "demand (vials)", "shelf", "network", "days of cover", "shelf score", "plan score", "approval"],
                report.Products.Select(p => (IReadOnlyList<string>)[p.Product, p.DemandVials.ToString("#,0", c), p.ShelfVials.ToString(c), p.NetworkVials.ToString(c),
                    p.DaysOfCover.ToString(c), p.ShelfScore.ToString("P1", c), p.PlanScore.ToString("P1", c), p.Approval?.Badge ?? "-"]));
            foreach (var b in report.Plan.Binding)
            {
                o.WriteLine("binds: " + b.Explanation);
            }

            foreach (var r in report.Plan.Runs)
            {
                o.WriteLine(string.Create(c, $"run: {r.Runs} × {r.Product} start day {r.StartDay}, release day {r.ReleaseDay}, ~{r.ExpectedVials:0.#} vials"));
            }

            foreach (var r in report.Plan.Procurements)
            {
                o.WriteLine(string.Create(c, $"request: {r.Vials} × {r.Product} from {r.Center} ({r.StockRef}), arrives day {r.ArrivalDay}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Enter()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var file = new Option<string>("--file") { Description = "The scenario as JSON: id, title, event, source, terms, percentiles[], bands[{key, label, injury, doseFromGy, doseToGy, responseCategory, counts[]}].", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why the scenario is entered or changed (journaled).", Required = true };
        var command = new Command("enter", "Enter a center scenario or a new version of one (the coordinator, the center's planner); validated, versioned and journaled.")
            { file, reason, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            Scenario input;
            try
            {
                input = (JsonSerializer.Deserialize<ScenarioInput>(File.ReadAllText(path), PlanningJson.Options) ?? throw new CliInputException($"--file: {path} is empty")).ToScenario();
            }
            catch (JsonException ex)
            {
                throw new CliInputException($"--file: {path} is not a valid scenario: {ex.Message}");
            }

            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var saved = await services.GetRequiredService<PlanningService>().SaveCenterScenarioAsync(CliDatabase.Coordinator, input, parse.GetValue(reason), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, PlanningViews.Scenario(saved));
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scenario {saved.Id} version {saved.Version} entered"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
