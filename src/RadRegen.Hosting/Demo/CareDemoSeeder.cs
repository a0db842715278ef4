using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Drill;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;

namespace RadRegen.Hosting.Demo;

/// <summary>
/// An incident for <c>serve --demo</c>: about twenty victims simulated by the drill's published
/// models (<see cref="DrillSimulator"/>: log-normal doses, Goans lymphocyte kinetics within 8 h,
/// granulocytes and platelets to day 10, local skin injuries, IAEA vomiting times, dicentrics on the
/// curve fitted from the Barquinero 1995 counts for a third of them, HLA from the NMDP 2007 CAU
/// frequencies), imported and assessed through <see cref="MassCasualtyService"/>
/// like a real file, so every record is journaled. Idempotent: skipped when the incident exists.
/// </summary>
public static class CareDemoSeeder
{
    public const string IncidentCode = "DEMO-INC-1";

    public static async Task<int> SeedAsync(IServiceProvider services, int victims = 20, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var care = services.GetRequiredService<CareService>();
        var massCasualty = services.GetRequiredService<MassCasualtyService>();
        // A coordinator's work (opening the incident, importing its victims), not the administrator's (ADR 0026).
        var users = await services.GetRequiredService<AccessService>().ListUsersAsync(Actor.LocalOperator("demo-seeder"), ct);
        var seeder = users.FirstOrDefault(u => u.UserName == DemoSeeder.DemoUserName(Role.Coordinator))?.ToActor()
            ?? Actor.System("demo-seeder", Role.Coordinator);
        if ((await care.ListIncidentsAsync(seeder, ct)).Any(i => i.Code == IncidentCode))
        {
            return 0;
        }

        // Far enough back that every simulated count (the last on day 10) is in the past, so the
        // day-5/6 granulocytes confirm H4 and the platelet nadir is seen.
        var now = DateTimeOffset.UtcNow.AddHours(-(DrillSimulator.LastObservationHours + 24));
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var curve = FitCurve();
        var haplotypes = HaplotypeSets.Load("CAU").Select(h => new DrillHaplotype(h.Alleles, h.Frequency)).ToList();
        var simulated = new DrillSimulator(2026).Simulate(victims, start, haplotypes, curve, labShare: 0.33);
        var incident = await care.CreateIncidentAsync(seeder, new NewIncident(IncidentCode, "Demo: orphan Co-60 source in a scrapyard",
            IncidentKind.LostOrOrphanSource, start, "simulated scrapyard", ["Co-60"], Drill: true), ct);
        var spec = new CurveSpec("Barquinero et al. 1995 (fitted for the demo)", "dicentric", "lq", curve.C, curve.Alpha, curve.Beta,
            [[curve.Covariance[0, 0], curve.Covariance[0, 1], curve.Covariance[0, 2]],
             [curve.Covariance[1, 0], curve.Covariance[1, 1], curve.Covariance[1, 2]],
             [curve.Covariance[2, 0], curve.Covariance[2, 1], curve.Covariance[2, 2]]]);
        var parsed = await massCasualty.ParseAsync(seeder, incident.Id, new StringReader(simulated.VictimsCsv), spec, "demo-victims.csv", ct);
        return (await massCasualty.ImportAsync(seeder, incident.Id, parsed, ct)).Patients;
    }

    private static CalibrationCurve FitCurve()
    {
        using var stream = typeof(CareDemoSeeder).Assembly.GetManifestResourceStream("dosimetry/count-data-barquinero-1995.csv")
            ?? throw new InvalidOperationException("the demo's calibration counts are not embedded");
        using var reader = new StreamReader(stream);
        var table = CountTableParser.Parse(reader, "count-data-barquinero-1995.csv");
        return CurveFitter.Fit(table.Rows, CurveModel.LinearQuadratic, Assay.Dicentric).Curve;
    }
}
