using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Courses;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Courses;

/// <summary>The course catalogue and sessions; a trainer enters courses and sessions; everyone sees their own certificates.</summary>
[AuthorizeOperation(Operation.TrainingCatalogueRead)]
public sealed class IndexModel(CourseService courses) : BankPageModel
{
    public sealed class CourseForm
    {
        public string? Code { get; set; }

        public string? Title { get; set; }

        public string? Description { get; set; }

        public double? ELearningHours { get; set; }

        public int? ContactDays { get; set; }

        public double? ContactHours { get; set; }

        public string? Prerequisites { get; set; }

        public int? ValidityMonths { get; set; }

        public double? PassMark { get; set; }
    }

    public sealed class SessionForm
    {
        public string? CourseCode { get; set; }

        public DateOnly? StartsOn { get; set; }

        public DateOnly? EndsOn { get; set; }

        public string? Place { get; set; }

        public string? Trainer { get; set; }
    }

    [BindProperty]
    public CourseForm NewCourse { get; set; } = new();

    [BindProperty]
    public SessionForm NewSession { get; set; } = new();

    public IReadOnlyList<Course> Courses { get; private set; } = [];

    public IReadOnlyList<CourseSession> Sessions { get; private set; } = [];

    public IReadOnlyList<Certificate> Mine { get; private set; } = [];

    public IReadOnlyList<Enrolment> MyEnrolments { get; private set; } = [];

    public bool CanManage => User.May(Operation.TrainingCourseManage);

    public DateOnly Today => courses.Today;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostCourseAsync(CancellationToken ct)
    {
        var ok = await TryAsync("course", () => courses.CreateCourseAsync(User.Actor(), new NewCourse(NewCourse.Code, NewCourse.Title, NewCourse.Description,
            NewCourse.ELearningHours, NewCourse.ContactDays, NewCourse.ContactHours,
            [.. (NewCourse.Prerequisites ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            NewCourse.ValidityMonths, NewCourse.PassMark), ct));
        if (ok)
        {
            Notice($"Course {CourseService.NormalizeCode(NewCourse.Code)} entered.");
            return Redirect("/training/courses");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostSessionAsync(CancellationToken ct)
    {
        CourseSession? created = null;
        var ok = await TryAsync("session", async () => created = await courses.CreateSessionAsync(User.Actor(),
            new NewSession(NewSession.CourseCode, NewSession.StartsOn, NewSession.EndsOn, NewSession.Place, NewSession.Trainer), ct));
        if (ok)
        {
            Notice($"Session {created!.Id} of {created.CourseCode} entered.");
            return Redirect($"/training/courses/sessions/{created.Id}");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Courses = await courses.ListCoursesAsync(User.Actor(), ct);
        Sessions = await courses.ListSessionsAsync(User.Actor(), null, ct);
        if (User.May(Operation.TrainingOwnRead))
        {
            Mine = await courses.ListCertificatesAsync(User.Actor(), User.Actor().UserName, ct);
            MyEnrolments = await courses.ListEnrolmentsAsync(User.Actor(), null, User.Actor().UserName, ct);
        }
    }
}
