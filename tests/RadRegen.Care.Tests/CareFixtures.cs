using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>Shared set-up: a database per engine, actors per role, a fixed clock.</summary>
public abstract class CareTestBase
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    protected static readonly DateTimeOffset IncidentStart = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    protected static readonly Actor Physician = As(Role.Physician, "dr.kato");

    protected static readonly Actor Coordinator = As(Role.Coordinator, "coord");

    protected static readonly Actor Auditor = As(Role.Auditor, "aud");

    protected static readonly Actor LabTechnician = As(Role.CpcTechnician, "lab");

    /// <summary>
    /// A test curve shaped like a ⁶⁰Co dicentric curve (Y = 0.001 + 0.02 D + 0.06 D²); a fixture,
    /// not a published curve — the dosimetry tests check the published ones.
    /// </summary>
    protected static readonly CurveSpec TestCurve = new("test fixture", "dicentric", "lq", 0.001, 0.02, 0.06,
        [[1e-7, 0, 0], [0, 1e-5, -2e-6], [0, -2e-6, 4e-6]]);

    protected static Actor As(Role role, string name) => new(1, name, new HashSet<Role> { role });

    /// <summary>A <see cref="TestWorld"/> on <paramref name="engine"/> whose clock reads two days after the incident began.</summary>
    protected static Task<TestWorld> OpenAsync(string engine) => TestWorld.CreateAsync(engine, new TestClock(IncidentStart.AddDays(2)));

    protected static NewIncident AnIncident(string code = "INC-0001") =>
        new(code, "Sterilisation plant source", IncidentKind.LostOrOrphanSource, IncidentStart, "Plant B", ["Co-60"]);

    /// <summary>The password of the QA signer made by <see cref="QaSignerAsync"/>.</summary>
    protected const string QaPassword = "correct horse battery";

    /// <summary>A QA officer account that can e-sign (curve activation needs a signature, ADR 0018).</summary>
    protected static async Task<Actor> QaSignerAsync(IServiceProvider services, string name = "qa.sato") =>
        (await services.GetRequiredService<AccessService>().AddUserAsync(Actor.LocalOperator("test"), name, "QA " + name,
            new HashSet<Role> { Role.QaOfficer }, QaPassword)).ToActor();

    protected static Laboratory.CurveActivation Signed => new(QaPassword);

    protected static NewPatient APatient(string code = "P-0001") =>
        new(code, 41, Sex.Male, 78, IncidentStart.AddMinutes(10), Burns: true);
}
