using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Courses;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Courses;

/// <summary>One session: its enrolments with attendance and assessment; the trainer enrols, records attendance and assesses.</summary>
[AuthorizeOperation(Operation.TrainingCatalogueRead)]
public sealed class SessionModel(CourseService courses) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Staff { get; set; }

    [BindProperty]
    public long? EnrolmentId { get; set; }

    [BindProperty]
    public DateOnly? AttendanceDay { get; set; }

    [BindProperty]
    public bool Present { get; set; } = true;

    [BindProperty]
    public double? Score { get; set; }

    public CourseSession? Session { get; private set; }

    public Course? Course { get; private set; }

    public IReadOnlyList<(Enrolment Enrolment, IReadOnlyList<Attendance> Attendance)> Enrolments { get; private set; } = [];

    public bool CanEnrol => User.May(Operation.TrainingEnrolmentManage);

    public bool CanAssess => User.May(Operation.TrainingAssess);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostEnrolAsync(CancellationToken ct)
    {
        if (await TryAsync("enrol", () => courses.EnrolAsync(User.Actor(), Id, Staff, ct)))
        {
            Notice($"{Staff} enrolled.");
            return Redirect($"/training/courses/sessions/{Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostAttendanceAsync(CancellationToken ct)
    {
        if (await TryAsync("attendance", () => courses.RecordAttendanceAsync(User.Actor(), EnrolmentId ?? 0, AttendanceDay, Present, ct)))
        {
            Notice("Attendance recorded.");
            return Redirect($"/training/courses/sessions/{Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostAssessAsync(CancellationToken ct)
    {
        Certificate? certificate = null;
        if (await TryAsync("assess", async () => (_, certificate) = await courses.AssessAsync(User.Actor(), EnrolmentId ?? 0, Score, ct)))
        {
            Notice(certificate is null ? "Assessed: below the pass mark, no certificate." : $"Passed: certificate {certificate.Id} issued, expires {certificate.ExpiresOn:yyyy-MM-dd}.");
            return Redirect($"/training/courses/sessions/{Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Session = await courses.GetSessionAsync(User.Actor(), Id, ct);
        Course = await courses.GetCourseAsync(User.Actor(), Session.CourseCode, ct);
        var list = User.May(Operation.TrainingRecordsRead)
            ? await courses.ListEnrolmentsAsync(User.Actor(), Id, null, ct)
            : await courses.ListEnrolmentsAsync(User.Actor(), Id, User.Actor().UserName, ct);
        var rows = new List<(Enrolment, IReadOnlyList<Attendance>)>();
        foreach (var e in list)
        {
            rows.Add((e, await courses.ListAttendanceAsync(User.Actor(), e.Id, ct)));
        }

        Enrolments = rows;
    }
}
