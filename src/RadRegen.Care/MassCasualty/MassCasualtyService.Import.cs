using System.Diagnostics;
using System.Text.Json;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Diagnostics;
using RadRegen.Core.Journal;

namespace RadRegen.Care.MassCasualty;

/// <summary>The victims import (ADR 0021): everything but the write is done before the write transaction.</summary>
public sealed partial class MassCasualtyService
{
    /// <summary>
    /// Writes every victim with their observations and assessment: all or nothing. Journal: one
    /// <c>patient registered</c> entry per victim (with the number and <see cref="ObservationDigest"/>
    /// of its observations, ADR 0027), one <c>patient-assessment assessed</c> entry per victim, then one
    /// <c>incident victims imported</c> entry. Traced as <c>import victims</c>, counted in
    /// <c>radregen.import.rows</c> and timed in <c>radregen.import.duration</c>.
    /// </summary>
    public Task<ImportSummary> ImportAsync(Actor actor, long incidentId, IReadOnlyList<ImportedVictim> victims, CancellationToken ct = default) =>
        ImportAsync(actor, incidentId, victims, null, ct);

    /// <summary>
    /// As <see cref="ImportAsync(Actor, long, IReadOnlyList{ImportedVictim}, CancellationToken)"/>,
    /// reporting each <see cref="VictimImportPhase"/> to <paramref name="progress"/> (called on the
    /// importing thread, synchronously).
    /// </summary>
    /// <remarks>
    /// Care goes on during an import (issue 12, item 4): the incident and the codes are checked in a
    /// read transaction, the patient ids reserved in a transaction of one statement, then every victim
    /// is assessed and every row and journal payload serialised with no transaction open. Only then
    /// does one short write transaction insert the rows in bulk and chain the journal entries (the
    /// one step that must hold the journal). A bad row has been refused before anything is written;
    /// a failure during the write rolls all of it back. A reserved id that ends up unused is a gap.
    /// </remarks>
    public async Task<ImportSummary> ImportAsync(Actor actor, long incidentId, IReadOnlyList<ImportedVictim> victims,
        IProgress<VictimImportPhase>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(victims);
        var kind = new KeyValuePair<string, object?>(RadRegenDiagnostics.Tags.ImportKind, ImportKind);
        using var activity = RadRegenDiagnostics.Source.StartActivity("import " + ImportKind);
        activity?.SetTag(RadRegenDiagnostics.Tags.ImportKind, ImportKind);
        activity?.SetTag(RadRegenDiagnostics.Tags.Incident, incidentId);
        activity?.SetTag(RadRegenDiagnostics.Tags.Rows, victims.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var summary = await WriteVictimsAsync(actor, incidentId, victims, progress, activity, ct);
            activity?.SetTag("radregen.import.observations", summary.Observations);
            RadRegenDiagnostics.ImportedRows.Add(summary.Patients, kind);
            RadRegenDiagnostics.ImportDuration.Record(summary.Elapsed.TotalSeconds, kind, RadRegenDiagnostics.Outcome(null));
            VictimsImported(_log, incidentId, actor.UserName, summary.Patients, summary.Observations, summary.Assessed, summary.Elapsed.TotalMilliseconds);
            return summary;
        }
        catch (Exception ex)
        {
            RadRegenDiagnostics.Failed(activity, ex);
            RadRegenDiagnostics.ImportDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, kind, RadRegenDiagnostics.Outcome(ex));
            throw;
        }
    }

    private async Task<ImportSummary> WriteVictimsAsync(Actor actor, long incidentId, IReadOnlyList<ImportedVictim> victims,
        IProgress<VictimImportPhase>? progress, Activity? activity, CancellationToken ct)
    {
        actor.Demand(Operation.CareVictimsImport);
        var watch = Stopwatch.StartNew();

        // 1. Check: the incident and the codes, in a read transaction (readers never block writers).
        Incident incident;
        long patientsBefore;
        await using (var read = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = read.Store<ICareStore>();
            incident = await store.GetIncidentAsync(incidentId, ct) ?? throw new NotFoundException($"no incident {incidentId}");
            var existing = await store.ListPatientsAsync(incidentId, ct);
            RefuseClashes(incident, existing, victims);
            patientsBefore = existing.Count;
        }

        IReadOnlyList<long> ids;
        await using (var reserve = await units.BeginAsync(WorkMode.Write, ct))
        {
            ids = await reserve.Store<ICareStore>().ReservePatientIdsAsync(victims.Count, ct);
            await reserve.CommitAsync(ct);
        }

        activity?.AddEvent(new ActivityEvent("checked"));
        progress?.Report(VictimImportPhase.Checked);

        // 2. Prepare, no transaction open: assess each victim and serialise every row and journal payload.
        var now = clock.UtcNow;
        var user = actor.UserName;
        var patients = new Patient[victims.Count];
        var observations = new PreparedObservation[victims.Count][];
        var assessments = new PreparedAssessment[victims.Count];
        var registered = new PreparedJournalRecord[victims.Count];
        var assessed = new PreparedJournalRecord[victims.Count];
        // Care goes on meanwhile (issue 12 item 4): the assessment leaves one core to the requests
        // being served (measured before: on 2 cores, two assessment threads starved PostgreSQL
        // reservations into pool time-outs, docs/performance.md); on a 2-core machine it runs on one.
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount - 1) };
        Parallel.For(0, victims.Count, parallel, i =>
        {
            var v = victims[i];
            var id = ids[i];
            var p = new Patient(id, incident.Id, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, now, 1);
            var list = v.Observations.Select(o => new Observation(0, id, o.Kind, o.ObservedAt, o.Data, user, now)).ToList();
            var data = new string[list.Count];
            var prepared = new PreparedObservation[list.Count];
            for (var k = 0; k < list.Count; k++)
            {
                data[k] = JsonSerializer.Serialize(list[k].Data, CareJson.Options);
                prepared[k] = new PreparedObservation(list[k], data[k]);
            }

            // ADR 0027: the observations' number and digest, not their values again (the rows hold them).
            registered[i] = PreparedJournalRecord.Prepare(user, Registered(incident, id, v.Patient, list.Count, ObservationDigest.Of(list, data)));
            observations[i] = prepared;
            var assessment = PatientAssessor.Assess(p, list, 1, now, care.AssessmentOptions);
            assessments[i] = new PreparedAssessment(assessment, JsonSerializer.Serialize(assessment, CareJson.Options));
            assessed[i] = PreparedJournalRecord.Prepare(user, CareService.Assessed(assessment));
            patients[i] = p;
        });
        var rows = new VictimImportRows(incident.Id, patients, [.. observations.SelectMany(o => o)], assessments);
        var imported = PreparedJournalRecord.Prepare(user, new JournalRecord("incident", CareService.Id(incident.Id), "victims imported", new
        {
            incident = incident.Code,
            victims = patients.Length,
            observations = rows.Observations.Count,
            firstPatient = patients.Length > 0 ? patients[0].Id : 0,
            lastPatient = patients.Length > 0 ? patients[^1].Id : 0,
        }));
        activity?.AddEvent(new ActivityEvent("prepared"));
        progress?.Report(VictimImportPhase.Prepared);

        // 3. Write: one short transaction. Every "registered", then every "assessed", then the
        // import's own entry (ADR 0027).
        await using (var uow = await units.BeginAsync(WorkMode.Write, ct))
        {
            var store = uow.Store<ICareStore>();
            if (await store.CountPatientsAsync(incidentId, ct) != patientsBefore)
            {
                // Someone registered patients in this incident meanwhile: check the codes again.
                RefuseClashes(incident, await store.ListPatientsAsync(incidentId, ct), victims);
            }

            await store.InsertVictimImportAsync(rows, ct);
            await uow.Journal.AppendPreparedAsync([.. registered, .. assessed, imported], ct);
            await uow.CommitAsync(ct);

        }

        activity?.AddEvent(new ActivityEvent("written"));
        progress?.Report(VictimImportPhase.Written);
        return new ImportSummary(patients.Length, rows.Observations.Count, assessments.Length, watch.Elapsed);
    }

    /// <summary>
    /// The journal record of an imported victim's registration (ADR 0027): the patient as imported and
    /// the number and <see cref="ObservationDigest"/> of the observations stored with them.
    /// </summary>
    public static JournalRecord Registered(Incident incident, long patientId, NewPatient patient, int observations, string observationsSha256)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(patient);
        return new JournalRecord("patient", CareService.Id(patientId), "registered", new
        {
            incident = incident.Code,
            imported = true,
            patient,
            observations = new { count = observations, sha256 = observationsSha256 },
        });
    }

    private static void RefuseClashes(Incident incident, IReadOnlyList<Patient> existing, IReadOnlyList<ImportedVictim> victims)
    {
        var codes = existing.Select(p => p.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var clashes = victims.Where(v => codes.Contains(v.Patient.Code))
            .Select(v => new FieldError($"row {v.FirstRow}: patient", $"{v.Patient.Code} is already registered in {incident.Code}")).ToList();
        if (clashes.Count > 0)
        {
            throw new DomainValidationException(clashes);
        }
    }
}
