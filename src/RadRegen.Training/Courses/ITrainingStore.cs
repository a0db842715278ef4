namespace RadRegen.Training.Courses;

/// <summary>Courses, sessions, enrolments, attendance, certificates and rosters within one unit of work (implemented in RadRegen.Storage, migration 0025).</summary>
public interface ITrainingStore
{
    Task<long> InsertCourseAsync(Course course, CancellationToken ct);

    Task<Course?> GetCourseAsync(string code, CancellationToken ct);

    /// <summary>Every course, by code.</summary>
    Task<IReadOnlyList<Course>> ListCoursesAsync(CancellationToken ct);

    Task<long> InsertSessionAsync(CourseSession session, CancellationToken ct);

    Task<CourseSession?> GetSessionAsync(long id, CancellationToken ct);

    /// <summary>Sessions, newest start first; of one course when <paramref name="courseCode"/> is given.</summary>
    Task<IReadOnlyList<CourseSession>> ListSessionsAsync(string? courseCode, CancellationToken ct);

    Task<long> InsertEnrolmentAsync(Enrolment enrolment, CancellationToken ct);

    Task<Enrolment?> GetEnrolmentAsync(long id, CancellationToken ct);

    /// <summary>Enrolments of one session and/or one member of staff (null: any).</summary>
    Task<IReadOnlyList<Enrolment>> ListEnrolmentsAsync(long? sessionId, string? staff, CancellationToken ct);

    /// <summary>Writes the assessment (status, score, when, by whom) of an enrolment still <see cref="EnrolmentStatus.Enrolled"/>; false when it no longer is.</summary>
    Task<bool> RecordAssessmentAsync(Enrolment enrolment, CancellationToken ct);

    Task UpsertAttendanceAsync(Attendance attendance, CancellationToken ct);

    Task<IReadOnlyList<Attendance>> ListAttendanceAsync(long enrolmentId, CancellationToken ct);

    Task<long> InsertCertificateAsync(Certificate certificate, CancellationToken ct);

    Task<Certificate?> GetCertificateAsync(long id, CancellationToken ct);

    /// <summary>Certificates, newest first; of one member of staff when given.</summary>
    Task<IReadOnlyList<Certificate>> ListCertificatesAsync(string? staff, CancellationToken ct);

    /// <summary>Revokes a certificate not yet revoked; false when it already was.</summary>
    Task<bool> RevokeCertificateAsync(long id, DateTimeOffset at, string by, string reason, CancellationToken ct);

    /// <summary>Every stored version of the roster requirements, oldest first.</summary>
    Task<IReadOnlyList<RosterRequirements>> ListRequirementsAsync(CancellationToken ct);

    Task InsertRequirementsAsync(RosterRequirements requirements, CancellationToken ct);

    Task<long> InsertRosterMemberAsync(RosterMember member, CancellationToken ct);

    Task<IReadOnlyList<RosterMember>> ListRosterAsync(RosterKind kind, long targetId, CancellationToken ct);

    Task<RosterMember?> GetRosterMemberAsync(long id, CancellationToken ct);

    Task<bool> DeleteRosterMemberAsync(long id, CancellationToken ct);
}
