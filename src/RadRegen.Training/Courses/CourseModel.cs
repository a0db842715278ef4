namespace RadRegen.Training.Courses;

/// <summary>
/// How a course is taught. Hirosaki University's radiation-emergency-medicine short course went from
/// 3 contact days to e-learning plus 2 contact days in 2013 (reference/training/education-and-drills.md);
/// the delivery follows from the hours of each part, so it cannot disagree with them.
/// </summary>
public enum Delivery
{
    ELearning,
    ContactDays,
    Blended,
}

/// <summary>Delivery names as the API and pages write them.</summary>
public static class Deliveries
{
    public static string Name(this Delivery delivery) => delivery switch
    {
        Delivery.ELearning => "e-learning",
        Delivery.ContactDays => "contact-days",
        _ => "blended",
    };
}

/// <summary>
/// A course of the center's education program.
/// </summary>
/// <param name="Id">Database id.</param>
/// <param name="Code">Short stable code (<c>REM-BASIC</c>) people and prerequisites use.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">What the course teaches and for whom.</param>
/// <param name="ELearningHours">Hours of e-learning (0: none).</param>
/// <param name="ContactDays">Days in the classroom or on the drill floor (0: none).</param>
/// <param name="ContactHours">Hours over those contact days.</param>
/// <param name="Prerequisites">Codes of the courses whose certificate must be current to enrol.</param>
/// <param name="ValidityMonths">How long a certificate of this course stays current.</param>
/// <param name="PassMark">The lowest assessment score (percent) that passes.</param>
/// <param name="CreatedAt">When it was entered.</param>
/// <param name="CreatedBy">Who entered it.</param>
public sealed record Course(
    long Id,
    string Code,
    string Title,
    string Description,
    double ELearningHours,
    int ContactDays,
    double ContactHours,
    IReadOnlyList<string> Prerequisites,
    int ValidityMonths,
    double PassMark,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    public Delivery Delivery => ContactDays == 0 ? Delivery.ELearning : ELearningHours > 0 ? Delivery.Blended : Delivery.ContactDays;
}

/// <summary>A course as a trainer enters it.</summary>
public sealed record NewCourse(
    string? Code,
    string? Title,
    string? Description,
    double? ELearningHours,
    int? ContactDays,
    double? ContactHours,
    IReadOnlyList<string>? Prerequisites,
    int? ValidityMonths,
    double? PassMark);

/// <summary>
/// One running of a course: the contact days from <paramref name="StartsOn"/> to <paramref name="EndsOn"/>
/// (for an e-learning course, the window to finish it), where, and who teaches.
/// </summary>
public sealed record CourseSession(
    long Id,
    string CourseCode,
    DateOnly StartsOn,
    DateOnly EndsOn,
    string Place,
    string Trainer,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>The calendar days of the session, in order.</summary>
    public IReadOnlyList<DateOnly> Days =>
        [.. Enumerable.Range(0, EndsOn.DayNumber - StartsOn.DayNumber + 1).Select(StartsOn.AddDays)];
}

/// <summary>A session as a trainer enters it.</summary>
public sealed record NewSession(string? CourseCode, DateOnly? StartsOn, DateOnly? EndsOn, string? Place, string? Trainer);

/// <summary>Where an enrolment stands.</summary>
public enum EnrolmentStatus
{
    Enrolled,
    Passed,
    Failed,
}

/// <summary>A member of staff enrolled in a session, with the assessment once made.</summary>
public sealed record Enrolment(
    long Id,
    long SessionId,
    string CourseCode,
    string Staff,
    DateTimeOffset EnrolledAt,
    string EnrolledBy,
    EnrolmentStatus Status,
    double? Score,
    DateTimeOffset? AssessedAt,
    string? AssessedBy);

/// <summary>Whether a member of staff was present on one contact day.</summary>
public sealed record Attendance(long EnrolmentId, DateOnly Day, bool Present, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>
/// A certificate issued on a pass: current from <paramref name="IssuedOn"/> until (not including)
/// <paramref name="ExpiresOn"/> = issue date + the course's validity, unless revoked.
/// </summary>
public sealed record Certificate(
    long Id,
    string CourseCode,
    string Staff,
    long? EnrolmentId,
    DateOnly IssuedOn,
    DateOnly ExpiresOn,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevocationReason)
{
    public bool Revoked => RevokedAt is not null;

    /// <summary>Whether the certificate is current on <paramref name="day"/>.</summary>
    public bool CurrentOn(DateOnly day) => !Revoked && IssuedOn <= day && day < ExpiresOn;
}

/// <summary>Where a member of staff stands in one course on one day.</summary>
public enum Currency
{
    Current,
    Expiring,
    Expired,
    Revoked,
    Never,
}

/// <summary>Currency names as the API and pages write them.</summary>
public static class Currencies
{
    public static string Name(this Currency currency) => currency switch
    {
        Currency.Current => "current",
        Currency.Expiring => "expiring",
        Currency.Expired => "expired",
        Currency.Revoked => "revoked",
        _ => "never",
    };
}

/// <summary>One cell of the who-is-current matrix: the staff member's best certificate of the course.</summary>
public sealed record CurrencyCell(string CourseCode, Currency Currency, Certificate? Certificate);

/// <summary>One row of the matrix: a member of staff and a cell per course.</summary>
public sealed record StaffCurrency(string Staff, string DisplayName, IReadOnlyList<CurrencyCell> Courses);

/// <summary>Who is current in what on <paramref name="AsOf"/>; expiring = expires within <paramref name="ExpiringWithinDays"/>.</summary>
public sealed record CurrencyMatrix(DateOnly AsOf, int ExpiringWithinDays, IReadOnlyList<string> CourseCodes, IReadOnlyList<StaffCurrency> Staff);

/// <summary>What a roster is for: a real care incident or a drill (an exercise).</summary>
public enum RosterKind
{
    Incident,
    Exercise,
}

/// <summary>A roster role and the courses whose certificates it requires.</summary>
public sealed record RoleRequirement(string RosterRole, IReadOnlyList<string> Courses);

/// <summary>
/// The roster requirements in force: a versioned center setting (rows are only added; the highest
/// version is in force). Version 0 is the built-in demonstration default, the center's to replace.
/// </summary>
public sealed record RosterRequirements(int Version, IReadOnlyList<RoleRequirement> Roles, DateTimeOffset? SetAt, string? SetBy, string? Reason)
{
    public IReadOnlyList<string> CoursesFor(string rosterRole) =>
        Roles.FirstOrDefault(r => string.Equals(r.RosterRole, rosterRole, StringComparison.OrdinalIgnoreCase))?.Courses ?? [];
}

/// <summary>A member of staff assigned to an incident or exercise in a roster role.</summary>
public sealed record RosterMember(long Id, RosterKind Kind, long TargetId, string Staff, string RosterRole, DateTimeOffset AssignedAt, string AssignedBy);

/// <summary>A warning on a roster member: a certificate their role requires is expired, revoked or missing.</summary>
public sealed record RosterWarning(string CourseCode, Currency Currency, DateOnly? ExpiredOn, string Message);

/// <summary>A roster member with the warnings that apply on the roster's day.</summary>
public sealed record RosterLine(RosterMember Member, IReadOnlyList<RosterWarning> Warnings);

/// <summary>The roster of an incident or exercise, checked against the requirements in force.</summary>
public sealed record Roster(RosterKind Kind, long TargetId, DateOnly AsOf, int RequirementsVersion, IReadOnlyList<RosterLine> Lines)
{
    public int WarningCount => Lines.Sum(l => l.Warnings.Count);
}
