using System.Globalization;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Dosimetry.Assessment;
using RadRegen.Planning.Scenarios;

namespace RadRegen.Planning.Demand;

/// <summary>One product a cohort's patients need: vials per patient, by day, and the window they must arrive in.</summary>
/// <param name="VialsPerPatient">Vials per patient, as the care rules ask (<see cref="TriageQueue.Needs"/>).</param>
/// <param name="WindowDays">Whole days a dose may come after it falls due (the policy's treatment window).</param>
/// <param name="ByDay">Vials per patient falling due on day 0 … horizon.</param>
/// <param name="BeyondHorizon">Vials per patient falling due after the horizon (not planned).</param>
public sealed record CohortNeed(string Product, int VialsPerPatient, int WindowDays, string Why, IReadOnlyList<int> ByDay, int BeyondHorizon);

/// <summary>
/// Patients of one scenario band with one clinical picture, and what the care rules make of them.
/// </summary>
/// <param name="Patients">Patients (count × picture share; fractional for a share of a band).</param>
/// <param name="Tier">The care queue's tier; <see cref="PriorityTier.Expectant"/> under crisis standards gets no scarce products.</param>
public sealed record CohortDemand(string BandKey, string Label, string Picture, double Patients, double DoseGy, int ResponseCategory, bool CombinedInjury,
    PriorityTier Tier, IReadOnlyList<string> ExpectantCriteria, double Benefit, IReadOnlyList<CohortNeed> Needs)
{
    /// <summary>Whether the plan serves these patients: they have needs and are not expectant.</summary>
    public bool Eligible => Needs.Count > 0 && Tier != PriorityTier.Expectant;
}

/// <summary>A scenario's demand: cohorts and vials per product per day.</summary>
/// <param name="ByProduct">Vials falling due per product per day (eligible cohorts only), day 0 … horizon.</param>
/// <param name="ExpectantPatients">Patients with needs the crisis standards make expectant (palliative and supportive care).</param>
public sealed record ScenarioDemand(string ScenarioId, int ScenarioVersion, int? Percentile, int HorizonDays, bool CrisisStandards,
    IReadOnlyList<CohortDemand> Cohorts, IReadOnlyDictionary<string, IReadOnlyList<double>> ByProduct, double ExpectantPatients)
{
    /// <summary>Vials due over the horizon for <paramref name="product"/>.</summary>
    public double Total(string product) => ByProduct.TryGetValue(product, out var d) ? d.Sum() : 0;

    /// <summary>Patients the plan may serve (eligible cohorts).</summary>
    public double EligiblePatients => Cohorts.Where(c => c.Eligible).Sum(c => c.Patients);
}

/// <summary>
/// Turns a scenario's counts into product needs per day through the care module's own rules: each
/// cohort becomes a representative patient and assessment (<see cref="DemandProfile"/>), and
/// <see cref="TriageQueue.Needs"/>, <see cref="TriageQueue.ExpectantCriteria"/>,
/// <see cref="TriageQueue.Tier"/> and <see cref="PriorityPolicy.ExpectedBenefit"/> decide — the same
/// calls the care queue makes for a real patient (ADR 0015), so a change of the policy changes the plan.
/// </summary>
public static class DemandCalculator
{
    /// <summary>The horizon the issue asks for: days 0–30.</summary>
    public const int DefaultHorizonDays = 30;

    public static ScenarioDemand Compute(Scenario scenario, int? percentile, PriorityPolicy policy, DemandProfile profile, bool crisisStandards = true,
        int horizonDays = DefaultHorizonDays, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(profile);
        if (horizonDays is < 1 or > 365)
        {
            throw new Core.DomainValidationException("horizonDays", "1 to 365 days");
        }

        var problems = profile.Problems();
        if (problems.Count > 0)
        {
            throw new Core.DomainValidationException(problems);
        }

        var column = scenario.Column(percentile);
        var now = at ?? DateTimeOffset.UnixEpoch;
        var cohorts = new List<CohortDemand>();
        foreach (var band in scenario.Bands)
        {
            var count = band.Counts[column];
            if (band.Injury == InjuryKind.TraumaOnly || band.DoseFromGy is not { } from)
            {
                cohorts.Add(new CohortDemand(band.Key, band.Label, "no radiation: no cell-product need from the care rules", count, 0, 0, false,
                    PriorityTier.WalkingWell, [], 0, []));
                continue;
            }

            var dose = profile.RepresentativeDoseGy(from, band.DoseToGy);
            var rc = band.ResponseCategory ?? profile.ResponseCategoryFor(dose);
            foreach (var picture in profile.Pictures[rc])
            {
                foreach (var (ulcer, share) in new[] { (false, 1 - profile.UlcerShare), (true, profile.UlcerShare) })
                {
                    var patients = count * picture.Share * share;
                    if (share <= 0 || picture.Share <= 0)
                    {
                        continue;
                    }

                    cohorts.Add(Cohort(band, picture, ulcer, patients, dose, rc, policy, profile, crisisStandards, horizonDays, now));
                }
            }
        }

        var byProduct = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var c in cohorts.Where(c => c.Eligible))
        {
            foreach (var n in c.Needs)
            {
                if (!byProduct.TryGetValue(n.Product, out var days))
                {
                    byProduct[n.Product] = days = new double[horizonDays + 1];
                }

                for (var d = 0; d <= horizonDays; d++)
                {
                    days[d] += c.Patients * n.ByDay[d];
                }
            }
        }

