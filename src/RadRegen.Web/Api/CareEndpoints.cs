using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Web.Care;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>
/// Emergency care's REST API under <c>/api/v1/care</c>: incidents, patients, observations,
/// assessments, victim import, the triage queue and allocation. Role checks live in
/// <see cref="CareService"/> and <see cref="MassCasualtyService"/>; this only translates.
/// </summary>
public static class CareEndpoints
{
    public sealed record IncidentInput(string? Code, string? Title, string? Kind, DateTimeOffset? StartedAt, string? Place, IReadOnlyList<string>? Radionuclides,
        bool? Drill = null);

    public sealed record PatientInput(string? Code, int? AgeYears, string? Sex, double? WeightKg, DateTimeOffset? ExposureStart, double? ExposureHours,
        string? Route, bool Contaminated, bool Burns, bool Trauma, string? HlaTyping);

    public sealed record HlaInput(string? HlaTyping, long? Version);

    public sealed record ObservationInput(string? Kind, DateTimeOffset? ObservedAt, ObservationData? Values, bool? Confirm = null);

    /// <param name="Remote">Whether other centers' stock is considered (default true; ADR 0030).</param>
    /// <param name="Centers">For shipment requests: only these owning centers (default: every center the allocation draws on).</param>
    public sealed record AllocationInput(Dictionary<string, int>? TransportLimits, int? MaxHvg, bool? Remote = null, List<string>? Centers = null);

    public sealed record IncidentResponse(Incident Incident, int Patients, int Assessed, IReadOnlyDictionary<string, int> ByTriage,
        IReadOnlyDictionary<string, int> ByResponseCategory);

    public sealed record AssessmentSummary(int Version, DateTimeOffset AssessedAt, int ObservationCount, string Triage, string ResponseCategory,
        double? BasisDoseGy, double? BasisLowerGy, double? BasisUpperGy, bool RegenerativeCandidate, bool CytokineCandidate);

    public sealed record PatientSummary(long Id, string Code, int AgeYears, Sex Sex, double WeightKg, DateTimeOffset ExposureStart, bool CombinedInjury,
        bool HlaTyped, long Version, AssessmentSummary? Assessment);

    /// <summary>A patient, their newest observations (at most <see cref="Limits.PatientObservations"/>), how many there are, and the link paging them all when capped.</summary>
    public sealed record PatientResponse(Patient Patient, IReadOnlyList<Observation> Observations, PatientAssessment? Assessment, int ObservationCount,
        string? ObservationsNext);

    public sealed record ObservationResponse(Observation Observation, PatientAssessment Assessment);

    public sealed record ObservationImportResponse(int Observations, PatientAssessment Assessment);

    public sealed record ImportResponse(int Patients, int Observations, int Assessed, double ElapsedMs);

    public sealed record QueueResponse(int Rank, long PatientId, string Patient, double Priority, string Triage, string ResponseCategory, double? BasisDoseGy,
        IReadOnlyList<string> Reasons, IReadOnlyList<Need> Needs, string Tier, double Benefit, string BenefitBasis, IReadOnlyList<string> ExpectantCriteria);

    /// <summary>A priority-policy change: the settings that change (camelCase, as GET shows them), why, and the e-signature.</summary>
    public sealed record PolicyChangeInput(JsonObject? Changes, string? Reason, string? Password, string? Meaning);

    public sealed record PolicyVersionResponse(int Version, DateTimeOffset SetAt, string SetBy, string Reason, long? SignatureId, string? Source,
        PriorityPolicy Policy, IReadOnlyList<PolicyRule> Rules);

    public sealed record PolicyResponse(PolicyVersionResponse Current, IReadOnlyList<PolicyVersionResponse> History);

    public sealed record AssessmentVersion(long Sequence, string Time, string User, JsonElement Assessment);

    /// <summary>A physician's sign-off: the version reviewed, the password re-entered, the meaning (default: reviewed and approved).</summary>
    public sealed record AssessmentSignInput(int? Version, string? Password, string? Meaning);

    public sealed record AssessmentSignatureResponse(int Version, string SignedBy, string SignerName, string Meaning, DateTimeOffset SignedAt, long SignatureId)
    {
        public static AssessmentSignatureResponse Of(int version, ElectronicSignature signature) =>
            new(version, signature.UserName, signature.DisplayName, signature.Meaning, signature.SignedAt, signature.Id);
    }

