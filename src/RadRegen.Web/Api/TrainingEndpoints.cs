using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Training.CapacityDrill;
using RadRegen.Training.Courses;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// Education (<c>/api/v1/training</c>, issue 15 items 1 and 6, ADR 0034): the course catalogue,
/// sessions, enrolments, attendance, assessments, certificates, who is current in what, rosters with
/// certificate warnings, and the network capacity drill. Role checks and rules live in the services.
/// </summary>
public static class TrainingEndpoints
{
    public sealed record CourseInput(string? Code, string? Title, string? Description, double? ELearningHours, int? ContactDays, double? ContactHours,
        IReadOnlyList<string>? Prerequisites, int? ValidityMonths, double? PassMark);

    public sealed record CourseResponse(long Id, string Code, string Title, string Description, string Delivery, double ELearningHours, int ContactDays, double ContactHours,
        IReadOnlyList<string> Prerequisites, int ValidityMonths, double PassMark, DateTimeOffset CreatedAt, string CreatedBy)
    {
        public static CourseResponse From(Course c) => new(c.Id, c.Code, c.Title, c.Description, c.Delivery.Name(), c.ELearningHours, c.ContactDays, c.ContactHours,
            c.Prerequisites, c.ValidityMonths, c.PassMark, c.CreatedAt, c.CreatedBy);
    }

    public sealed record SessionInput(string? CourseCode, DateOnly? StartsOn, DateOnly? EndsOn, string? Place, string? Trainer);

    public sealed record SessionResponse(long Id, string CourseCode, DateOnly StartsOn, DateOnly EndsOn, IReadOnlyList<DateOnly> Days, string Place, string Trainer,
        DateTimeOffset CreatedAt, string CreatedBy)
    {
        public static SessionResponse From(CourseSession s) => new(s.Id, s.CourseCode, s.StartsOn, s.EndsOn, s.Days, s.Place, s.Trainer, s.CreatedAt, s.CreatedBy);
    }

    public sealed record EnrolInput(string? Staff);

    public sealed record EnrolmentResponse(long Id, long SessionId, string CourseCode, string Staff, string Status, double? Score, DateTimeOffset EnrolledAt, string EnrolledBy,
        DateTimeOffset? AssessedAt, string? AssessedBy)
    {
        public static EnrolmentResponse From(Enrolment e) => new(e.Id, e.SessionId, e.CourseCode, e.Staff, e.Status.ToString().ToLowerInvariant(), e.Score, e.EnrolledAt,
            e.EnrolledBy, e.AssessedAt, e.AssessedBy);
    }

    public sealed record AttendanceInput(DateOnly? Day, bool? Present);

    public sealed record AssessmentInput(double? Score);

    public sealed record AssessmentResponse(EnrolmentResponse Enrolment, bool Passed, CertificateResponse? Certificate);

    public sealed record RevokeInput(string? Reason);

    public sealed record CertificateResponse(long Id, string CourseCode, string Staff, long? EnrolmentId, DateOnly IssuedOn, DateOnly ExpiresOn, bool Revoked,
        DateTimeOffset? RevokedAt, string? RevokedBy, string? RevocationReason)
    {
        public static CertificateResponse From(Certificate c) => new(c.Id, c.CourseCode, c.Staff, c.EnrolmentId, c.IssuedOn, c.ExpiresOn, c.Revoked, c.RevokedAt, c.RevokedBy,
            c.RevocationReason);
    }

    public sealed record CellResponse(string Course, string Currency, DateOnly? ExpiresOn);

    public sealed record StaffResponse(string Staff, string DisplayName, IReadOnlyList<CellResponse> Courses);

    public sealed record MatrixResponse(DateOnly AsOf, int ExpiringWithinDays, IReadOnlyList<string> Courses, IReadOnlyList<StaffResponse> Staff)
    {
        public static MatrixResponse From(CurrencyMatrix m) => new(m.AsOf, m.ExpiringWithinDays, m.CourseCodes,
            [.. m.Staff.Select(s => new StaffResponse(s.Staff, s.DisplayName, [.. s.Courses.Select(c => new CellResponse(c.CourseCode, c.Currency.Name(), c.Certificate?.ExpiresOn))]))]);
    }

