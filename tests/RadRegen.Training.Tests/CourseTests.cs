using RadRegen.Care;
using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Training.Courses;
using RadRegen.Training.Exercises;

namespace RadRegen.Training.Tests;

/// <summary>Courses, enrolment, attendance, assessment, certificates, the matrix and rosters (issue 15 item 1), through the services on each engine.</summary>
public class CourseTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private sealed record World(TestWorld W, Actor Trainer, Actor Coordinator, Actor Doctor, CourseService Courses, RosterService Rosters) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => W.DisposeAsync();
    }

    private static async Task<World> OpenAsync(string engine)
    {
        var w = await TestWorld.CreateAsync(engine, new TestClock(Start));
        return new World(w, await w.UserAsync("trainer1", Role.Trainer), await w.UserAsync("coord1", Role.Coordinator), await w.UserAsync("doc1", Role.Physician),
            w.Get<CourseService>(), w.Get<RosterService>());
    }

    private static NewCourse Basic => new("REM-BASIC", "Radiation emergency medicine: basics", "Physics, detection, ARS.", 6, 0, 0, [], 36, 70);

    private static NewCourse Clinical => new("REM-CLIN", "Radiation emergency medicine for clinicians", "E-learning plus two contact days.", 8, 2, 14, ["REM-BASIC"], 24, 75);

    /// <summary>Gives <paramref name="staff"/> a certificate of <paramref name="code"/> through a session of its own (e-learning: no attendance).</summary>
    private static async Task<Certificate> CertifyAsync(World x, string code, string staff, double score = 90)
    {
        var today = x.Courses.Today;
        var session = await x.Courses.CreateSessionAsync(x.Trainer, new NewSession(code, today, today, "online", null));
        var enrolment = await x.Courses.EnrolAsync(x.Trainer, session.Id, staff);
        var (_, certificate) = await x.Courses.AssessAsync(x.Trainer, enrolment.Id, score);
        return certificate!;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_course_with_an_unmet_prerequisite_refuses_enrolment_naming_it_and_a_pass_issues_a_certificate_that_expires(string engine)
    {
        await using var x = await OpenAsync(engine);
        var basic = await x.Courses.CreateCourseAsync(x.Trainer, Basic);
        Assert.Equal(Delivery.ELearning, basic.Delivery);
        var clinical = await x.Courses.CreateCourseAsync(x.Trainer, Clinical);
        Assert.Equal(Delivery.Blended, clinical.Delivery);
        Assert.Equal(["REM-BASIC"], clinical.Prerequisites);
        var session = await x.Courses.CreateSessionAsync(x.Trainer, new NewSession("REM-CLIN", new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11), "Skills lab 2", "trainer1"));
        Assert.Equal(2, session.Days.Count);

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => x.Courses.EnrolAsync(x.Trainer, session.Id, "doc1"));
        Assert.Equal("prerequisites", refused.Errors.Single().Field);
        Assert.Contains("REM-BASIC: no certificate", refused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Empty(await x.Courses.ListEnrolmentsAsync(x.Trainer, session.Id, null));

        await CertifyAsync(x, "REM-BASIC", "doc1");
        var enrolment = await x.Courses.EnrolAsync(x.Trainer, session.Id, "doc1");
        await Assert.ThrowsAsync<ConflictException>(() => x.Courses.EnrolAsync(x.Trainer, session.Id, "doc1"));

        // Assessed only after both contact days are attended.
        var early = await Assert.ThrowsAsync<RuleViolationException>(() => x.Courses.AssessAsync(x.Trainer, enrolment.Id, 80));
        Assert.Contains("attended 0 of the 2 contact days", early.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainValidationException>(() => x.Courses.RecordAttendanceAsync(x.Trainer, enrolment.Id, new DateOnly(2026, 3, 12), true));
        await x.Courses.RecordAttendanceAsync(x.Trainer, enrolment.Id, new DateOnly(2026, 3, 10), true);
        await x.Courses.RecordAttendanceAsync(x.Trainer, enrolment.Id, new DateOnly(2026, 3, 11), true);
        Assert.Equal(2, (await x.Courses.ListAttendanceAsync(x.Trainer, enrolment.Id)).Count);

        var (assessed, certificate) = await x.Courses.AssessAsync(x.Trainer, enrolment.Id, 75);
        Assert.Equal(EnrolmentStatus.Passed, assessed.Status);
        Assert.NotNull(certificate);
        Assert.Equal(new DateOnly(2026, 3, 2), certificate.IssuedOn);
        Assert.Equal(new DateOnly(2028, 3, 2), certificate.ExpiresOn);
        await Assert.ThrowsAsync<ConflictException>(() => x.Courses.AssessAsync(x.Trainer, enrolment.Id, 90));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_score_below_the_pass_mark_fails_and_issues_no_certificate(string engine)
    {
        await using var x = await OpenAsync(engine);
        await x.Courses.CreateCourseAsync(x.Trainer, Basic);
        var today = x.Courses.Today;
        var session = await x.Courses.CreateSessionAsync(x.Trainer, new NewSession("REM-BASIC", today, today, "online", null));
        var enrolment = await x.Courses.EnrolAsync(x.Trainer, session.Id, "doc1");
        var (assessed, certificate) = await x.Courses.AssessAsync(x.Trainer, enrolment.Id, 69.5);
        Assert.Equal(EnrolmentStatus.Failed, assessed.Status);
        Assert.Null(certificate);
        Assert.Empty(await x.Courses.ListCertificatesAsync(x.Trainer, "doc1"));
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => x.Courses.AssessAsync(x.Trainer, enrolment.Id, 101));
        Assert.Equal("score", bad.Errors.Single().Field);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_matrix_tells_current_expiring_expired_revoked_and_never_and_the_roster_warns_about_expired_and_missing_certificates(string engine)
    {
        await using var x = await OpenAsync(engine);
        await x.Courses.CreateCourseAsync(x.Trainer, Basic);
        await x.Courses.CreateCourseAsync(x.Trainer, new NewCourse("RITN-ACT", "Activation and capacity reporting", "", 2, 0, 0, [], 12, 70));
        await x.Courses.CreateCourseAsync(x.Trainer, Clinical);
        await x.W.UserAsync("nurse1", Role.Physician);
        var ritn = await CertifyAsync(x, "RITN-ACT", "coord1");
        await CertifyAsync(x, "REM-BASIC", "doc1");
        var nurseCert = await CertifyAsync(x, "REM-BASIC", "nurse1");

        // 13 months on: the 12-month RITN-ACT certificate has expired; REM-BASIC (36 months) is current.
        x.W.Clock.Advance(TimeSpan.FromDays(396));
        await x.Courses.RevokeAsync(x.Trainer, nurseCert.Id, "issued in error");
        await Assert.ThrowsAsync<ConflictException>(() => x.Courses.RevokeAsync(x.Trainer, nurseCert.Id, "again"));
        var matrix = await x.Courses.MatrixAsync(x.Coordinator);
        Currency At(string staff, string course) => matrix.Staff.Single(s => s.Staff == staff).Courses.Single(c => c.CourseCode == course).Currency;
        Assert.Equal(Currency.Expired, At("coord1", "RITN-ACT"));
        Assert.Equal(Currency.Current, At("doc1", "REM-BASIC"));
        Assert.Equal(Currency.Revoked, At("nurse1", "REM-BASIC"));
        Assert.Equal(Currency.Never, At("doc1", "REM-CLIN"));
        var later = await x.Courses.MatrixAsync(x.Coordinator, x.Courses.Today.AddMonths(21), 90);
        Assert.Equal(Currency.Expiring, later.Staff.Single(s => s.Staff == "doc1").Courses.Single(c => c.CourseCode == "REM-BASIC").Currency);

        var incident = await x.W.Care.CreateIncidentAsync(x.Coordinator, new NewIncident("INC-1", "Source found", IncidentKind.Criticality, x.W.Clock.UtcNow, "site", []));
        await x.Rosters.AssignAsync(x.Coordinator, RosterKind.Incident, incident.Id, "coord1", "coordinator");
        await x.Rosters.AssignAsync(x.Coordinator, RosterKind.Incident, incident.Id, "doc1", "physician");
        await Assert.ThrowsAsync<ConflictException>(() => x.Rosters.AssignAsync(x.Coordinator, RosterKind.Incident, incident.Id, "doc1", "physician"));
        await Assert.ThrowsAsync<NotFoundException>(() => x.Rosters.AssignAsync(x.Coordinator, RosterKind.Incident, 999_999, "doc1", "physician"));
        var roster = await x.Rosters.RosterAsync(x.Coordinator, RosterKind.Incident, incident.Id);
        Assert.Equal(0, roster.RequirementsVersion);
        var coord = roster.Lines.Single(l => l.Member.Staff == "coord1").Warnings.Single();
        Assert.Equal(Currency.Expired, coord.Currency);
        Assert.Equal(ritn.ExpiresOn, coord.ExpiredOn);
        Assert.Contains("RITN-ACT certificate expired on", coord.Message, StringComparison.Ordinal);
        Assert.Equal(Currency.Never, roster.Lines.Single(l => l.Member.Staff == "doc1").Warnings.Single().Currency);

        // The center changes the requirements: a physician needs REM-BASIC only; doc1's warning goes.
        var v1 = await x.Rosters.SetRequirementsAsync(x.Coordinator, [new RoleRequirement("physician", ["REM-BASIC"]), new RoleRequirement("coordinator", ["RITN-ACT"])], "our own list");
        Assert.Equal(1, v1.Version);
        roster = await x.Rosters.RosterAsync(x.Coordinator, RosterKind.Incident, incident.Id);
        Assert.Empty(roster.Lines.Single(l => l.Member.Staff == "doc1").Warnings);
        var unknown = await Assert.ThrowsAsync<DomainValidationException>(() => x.Rosters.SetRequirementsAsync(x.Coordinator, [new RoleRequirement("physician", ["NOPE"])], "typo"));
        Assert.Equal("roles[0].courses[0]", unknown.Errors.Single().Field);

        // An exercise's roster works the same; an exercise that does not exist has none.
        var exercise = await x.W.Get<ExerciseService>().CreateAsync(x.Trainer,
            new NewExercise("EX-ROSTER", "Roster drill", new Scenario(3, 6, IncidentKind.Criticality, DrillDoseDistribution.Default)));
        await x.Rosters.AssignAsync(x.Trainer, RosterKind.Exercise, exercise.Id, "coord1", "coordinator");
        Assert.Single((await x.Rosters.RosterAsync(x.Coordinator, RosterKind.Exercise, exercise.Id)).Lines.Single().Warnings);
        var journal = await x.W.JournalCountAsync();
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => x.Rosters.AssignAsync(x.Trainer, RosterKind.Exercise, exercise.Id + 1000, "coord1", "coordinator"));
        Assert.Equal($"no exercise {exercise.Id + 1000}", missing.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => x.Rosters.RosterAsync(x.Coordinator, RosterKind.Exercise, exercise.Id + 1000));
        Assert.Equal(journal, await x.W.JournalCountAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_course_input_names_each_field_and_writes_nothing(string engine)
    {
        await using var x = await OpenAsync(engine);
        var journal = await x.W.JournalCountAsync();
        var bad = await Assert.ThrowsAsync<DomainValidationException>(() =>
            x.Courses.CreateCourseAsync(x.Trainer, new NewCourse("r", "", null, 0, 0, 0, ["MISSING"], 0, 120)));
        var fields = bad.Errors.Select(e => e.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "code", "title", "eLearningHours", "validityMonths", "passMark", "prerequisites[0]" }, fields);
        Assert.Equal(journal, await x.W.JournalCountAsync());
        await x.Courses.CreateCourseAsync(x.Trainer, Basic);
        await Assert.ThrowsAsync<ConflictException>(() => x.Courses.CreateCourseAsync(x.Trainer, Basic));
        var session = await Assert.ThrowsAsync<DomainValidationException>(() =>
            x.Courses.CreateSessionAsync(x.Trainer, new NewSession("REM-BASIC", new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 4), "", "nobody")));
        Assert.Contains(session.Errors, e => e.Field == "endsOn");
        Assert.Contains(session.Errors, e => e.Field == "place");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Trainers_keep_the_records_staff_see_their_own_and_the_administrator_none(string engine)
    {
        await using var x = await OpenAsync(engine);
        var admin = await x.W.UserAsync("admin1", Role.Admin);
        var tech = await x.W.UserAsync("tech1", Role.CpcTechnician);
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Courses.CreateCourseAsync(x.Doctor, Basic));
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Courses.CreateCourseAsync(admin, Basic));
        await x.Courses.CreateCourseAsync(x.Trainer, Basic);
        await CertifyAsync(x, "REM-BASIC", "tech1");
        await CertifyAsync(x, "REM-BASIC", "doc1");
        Assert.Equal(["tech1"], (await x.Courses.ListCertificatesAsync(tech, null)).Select(c => c.Staff));
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Courses.ListCertificatesAsync(tech, "doc1"));
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Courses.MatrixAsync(tech));
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Courses.ListCoursesAsync(admin));
        Assert.Equal(2, (await x.Courses.ListCertificatesAsync(x.Coordinator, null)).Count);
        await Assert.ThrowsAsync<ForbiddenException>(() => x.Rosters.SetRequirementsAsync(x.Trainer, [], "no"));
    }

    [Fact]
    public void A_cell_takes_the_best_certificate_and_expiry_is_exclusive()
    {
        var day = new DateOnly(2026, 6, 1);
        Certificate Cert(long id, DateOnly issued, DateOnly expires, bool revoked = false) =>
            new(id, "X", "s", null, issued, expires, DateTimeOffset.UnixEpoch, "t", revoked ? DateTimeOffset.UnixEpoch : null, null, null);
        Assert.Equal(Currency.Never, CourseService.Cell("X", [], day, 30).Currency);
        Assert.Equal(Currency.Expired, CourseService.Cell("X", [Cert(1, day.AddYears(-1), day)], day, 30).Currency);
        Assert.Equal(Currency.Expiring, CourseService.Cell("X", [Cert(1, day.AddYears(-1), day.AddDays(1))], day, 30).Currency);
        Assert.Equal(Currency.Current, CourseService.Cell("X", [Cert(1, day.AddYears(-1), day), Cert(2, day, day.AddYears(1))], day, 30).Currency);
        Assert.Equal(Currency.Revoked, CourseService.Cell("X", [Cert(1, day.AddDays(-1), day.AddYears(1), revoked: true)], day, 30).Currency);
        Assert.Equal(Currency.Never, CourseService.Cell("X", [Cert(1, day.AddDays(1), day.AddYears(1))], day, 30).Currency);
    }
}
