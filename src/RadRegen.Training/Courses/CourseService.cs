using System.Text.RegularExpressions;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Training.Courses;

/// <summary>
/// The education program (issue 15 item 1, ADR 0034): the course catalogue with prerequisites and
/// blended delivery, sessions, enrolment (refused when a prerequisite's certificate is not current),
/// attendance per contact day, assessment against the course's pass mark, certificates with expiry,
/// revocation, and "who is current in what". Every change is one unit of work and journaled.
/// </summary>
public sealed partial class CourseService(IUnitOfWorkFactory units, IClock clock)
{
    /// <summary>The longest certificate validity accepted: 10 years, far above any refresher cycle, low enough to catch a typo (days for months).</summary>
    public const int MaxValidityMonths = 120;

    /// <summary>The longest session: a course of contact days runs for days, not months (catches a mistyped year).</summary>
    public const int MaxSessionDays = 60;

    /// <summary>The most hours of one part of a course (a year's full-time study would be ~1,600).</summary>
    public const double MaxHours = 2_000;

    /// <summary>The default "expiring within" window of the matrix: 90 days, time to book a refresher session (the center's choice; no source fixes it).</summary>
    public const int DefaultExpiringWithinDays = 90;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,29}$")]
    private static partial Regex CodePattern();

    /// <summary>Today on this center's clock (UTC date).</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.UtcNow.UtcDateTime);

    public static string NormalizeCode(string? code) => (code ?? "").Trim().ToUpperInvariant();

    // ---- catalogue

    public async Task<Course> CreateCourseAsync(Actor actor, NewCourse input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.TrainingCourseManage);
        var errors = new List<FieldError>();
        var code = NormalizeCode(input.Code);
        if (!CodePattern().IsMatch(code))
        {
            errors.Add(new FieldError("code", $"'{input.Code}' is not a course code (2 to 30 capital letters, digits or hyphens, e.g. REM-BASIC)"));
        }

        if (string.IsNullOrWhiteSpace(input.Title))
        {
            errors.Add(new FieldError("title", "is required"));
        }

        new InputLimits(errors).Text("title", input.Title, Limits.Title).Text("description", input.Description, Limits.FreeText)
            .List("prerequisites", input.Prerequisites, Limits.ShortList, Limits.ShortName);
        var eHours = input.ELearningHours ?? 0;
        var days = input.ContactDays ?? 0;
        var cHours = input.ContactHours ?? 0;
        if (eHours < 0 || eHours > MaxHours || double.IsNaN(eHours))
        {
            errors.Add(new FieldError("eLearningHours", $"{eHours} is not a number of hours (0 to {MaxHours:N0})"));
        }

        if (days < 0 || days > MaxSessionDays)
        {
            errors.Add(new FieldError("contactDays", $"{days} is not a number of contact days (0 to {MaxSessionDays})"));
        }

        if (cHours < 0 || cHours > MaxHours || double.IsNaN(cHours))
        {
            errors.Add(new FieldError("contactHours", $"{cHours} is not a number of hours (0 to {MaxHours:N0})"));
        }
        else if (days > 0 && cHours <= 0)
        {
            errors.Add(new FieldError("contactHours", "give the hours of the contact days (a course with contact days has contact hours)"));
        }
        else if (days == 0 && cHours > 0)
        {
            errors.Add(new FieldError("contactDays", "contact hours need at least one contact day"));
        }

        if (eHours <= 0 && days == 0)
        {
            errors.Add(new FieldError("eLearningHours", "a course needs e-learning hours, contact days or both"));
        }

        if (input.ValidityMonths is not { } validity || validity < 1 || validity > MaxValidityMonths)
        {
            errors.Add(new FieldError("validityMonths", $"must be a whole number of months from 1 to {MaxValidityMonths}"));
        }

        if (input.PassMark is not { } mark || mark < 0 || mark > 100 || double.IsNaN(mark))
        {
            errors.Add(new FieldError("passMark", "must be a score from 0 to 100 (percent)"));
        }

        var prerequisites = (input.Prerequisites ?? []).Select(NormalizeCode).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (prerequisites.Contains(code, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("prerequisites", $"{code} cannot be its own prerequisite"));
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        for (var i = 0; i < prerequisites.Count; i++)
        {
            if (prerequisites[i] != code && await store.GetCourseAsync(prerequisites[i], ct) is null)
            {
                errors.Add(new FieldError($"prerequisites[{i}]", $"no course {prerequisites[i]} in the catalogue"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        if (await store.GetCourseAsync(code, ct) is not null)
        {
            throw new ConflictException($"course {code} is already in the catalogue");
        }

        var course = new Course(0, code, input.Title!.Trim(), input.Description?.Trim() ?? "", eHours, days, cHours, prerequisites,
            input.ValidityMonths!.Value, input.PassMark!.Value, clock.UtcNow, actor.UserName);
        course = course with { Id = await store.InsertCourseAsync(course, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-course", code, "created", course), ct);
        await uow.CommitAsync(ct);
        return course;
    }

    public async Task<IReadOnlyList<Course>> ListCoursesAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCatalogueRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().ListCoursesAsync(ct);
    }

    public async Task<Course> GetCourseAsync(Actor actor, string code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCatalogueRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().GetCourseAsync(NormalizeCode(code), ct) ?? throw new NotFoundException($"no course {NormalizeCode(code)}");
    }

    // ---- sessions

    public async Task<CourseSession> CreateSessionAsync(Actor actor, NewSession input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.TrainingCourseManage);
        var errors = new List<FieldError>();
        if (input.StartsOn is null)
        {
            errors.Add(new FieldError("startsOn", "is required (the first day, yyyy-mm-dd)"));
        }

        if (input.EndsOn is null)
        {
            errors.Add(new FieldError("endsOn", "is required (the last day, yyyy-mm-dd)"));
        }
        else if (input.StartsOn is { } s && input.EndsOn is { } e && (e < s || e.DayNumber - s.DayNumber + 1 > MaxSessionDays))
        {
            errors.Add(new FieldError("endsOn", $"must be on or after startsOn and at most {MaxSessionDays} days later"));
        }

        if (string.IsNullOrWhiteSpace(input.Place))
        {
            errors.Add(new FieldError("place", "is required (where the contact days take place, or the e-learning platform)"));
        }

        new InputLimits(errors).Text("place", input.Place, Limits.Title).Text("trainer", input.Trainer, Limits.ShortName);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var course = await store.GetCourseAsync(NormalizeCode(input.CourseCode), ct);
        if (course is null)
        {
            errors.Add(new FieldError("courseCode", $"no course '{input.CourseCode}' in the catalogue"));
        }
        else if (course.ContactDays > 0 && input.StartsOn is { } s && input.EndsOn is { } e && e >= s && e.DayNumber - s.DayNumber + 1 < course.ContactDays)
        {
            errors.Add(new FieldError("endsOn", $"{course.Code} has {course.ContactDays} contact days; the session from {s:yyyy-MM-dd} to {e:yyyy-MM-dd} has {e.DayNumber - s.DayNumber + 1}"));
        }

        var trainer = string.IsNullOrWhiteSpace(input.Trainer) ? actor.UserName : input.Trainer.Trim();
        if (errors.Count == 0 && !await StaffExistsAsync(uow, trainer, ct))
        {
            errors.Add(new FieldError("trainer", $"no active account '{trainer}'"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var session = new CourseSession(0, course!.Code, input.StartsOn!.Value, input.EndsOn!.Value, input.Place!.Trim(), trainer, clock.UtcNow, actor.UserName);
        session = session with { Id = await store.InsertSessionAsync(session, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-session", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "created", session), ct);
        await uow.CommitAsync(ct);
        return session;
    }

    public async Task<IReadOnlyList<CourseSession>> ListSessionsAsync(Actor actor, string? courseCode = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCatalogueRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().ListSessionsAsync(string.IsNullOrWhiteSpace(courseCode) ? null : NormalizeCode(courseCode), ct);
    }

    public async Task<CourseSession> GetSessionAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCatalogueRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().GetSessionAsync(id, ct) ?? throw new NotFoundException($"no course session {id}");
    }

    // ---- enrolment, attendance, assessment

    /// <summary>
    /// Enrols <paramref name="staff"/> in a session. Refused, naming each, when a prerequisite's
    /// certificate is missing, expired or revoked on the session's first day (the certificate must be
    /// current when the course begins), or when the member of staff is already enrolled.
    /// </summary>
    public async Task<Enrolment> EnrolAsync(Actor actor, long sessionId, string? staff, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingEnrolmentManage);
        if (string.IsNullOrWhiteSpace(staff))
        {
            throw new DomainValidationException("staff", "is required (the user name of the member of staff)");
        }

        new InputLimits().Text("staff", staff, Limits.ShortName).ThrowIfAny();
        staff = staff.Trim();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var session = await store.GetSessionAsync(sessionId, ct) ?? throw new NotFoundException($"no course session {sessionId}");
        if (!await StaffExistsAsync(uow, staff, ct))
        {
            throw new DomainValidationException("staff", $"no active account '{staff}'");
        }

        var course = (await store.GetCourseAsync(session.CourseCode, ct))!;
        var certificates = await store.ListCertificatesAsync(staff, ct);
        var on = session.StartsOn > Today ? session.StartsOn : Today;
        var unmet = new List<string>();
        foreach (var prerequisite in course.Prerequisites)
        {
            var cell = Cell(prerequisite, certificates, on, 0);
            if (cell.Currency is not (Currency.Current or Currency.Expiring))
            {
                unmet.Add(cell.Currency switch
                {
                    Currency.Expired => $"{prerequisite}: the certificate expired on {cell.Certificate!.ExpiresOn:yyyy-MM-dd} (before {on:yyyy-MM-dd})",
                    Currency.Revoked => $"{prerequisite}: the certificate was revoked",
                    _ => $"{prerequisite}: no certificate",
                });
            }
        }

        if (unmet.Count > 0)
        {
            throw new DomainValidationException("prerequisites",
                $"{staff} cannot enrol in {course.Code}: prerequisite not met — {string.Join("; ", unmet)}");
        }

        if ((await store.ListEnrolmentsAsync(sessionId, staff, ct)).Count > 0)
        {
            throw new ConflictException($"{staff} is already enrolled in session {sessionId}");
        }

        var enrolment = new Enrolment(0, sessionId, course.Code, staff, clock.UtcNow, actor.UserName, EnrolmentStatus.Enrolled, null, null, null);
        enrolment = enrolment with { Id = await store.InsertEnrolmentAsync(enrolment, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-enrolment", Id(enrolment.Id), "enrolled", enrolment), ct);
        await uow.CommitAsync(ct);
        return enrolment;
    }

    /// <summary>Records whether the enrolled member of staff was present on one day of the session (a contact day).</summary>
    public async Task<Attendance> RecordAttendanceAsync(Actor actor, long enrolmentId, DateOnly? day, bool? present, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingEnrolmentManage);
        var errors = new List<FieldError>();
        if (day is null)
        {
            errors.Add(new FieldError("day", "is required (the contact day, yyyy-mm-dd)"));
        }

        if (present is null)
        {
            errors.Add(new FieldError("present", "is required (true or false)"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var enrolment = await store.GetEnrolmentAsync(enrolmentId, ct) ?? throw new NotFoundException($"no enrolment {enrolmentId}");
        var session = (await store.GetSessionAsync(enrolment.SessionId, ct))!;
        var course = (await store.GetCourseAsync(enrolment.CourseCode, ct))!;
        if (course.ContactDays == 0)
        {
            throw new RuleViolationException($"{course.Code} is e-learning only: it has no contact days to attend");
        }

        if (!session.Days.Contains(day!.Value))
        {
            throw new DomainValidationException("day", $"{day:yyyy-MM-dd} is not a day of session {session.Id} ({session.StartsOn:yyyy-MM-dd} to {session.EndsOn:yyyy-MM-dd})");
        }

        if (enrolment.Status != EnrolmentStatus.Enrolled)
        {
            throw new RuleViolationException($"enrolment {enrolmentId} is already assessed ({enrolment.Status}); attendance can no longer change");
        }

        var attendance = new Attendance(enrolmentId, day.Value, present!.Value, clock.UtcNow, actor.UserName);
        await store.UpsertAttendanceAsync(attendance, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-enrolment", Id(enrolmentId), "attendance", attendance), ct);
        await uow.CommitAsync(ct);
        return attendance;
    }

    /// <summary>
    /// Records the assessment: pass when the score reaches the course's pass mark, and then issues
    /// the certificate (issued today, expiring after the course's validity) in the same unit of
    /// work. A course with contact days is assessed only once attendance is recorded present on as
    /// many days as the course has contact days.
    /// </summary>
    public async Task<(Enrolment Enrolment, Certificate? Certificate)> AssessAsync(Actor actor, long enrolmentId, double? score, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingAssess);
        if (score is not { } s || s < 0 || s > 100 || double.IsNaN(s))
        {
            throw new DomainValidationException("score", "must be a score from 0 to 100 (percent)");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var enrolment = await store.GetEnrolmentAsync(enrolmentId, ct) ?? throw new NotFoundException($"no enrolment {enrolmentId}");
        if (enrolment.Status != EnrolmentStatus.Enrolled)
        {
            throw new ConflictException($"enrolment {enrolmentId} is already assessed ({enrolment.Status.ToString().ToLowerInvariant()}, score {enrolment.Score})");
        }

        var course = (await store.GetCourseAsync(enrolment.CourseCode, ct))!;
        if (course.ContactDays > 0)
        {
            var attended = (await store.ListAttendanceAsync(enrolmentId, ct)).Count(a => a.Present);
            if (attended < course.ContactDays)
            {
                throw new RuleViolationException($"{enrolment.Staff} attended {attended} of the {course.ContactDays} contact days of {course.Code}; record attendance before the assessment");
            }
        }

        var now = clock.UtcNow;
        var passed = s >= course.PassMark;
        var assessed = enrolment with { Status = passed ? EnrolmentStatus.Passed : EnrolmentStatus.Failed, Score = s, AssessedAt = now, AssessedBy = actor.UserName };
        if (!await store.RecordAssessmentAsync(assessed, ct))
        {
            throw new ConflictException($"enrolment {enrolmentId} was assessed by someone else meanwhile");
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-enrolment", Id(enrolmentId), passed ? "passed" : "failed",
            new { assessed.Score, course.PassMark, assessed.Staff, assessed.CourseCode }), ct);
        Certificate? certificate = null;
        if (passed)
        {
            var issued = DateOnly.FromDateTime(now.UtcDateTime);
            certificate = new Certificate(0, course.Code, enrolment.Staff, enrolmentId, issued, issued.AddMonths(course.ValidityMonths), now, actor.UserName, null, null, null);
            certificate = certificate with { Id = await store.InsertCertificateAsync(certificate, ct) };
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-certificate", Id(certificate.Id), "issued", certificate), ct);
        }

        await uow.CommitAsync(ct);
        return (assessed, certificate);
    }

    /// <summary>Revokes a certificate with a reason (e.g. issued in error, conduct); it stops counting at once.</summary>
    public async Task<Certificate> RevokeAsync(Actor actor, long certificateId, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCertificateRevoke);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", "is required (why the certificate is revoked)");
        }

        new InputLimits().Text("reason", reason, Limits.FreeText).ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITrainingStore>();
        var certificate = await store.GetCertificateAsync(certificateId, ct) ?? throw new NotFoundException($"no certificate {certificateId}");
        var now = clock.UtcNow;
        if (!await store.RevokeCertificateAsync(certificateId, now, actor.UserName, reason.Trim(), ct))
        {
            throw new ConflictException($"certificate {certificateId} is already revoked");
        }

        certificate = certificate with { RevokedAt = now, RevokedBy = actor.UserName, RevocationReason = reason.Trim() };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("training-certificate", Id(certificateId), "revoked", new { reason = certificate.RevocationReason }), ct);
        await uow.CommitAsync(ct);
        return certificate;
    }

    /// <summary>Enrolments of a session, or of one member of staff; staff without <see cref="Operation.TrainingRecordsRead"/> see only their own.</summary>
    public async Task<IReadOnlyList<Enrolment>> ListEnrolmentsAsync(Actor actor, long? sessionId, string? staff, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        staff = Scope(actor, staff);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().ListEnrolmentsAsync(sessionId, staff, ct);
    }

    public async Task<IReadOnlyList<Attendance>> ListAttendanceAsync(Actor actor, long enrolmentId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ITrainingStore>();
        var enrolment = await store.GetEnrolmentAsync(enrolmentId, ct) ?? throw new NotFoundException($"no enrolment {enrolmentId}");
        Scope(actor, enrolment.Staff);
        return await store.ListAttendanceAsync(enrolmentId, ct);
    }

    /// <summary>Certificates, newest first; staff without <see cref="Operation.TrainingRecordsRead"/> see only their own.</summary>
    public async Task<IReadOnlyList<Certificate>> ListCertificatesAsync(Actor actor, string? staff, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        staff = Scope(actor, staff);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITrainingStore>().ListCertificatesAsync(staff, ct);
    }

    // ---- who is current in what

    /// <summary>The matrix of active staff × courses on <paramref name="asOf"/> (default today).</summary>
    public async Task<CurrencyMatrix> MatrixAsync(Actor actor, DateOnly? asOf = null, int? expiringWithinDays = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingRecordsRead);
        var within = expiringWithinDays ?? DefaultExpiringWithinDays;
        if (within < 0 || within > 3_650)
        {
            throw new DomainValidationException("expiringWithinDays", "must be a number of days from 0 to 3,650");
        }

        var day = asOf ?? Today;
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ITrainingStore>();
        var courses = await store.ListCoursesAsync(ct);
        var certificates = (await store.ListCertificatesAsync(null, ct)).ToLookup(c => c.Staff, StringComparer.Ordinal);
        var users = (await uow.Store<IUserStore>().ListAsync(ct)).Where(u => !u.Disabled).OrderBy(u => u.UserName, StringComparer.Ordinal);
        var rows = users.Select(u => new StaffCurrency(u.UserName, u.DisplayName,
            [.. courses.Select(c => Cell(c.Code, [.. certificates[u.UserName]], day, within))])).ToList();
        return new CurrencyMatrix(day, within, [.. courses.Select(c => c.Code)], rows);
    }

    /// <summary>
    /// Where a member of staff stands in <paramref name="courseCode"/> on <paramref name="day"/>, from
    /// their best certificate: current (expiring when it runs out within <paramref name="expiringWithinDays"/>),
    /// else expired or revoked (the latest), else never.
    /// </summary>
    public static CurrencyCell Cell(string courseCode, IReadOnlyList<Certificate> certificates, DateOnly day, int expiringWithinDays)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var ofCourse = certificates.Where(c => c.CourseCode == courseCode && c.IssuedOn <= day).ToList();
        var current = ofCourse.Where(c => c.CurrentOn(day)).OrderByDescending(c => c.ExpiresOn).FirstOrDefault();
        if (current is not null)
        {
            return new CurrencyCell(courseCode, current.ExpiresOn.DayNumber - day.DayNumber <= expiringWithinDays ? Currency.Expiring : Currency.Current, current);
        }

        var latest = ofCourse.OrderByDescending(c => c.IssuedOn).ThenByDescending(c => c.Id).FirstOrDefault();
        return latest is null
            ? new CurrencyCell(courseCode, Currency.Never, null)
            : new CurrencyCell(courseCode, latest.Revoked ? Currency.Revoked : Currency.Expired, latest);
    }

    internal static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<bool> StaffExistsAsync(IUnitOfWork uow, string userName, CancellationToken ct) =>
        await uow.Store<IUserStore>().FindByNameAsync(userName, ct) is { Disabled: false };

    /// <summary>The staff a reader may see: anyone's with <see cref="Operation.TrainingRecordsRead"/>, else only their own.</summary>
    private static string? Scope(Actor actor, string? staff)
    {
        if (actor.May(Operation.TrainingRecordsRead))
        {
            return string.IsNullOrWhiteSpace(staff) ? null : staff.Trim();
        }

        actor.Demand(Operation.TrainingOwnRead);
        if (!string.IsNullOrWhiteSpace(staff) && !string.Equals(staff.Trim(), actor.UserName, StringComparison.Ordinal))
        {
            throw new ForbiddenException($"{actor.UserName} may read only their own training records; {Permissions.Of(Operation.TrainingRecordsRead).Action} needs another role");
        }

        return actor.UserName;
    }
}
