using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadRegen.Care.Assessment;
using RadRegen.Care.Laboratory;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>
/// The biodosimetry laboratory's REST API under <c>/api/v1/care/lab</c>: calibration curves and case
/// scoring. Role checks live in <see cref="LaboratoryService"/>.
/// </summary>
public static class LabEndpoints
{
    /// <summary>A curve with its chart: dose grid, fitted yield and the 95 % band (delta method, <see cref="CurveBand"/>).</summary>
    public sealed record CurveDetail(LabCurve Curve, IReadOnlyList<CurveBandPoint> Points);

    public sealed record FitInput(string? Assay, string? Name, string? Model, IReadOnlyList<LabCountRow>? Rows, string? CountsCsv, string? Citation,
        string? RadiationQuality);

    public sealed record CaseInput(long? PatientId, string? Assay, long? Cells, long? Aberrations, IReadOnlyList<long>? Distribution, string? Method,
        DateTimeOffset? ObservedAt, string? Note, bool? Confirm = null);

    /// <summary>QA's e-signature for an activation: the password re-entered and what it means (default "approved for case scoring").</summary>
    public sealed record ActivationInput(string? Password, string? Meaning);

    /// <summary>The new assessment in brief: the basis dose, triage colour and response category.</summary>
    public sealed record AssessmentSummary(int Version, string? Triage, int? ResponseCategory, double? BasisDoseGy, double? BasisLowerGy, double? BasisUpperGy,
        IReadOnlyList<MethodDose> Doses);

    public sealed record CaseResponse(Observation Observation, MethodDose? Cytogenetics, AssessmentSummary Assessment, long CurveId, string CurveName, string PatientUrl);

    public static IEndpointRouteBuilder MapLabApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/care/lab").RequireAuthorization().WithTags("care-lab");

        api.MapGet("/curves", async (string? assay, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
            TypedResults.Ok(await lab.ListCurvesAsync(http.Actor(), assay, ct)))
            .WithSummary("Calibration curves, newest first, optionally of one assay (dicentric, micronucleus, translocation).");

        api.MapGet("/curves/{id:long}", async (long id, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
        {
            var curve = await lab.GetCurveAsync(http.Actor(), id, ct);
            ETag(http, curve.Version);
            return TypedResults.Ok(new CurveDetail(curve, LaboratoryService.Band(curve)));
        }).WithSummary("One curve with the points of its chart: dose, fitted yield, lower and upper 95 % band (delta method).");

        api.MapPost("/curves/fit", async (FitInput input, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
        {
            var curve = await lab.FitCurveAsync(http.Actor(), new FitCurveRequest(input.Assay, input.Name, input.Model, input.Rows, input.CountsCsv,
                input.Citation, input.RadiationQuality), ct);
            return TypedResults.Created($"/api/v1/care/lab/curves/{curve.Id}", curve);
        }).WithSummary("Fits a curve from a count table: rows (doseGy, cells, aberrations[, distribution]) or countsCsv (\"dose,cells,aberrations\").")
            .Demands(Operation.LabCurveFit);

        api.MapPost("/curves", async (PublishedCurveRequest input, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
        {
            var curve = await lab.EnterCurveAsync(http.Actor(), input, ct);
            return TypedResults.Created($"/api/v1/care/lab/curves/{curve.Id}", curve);
        }).WithSummary("Enters a published curve: C, alpha, beta, their 3×3 covariance (symmetric, positive semi-definite) and the source.")
            .Demands(Operation.LabCurveEnter);

        api.MapPost("/curves/{id:long}/activate", async (long id, ActivationInput? input, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
        {
            var curve = await lab.ActivateCurveAsync(http.Actor(), id, new CurveActivation(input?.Password, input?.Meaning, IfMatch(http)), ct);
            ETag(http, curve.Version);
            return TypedResults.Ok(curve);
        }).WithSummary("QA makes the curve the one active curve of its assay with an e-signature: body {password, meaning}; If-Match with its version is optional. The curve's warnings are journaled with the activation.")
            .Demands(Operation.LabCurveActivate);

        api.MapPost("/cases", async (CaseInput input, HttpContext http, LaboratoryService lab, CancellationToken ct) =>
        {
            var r = await lab.ScoreCaseAsync(http.Actor(), new CaseScoringRequest(input.PatientId, input.Assay, input.Cells, input.Aberrations,
                input.Distribution, input.Method, input.ObservedAt, input.Note, input.Confirm == true), ct);
            var a = r.Assessment;
            return TypedResults.Created($"/api/v1/care/lab/cases/{r.Observation.Id}", new CaseResponse(r.Observation, r.Dose,
                new AssessmentSummary(a.Version, a.Triage, a.ResponseCategory, a.BasisDoseGy, a.BasisLowerGy, a.BasisUpperGy, a.Doses),
                r.Curve.Id, r.Curve.Name, $"/care/patients/{r.Observation.PatientId}"));
        }).WithSummary("Scores a case: cells and aberrations of a patient's sample, read from the assay's active curve; records a cytogenetics observation and returns the new assessment. A result that lowers the patient's triage colour is refused (400, field confirm) unless confirm = true.")
            .Demands(Operation.CareCytogeneticsRecord);

        return app;
    }


}
