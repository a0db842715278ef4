using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Training.Courses;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Training.Courses;

/// <summary>Who is current in what: active staff × courses; the trainer revokes a certificate here.</summary>
[AuthorizeOperation(Operation.TrainingRecordsRead)]
public sealed class CurrentModel(CourseService courses) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Within { get; set; }

    [BindProperty]
    public long? CertificateId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public CurrencyMatrix? Matrix { get; private set; }

    public IReadOnlyList<Certificate> Certificates { get; private set; } = [];

    public bool CanRevoke => User.May(Operation.TrainingCertificateRevoke);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await TryAsync("matrix", () => LoadAsync(ct)))
        {
            Within = null;
            return await PageOrNotFoundAsync(() => LoadAsync(ct));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        if (await TryAsync("revoke", () => courses.RevokeAsync(User.Actor(), CertificateId ?? 0, Reason, ct)))
        {
            Notice($"Certificate {CertificateId} revoked.");
            return Redirect("/training/courses/current");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public static string Badge(Currency c) => c switch
    {
        Currency.Current => "text-bg-success",
        Currency.Expiring => "text-bg-warning",
        Currency.Expired or Currency.Revoked => "text-bg-danger",
        _ => "text-bg-light",
    };

    private async Task LoadAsync(CancellationToken ct)
    {
        Matrix = await courses.MatrixAsync(User.Actor(), null, Within, ct);
        Certificates = CanRevoke ? [.. (await courses.ListCertificatesAsync(User.Actor(), null, ct)).Where(c => !c.Revoked)] : [];
    }
}