    public sealed record RequirementsInput(IReadOnlyList<RoleRequirement>? Roles, string? Reason);

    public sealed record MemberInput(string? Staff, string? RosterRole);

    public sealed record WarningResponse(string Course, string Currency, DateOnly? ExpiredOn, string Message);

    public sealed record RosterLineResponse(long Id, string Staff, string RosterRole, DateTimeOffset AssignedAt, string AssignedBy, IReadOnlyList<WarningResponse> Warnings);

    public sealed record RosterResponse(string Kind, long TargetId, DateOnly AsOf, int RequirementsVersion, int WarningCount, IReadOnlyList<RosterLineResponse> Members)
    {
        public static RosterResponse From(Roster r) => new(r.Kind.ToString().ToLowerInvariant(), r.TargetId, r.AsOf, r.RequirementsVersion, r.WarningCount,
            [.. r.Lines.Select(l => new RosterLineResponse(l.Member.Id, l.Member.Staff, l.Member.RosterRole, l.Member.AssignedAt, l.Member.AssignedBy,
                [.. l.Warnings.Select(w => new WarningResponse(w.CourseCode, w.Currency.Name(), w.ExpiredOn, w.Message))]))]);
    }

    public sealed record DrillInput(string? Reference, int? Quota, string? BedType, IReadOnlyList<string>? Centers, int? AnswerWithinMinutes);

    public sealed record DrillAnswerBody(int? BedsAvailable, int? Accepted, string? Comment);

    /// <summary>A drill; <c>drill</c> is always true: nothing here is real capacity.</summary>
    public sealed record DrillResponse(string Id, bool Drill, string LeadCenter, string Reference, int Quota, string? BedType, DateTimeOffset StartedAt, string StartedBy,
        DateTimeOffset DeadlineAt)
    {
        public static DrillResponse From(CapacityDrillRun d) => new(d.Id, true, d.LeadCenter, d.Reference, d.Quota, d.BedType, d.StartedAt, d.StartedBy, d.DeadlineAt);
    }

    public sealed record DrillCenterResponse(string Center, int Quota, bool Answered, int? BedsAvailable, int? Accepted, DateTimeOffset? AnsweredAt, string? AnsweredBy,
        double? MinutesToReport, int Shortfall, bool Late, string? Comment);

    public sealed record DrillResultResponse(DrillResponse Drill, bool Open, IReadOnlyList<DrillCenterResponse> Centers, IReadOnlyList<string> NeverAnswered,
        int QuotaTotal, int AcceptedTotal, int ShortfallTotal)
    {
        public static DrillResultResponse From(CapacityDrillResult r) => new(DrillResponse.From(r.Drill), r.Open,
            [.. r.Centers.Select(c => new DrillCenterResponse(c.Answer.Center, c.Answer.Quota, c.Answer.Answered, c.Answer.BedsAvailable, c.Answer.Accepted, c.Answer.AnsweredAt,
                c.Answer.AnsweredBy, c.TimeToReport is { } t ? Math.Round(t.TotalMinutes, 1) : null, c.Shortfall, c.Late, c.Answer.Comment))],
            r.NeverAnswered, r.QuotaTotal, r.AcceptedTotal, r.ShortfallTotal);
    }

