using System.Text.RegularExpressions;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hla;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Typings;

namespace RadRegen.Care;

/// <summary>
/// Incidents, patients, observations and assessments. Every change and its journal entries are one
/// unit of work; every observation recomputes the patient's assessment, and each version of it is
/// appended to the journal (record <c>patient-assessment</c>), so earlier versions stay readable.
/// </summary>
public sealed partial class CareService(IUnitOfWorkFactory units, IClock clock, AssessmentOptions? assessmentOptions = null)
{
    /// <summary>The center's assessment choices (configuration <c>Care:Assessment:*</c>), used by every assessment this service and the mass-casualty import compute.</summary>
    public AssessmentOptions AssessmentOptions { get; } = assessmentOptions ?? AssessmentOptions.Default;

    public async Task<Incident> CreateIncidentAsync(Actor actor, NewIncident incident, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(incident);
        actor.Demand(Operation.CareIncidentOpen);
        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(incident.Code ?? ""))
        {
            errors.Add(new FieldError("code", "1–32 letters, digits, '-' or '_' (e.g. INC-0001)"));
        }

        if (string.IsNullOrWhiteSpace(incident.Title))
        {
            errors.Add(new FieldError("title", "is required"));
        }

        if (incident.StartedAt > clock.UtcNow + ObservationRules.FutureTolerance)
        {
            errors.Add(new FieldError("startedAt", "is in the future"));
        }

        // Issue 12 item 8: a 10 MB title was stored (and journaled); 200,000 radionuclides were accepted.
        new InputLimits(errors).Text("title", incident.Title, Limits.Title).Text("place", incident.Place, Limits.ShortName)
            .List("radionuclides", incident.Radionuclides, Limits.ShortList, Limits.ShortName);

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var clean = incident with
        {
            Code = incident.Code!.Trim(),
            Title = incident.Title.Trim(),
            Place = (incident.Place ?? "").Trim(),
            Radionuclides = [.. (incident.Radionuclides ?? []).Select(r => r.Trim()).Where(r => r.Length > 0)],
        };
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        if (await store.GetIncidentByCodeAsync(clean.Code, ct) is not null)
        {
            throw new ConflictException($"an incident with code {clean.Code} already exists");
        }