        var expectant = cohorts.Where(c => c.Tier == PriorityTier.Expectant && c.Needs.Count > 0).Sum(c => c.Patients);
        return new ScenarioDemand(scenario.Id, scenario.Version, scenario.Percentiles.Count == 0 ? null : scenario.Percentiles[column], horizonDays, crisisStandards,
            cohorts, byProduct.ToDictionary(p => p.Key, p => (IReadOnlyList<double>)p.Value, StringComparer.Ordinal), expectant);
    }

    private static CohortDemand Cohort(ScenarioBand band, ClinicalPicture picture, bool ulcer, double patients, double dose, int rc, PriorityPolicy policy,
        DemandProfile profile, bool crisisStandards, int horizon, DateTimeOffset now)
    {
        var combined = band.Injury == InjuryKind.Combined;
        var patient = new Patient(0, 0, band.Key, 40, Sex.Male, 70, now, 0, ExposureRoute.External, false, combined, false, null, now, 0);
        var signs = new Dictionary<string, double>(StringComparer.Ordinal);
        if (picture.PlateletsPerNanolitre is { } plt)
        {
            signs["platelets"] = plt;
        }

        if (picture.BloodLossDegree is { } bleed)
        {
            signs["bloodLoss"] = bleed;
        }

        if (ulcer)
        {
            signs["ulcer"] = 3;
        }

        var c = ulcer ? 3 : 0;
        var grade = new DayGrade(6, 0, picture.H, c, 0, Math.Max(rc, Math.Max(picture.H, c)), $"planning picture RC{rc}", [picture.Label], signs);
        var assessment = new PatientAssessment(0, 1, now, 1, Triage.ColourFor(dose).ToString().ToLowerInvariant(), rc, dose, null, null, [], [grade], [], []);
        var expectant = TriageQueue.ExpectantCriteria(patient, assessment, policy);
        var tier = TriageQueue.Tier(assessment, policy, crisisStandards && expectant.Count > 0);
        var (benefit, _) = policy.ExpectedBenefit(assessment);
        var perTransfusion = (int)Math.Max(1, Math.Ceiling((policy.PlateletsPerTransfusion / policy.PlateletsPerVial) - 1e-9));
        var needs = new List<CohortNeed>();
        foreach (var need in TriageQueue.Needs(patient, assessment, policy))
        {
            var byDay = new int[horizon + 1];
            var beyond = 0;
            void Due(int day, int vials)
            {
                if (day <= horizon)
                {
                    byDay[day] += vials;
                }
                else
                {
                    beyond += vials;
                }
            }

            if (need.ProductType == policy.HaematopoieticProduct)
            {
                var first = picture.H >= 4 ? profile.FirstPlateletDayH4 : profile.FirstPlateletDayH3;
                var transfusions = Math.Max(1, need.Vials / perTransfusion);
                for (var t = 0; t < transfusions; t++)
                {
                    Due(first + (t * profile.TransfusionIntervalDays), t < transfusions - 1 ? perTransfusion : need.Vials - (perTransfusion * (transfusions - 1)));
                }
            }
            else if (need.ProductType == policy.CutaneousProduct)
            {
                Due(profile.GraftDay, need.Vials);
            }
            else
            {
                Due(0, need.Vials);
            }

            needs.Add(new CohortNeed(need.ProductType, need.Vials, (int)Math.Floor((need.WindowHours ?? 0) / 24), need.Why, byDay, beyond));
        }

        var label = picture.Label + (ulcer ? "; radiation ulcer degree 3" : "");
        return new CohortDemand(band.Key, band.Label, label, patients, dose, rc, combined, tier, expectant, benefit, needs);
    }

    /// <summary>"12,000" in the invariant culture with a thousands separator.</summary>
    internal static string Count(double v) => Math.Round(v).ToString("#,0", CultureInfo.InvariantCulture);
}