    public static IEndpointRouteBuilder MapCareApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/care").RequireAuthorization().WithTags("care");

        api.MapGet("/incidents", async (HttpContext http, CareService care, CancellationToken ct) =>
            TypedResults.Ok(await care.ListIncidentsAsync(http.Actor(), ct))).WithName("ListIncidents").WithSummary("Incidents, newest first.");
        api.MapPost("/incidents", async (IncidentInput input, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var kind = IncidentKind.ReactorAccident;
            CareInput.All(
                () => kind = IncidentKinds.Parse(input.Kind),
                () => _ = input.StartedAt ?? throw new DomainValidationException("startedAt", "is required (ISO 8601, UTC)"));
            var incident = await care.CreateIncidentAsync(http.Actor(), new NewIncident(input.Code ?? "", input.Title ?? "", kind,
                input.StartedAt!.Value, input.Place ?? "", input.Radionuclides ?? [], input.Drill ?? false), ct);
            return TypedResults.Created($"/api/v1/care/incidents/{incident.Id}", incident);
        }).WithName("CreateIncident").WithSummary("Opens an incident: code, title, kind (reactor-accident, criticality, lost-or-orphan-source, radiological-dispersal-device, nuclear-detonation), start, place, radionuclides; drill: true for an exercise on simulated victims (the trainer reads drills only).")
            .Demands(Operation.CareIncidentOpen);
        api.MapGet("/incidents/{id:long}", async (long id, HttpContext http, IncidentView view, CancellationToken ct) =>
        {
            var o = await view.LoadAsync(http.Actor(), id, ct);
            ETag(http, o.Incident.Version);
            return TypedResults.Ok(new IncidentResponse(o.Incident, o.Patients.Count, o.Assessed, o.ByTriage, o.ByResponseCategory));
        }).WithName("GetIncident").WithSummary("One incident with its patients counted by triage colour and by METREPOL response category.");
        api.MapGet("/incidents/{id:long}/patients", async (long id, HttpContext http, IncidentView view, CancellationToken ct) =>
            TypedResults.Ok((await view.LoadAsync(http.Actor(), id, ct)).Patients.Select(Summary)))
            .WithName("ListPatients").WithSummary("The incident's patients with the summary of their current assessment.");
        api.MapPost("/incidents/{id:long}/patients", async (long id, PatientInput input, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var actor = http.Actor();
            var incident = await care.GetIncidentAsync(actor, id, ct);
            var patient = await care.RegisterPatientAsync(actor, id, ToNewPatient(input, incident), ct);
            return TypedResults.Created($"/api/v1/care/patients/{patient.Id}", patient);
        }).WithName("RegisterPatient").WithSummary("Registers a patient (pseudonymous code, age, sex, weight, exposure, combined injury, optional HLA GL String); 409 for a code already used.")
            .Demands(Operation.CarePatientRegister);
        api.MapPost("/incidents/{id:long}/imports", async (long id, HttpContext http, MassCasualtyService massCasualty, CancellationToken ct) =>
        {
            var actor = http.Actor();
            var csv = await RadRegen.Core.Csv.CsvReading.DecodeTextAsync(http.Request.Body, "upload", ct);
            var summary = await massCasualty.ImportCsvAsync(actor, id, csv, null, "upload", ct: ct);
            return TypedResults.Ok(new ImportResponse(summary.Patients, summary.Observations, summary.Assessed, Math.Round(summary.Elapsed.TotalMilliseconds, 1)));
        }).Accepts<string>("text/csv").WithName("ImportVictims")
            .WithSummary("Imports victims (body, text/csv, the victims file of docs/care.md): every bad row and field listed (400), nothing written; else patients, observations and assessments staged in short transactions and made visible in one, with the journal (all or nothing, ADR 0028).")
            .Demands(Operation.CareVictimsImport);
        api.MapGet("/incidents/{id:long}/queue", async (long id, int? top, HttpContext http, MassCasualtyService massCasualty, CancellationToken ct) =>
        {
            var queue = await massCasualty.QueueAsync(http.Actor(), id, policy: null, ct);
            return TypedResults.Ok(queue.Take(top is > 0 ? top.Value : int.MaxValue).Select(e =>
            {
                var row = new PatientRow(e.Patient, e.Assessment);
                return new QueueResponse(e.Rank, e.Patient.Id, e.Patient.Code, e.Priority, row.Colour, row.Rc, e.Assessment?.BasisDoseGy, e.Reasons, e.Needs,
                    PolicyView.TierName(e.Tier), e.Benefit, e.BenefitBasis, e.ExpectantCriteria ?? []);
            }));
        }).WithName("TriageQueue").WithSummary("The priority queue: who needs what next, with the tier (priority, needs-assessment, walking-well), the reasons of each priority, the expected benefit and any expectant criteria (?top=N).");
        api.MapGet("/priority-policy", async (HttpContext http, PriorityPolicyService policies, CancellationToken ct) =>
        {
            var actor = http.Actor();
            var current = await policies.CurrentAsync(actor, ct);
            var history = await policies.HistoryAsync(actor, ct);
            return TypedResults.Ok(new PolicyResponse(PolicyView.Describe(current, history.FirstOrDefault(h => h.Version.Version == current.Version)?.Source),
                [.. history.Select(h => PolicyView.Describe(h.Version, h.Source))]));
        }).WithName("GetPriorityPolicy").WithSummary("The crisis-standards priority policy in force (version, settings, rules with their sources) and every version (ADR 0015).");
        api.MapPut("/priority-policy", async (PolicyChangeInput input, HttpContext http, PriorityPolicyService policies, CancellationToken ct) =>
        {
            var changes = input.Changes ?? throw new DomainValidationException("changes", "give the settings that change, e.g. {\"expectantDoseGy\": 12}");
            var version = await policies.ChangeAsync(http.Actor(), changes, input.Reason, input.Password, input.Meaning, ct);
            return TypedResults.Ok(PolicyView.Describe(version, PolicySources.Change));
        }).WithName("ChangePriorityPolicy")
            .WithSummary("Changes the priority policy (physician or coordinator): changes (settings as GET shows them), reason and password (e-signature); journaled as priority-policy changed; 400 names the field.")
            .Demands(Operation.CarePriorityPolicyChange);
        api.MapPost("/incidents/{id:long}/allocations", async (long id, AllocationInput? input, HttpContext http, CareAllocation allocation, CancellationToken ct) =>
            TypedResults.Ok(CareAllocation.Describe(await allocation.RunAsync(http.Actor(), id, input?.TransportLimits, input?.MaxHvg, ct, input?.Remote ?? true))))
            .WithName("AllocateProducts")
            .WithSummary("Allocates the bank's released, unreserved vials, and other centers' shareable stock arriving within each need's window (remote: false leaves it out; a proposal the owner must accept), to the queue's needs (min-cost flow; optional transport limits per site or center and max HvG mismatches), explained per patient; journaled as a plan, not a reservation.")
            .Demands(Operation.CareAllocationRun);
        api.MapPost("/incidents/{id:long}/allocations/shipment-requests", async (long id, AllocationInput? input, HttpContext http, CareAllocation allocation, CancellationToken ct) =>
        {
            var (run, shipments) = await allocation.RequestShipmentsAsync(http.Actor(), id, input?.TransportLimits, input?.MaxHvg, input?.Centers, ct);
            return TypedResults.Ok(new AllocationShipmentsResponse(CareAllocation.Describe(run), shipments.Requested, shipments.Skipped));
        }).WithName("RequestAllocationShipments")
            .WithSummary("Runs the allocation (same body) and requests the shipments its remote part proposes from the owning centers (one request per center; centers: only these), which accept or decline; nothing is reserved at the owner until it packs. 409 when the allocation proposes no other center's stock or for a drill.")
            .Demands(Operation.CareAllocationShipmentsRequest);