    public sealed record DrillAnswerResponse(string DrillId, string Center, int? BedsAvailable, int? Accepted, DateTimeOffset? AnsweredAt, string? AnsweredBy);

    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        var t = app.MapGroup("/api/v1/training").RequireAuthorization().WithTags("training");
        t.MapGet("/courses", ListCourses).WithName("ListCourses").WithSummary("The course catalogue, by code.");
        t.MapPost("/courses", CreateCourse).WithName("CreateCourse").Demands(Operation.TrainingCourseManage)
            .WithSummary("Enters a course: code, title, description, eLearningHours, contactDays, contactHours, prerequisites (course codes), validityMonths, passMark (trainer).");
        t.MapGet("/courses/{code}", GetCourse).WithName("GetCourse").WithSummary("One course.");
        t.MapGet("/sessions", ListSessions).WithName("ListCourseSessions").WithSummary("Course sessions, newest first (course: one course's).");
        t.MapPost("/sessions", CreateSession).WithName("CreateCourseSession").Demands(Operation.TrainingCourseManage)
            .WithSummary("Enters a session: courseCode, startsOn, endsOn (yyyy-mm-dd), place, trainer (user name; default you).");
        t.MapGet("/sessions/{id:long}", GetSession).WithName("GetCourseSession").WithSummary("One session.");
        t.MapPost("/sessions/{id:long}/enrolments", Enrol).WithName("Enrol").Demands(Operation.TrainingEnrolmentManage)
            .WithSummary("Enrols a member of staff (staff: user name). 400 on field prerequisites naming each prerequisite whose certificate is not current.");
        t.MapGet("/enrolments", ListEnrolments).WithName("ListEnrolments").WithSummary("Enrolments of a session or a member of staff; without training.records.read, your own.");
        t.MapGet("/enrolments/{id:long}/attendance", ListAttendance).WithName("ListAttendance").WithSummary("Attendance of one enrolment per contact day.");
        t.MapPost("/enrolments/{id:long}/attendance", RecordAttendance).WithName("RecordAttendance").Demands(Operation.TrainingEnrolmentManage)
            .WithSummary("Records presence on one contact day: day (yyyy-mm-dd), present.");
        t.MapPost("/enrolments/{id:long}/assessment", Assess).WithName("Assess").Demands(Operation.TrainingAssess)
            .WithSummary("Records the assessment score (0-100): pass at or above the course's pass mark issues the certificate; below, no certificate.");
        t.MapGet("/certificates", ListCertificates).WithName("ListCertificates").WithSummary("Certificates, newest first (staff: one member's); without training.records.read, your own.");
        t.MapPost("/certificates/{id:long}/revoke", Revoke).WithName("RevokeCertificate").Demands(Operation.TrainingCertificateRevoke)
            .WithSummary("Revokes a certificate with a reason.");
        t.MapGet("/current", Matrix).WithName("WhoIsCurrent")
            .WithSummary("Who is current in what: active staff × courses, current / expiring (within expiringWithinDays, default 90) / expired / revoked / never, on asOf (default today).");
        t.MapGet("/roster-requirements", GetRequirements).WithName("GetRosterRequirements").WithSummary("Which courses each roster role requires (the version in force; 0 is the built-in demonstration).");
        t.MapPut("/roster-requirements", SetRequirements).WithName("SetRosterRequirements").Demands(Operation.TrainingRequirementsChange)
            .WithSummary("Adds a version of the roster requirements: roles [{rosterRole, courses}], reason (coordinator).");
        t.MapGet("/rosters", GetRoster).WithName("GetRoster").WithSummary("The roster of ?incident=ID or ?exercise=ID with a warning for each required certificate expired, revoked or missing.");
        t.MapPost("/rosters/{kind}/{id:long}/members", Assign).WithName("AssignRosterMember").Demands(Operation.TrainingRosterManage)
            .WithSummary("Assigns staff (user name) in a rosterRole to an incident or exercise (kind: incident or exercise).");
        t.MapDelete("/rosters/members/{id:long}", Unassign).WithName("RemoveRosterMember").Demands(Operation.TrainingRosterManage)
            .WithSummary("Takes a member off a roster.");
        t.MapGet("/capacity-drills", ListDrills).WithName("ListCapacityDrills").WithSummary("Network capacity drills (DRILL) this center started or was asked in, newest first.");
        t.MapPost("/capacity-drills", StartDrill).WithName("StartCapacityDrill").Demands(Operation.TrainingCapacityDrillStart)
            .WithSummary("Starts a capacity drill across the network: reference, quota (simulated transfers per center), optional bedType, centers, answerWithinMinutes (default 30). Refused without a network.");
        t.MapGet("/capacity-drills/{id}", GetDrill).WithName("GetCapacityDrill").WithSummary("A drill's result: per center time to report, shortfall (quota − accepted), who never answered.");
        t.MapPost("/capacity-drills/{id}/answer", AnswerDrill).WithName("AnswerCapacityDrill").Demands(Operation.TrainingCapacityDrillAnswer)
            .WithSummary("This center answers a drill it was asked in: bedsAvailable, accepted (of the quota), comment.");
        return app;
    }

    private static async Task<Ok<IEnumerable<CourseResponse>>> ListCourses(HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok((await courses.ListCoursesAsync(http.Actor(), ct)).Select(CourseResponse.From));

    private static async Task<Created<CourseResponse>> CreateCourse(CourseInput input, HttpContext http, CourseService courses, CancellationToken ct)
    {
        var c = await courses.CreateCourseAsync(http.Actor(), new NewCourse(input.Code, input.Title, input.Description, input.ELearningHours, input.ContactDays,
            input.ContactHours, input.Prerequisites, input.ValidityMonths, input.PassMark), ct);
        return TypedResults.Created($"/api/v1/training/courses/{c.Code}", CourseResponse.From(c));
    }

    private static async Task<Ok<CourseResponse>> GetCourse(string code, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(CourseResponse.From(await courses.GetCourseAsync(http.Actor(), code, ct)));

    private static async Task<Ok<IEnumerable<SessionResponse>>> ListSessions(string? course, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok((await courses.ListSessionsAsync(http.Actor(), course, ct)).Select(SessionResponse.From));

    private static async Task<Created<SessionResponse>> CreateSession(SessionInput input, HttpContext http, CourseService courses, CancellationToken ct)
    {
        var s = await courses.CreateSessionAsync(http.Actor(), new NewSession(input.CourseCode, input.StartsOn, input.EndsOn, input.Place, input.Trainer), ct);
        return TypedResults.Created($"/api/v1/training/sessions/{s.Id}", SessionResponse.From(s));
    }

    private static async Task<Ok<SessionResponse>> GetSession(long id, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(SessionResponse.From(await courses.GetSessionAsync(http.Actor(), id, ct)));

    private static async Task<Created<EnrolmentResponse>> Enrol(long id, EnrolInput input, HttpContext http, CourseService courses, CancellationToken ct)
    {
        var e = await courses.EnrolAsync(http.Actor(), id, input.Staff, ct);
        return TypedResults.Created($"/api/v1/training/enrolments?session={id}", EnrolmentResponse.From(e));
    }

    private static async Task<Ok<IEnumerable<EnrolmentResponse>>> ListEnrolments(long? session, string? staff, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok((await courses.ListEnrolmentsAsync(http.Actor(), session, staff, ct)).Select(EnrolmentResponse.From));

    private static async Task<Ok<IReadOnlyList<Attendance>>> ListAttendance(long id, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(await courses.ListAttendanceAsync(http.Actor(), id, ct));

    private static async Task<Ok<Attendance>> RecordAttendance(long id, AttendanceInput input, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(await courses.RecordAttendanceAsync(http.Actor(), id, input.Day, input.Present, ct));

    private static async Task<Ok<AssessmentResponse>> Assess(long id, AssessmentInput input, HttpContext http, CourseService courses, CancellationToken ct)
    {
        var (e, c) = await courses.AssessAsync(http.Actor(), id, input.Score, ct);
        return TypedResults.Ok(new AssessmentResponse(EnrolmentResponse.From(e), e.Status == EnrolmentStatus.Passed, c is null ? null : CertificateResponse.From(c)));
    }

    private static async Task<Ok<IEnumerable<CertificateResponse>>> ListCertificates(string? staff, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok((await courses.ListCertificatesAsync(http.Actor(), staff, ct)).Select(CertificateResponse.From));

    private static async Task<Ok<CertificateResponse>> Revoke(long id, RevokeInput input, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(CertificateResponse.From(await courses.RevokeAsync(http.Actor(), id, input.Reason, ct)));

    private static async Task<Ok<MatrixResponse>> Matrix(DateOnly? asOf, int? expiringWithinDays, HttpContext http, CourseService courses, CancellationToken ct) =>
        TypedResults.Ok(MatrixResponse.From(await courses.MatrixAsync(http.Actor(), asOf, expiringWithinDays, ct)));

    private static async Task<Ok<RosterRequirements>> GetRequirements(HttpContext http, RosterService rosters, CancellationToken ct) =>
        TypedResults.Ok(await rosters.RequirementsAsync(http.Actor(), ct));

    private static async Task<Ok<RosterRequirements>> SetRequirements(RequirementsInput input, HttpContext http, RosterService rosters, CancellationToken ct) =>
        TypedResults.Ok(await rosters.SetRequirementsAsync(http.Actor(), input.Roles, input.Reason, ct));

    private static async Task<Ok<RosterResponse>> GetRoster(long? incident, long? exercise, DateOnly? asOf, HttpContext http, RosterService rosters, CancellationToken ct)
    {
        var (kind, id) = Target(incident, exercise);
        return TypedResults.Ok(RosterResponse.From(await rosters.RosterAsync(http.Actor(), kind, id, asOf, ct)));
    }

    /// <summary>The roster a query names: exactly one of incident and exercise.</summary>
    public static (RosterKind Kind, long Id) Target(long? incident, long? exercise) => (incident, exercise) switch
    {
        ({ } i, null) => (RosterKind.Incident, i),
        (null, { } e) => (RosterKind.Exercise, e),
        _ => throw new DomainValidationException("incident", "give exactly one of incident=ID (a real incident) or exercise=ID (a drill)"),
    };

    private static async Task<Created<RosterMember>> Assign(string kind, long id, MemberInput input, HttpContext http, RosterService rosters, CancellationToken ct)
    {
        var k = RosterService.ParseKind(kind);
        var m = await rosters.AssignAsync(http.Actor(), k, id, input.Staff, input.RosterRole, ct);
        return TypedResults.Created($"/api/v1/training/rosters?{kind.ToLowerInvariant()}={id}", m);
    }

    private static async Task<NoContent> Unassign(long id, HttpContext http, RosterService rosters, CancellationToken ct)
    {
        await rosters.RemoveAsync(http.Actor(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IEnumerable<DrillResponse>>> ListDrills(HttpContext http, CapacityDrillService drills, CancellationToken ct) =>
        TypedResults.Ok((await drills.ListAsync(http.Actor(), ct)).Select(DrillResponse.From));

    private static async Task<Created<DrillResponse>> StartDrill(DrillInput input, HttpContext http, CapacityDrillService drills, CancellationToken ct)
    {
        var d = await drills.StartAsync(http.Actor(), new NewCapacityDrill(input.Reference, input.Quota, input.BedType, input.Centers, input.AnswerWithinMinutes), ct);
        return TypedResults.Created($"/api/v1/training/capacity-drills/{d.Id}", DrillResponse.From(d));
    }

    private static async Task<Ok<DrillResultResponse>> GetDrill(string id, HttpContext http, CapacityDrillService drills, CancellationToken ct) =>
        TypedResults.Ok(DrillResultResponse.From(await drills.ResultAsync(http.Actor(), id, ct)));

    private static async Task<Ok<DrillAnswerResponse>> AnswerDrill(string id, DrillAnswerBody input, HttpContext http, CapacityDrillService drills, CancellationToken ct)
    {
        var a = await drills.AnswerAsync(http.Actor(), id, new DrillAnswerInput(input.BedsAvailable, input.Accepted, input.Comment), ct);
        return TypedResults.Ok(new DrillAnswerResponse(a.DrillId, a.Center, a.BedsAvailable, a.Accepted, a.AnsweredAt, a.AnsweredBy));
    }
}