        var id = await store.InsertIncidentAsync(clean, clock.UtcNow, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("incident", Id(id), "opened",
            new { clean.Code, clean.Title, kind = clean.Kind.Name(), startedAt = JournalTime.ToText(clean.StartedAt), clean.Place, clean.Radionuclides, clean.Drill }), ct);
        var created = (await store.GetIncidentAsync(id, ct))!;
        await uow.CommitAsync(ct);
        return created;
    }

    /// <summary>The incidents the actor may read: all of them, or the drills only for a trainer (ADR 0026).</summary>
    public async Task<IReadOnlyList<Incident>> ListIncidentsAsync(Actor actor, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var all = await uow.Store<ICareStore>().ListIncidentsAsync(ct);
        return actor.May(Operation.CareRead) ? all : [.. all.Where(i => i.Drill)];
    }

    public async Task<Incident> GetIncidentAsync(Actor actor, long id, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var incident = await uow.Store<ICareStore>().GetIncidentAsync(id, ct) ?? throw NotFound(actor, $"no incident {id}");
        ReadIncident(actor, incident);
        return incident;
    }

    /// <summary>
    /// How many patients the center holds: real ones, and apart from them the simulated patients of
    /// drills. A drill patient is never counted with real ones (issue 15 item 2, ADR 0035).
    /// </summary>
    public async Task<(long Real, long Drill)> CountPatientsAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        long real = 0, drill = 0;
        foreach (var incident in await store.ListIncidentsAsync(ct))
        {
            var n = await store.CountPatientsAsync(incident.Id, ct);
            if (incident.Drill)
            {
                drill += n;
            }
            else
            {
                real += n;
            }
        }

        return (real, drill);
    }

    /// <summary>Finds an incident by id (digits) or code.</summary>
    public async Task<Incident> FindIncidentAsync(Actor actor, string idOrCode, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        var incident = (long.TryParse(idOrCode, out var id) ? await store.GetIncidentAsync(id, ct) : null)
            ?? await store.GetIncidentByCodeAsync(idOrCode, ct)
            ?? throw NotFound(actor, $"no incident {idOrCode}");
        ReadIncident(actor, incident);
        return incident;
    }

    public async Task<Patient> RegisterPatientAsync(Actor actor, long incidentId, NewPatient patient, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CarePatientRegister);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        var incident = await store.GetIncidentAsync(incidentId, ct) ?? throw new NotFoundException($"no incident {incidentId}");
        var clean = ValidatePatient(incident, patient, "");
        if ((await store.FindPatientsByCodeAsync(clean.Code, incidentId, ct)).Count > 0)
        {
            throw new ConflictException($"patient {clean.Code} is already registered in incident {incident.Code}");
        }

        var created = await InsertPatientAsync(uow, actor, incident, clean, ct);
        await uow.CommitAsync(ct);
        return created;
    }

    /// <summary>Patients with this code (ignoring case) in any incident: a code is unique within an incident only.</summary>
    public async Task<IReadOnlyList<Patient>> FindPatientsByCodeAsync(Actor actor, string code, CancellationToken ct = default)
    {
        ReadDrills(actor);
        ArgumentNullException.ThrowIfNull(code);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        var found = await store.FindPatientsByCodeAsync(code.Trim(), null, ct);
        if (actor.May(Operation.CareRead))
        {
            return found;
        }

        var drills = (await store.ListIncidentsAsync(ct)).Where(i => i.Drill).Select(i => i.Id).ToHashSet();
        return [.. found.Where(p => drills.Contains(p.IncidentId))];
    }

    public async Task<IReadOnlyList<Patient>> ListPatientsAsync(Actor actor, long incidentId, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        await ReadIncidentAsync(store, actor, incidentId, ct);
        return await store.ListPatientsAsync(incidentId, ct);
    }

    /// <summary>A patient with their observations (time order) and current assessment.</summary>
    public async Task<PatientRecord> GetPatientAsync(Actor actor, long patientId, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        var patient = await store.GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        await ReadIncidentAsync(store, actor, patient.IncidentId, ct);
        var observations = await store.ListObservationsAsync(patientId, ct);
        return new PatientRecord(patient, [.. observations.OrderBy(o => o.ObservedAt).ThenBy(o => o.Id)], await store.GetAssessmentAsync(patientId, ct));
    }

    /// <summary>Every version of a patient's assessment, from the journal, newest first.</summary>
    public async Task<IReadOnlyList<JournalEntry>> AssessmentHistoryAsync(Actor actor, long patientId, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        await ReadPatientAsync(uow.Store<ICareStore>(), actor, patientId, ct);
        var store = uow.Store<ICareStore>();
        var page = await uow.Journal.QueryAsync(new JournalQuery(RecordType: "patient-assessment", RecordId: Id(patientId), PageSize: 500), ct);
        var entries = new List<JournalEntry>(page.Entries.Count + 1);
        foreach (var entry in page.Entries)
        {
            entries.Add(await WithImportedPayloadAsync(store, entry, ct));
        }

        if (await store.GetImportChunkAsync(patientId, ct) is { } chunk)
        {
            // Imported in a chunk (ADR 0033): the first assessment is journaled in the chunk's entry,
            // older than every later version.
            entries.Add(await ImportedFirstAssessmentAsync(uow.Journal, store, patientId, chunk.ImportId, chunk.Chunk, ct));
        }

        return entries;
    }

    /// <summary>
    /// The first assessment of a patient imported in a chunk (ADR 0033): the chunk's journal entry
    /// (its sequence, time, user and hash, which the chain protects) with the stored payload shown in
    /// place of the payload, once its SHA-256 equals the one the entry records for this patient.
    /// </summary>
    private static async Task<JournalEntry> ImportedFirstAssessmentAsync(IJournal journal, ICareStore store, long patientId, long importId, int chunk, CancellationToken ct)
    {
        var recordId = MassCasualty.MassCasualtyService.ImportChunkRecordId(importId, chunk);
        var page = await journal.QueryAsync(new JournalQuery(RecordType: MassCasualty.MassCasualtyService.ImportChunkRecordType, RecordId: recordId, PageSize: 2), ct);
        var entry = page.Entries.Count == 1
            ? page.Entries[0]
            : throw new InvalidOperationException($"patient {patientId} was imported in chunk {recordId}, which the journal does not hold once");
        var recorded = ImportedAssessmentDigest(entry.Payload, patientId)
            ?? throw new InvalidOperationException($"journal entry {entry.Sequence} (chunk {recordId}) does not name patient {patientId}");
        var stored = await store.GetImportedFirstAssessmentAsync(patientId, ct)
            ?? throw new InvalidOperationException($"the imported first assessment of patient {patientId} (journal entry {entry.Sequence}) is not stored");
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stored)));
        return digest == recorded
            ? entry with { Payload = stored }
            : throw new InvalidOperationException($"the stored first assessment of patient {patientId} does not match the SHA-256 of journal entry {entry.Sequence}");
    }

    /// <summary>The SHA-256 a chunk entry's payload records for <paramref name="patientId"/>'s first assessment, or null.</summary>
    private static string? ImportedAssessmentDigest(string chunkPayload, long patientId)
    {
        using var document = System.Text.Json.JsonDocument.Parse(chunkPayload);
        if (!document.RootElement.TryGetProperty("victims", out var victims) || victims.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return null;
        }

        foreach (var victim in victims.EnumerateArray())
        {
            if (victim.TryGetProperty("patientId", out var id) && id.TryGetInt64(out var value) && value == patientId
                && victim.TryGetProperty("assessment", out var assessment) && assessment.TryGetProperty("payload", out var payload)
                && payload.TryGetProperty("sha256", out var sha256))
            {
                return sha256.GetString();
            }
        }

        return null;
    }

    /// <summary>
    /// An imported first assessment is journaled by the SHA-256 of its stored payload (ADR 0028): the
    /// history shows the stored payload in its place once it matches that digest, which the chain protects.
    /// </summary>
    private static async Task<JournalEntry> WithImportedPayloadAsync(ICareStore store, JournalEntry entry, CancellationToken ct)
    {
        using var recorded = System.Text.Json.JsonDocument.Parse(entry.Payload);
        if (!recorded.RootElement.TryGetProperty("imported", out var imported) || imported.ValueKind != System.Text.Json.JsonValueKind.True
            || !recorded.RootElement.TryGetProperty("payload", out var payload) || !payload.TryGetProperty("sha256", out var sha256))
        {
            return entry;
        }

        var patientId = long.Parse(entry.RecordId, System.Globalization.CultureInfo.InvariantCulture);
        var stored = await store.GetImportedFirstAssessmentAsync(patientId, ct)
            ?? throw new InvalidOperationException($"the imported first assessment of patient {patientId} (journal entry {entry.Sequence}) is not stored");
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stored)));
        return digest == sha256.GetString()
            ? entry with { Payload = stored }
            : throw new InvalidOperationException($"the stored first assessment of patient {patientId} does not match the SHA-256 of journal entry {entry.Sequence}");
    }

    /// <summary>Records the patient's HLA typing (GL String, parsed by RadRegen.Hla).</summary>
    public async Task<Patient> SetHlaTypingAsync(Actor actor, long patientId, string glString, long expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CarePatientHla);
        var gl = ParseHla(glString, "hlaTyping");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        var patient = await store.GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        if (!await store.UpdatePatientHlaAsync(patientId, gl, expectedVersion, ct))
        {
            throw new ConflictException($"patient {patient.Code} was changed by someone else (version {patient.Version}, you had {expectedVersion}); reload");
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("patient", Id(patientId), "hla-typed", new { hlaTyping = gl, previous = patient.HlaTyping }), ct);
        var updated = (await store.GetPatientAsync(patientId, ct))!;
        await uow.CommitAsync(ct);
        return updated;
    }

    /// <summary>
    /// Records an observation and recomputes the patient's assessment in the same unit of work:
    /// both are journaled, or neither is written. When the observation would lower the patient's
    /// triage colour (red → yellow, yellow → green …) it is refused (field <c>confirm</c>, nothing
    /// written) unless <paramref name="confirm"/> is set: one reading (a mistyped count, a case read
    /// from a bad curve) must not move a patient down the queue unnoticed (issue 11, item 7).
    /// </summary>
    public async Task<(Observation Observation, PatientAssessment Assessment)> RecordObservationAsync(
        Actor actor, long patientId, ObservationKind kind, DateTimeOffset observedAt, ObservationData data, bool confirm = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(data);
        if (kind == ObservationKind.Cytogenetics)
        {
            actor.Demand(Operation.CareCytogeneticsRecord);
        }
        else
        {
            actor.Demand(Operation.CareObservationRecord);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        var patient = await store.GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        var now = clock.UtcNow;
        ObservationRules.Validate(patient, kind, observedAt, data, now);
        var observation = new Observation(0, patientId, kind, observedAt, data, actor.UserName, now);
        var id = await store.InsertObservationAsync(observation, ct);
        observation = observation with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("observation", Id(id), "recorded",
            new { patientId, patient = patient.Code, kind = kind.Name(), observedAt = JournalTime.ToText(observedAt), data }), ct);
        var previous = await store.GetAssessmentAsync(patientId, ct);
        var assessment = await ReassessAsync(uow, actor, patient, ct);
        if (!confirm && Lowers(previous?.Triage, assessment.Triage))
        {
            // Thrown before the commit: the unit of work rolls back the observation, the assessment and their journal entries.
            throw new DomainValidationException("confirm", $"this {kind.Name()} observation lowers the triage colour of {patient.Code} from {previous!.Triage} to {assessment.Triage ?? "none"} "
                + $"(basis {(assessment.Doses.FirstOrDefault()?.Method ?? "no dose evidence")}); check it and send it again with confirm = true to record it");
        }

        await uow.CommitAsync(ct);
        return (observation, assessment);
    }

    /// <summary>
    /// Records a file of observations of one patient (<see cref="MassCasualty.VictimCsv.ParseObservations"/>:
    /// the victims file's observation columns) and reassesses once: every bad row and field is listed
    /// and nothing is written, or all are written with their journal entries in one unit of work.
    /// A file that lowers the patient's triage colour is refused like a single observation (field
    /// <c>confirm</c>, nothing written) unless <paramref name="confirm"/> is set (issue 11, item 7).
    /// </summary>
    public async Task<(int Observations, PatientAssessment Assessment)> ImportObservationsAsync(
        Actor actor, long patientId, TextReader reader, CurveSpec? curve, string source, bool confirm = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(reader);
        Permissions.RequireAny(actor, Operation.CareObservationRecord, Operation.CareCytogeneticsRecord);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        var patient = await store.GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        var now = clock.UtcNow;
        var parsed = MassCasualty.VictimCsv.ParseObservations(reader, patient, curve, now, source);
        if (parsed.Any(o => o.Kind == ObservationKind.Cytogenetics))
        {
            actor.Demand(Operation.CareCytogeneticsRecord);
        }

        if (parsed.Any(o => o.Kind != ObservationKind.Cytogenetics))
        {
            actor.Demand(Operation.CareObservationRecord);
        }

        foreach (var o in parsed)
        {
            var id = await store.InsertObservationAsync(new Observation(0, patientId, o.Kind, o.ObservedAt, o.Data, actor.UserName, now), ct);
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("observation", Id(id), "recorded",
                new { patientId, patient = patient.Code, kind = o.Kind.Name(), observedAt = JournalTime.ToText(o.ObservedAt), o.Data, source, row = o.Row }), ct);
        }

        var previous = await store.GetAssessmentAsync(patientId, ct);
        var assessment = await ReassessAsync(uow, actor, patient, ct);
        if (!confirm && Lowers(previous?.Triage, assessment.Triage))
        {
            // Thrown before the commit: nothing of the file is written.
            throw new DomainValidationException("confirm", $"these {parsed.Count} observations ({source}) lower the triage colour of {patient.Code} from {previous!.Triage} to {assessment.Triage ?? "none"} "
                + $"(basis {(assessment.Doses.FirstOrDefault()?.Method ?? "no dose evidence")}); check them and send the file again with confirm = true to record it");
        }

        await uow.CommitAsync(ct);
        return (parsed.Count, assessment);
    }

    /// <summary>Recomputes every patient of an incident (after a curve or rule change); returns how many changed version.</summary>
    public async Task<int> AssessIncidentAsync(Actor actor, long incidentId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareIncidentAssess);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        _ = await store.GetIncidentAsync(incidentId, ct) ?? throw new NotFoundException($"no incident {incidentId}");
        var patients = await store.ListPatientsAsync(incidentId, ct);
        var observations = (await store.ListIncidentObservationsAsync(incidentId, ct)).ToLookup(o => o.PatientId);
        var current = (await store.ListAssessmentsAsync(incidentId, ct)).ToDictionary(a => a.PatientId);
        var now = clock.UtcNow;
        var computed = new PatientAssessment[patients.Count];
        Parallel.For(0, patients.Count, i =>
        {
            var p = patients[i];
            computed[i] = PatientAssessor.Assess(p, [.. observations[p.Id]], (current.TryGetValue(p.Id, out var c) ? c.Version : 0) + 1, now, AssessmentOptions, c?.Triage);
        });
        var changed = 0;
        foreach (var a in computed)
        {
            if (current.TryGetValue(a.PatientId, out var old) && SameConclusion(old, a))
            {
                continue;
            }

            await SaveAsync(uow, actor, a, ct);
            changed++;
        }

        await uow.CommitAsync(ct);
        return changed;
    }

    /// <summary>Current assessments of an incident's patients.</summary>
    public async Task<IReadOnlyList<PatientAssessment>> ListAssessmentsAsync(Actor actor, long incidentId, CancellationToken ct = default)
    {
        ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        await ReadIncidentAsync(store, actor, incidentId, ct);
        return await store.ListAssessmentsAsync(incidentId, ct);
    }

    /// <summary>Reading care records of any incident, real or drill.</summary>
    internal static void Read(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareRead);
    }

    /// <summary>
    /// The first check of a read that may concern a drill: the actor reads at least drill incidents.
    /// The record read is then checked with <see cref="ReadIncident"/> (ADR 0026).
    /// </summary>
    internal static void ReadDrills(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareDrillRead);
    }

    /// <summary>Reading an incident's records: a drill needs <c>care.drill.read</c>, a real incident <c>care.read</c> (a trainer is refused).</summary>
    internal static void ReadIncident(Actor actor, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!incident.Drill)
        {
            actor.Demand(Operation.CareRead);
        }
    }

    /// <summary>Not found, for those who read real incidents; refused for the others, who learn nothing of which ids exist.</summary>
    private static NotFoundException NotFound(Actor actor, string message)
    {
        actor.Demand(Operation.CareRead);
        return new NotFoundException(message);
    }

    /// <summary><see cref="ReadIncident"/> by id; an incident that does not exist is not found for those who read real ones, refused for the others.</summary>
    internal static async Task ReadIncidentAsync(ICareStore store, Actor actor, long incidentId, CancellationToken ct)
    {
        if (actor.May(Operation.CareRead))
        {
            return;
        }

        var incident = await store.GetIncidentAsync(incidentId, ct);
        if (incident is null)
        {
            actor.Demand(Operation.CareRead); // not revealing which ids exist to someone who may read drills only
        }

        ReadIncident(actor, incident!);
    }

    /// <summary><see cref="ReadIncident"/> for a patient's incident.</summary>
    internal static async Task ReadPatientAsync(ICareStore store, Actor actor, long patientId, CancellationToken ct)
    {
        if (actor.May(Operation.CareRead))
        {
            return;
        }

        var patient = await store.GetPatientAsync(patientId, ct);
        if (patient is null)
        {
            actor.Demand(Operation.CareRead);
        }

        await ReadIncidentAsync(store, actor, patient!.IncidentId, ct);
    }

    internal static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static NewPatient ValidatePatient(Incident incident, NewPatient? patient, string prefix, TypingCache? typings = null)
    {
        if (patient is null)
        {
            throw new DomainValidationException(prefix + "patient", "is required");
        }

        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(patient.Code ?? ""))
        {
            errors.Add(new FieldError(prefix + "code", "1–32 letters, digits, '-' or '_' (a pseudonym, never a name)"));
        }

        if (patient.AgeYears is < 0 or > 120)
        {
            errors.Add(new FieldError(prefix + "ageYears", $"{patient.AgeYears} is not an age (0–120 years)"));
        }

        if (!(patient.WeightKg is >= 0.5 and <= 350))
        {
            errors.Add(new FieldError(prefix + "weightKg", $"{patient.WeightKg} kg is not a body weight (0.5–350 kg)"));
        }

        if (patient.ExposureStart < incident.StartedAt)
        {
            errors.Add(new FieldError(prefix + "exposureStart", $"is before the incident began ({JournalTime.ToText(incident.StartedAt)})"));
        }

        if (!(patient.ExposureHours is >= 0 and <= 24 * 365))
        {
            errors.Add(new FieldError(prefix + "exposureHours", "must be ≥ 0 hours (0 for an acute exposure)"));
        }

        string? gl = null;
        if (!string.IsNullOrWhiteSpace(patient.HlaTyping))
        {
            try
            {
                gl = ParseHla(patient.HlaTyping, prefix + "hlaTyping", typings);
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return patient with { Code = patient.Code!.Trim(), HlaTyping = gl };
    }

    private async Task<Patient> InsertPatientAsync(IUnitOfWork uow, Actor actor, Incident incident, NewPatient clean, CancellationToken ct)
    {
        var store = uow.Store<ICareStore>();
        var id = await store.InsertPatientAsync(incident.Id, clean, clock.UtcNow, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("patient", Id(id), "registered",
            new
            {
                incident = incident.Code,
                clean.Code,
                clean.AgeYears,
                sex = clean.Sex.ToString().ToLowerInvariant(),
                clean.WeightKg,
                exposureStart = JournalTime.ToText(clean.ExposureStart),
                clean.ExposureHours,
                route = clean.Route.ToString(),
                clean.Contaminated,
                clean.Burns,
                clean.Trauma,
                clean.HlaTyping,
            }), ct);
        return (await store.GetPatientAsync(id, ct))!;
    }

    /// <summary>The triage colours from lowest to highest (MULTIBIODOSE green &lt; yellow &lt; red).</summary>
    private static readonly string[] TriageOrder = ["green", "yellow", "red"];

    /// <summary>Whether going from <paramref name="before"/> to <paramref name="after"/> lowers the triage colour (losing a colour counts as lowering).</summary>
    public static bool Lowers(string? before, string? after)
    {
        var b = Array.IndexOf(TriageOrder, before);
        return b >= 0 && Array.IndexOf(TriageOrder, after) < b;
    }

    internal async Task<PatientAssessment> ReassessAsync(IUnitOfWork uow, Actor actor, Patient patient, CancellationToken ct)
    {
        var store = uow.Store<ICareStore>();
        var observations = await store.ListObservationsAsync(patient.Id, ct);
        var previous = await store.GetAssessmentAsync(patient.Id, ct);
        var assessment = PatientAssessor.Assess(patient, observations, (previous?.Version ?? 0) + 1, clock.UtcNow, AssessmentOptions, previous?.Triage);
        await SaveAsync(uow, actor, assessment, ct);
        return assessment;
    }

    internal static async Task SaveAsync(IUnitOfWork uow, Actor actor, PatientAssessment assessment, CancellationToken ct)
    {
        if (!await uow.Store<ICareStore>().SaveAssessmentAsync(assessment, ct))
        {
            throw new ConflictException($"the assessment of patient {assessment.PatientId} was updated by someone else meanwhile; try again");
        }

        await uow.Journal.AppendAsync(actor.UserName, Assessed(assessment), ct);
    }

    /// <summary>The journal record of a new assessment version (its full payload).</summary>
    internal static JournalRecord Assessed(PatientAssessment assessment) =>
        new("patient-assessment", Id(assessment.PatientId), "assessed", assessment);

    private static bool SameConclusion(PatientAssessment a, PatientAssessment b) =>
        a.ObservationCount == b.ObservationCount && a.Triage == b.Triage && a.ResponseCategory == b.ResponseCategory
        && Nullable.Equals(a.BasisDoseGy, b.BasisDoseGy) && Nullable.Equals(a.BasisLowerGy, b.BasisLowerGy) && Nullable.Equals(a.BasisUpperGy, b.BasisUpperGy)
        && a.Considerations.Select(c => c.Treatment).SequenceEqual(b.Considerations.Select(c => c.Treatment), StringComparer.Ordinal)
        && a.MultiOrganInjury == b.MultiOrganInjury;

    /// <summary>
    /// The matcher a patient's typing must suit: the one allocation and the patient page use (A, B,
    /// DRB1 at two fields, no operator reference files loaded in the server).
    /// </summary>
    private static readonly HlaMatcher EntryMatcher = new(MatchOptions.Default);

    /// <summary>
    /// Why matching cannot handle a patient's stored typing (one stored before entry refused such
    /// typings, issue 12 item 5), or null when it can or the patient is not typed; shown as
    /// "cannot be matched: reason".
    /// </summary>
    public static string? WhyHlaNotMatchable(string? glString) => TypingAcceptance.WhyNotMatchable(glString, EntryMatcher);

    /// <summary>A typing is accepted only if matching can handle it as entered (<see cref="TypingAcceptance"/>; issue 12 item 5).</summary>
    private static string ParseHla(string glString, string field, TypingCache? typings = null)
    {
        // Before parsing: a 10 MB typing is refused by its length, not walked by the parser.
        new InputLimits().Text(field, glString, Limits.GlString).ThrowIfAny();
        if (typings?.Accepted(glString, EntryMatcher) is { } known)
        {
            return known;
        }

        try
        {
            return TypingAcceptance.Read(glString, EntryMatcher).ToString() ?? glString.Trim();
        }
        catch (HlaInputException ex)
        {
            throw new DomainValidationException(field, ex.Message);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex CodePattern();
}

/// <summary>A patient with their observations and current assessment.</summary>
public sealed record PatientRecord(Patient Patient, IReadOnlyList<Observation> Observations, PatientAssessment? Assessment);
