using System.Net;
using System.Net.Http.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Reports;

/// <summary>
/// Issue 17 item 2 ("the advice and who signed"): a physician signs the current version of a patient's
/// assessment with an e-signature; the dose report prints the signer and the meaning of the version it
/// prints, or "Not yet signed by a physician"; others are refused, and so is a stale version.
/// </summary>
public sealed class AssessmentSignOffApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task A_physician_signs_the_current_version_and_the_dose_report_names_who_signed_and_what_it_means()
    {
        await using var server = new RoleMatrixServer();
        await server.InitializeAsync();
        var patient = server.RealPatient;
        var physician = server.As(Role.Physician);
        var start = RoleMatrixServer.Start;
        var observations = $"/api/v1/care/patients/{patient}/observations";
        var sign = $"/api/v1/care/patients/{patient}/assessment/sign";
        var report = $"/api/v1/care/patients/{patient}/dose-report.pdf";
        await OkJson(await physician.PostAsJsonAsync(U(observations), new { kind = "blood-count", observedAt = start.AddHours(5), values = new { lymphocytes = 1.2 } }),
            HttpStatusCode.Created);
        var version = (await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patient}/assessment")))).GetProperty("version").GetInt32();

        var unsigned = PdfText.Flat(PdfText.Extract(await physician.GetByteArrayAsync(U(report))));
        Assert.Contains("Not yet signed by a physician", unsigned, StringComparison.Ordinal);

        const string meaning = "reviewed and approved the dose assessment and its advice";
        var password = server.Server.PasswordOf(Role.Physician);
        // Not a physician: refused, whatever the password (the coordinator, the trainer, the administrator).
        foreach (var role in new[] { Role.Coordinator, Role.Trainer, Role.Admin, Role.QaOfficer })
        {
            await Problem(await server.As(role).PostAsJsonAsync(U(sign), new { version, password = server.Server.PasswordOf(role), meaning }), HttpStatusCode.Forbidden);
        }

        await Problem(await physician.PostAsJsonAsync(U(sign), new { version, password = "not the password", meaning }), HttpStatusCode.Forbidden);
        await Problem(await physician.PostAsJsonAsync(U(sign), new { version, password = "", meaning }), HttpStatusCode.BadRequest, "password");

        var signed = await OkJson(await physician.PostAsJsonAsync(U(sign), new { version, password, meaning }));
        Assert.Equal(version, signed.GetProperty("version").GetInt32());
        var signer = signed.GetProperty("signedBy").GetString()!;
        var listed = await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patient}/assessment/signatures")));
        Assert.Equal(1, listed.GetArrayLength());

        var text = PdfText.Flat(PdfText.Extract(await physician.GetByteArrayAsync(U(report))));
        Assert.Contains(signer, text, StringComparison.Ordinal);
        Assert.Contains(meaning, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Not yet signed by a physician", text, StringComparison.Ordinal);
        var ja = PdfText.Flat(PdfText.Extract(await physician.GetByteArrayAsync(U(report + "?lang=ja"))));
        Assert.Contains(signer, ja, StringComparison.Ordinal);

        // A new observation makes a new version: the old one may no longer be signed (409 naming the current
        // version), and the report prints the new version, not yet signed.
        await OkJson(await physician.PostAsJsonAsync(U(observations), new { kind = "blood-count", observedAt = start.AddHours(30), values = new { lymphocytes = 0.9 } }),
            HttpStatusCode.Created);
        var current = (await OkJson(await physician.GetAsync(U($"/api/v1/care/patients/{patient}/assessment")))).GetProperty("version").GetInt32();
        Assert.True(current > version);
        var stale = await Problem(await physician.PostAsJsonAsync(U(sign), new { version, password, meaning }), HttpStatusCode.Conflict);
        Assert.Contains($"the current version is {current}", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = PdfText.Flat(PdfText.Extract(await physician.GetByteArrayAsync(U(report))));
        Assert.Contains("Not yet signed by a physician", after, StringComparison.Ordinal);

        // The patient page shows who signed which version, and the form for the current one.
        var (browser, _) = await server.Server.SignInAsync(RadRegen.Hosting.Demo.DemoSeeder.DemoUserName(Role.Physician), password);
        var page = await browser.GetStringAsync(U($"/care/patients/{patient}"));
        Assert.Contains("data-testid=\"assessment-signatures\"", page, StringComparison.Ordinal);
        Assert.Contains(meaning, page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"form-sign-assessment\"", page, StringComparison.Ordinal);
    }
}
