using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Reporting;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Shipments;
using RadRegen.Web.Reports;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// The PDF reports (issue 17 item 2, docs/reports.md): each a GET returning <c>application/pdf</c> in the
/// reader's language (the session's language or <c>?lang=en|ja</c>). Reading a report needs what reading
/// its record needs — the domain services check it (BankRules.Read, care's drill rules, shipments) — so
/// no new operation. Nothing is written: generating a report changes no record.
/// </summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("reports");
        api.MapGet("/bank/lots/{id:long}/certificate.pdf", CertificateOfAnalysis)
            .WithSummary("The certificate of analysis of a released lot (PDF): QC results against specification, lineage, QA's e-signature and its meaning; 409 when the lot is not released.");
        api.MapGet("/bank/lots/{id:long}/labels.pdf", LabelSheet)
            .WithSummary("The lot's vial labels as a PDF sheet (70 × 37 mm labels with the 2-D code); 422 when the lot cannot be labelled.");
        api.MapGet("/care/patients/{id:long}/dose-report.pdf", DoseAssessment)
            .WithSummary("The patient's dose-assessment report (PDF): each method with interval and source, METREPOL by day, the advice and signatures; DRILL banner for a drill patient.");
        api.MapGet("/network/shipments/{id}/manifest.pdf", Manifest)
            .WithSummary("The shipment's manifest (PDF): contents, shipper, temperature limit, chain of custody and receipt.");
        return app;
    }

    private static ReportContext Context(HttpContext http, string? lang)
    {
        ReportContext.UseLanguage(lang);
        var services = http.RequestServices;
        return new ReportContext(
            (IStringLocalizer<ReportText>)services.GetService(typeof(IStringLocalizer<ReportText>))!,
            (CenterSettings)services.GetService(typeof(CenterSettings))!,
            (IClock)services.GetService(typeof(IClock))!);
    }

    private static FileContentHttpResult Pdf(IReportRenderer renderer, ReportDocument document, string fileName) =>
        TypedResults.File(renderer.Render(document), renderer.ContentType, fileName);

    private static async Task<FileContentHttpResult> CertificateOfAnalysis(long id, string? lang, HttpContext http, BankService bank, IReportRenderer renderer,
        CancellationToken ct)
    {
        var r = Context(http, lang);
        var actor = http.Actor();
        var detail = await bank.GetLotAsync(actor, id, ct);
        BankReports.RequireReleased(detail);

        var lineage = await bank.LineageAsync(actor, detail.Vials[0].Id, ct);
        return Pdf(renderer, BankReports.CertificateOfAnalysis(r, detail, lineage), $"certificate-of-analysis-{detail.Lot.LotNumber}.pdf");
    }

    private static async Task<FileContentHttpResult> LabelSheet(long id, string? lang, HttpContext http, BankService bank, IReportRenderer renderer, CancellationToken ct)
    {
        var r = Context(http, lang);
        var detail = await bank.LabelsAsync(http.Actor(), id, ct);
        return Pdf(renderer, BankReports.LabelSheet(r, detail), $"labels-{detail.Lot.LotNumber}.pdf");
    }

    private static async Task<FileContentHttpResult> DoseAssessment(long id, string? lang, HttpContext http, CareService care, TherapyService therapy,
        AssessmentSignOff signOff, IReportRenderer renderer, CancellationToken ct)
    {
        var r = Context(http, lang);
        var actor = http.Actor();
        var record = await care.GetPatientAsync(actor, id, ct);
        var incident = await care.GetIncidentAsync(actor, record.Patient.IncidentId, ct);
        var requests = await therapy.ListForPatientAsync(actor, id, ct);
        var signatures = await signOff.ListAsync(actor, id, ct);
        return Pdf(renderer, CareReports.DoseAssessment(r, record, incident, requests, signatures), $"dose-assessment-{record.Patient.Code}.pdf");
    }

    private static async Task<FileContentHttpResult> Manifest(string id, string? lang, HttpContext http, ShipmentService shipments, IReportRenderer renderer,
        CancellationToken ct)
    {
        var r = Context(http, lang);
        var view = await shipments.GetAsync(http.Actor(), id, ct);
        return Pdf(renderer, NetworkReports.Manifest(r, view), $"manifest-{view.Shipment.Id}.pdf");
    }
}
