using System.Globalization;
using System.Text.Json;
using RadRegen.Core.Journal;
using RadRegen.Training.Courses;

namespace RadRegen.Storage.Training;

/// <summary>The course, certificate and roster tables of migration 0025.</summary>
internal sealed class SqlTrainingStore(SqlSession session) : ITrainingStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string CourseColumns =
        "id AS Id, code AS Code, title AS Title, description AS Description, elearning_hours AS ELearningHours, contact_days AS ContactDays, "
        + "contact_hours AS ContactHours, prerequisites AS Prerequisites, validity_months AS ValidityMonths, pass_mark AS PassMark, created_at AS CreatedAt, created_by AS CreatedBy";

    private const string SessionColumns =
        "id AS Id, course_code AS CourseCode, starts_on AS StartsOn, ends_on AS EndsOn, place AS Place, trainer AS Trainer, created_at AS CreatedAt, created_by AS CreatedBy";

    private const string EnrolmentColumns =
        "id AS Id, session_id AS SessionId, course_code AS CourseCode, staff AS Staff, enrolled_at AS EnrolledAt, enrolled_by AS EnrolledBy, status AS Status, "
        + "score AS Score, assessed_at AS AssessedAt, assessed_by AS AssessedBy";

    private const string CertificateColumns =
        "id AS Id, course_code AS CourseCode, staff AS Staff, enrolment_id AS EnrolmentId, issued_on AS IssuedOn, expires_on AS ExpiresOn, issued_at AS IssuedAt, "
        + "issued_by AS IssuedBy, revoked_at AS RevokedAt, revoked_by AS RevokedBy, revocation_reason AS RevocationReason";

    private const string MemberColumns =
        "id AS Id, target_kind AS TargetKind, target_id AS TargetId, staff AS Staff, roster_role AS RosterRole, assigned_at AS AssignedAt, assigned_by AS AssignedBy";

    public Task<long> InsertCourseAsync(Course course, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO training_courses (code, title, description, elearning_hours, contact_days, contact_hours, prerequisites, validity_months, pass_mark, created_at, created_by) "
            + "VALUES (@Code, @Title, @Description, @ELearningHours, @ContactDays, @ContactHours, @Prerequisites, @ValidityMonths, @PassMark, @CreatedAt, @CreatedBy) RETURNING id",
            new
            {
                course.Code,
                course.Title,
                course.Description,
                course.ELearningHours,
                course.ContactDays,
                course.ContactHours,
                Prerequisites = JsonSerializer.Serialize(course.Prerequisites),
                course.ValidityMonths,
                course.PassMark,
                CreatedAt = JournalTime.ToText(course.CreatedAt),
                course.CreatedBy,
            }, ct);

    public async Task<Course?> GetCourseAsync(string code, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<CourseRow>($"SELECT {CourseColumns} FROM training_courses WHERE code = @Code", new { Code = code }, ct) is { } r ? r.ToCourse() : null;

    public async Task<IReadOnlyList<Course>> ListCoursesAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<CourseRow>($"SELECT {CourseColumns} FROM training_courses ORDER BY code", null, ct)).Select(r => r.ToCourse())];

    public Task<long> InsertSessionAsync(CourseSession s, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO training_sessions (course_code, starts_on, ends_on, place, trainer, created_at, created_by) "
            + "VALUES (@CourseCode, @StartsOn, @EndsOn, @Place, @Trainer, @CreatedAt, @CreatedBy) RETURNING id",
            new { s.CourseCode, StartsOn = Day(s.StartsOn), EndsOn = Day(s.EndsOn), s.Place, s.Trainer, CreatedAt = JournalTime.ToText(s.CreatedAt), s.CreatedBy }, ct);

    public async Task<CourseSession?> GetSessionAsync(long id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<SessionRow>($"SELECT {SessionColumns} FROM training_sessions WHERE id = @Id", new { Id = id }, ct) is { } r ? r.ToSession() : null;

    public async Task<IReadOnlyList<CourseSession>> ListSessionsAsync(string? courseCode, CancellationToken ct) =>
        [.. (await session.QueryAsync<SessionRow>(
            $"SELECT {SessionColumns} FROM training_sessions{(courseCode is null ? "" : " WHERE course_code = @CourseCode")} ORDER BY starts_on DESC, id DESC",
            new { CourseCode = courseCode }, ct)).Select(r => r.ToSession())];

    public Task<long> InsertEnrolmentAsync(Enrolment e, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO training_enrolments (session_id, course_code, staff, enrolled_at, enrolled_by, status, score, assessed_at, assessed_by) "
            + "VALUES (@SessionId, @CourseCode, @Staff, @EnrolledAt, @EnrolledBy, @Status, @Score, @AssessedAt, @AssessedBy) RETURNING id",
            new
            {
                e.SessionId,
                e.CourseCode,
                e.Staff,
                EnrolledAt = JournalTime.ToText(e.EnrolledAt),
                e.EnrolledBy,
                Status = Status(e.Status),
                e.Score,
                AssessedAt = e.AssessedAt is { } a ? JournalTime.ToText(a) : null,
                e.AssessedBy,
            }, ct);

    public async Task<Enrolment?> GetEnrolmentAsync(long id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<EnrolmentRow>($"SELECT {EnrolmentColumns} FROM training_enrolments WHERE id = @Id", new { Id = id }, ct) is { } r ? r.ToEnrolment() : null;

    public async Task<IReadOnlyList<Enrolment>> ListEnrolmentsAsync(long? sessionId, string? staff, CancellationToken ct) =>
        [.. (await session.QueryAsync<EnrolmentRow>(
            $"SELECT {EnrolmentColumns} FROM training_enrolments WHERE {(sessionId is null ? "1 = 1" : "session_id = @SessionId")} AND {(staff is null ? "1 = 1" : "staff = @Staff")} ORDER BY id",
            new { SessionId = sessionId, Staff = staff }, ct)).Select(r => r.ToEnrolment())];

    public async Task<bool> RecordAssessmentAsync(Enrolment e, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE training_enrolments SET status = @Status, score = @Score, assessed_at = @AssessedAt, assessed_by = @AssessedBy WHERE id = @Id AND status = 'enrolled'",
            new { e.Id, Status = Status(e.Status), e.Score, AssessedAt = e.AssessedAt is { } a ? JournalTime.ToText(a) : null, e.AssessedBy }, ct) == 1;

    public Task UpsertAttendanceAsync(Attendance a, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO training_attendance (enrolment_id, day, present, recorded_at, recorded_by) VALUES (@EnrolmentId, @Day, @Present, @RecordedAt, @RecordedBy) "
            + "ON CONFLICT (enrolment_id, day) DO UPDATE SET present = excluded.present, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            new { a.EnrolmentId, Day = Day(a.Day), Present = a.Present ? 1 : 0, RecordedAt = JournalTime.ToText(a.RecordedAt), a.RecordedBy }, ct);

    public async Task<IReadOnlyList<Attendance>> ListAttendanceAsync(long enrolmentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<AttendanceRow>(
            "SELECT enrolment_id AS EnrolmentId, day AS Day, present AS Present, recorded_at AS RecordedAt, recorded_by AS RecordedBy FROM training_attendance "
            + "WHERE enrolment_id = @EnrolmentId ORDER BY day", new { EnrolmentId = enrolmentId }, ct))
            .Select(r => new Attendance(r.EnrolmentId, ParseDay(r.Day), r.Present != 0, JournalTime.Parse(r.RecordedAt), r.RecordedBy))];

    public Task<long> InsertCertificateAsync(Certificate c, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO training_certificates (course_code, staff, enrolment_id, issued_on, expires_on, issued_at, issued_by, revoked_at, revoked_by, revocation_reason) "
            + "VALUES (@CourseCode, @Staff, @EnrolmentId, @IssuedOn, @ExpiresOn, @IssuedAt, @IssuedBy, @RevokedAt, @RevokedBy, @RevocationReason) RETURNING id",
            new
            {
                c.CourseCode,
                c.Staff,
                c.EnrolmentId,
                IssuedOn = Day(c.IssuedOn),
                ExpiresOn = Day(c.ExpiresOn),
                IssuedAt = JournalTime.ToText(c.IssuedAt),
                c.IssuedBy,
                RevokedAt = c.RevokedAt is { } r ? JournalTime.ToText(r) : null,
                c.RevokedBy,
                c.RevocationReason,
            }, ct);

    public async Task<Certificate?> GetCertificateAsync(long id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<CertificateRow>($"SELECT {CertificateColumns} FROM training_certificates WHERE id = @Id", new { Id = id }, ct) is { } r ? r.ToCertificate() : null;

    public async Task<IReadOnlyList<Certificate>> ListCertificatesAsync(string? staff, CancellationToken ct) =>
        [.. (await session.QueryAsync<CertificateRow>(
            $"SELECT {CertificateColumns} FROM training_certificates{(staff is null ? "" : " WHERE staff = @Staff")} ORDER BY issued_on DESC, id DESC",
            new { Staff = staff }, ct)).Select(r => r.ToCertificate())];

    public async Task<bool> RevokeCertificateAsync(long id, DateTimeOffset at, string by, string reason, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE training_certificates SET revoked_at = @At, revoked_by = @By, revocation_reason = @Reason WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, At = JournalTime.ToText(at), By = by, Reason = reason }, ct) == 1;

    public async Task<IReadOnlyList<RosterRequirements>> ListRequirementsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<RequirementsRow>(
            "SELECT version AS Version, roles AS Roles, set_at AS SetAt, set_by AS SetBy, reason AS Reason FROM training_roster_requirements ORDER BY version", null, ct))
            .Select(r => new RosterRequirements((int)r.Version, JsonSerializer.Deserialize<List<RoleRequirement>>(r.Roles, Json) ?? [], JournalTime.Parse(r.SetAt), r.SetBy, r.Reason))];

    public Task InsertRequirementsAsync(RosterRequirements r, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO training_roster_requirements (version, roles, set_at, set_by, reason) VALUES (@Version, @Roles, @SetAt, @SetBy, @Reason)",
            new { r.Version, Roles = JsonSerializer.Serialize(r.Roles, Json), SetAt = JournalTime.ToText(r.SetAt ?? DateTimeOffset.UnixEpoch), SetBy = r.SetBy ?? "", Reason = r.Reason ?? "" }, ct);

    public Task<long> InsertRosterMemberAsync(RosterMember m, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO training_roster_members (target_kind, target_id, staff, roster_role, assigned_at, assigned_by) "
            + "VALUES (@TargetKind, @TargetId, @Staff, @RosterRole, @AssignedAt, @AssignedBy) RETURNING id",
            new { TargetKind = Kind(m.Kind), m.TargetId, m.Staff, m.RosterRole, AssignedAt = JournalTime.ToText(m.AssignedAt), m.AssignedBy }, ct);

    public async Task<IReadOnlyList<RosterMember>> ListRosterAsync(RosterKind kind, long targetId, CancellationToken ct) =>
        [.. (await session.QueryAsync<MemberRow>(
            $"SELECT {MemberColumns} FROM training_roster_members WHERE target_kind = @TargetKind AND target_id = @TargetId ORDER BY roster_role, staff",
            new { TargetKind = Kind(kind), TargetId = targetId }, ct))
            .Select(r => new RosterMember(r.Id, kind, r.TargetId, r.Staff, r.RosterRole, JournalTime.Parse(r.AssignedAt), r.AssignedBy))];

    public async Task<RosterMember?> GetRosterMemberAsync(long id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<MemberRow>($"SELECT {MemberColumns} FROM training_roster_members WHERE id = @Id", new { Id = id }, ct) is { } r
            ? new RosterMember(r.Id, Enum.Parse<RosterKind>(r.TargetKind, ignoreCase: true), r.TargetId, r.Staff, r.RosterRole, JournalTime.Parse(r.AssignedAt), r.AssignedBy)
            : null;

    public async Task<bool> DeleteRosterMemberAsync(long id, CancellationToken ct) =>
        await session.ExecuteAsync("DELETE FROM training_roster_members WHERE id = @Id", new { Id = id }, ct) == 1;

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Status(EnrolmentStatus status) => status.ToString().ToLowerInvariant();

    private static string Kind(RosterKind kind) => kind.ToString().ToLowerInvariant();

    private sealed class CourseRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string Title { get; set; } = "";

        public string Description { get; set; } = "";

        public double ELearningHours { get; set; }

        public long ContactDays { get; set; }

        public double ContactHours { get; set; }

        public string Prerequisites { get; set; } = "[]";

        public long ValidityMonths { get; set; }

        public double PassMark { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public Course ToCourse() => new(Id, Code, Title, Description, ELearningHours, (int)ContactDays, ContactHours,
            JsonSerializer.Deserialize<List<string>>(Prerequisites) ?? [], (int)ValidityMonths, PassMark, JournalTime.Parse(CreatedAt), CreatedBy);
    }

    private sealed class SessionRow
    {
        public long Id { get; set; }

        public string CourseCode { get; set; } = "";

        public string StartsOn { get; set; } = "";

        public string EndsOn { get; set; } = "";

        public string Place { get; set; } = "";

        public string Trainer { get; set; } = "";

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public CourseSession ToSession() => new(Id, CourseCode, ParseDay(StartsOn), ParseDay(EndsOn), Place, Trainer, JournalTime.Parse(CreatedAt), CreatedBy);
    }

    private sealed class EnrolmentRow
    {
        public long Id { get; set; }

        public long SessionId { get; set; }

        public string CourseCode { get; set; } = "";

        public string Staff { get; set; } = "";

        public string EnrolledAt { get; set; } = "";

        public string EnrolledBy { get; set; } = "";

        public string Status { get; set; } = "";

        public double? Score { get; set; }

        public string? AssessedAt { get; set; }

        public string? AssessedBy { get; set; }

        public Enrolment ToEnrolment() => new(Id, SessionId, CourseCode, Staff, JournalTime.Parse(EnrolledAt), EnrolledBy,
            Enum.Parse<EnrolmentStatus>(Status, ignoreCase: true), Score, AssessedAt is null ? null : JournalTime.Parse(AssessedAt), AssessedBy);
    }

    private sealed class AttendanceRow
    {
        public long EnrolmentId { get; set; }

        public string Day { get; set; } = "";

        public long Present { get; set; }

        public string RecordedAt { get; set; } = "";

        public string RecordedBy { get; set; } = "";
    }

    private sealed class CertificateRow
    {
        public long Id { get; set; }

        public string CourseCode { get; set; } = "";

        public string Staff { get; set; } = "";

        public long? EnrolmentId { get; set; }

        public string IssuedOn { get; set; } = "";

        public string ExpiresOn { get; set; } = "";

        public string IssuedAt { get; set; } = "";

        public string IssuedBy { get; set; } = "";

        public string? RevokedAt { get; set; }

        public string? RevokedBy { get; set; }

        public string? RevocationReason { get; set; }

        public Certificate ToCertificate() => new(Id, CourseCode, Staff, EnrolmentId, ParseDay(IssuedOn), ParseDay(ExpiresOn), JournalTime.Parse(IssuedAt), IssuedBy,
            RevokedAt is null ? null : JournalTime.Parse(RevokedAt), RevokedBy, RevocationReason);
    }

    private sealed class RequirementsRow
    {
        public long Version { get; set; }

        public string Roles { get; set; } = "[]";

        public string SetAt { get; set; } = "";

        public string SetBy { get; set; } = "";

        public string Reason { get; set; } = "";
    }

    private sealed class MemberRow
    {
        public long Id { get; set; }

        public string TargetKind { get; set; } = "";

        public long TargetId { get; set; }

        public string Staff { get; set; } = "";

        public string RosterRole { get; set; } = "";

        public string AssignedAt { get; set; } = "";

        public string AssignedBy { get; set; } = "";
    }
}