        api.MapGet("/patients/{id:long}", async (long id, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var record = await care.GetPatientAsync(http.Actor(), id, ct);
            ETag(http, record.Patient.Version);
            // Issue 12 item 8: one patient's response reached 119 MB. The newest observations up to the
            // cap (Core.Limits.PatientObservations), in time order; the rest are paged at /observations.
            var cap = Limits.PatientObservations.MaxCount;
            var shown = record.Observations.Count > cap ? [.. record.Observations.Skip(record.Observations.Count - cap)] : record.Observations;
            return TypedResults.Ok(new PatientResponse(record.Patient, shown, record.Assessment, record.Observations.Count,
                shown.Count < record.Observations.Count ? $"/api/v1/care/patients/{id}/observations?page=1&pageSize={Paging.PageSizeLimit.MaxCount}" : null));
        }).WithName("GetPatient").WithSummary("A patient with their newest observations (time order, at most 2,000; observationCount says how many, observationsNext pages them all) and current assessment.");
        api.MapPut("/patients/{id:long}/hla", async (long id, HlaInput input, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var version = IfMatch(http) ?? input.Version
                ?? throw new DomainValidationException("version", "give the patient's version (If-Match or version) so that a stale change is refused");
            var patient = await care.SetHlaTypingAsync(http.Actor(), id, input.HlaTyping ?? "", version, ct);
            ETag(http, patient.Version);
            return TypedResults.Ok(patient);
        }).WithName("SetPatientHla").WithSummary("Records the patient's HLA typing (GL String) over the version given (If-Match or version); 409 when stale.")
            .Demands(Operation.CarePatientHla);
        api.MapGet("/patients/{id:long}/observations", async (long id, int? page, int? pageSize, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var (p, size) = (page ?? 1, pageSize ?? Paging.PageSizeLimit.MaxCount);
            Paging.Validate(p, size);
            var all = (await care.GetPatientAsync(http.Actor(), id, ct)).Observations;
            http.Response.Headers["X-Total-Count"] = all.Count.ToString(CultureInfo.InvariantCulture);
            var skip = Paging.Offset(p, size);
            return TypedResults.Ok<IReadOnlyList<Observation>>(skip >= all.Count ? [] : [.. all.Skip((int)skip).Take(size)]);
        }).WithName("ListObservations").WithSummary("The patient's observations in time order, a page at a time (page ≥ 1, pageSize 1–500, default 500; X-Total-Count gives the total).");
        api.MapPost("/patients/{id:long}/observations", async (long id, ObservationInput input, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var kind = ObservationKind.Symptoms;
            CareInput.All(
                () => kind = ObservationKinds.Parse(input.Kind),
                () => _ = input.ObservedAt ?? throw new DomainValidationException("observedAt", "is required (ISO 8601, UTC)"),
                () => _ = input.Values ?? throw new DomainValidationException("values", "are required"));
            var (observation, assessment) = await care.RecordObservationAsync(http.Actor(), id, kind, input.ObservedAt!.Value, input.Values!, input.Confirm == true, ct);
            return TypedResults.Created($"/api/v1/care/patients/{id}/observations", new ObservationResponse(observation, assessment));
        }).WithName("RecordObservation")
            .WithSummary("Records one observation (kind: symptoms, vitals, blood-count, skin, cytogenetics; observedAt; values) and returns the new assessment; impossible values are refused field by field. One that lowers the triage colour is refused (400, field confirm, nothing written) unless confirm = true.")
            .Demands(Operation.CareObservationRecord, Operation.CareCytogeneticsRecord);
        api.MapPost("/patients/{id:long}/observations/imports", async (long id, bool? confirm, HttpContext http, CareService care, CancellationToken ct) =>
        {
            using var reader = await BodyTextAsync(http, ct);
            var (count, assessment) = await care.ImportObservationsAsync(http.Actor(), id, reader, null, "upload", confirm == true, ct);
            return TypedResults.Ok(new ObservationImportResponse(count, assessment));
        }).Accepts<string>("text/csv").WithName("ImportObservations")
            .WithSummary("Records a CSV of the patient's observations (body, text/csv; the victims file's observation columns, observedAt on every row): every bad row and field listed (400), nothing written. A file that lowers the triage colour is refused (400, field confirm) unless ?confirm=true.")
            .Demands(Operation.CareObservationRecord, Operation.CareCytogeneticsRecord);
        api.MapGet("/patients/{id:long}/assessment", async (long id, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var record = await care.GetPatientAsync(http.Actor(), id, ct);
            return TypedResults.Ok(record.Assessment
                ?? throw new NotFoundException($"patient {record.Patient.Code} has no assessment yet; record an observation"));
        }).WithName("GetAssessment").WithSummary("The patient's current assessment: doses by method with CIs, METREPOL by day, RC, triage colour, considerations.");
        api.MapGet("/patients/{id:long}/assessments", async (long id, HttpContext http, CareService care, CancellationToken ct) =>
        {
            var actor = http.Actor();
            _ = await care.GetPatientAsync(actor, id, ct);
            var history = await care.AssessmentHistoryAsync(actor, id, ct);
            return TypedResults.Ok(history.Select(e => new AssessmentVersion(e.Sequence, e.Time, e.User, JsonDocument.Parse(e.Payload).RootElement.Clone())));
        }).WithName("AssessmentHistory").WithSummary("Every version of the patient's assessment, from the journal, newest first.");
        // ---- fixes (issue 17 item 2): a physician's sign-off of the current assessment version.
        api.MapPost("/patients/{id:long}/assessment/sign", async (long id, AssessmentSignInput input, HttpContext http, AssessmentSignOff signOff,
            CancellationToken ct) =>
        {
            var version = input.Version ?? throw new DomainValidationException("version", "is required: the assessment version reviewed");
            var signed = await signOff.SignAsync(http.Actor(), id, version, input.Password ?? "", input.Meaning, ct);
            return TypedResults.Ok(AssessmentSignatureResponse.Of(signed.Version, signed.Signature));
        }).WithName("SignAssessment")
            .WithSummary("A physician signs the patient's current assessment version as reviewed (version, password re-entered, meaning; 21 CFR 11.50/11.70); 409 naming the current version when the version is not the current one.")
            .Demands(Operation.CareAssessmentSign);
        api.MapGet("/patients/{id:long}/assessment/signatures", async (long id, HttpContext http, AssessmentSignOff signOff, CancellationToken ct) =>
            TypedResults.Ok((await signOff.ListAsync(http.Actor(), id, ct)).Select(s => AssessmentSignatureResponse.Of(s.Version, s.Signature))))
            .WithName("AssessmentSignatures").WithSummary("Who signed which version of the patient's assessment, and when.");

