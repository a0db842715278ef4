using RadRegen.Planning.Approvals;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;

namespace RadRegen.Planning;

/// <summary>The JSON shapes the CLI (<c>radregen plan … --json</c>) and the API (<c>/api/v1/planning/…</c>) share.</summary>
public static class PlanningViews
{
    /// <summary>A scenario with its casualty counts per band and percentile.</summary>
    public static object Scenario(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new
        {
            id = s.Id,
            version = s.Version,
            title = s.Title,
            kind = s.Kind,
            @event = s.Event,
            source = s.Source,
            terms = s.Terms,
            percentiles = s.Percentiles,
            bands = s.Bands.Select(b => new
            {
                key = b.Key,
                label = b.Label,
                injury = b.Injury,
                doseFromGy = b.DoseFromGy,
                doseToGy = b.DoseToGy,
                responseCategory = b.ResponseCategory,
                counts = s.Percentiles.Count == 0
                    ? new Dictionary<string, int> { ["estimate"] = b.Counts[0] }
                    : s.Percentiles.Select((p, i) => (p, i)).ToDictionary(x => "p" + x.p.ToString(System.Globalization.CultureInfo.InvariantCulture), x => b.Counts[x.i]),
            }),
            totals = s.Percentiles.Count == 0
                ? new Dictionary<string, int> { ["estimate"] = s.Total(null) }
                : s.Percentiles.ToDictionary(p => "p" + p.ToString(System.Globalization.CultureInfo.InvariantCulture), p => s.Total(p)),
            radiationOnly1_5To8_3Gy = s.Percentiles.Count == 0
                ? new Dictionary<string, int> { ["estimate"] = s.RadiationOnlyWithin(PublishedScenarios.MarrowSupportFromGy, PublishedScenarios.MarrowSupportToGy, null) }
                : s.Percentiles.ToDictionary(p => "p" + p.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    p => s.RadiationOnlyWithin(PublishedScenarios.MarrowSupportFromGy, PublishedScenarios.MarrowSupportToGy, p)),
        };
    }

    /// <summary>An approval for the page, the API and the badge.</summary>
    public static object Approval(ProductApproval a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new
        {
            product = a.Product,
            name = a.Name,
            status = a.Status,
            approvedOn = a.ApprovedOn,
            periodEnds = a.PeriodEnds,
            patientsRequired = a.PatientsRequired,
            patientsTreated = a.PatientsTreated,
            patientsStillNeeded = a.PatientsStillNeeded,
            badge = a.Badge,
            source = a.Source,
        };
    }

    /// <summary>The readiness report: demand per day and product, stock, the plan, the scores.</summary>
    public static object Readiness(ReadinessReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new
        {
            scenario = new { id = r.Scenario.Id, version = r.Scenario.Version, title = r.Scenario.Title, source = r.Scenario.Source },
            percentile = r.Percentile,
            at = r.At,
            warningDays = r.WarningDays,
            horizonDays = r.Demand.HorizonDays,
            crisisStandards = r.Demand.CrisisStandards,
            score = new { shelf = r.ShelfScore, network = r.NetworkScore, plan = r.PlanScore },
            patients = new
            {
                eligible = r.Demand.EligiblePatients,
                expectant = r.Demand.ExpectantPatients,
                servedFromShelf = r.Shelf.PatientsServed,
                servedWithNetwork = r.Network.PatientsServed,
                servedWithPlan = r.Plan.PatientsServed,
            },
            demand = new
            {
                byProduct = r.Demand.ByProduct,
                cohorts = r.Demand.Cohorts.Select(c => new
                {
                    band = c.BandKey,
                    label = c.Label,
                    picture = c.Picture,
                    patients = c.Patients,
                    doseGy = c.DoseGy,
                    responseCategory = c.ResponseCategory,
                    combinedInjury = c.CombinedInjury,
                    tier = c.Tier,
                    expectantCriteria = c.ExpectantCriteria,
                    needs = c.Needs.Select(n => new { product = n.Product, vialsPerPatient = n.VialsPerPatient, windowDays = n.WindowDays, why = n.Why, beyondHorizon = n.BeyondHorizon }),
                }),
            },
            products = r.Products.Select(p => new
            {
                product = p.Product,
                demandVials = p.DemandVials,
                shelfVials = p.ShelfVials,
                networkVials = p.NetworkVials,
                daysOfCover = p.DaysOfCover,
                score = new { shelf = p.ShelfScore, network = p.NetworkScore, plan = p.PlanScore },
                approval = p.Approval is { } a ? Approval(a) : null,
            }),
            stock = r.Plan.Lots.Select(l => new { @ref = l.Ref, product = l.Product, center = l.Center, vials = l.Vials, used = l.Used, expiry = l.Expiry }),
            plan = new
            {
                status = r.Plan.Status,
                model = r.Plan.Model,
                solveMilliseconds = r.Plan.SolveMilliseconds,
                suppliedByProduct = r.Plan.SuppliedByProduct,
                runs = r.Plan.Runs,
                procurements = r.Plan.Procurements,
                binding = r.Plan.Binding,
            },
            hla = r.Hla,
            expiring = r.Expiring,
            rotation = r.Rotation,
            assumptions = r.Assumptions,
        };
    }
}
