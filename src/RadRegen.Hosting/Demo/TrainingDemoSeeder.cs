using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Training.Courses;

namespace RadRegen.Hosting.Demo;

/// <summary>
/// The education program of <c>serve --demo</c> (issue 15 item 1): four courses modelled on the
/// reference notes (reference/training/education-and-drills.md: REAC/TS's radiation emergency
/// medicine course, Hirosaki's e-learning plus two contact days with decontamination and PPE drills,
/// RITN activation), a session of each, the demo physician certified, and one certificate of the demo
/// coordinator that has expired (so the who-is-current matrix and a roster show a warning). Hours,
/// validity and pass marks are the demonstration center's choices, not the sources'. Through
/// <see cref="CourseService"/>, journaled like real work, except the expired certificate, which is
/// entered as an earlier record (journaled as such). Idempotent: skipped when courses exist.
/// </summary>
public static class TrainingDemoSeeder
{
    public static async Task<int> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var courses = services.GetRequiredService<CourseService>();
        var users = await services.GetRequiredService<AccessService>().ListUsersAsync(Actor.LocalOperator("demo-seeder"), ct);
        var trainer = users.FirstOrDefault(u => u.UserName == DemoSeeder.DemoUserName(Role.Trainer))?.ToActor();
        if (trainer is null || (await courses.ListCoursesAsync(trainer, ct)).Count > 0)
        {
            return 0;
        }

        NewCourse[] catalogue =
        [
            new("REM-BASIC", "Radiation emergency medicine: the basics", "Physics, detection and measurement, ARS, contamination control, risk to staff (topics of REAC/TS's course). E-learning.", 6, 0, 0, [], 36, 70),
            new("REM-CLIN", "Radiation emergency medicine for clinicians", "ARS evaluation and treatment, cutaneous and combined injury, a hands-on exercise with mock patients. E-learning plus two contact days (as Hirosaki since 2013).", 8, 2, 14, ["REM-BASIC"], 24, 75),
            new("DECON-PPE", "Wound decontamination and PPE donning/doffing", "Drills on wound decontamination and personal protective equipment (Hirosaki's course drills).", 0, 1, 7, [], 12, 80),
            new("RITN-ACT", "Activation and capacity reporting", "Standing up the incident team, reporting beds and accepting transfers within the reporting window (RITN activation).", 2, 0, 0, [], 12, 70),
        ];
        foreach (var c in catalogue)
        {
            await courses.CreateCourseAsync(trainer, c, ct);
        }

        var today = courses.Today;
        var doctor = DemoSeeder.DemoUserName(Role.Physician);
        var basic = await courses.CreateSessionAsync(trainer, new NewSession("REM-BASIC", today, today, "e-learning platform", null), ct);
        var enrolment = await courses.EnrolAsync(trainer, basic.Id, doctor, ct);
        await courses.AssessAsync(trainer, enrolment.Id, 86, ct);
        var clinical = await courses.CreateSessionAsync(trainer, new NewSession("REM-CLIN", today, today.AddDays(1), "Skills laboratory", null), ct);
        enrolment = await courses.EnrolAsync(trainer, clinical.Id, doctor, ct);
        await courses.RecordAttendanceAsync(trainer, enrolment.Id, today, true, ct);
        await courses.RecordAttendanceAsync(trainer, enrolment.Id, today.AddDays(1), true, ct);
        await courses.AssessAsync(trainer, enrolment.Id, 81, ct);
        await courses.CreateSessionAsync(trainer, new NewSession("DECON-PPE", today.AddDays(30), today.AddDays(30), "Decontamination room", null), ct);

        // The demo coordinator's RITN-ACT certificate from an earlier year: expired two months ago.
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        var clock = services.GetRequiredService<IClock>();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var issued = today.AddMonths(-14);
        var earlier = new Certificate(0, "RITN-ACT", DemoSeeder.DemoUserName(Role.Coordinator), null, issued, issued.AddMonths(12), clock.UtcNow, trainer.UserName, null, null, null);
        earlier = earlier with { Id = await uow.Store<ITrainingStore>().InsertCertificateAsync(earlier, ct) };
        await uow.Journal.AppendAsync(trainer.UserName, new JournalRecord("training-certificate", earlier.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "recorded-earlier", new { earlier, note = "demo: a certificate issued before this system, entered as a record" }), ct);
        await uow.CommitAsync(ct);
        return catalogue.Length;
    }
}