        return app;
    }

    /// <summary>A patient from what a person typed; every missing or unreadable field named.</summary>
    public static NewPatient ToNewPatient(PatientInput input, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(incident);
        var sex = Sex.Unknown;
        var route = ExposureRoute.External;
        CareInput.All(
            () => sex = CareInput.ParseSex(input.Sex),
            () => route = CareInput.ParseRoute(input.Route),
            () => _ = input.AgeYears ?? throw new DomainValidationException("ageYears", "is required (whole years)"),
            () => _ = input.WeightKg ?? throw new DomainValidationException("weightKg", "is required (kg)"));
        return new NewPatient(input.Code ?? "", input.AgeYears!.Value, sex, input.WeightKg!.Value, input.ExposureStart ?? incident.StartedAt,
            input.ExposureHours ?? 0, route, input.Contaminated, input.Burns, input.Trauma, string.IsNullOrWhiteSpace(input.HlaTyping) ? null : input.HlaTyping);
    }

    public static PatientSummary Summary(PatientRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var p = row.Patient;
        var a = row.Assessment;
        return new PatientSummary(p.Id, p.Code, p.AgeYears, p.Sex, p.WeightKg, p.ExposureStart, p.CombinedInjury, p.HlaTyping is not null, p.Version,
            a is null ? null : new AssessmentSummary(a.Version, a.AssessedAt, a.ObservationCount, row.Colour, row.Rc, a.BasisDoseGy, a.BasisLowerGy,
                a.BasisUpperGy, a.RegenerativeCandidate, a.CytokineCandidate));
    }

    /// <summary>
    /// The request body read whole (the CSV parsers read synchronously, which Kestrel refuses on the
    /// live stream) and decoded as strict UTF-8: bytes that are not UTF-8 are a 400 naming row and column.
    /// </summary>
    private static Task<TextReader> BodyTextAsync(HttpContext http, CancellationToken ct) =>
        RadRegen.Core.Csv.CsvReading.DecodeAsync(http.Request.Body, "upload", ct);


}
