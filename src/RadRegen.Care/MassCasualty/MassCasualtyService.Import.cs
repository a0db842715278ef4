using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Diagnostics;
using RadRegen.Core.Journal;

namespace RadRegen.Care.MassCasualty;

/// <summary>The victims import (ADR 0021, 0028): assessed outside any transaction, staged in short ones, published in one.</summary>
public sealed partial class MassCasualtyService
{
    /// <summary>
    /// Writes every victim with their observations and assessment: all or nothing. Journal (ADR 0033):
    /// one <c>victims-import registered and assessed</c> entry per staged chunk, naming every victim of
    /// the chunk with the number and <see cref="ObservationDigest"/> of its observations (ADR 0027) and
    /// the SHA-256 of its stored first assessment (ADR 0028), then one <c>incident victims imported</c> entry. Traced as <c>import victims</c>, counted in
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
    /// read transaction; the patient ids are reserved and the import opened (staging) in one short
    /// transaction; then, chunk by chunk (<see cref="ImportChunkVictims"/>), the victims are assessed
    /// and serialised with no transaction open and their rows written in a short transaction of their
    /// own, invisible to every reader (ADR 0028). One short transaction publishes the rows and chains
    /// the journal entries (the one step that must hold the journal). A bad row has been refused before
    /// anything is written; any failure after the import was opened deletes its staged rows, and
    /// nothing of it was journaled. A reserved id that ends up unused is a gap.
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

    /// <summary>
    /// Victims per staged chunk (ADR 0028): each chunk is one short write transaction, so a
    /// reservation arriving meanwhile waits for at most one chunk.
    /// </summary>
    public int ImportChunkVictims { get; set; } = DefaultImportChunkVictims;

    /// <summary>
    /// The default <see cref="ImportChunkVictims"/>: about 1,000 victims (≈ 9,000 observation rows and
    /// 3.5 MB of assessments) is a transaction of the order of 0.1 s on SQLite on one core (measured,
    /// docs/performance.md), small against the 1-s reservation target of issue 12 item 4.
    /// </summary>
    public const int DefaultImportChunkVictims = 1000;

    /// <summary>
    /// Threads that assess an import's victims (ADR 0027): by default all cores but one, so that one
    /// is left to the requests being served (on 2 cores, two assessing threads once starved PostgreSQL
    /// reservations into pool time-outs, docs/performance.md); at least one.
    /// </summary>
    public int ImportAssessmentThreads { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How long a staging import may go untouched before a start-up sweep takes it for abandoned.</summary>
    public static readonly TimeSpan AbandonedImportAfter = TimeSpan.FromMinutes(10);

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

        // 2. Reserve the ids and open the import, staging (ADR 0028): one short transaction.
        var now = clock.UtcNow;
        var user = actor.UserName;
        IReadOnlyList<long> ids;
        long importId;
        await using (var reserve = await units.BeginAsync(WorkMode.Write, ct))
        {
            var store = reserve.Store<ICareStore>();
            ids = await store.ReservePatientIdsAsync(victims.Count, ct);
            importId = await store.BeginVictimImportAsync(incident.Id, user, now, ct);
            await reserve.CommitAsync(ct);
        }

        activity?.AddEvent(new ActivityEvent("checked"));
        progress?.Report(VictimImportPhase.Checked);
        try
        {
            var (journal, observationCount) = await StageAsync(incident, importId, ids, victims, user, now, progress, ct);
            activity?.AddEvent(new ActivityEvent("prepared"));
            progress?.Report(VictimImportPhase.Prepared);

            // 4. Publish: one short transaction makes every staged row visible and journals the import:
            // one entry per chunk, then the import's own entry (ADR 0033) — a number of entries that
            // does not grow with the victims, appended under the journal's lock.
            journal.Add(PreparedJournalRecord.Prepare(user, new JournalRecord("incident", CareService.Id(incident.Id), "victims imported", new
            {
                incident = incident.Code,
                import = importId,
                chunks = journal.Count,
                victims = victims.Count,
                observations = observationCount,
                firstPatient = ids.Count > 0 ? ids[0] : 0,
                lastPatient = ids.Count > 0 ? ids[^1] : 0,
            })));
            await using (var uow = await units.BeginAsync(WorkMode.Write, ct))
            {
                var store = uow.Store<ICareStore>();
                if (await store.CountPatientsAsync(incidentId, ct) != patientsBefore)
                {
                    // Someone registered patients in this incident meanwhile: check the codes again.
                    RefuseClashes(incident, await store.ListPatientsAsync(incidentId, ct), victims);
                }

                if (!await store.PublishVictimImportAsync(importId, ct))
                {
                    throw new ConflictException($"the victims import {importId} was discarded before it could be published (idle for more than {AbandonedImportAfter.TotalMinutes:F0} minutes?); import the file again");
                }

                await uow.Journal.AppendPreparedAsync(journal, ct);
                await uow.CommitAsync(ct);
            }

            activity?.AddEvent(new ActivityEvent("written"));
            progress?.Report(VictimImportPhase.Written);
            return new ImportSummary(victims.Count, observationCount, victims.Count, watch.Elapsed);
        }
        catch
        {
            // Nothing of a failed import stays, whatever the failure (ct included): its staged rows go
            // in short transactions of their own, as they came.
            await DiscardAsync(importId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// 3. Prepare and stage, chunk by chunk: with no transaction open, assess each victim and
    /// serialise its rows and the chunk's journal record; then write the chunk's rows, invisible, in
    /// one short transaction. Returns one journal record per chunk (written only when the import is
    /// published, ADR 0033).
    /// </summary>
    private async Task<(List<PreparedJournalRecord> Journal, int Observations)> StageAsync(Incident incident, long importId, IReadOnlyList<long> ids,
        IReadOnlyList<ImportedVictim> victims, string user, DateTimeOffset now, IProgress<VictimImportPhase>? progress, CancellationToken ct)
    {
        var chunk = Math.Max(1, ImportChunkVictims);
        var journal = new List<PreparedJournalRecord>(victims.Count / chunk + 2);
        var observationCount = 0;
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, ImportAssessmentThreads) };
        var memo = new AssessmentMemo();
        for (var from = 0; from < victims.Count; from += chunk)
        {
            var count = Math.Min(chunk, victims.Count - from);
            var number = journal.Count + 1;
            var patients = new Patient[count];
            var observations = new PreparedObservation[count][];
            var assessments = new PreparedAssessment[count];
            var recorded = new ImportedVictimRecord[count];
            Parallel.For(0, count, parallel, () => new PayloadWriter(), (k, _, writer) =>
            {
                var i = from + k;
                var v = victims[i];
                var id = ids[i];
                var p = new Patient(id, incident.Id, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                    v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, now, 1);
                var list = new Observation[v.Observations.Count];
                var data = new string[list.Length];
                var prepared = new PreparedObservation[list.Length];
                for (var n = 0; n < list.Length; n++)
                {
                    var o = v.Observations[n];
                    list[n] = new Observation(0, id, o.Kind, o.ObservedAt, o.Data, user, now);
                    data[n] = JsonSerializer.Serialize(o.Data, CareJson.Options);
                    prepared[n] = new PreparedObservation(list[n], data[n]);
                }

                observations[k] = prepared;
                var assessment = PatientAssessor.Assess(p, list, 1, now, care.AssessmentOptions, memo: memo);
                var payload = writer.Serialize(assessment);
                assessments[k] = new PreparedAssessment(assessment, Encoding.UTF8.GetString(payload));
                // ADR 0027, 0028: the observations and the first assessment by digest (the rows hold them).
                recorded[k] = ImportedVictimRecord.Of(id, v.Patient, list.Length, ObservationDigest.Of(list, data, writer.Sha256), assessment,
                    writer.Sha256Of(payload));
                patients[k] = p;
                return writer;
            }, writer => writer.Dispose());

            // One journal record for the chunk (ADR 0033), serialised here with no transaction open.
            journal.Add(PreparedJournalRecord.Prepare(user, ImportedChunk(incident, importId, number, recorded)));
            var rows = new VictimImportRows(importId, clock.UtcNow, incident.Id, patients, [.. observations.SelectMany(o => o)], assessments, number);
            observationCount += rows.Observations.Count;
            await using (var uow = await units.BeginAsync(WorkMode.Write, ct))
            {
                await uow.Store<ICareStore>().InsertVictimImportAsync(rows, ct);
                await uow.CommitAsync(ct);
            }

            progress?.Report(VictimImportPhase.ChunkStaged);
        }

        return (journal, observationCount);
    }

    /// <summary>Deletes a failed import's staged rows, a chunk per transaction, then the import (ADR 0028).</summary>
    private async Task DiscardAsync(long importId, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await using var uow = await units.BeginAsync(WorkMode.Write, ct);
                var deleted = await uow.Store<ICareStore>().DiscardStagedVictimsAsync(importId, Math.Max(1, ImportChunkVictims), ct);
                await uow.CommitAsync(ct);
                if (deleted == 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Invisible either way; the start-up sweep deletes what is left.
            ImportNotDiscarded(_log, importId, ex);
        }
    }

    /// <summary>
    /// Deletes the staged rows of imports left staging by a process that stopped (none of their chunks
    /// written for <see cref="AbandonedImportAfter"/>); called at start-up. Returns how many it discarded.
    /// </summary>
    public async Task<int> SweepAbandonedImportsAsync(CancellationToken ct = default)
    {
        IReadOnlyList<long> abandoned;
        await using (var read = await units.BeginAsync(WorkMode.Read, ct))
        {
            abandoned = await read.Store<ICareStore>().AbandonedVictimImportsAsync(clock.UtcNow - AbandonedImportAfter, ct);
        }

        foreach (var id in abandoned)
        {
            await DiscardAsync(id, ct);
        }

        return abandoned.Count;
    }

    /// <summary>
    /// The journal record of one staged chunk of a victims import (ADR 0033): record type
    /// <c>victims-import</c>, record id <c>import/chunk</c>, action <c>registered and assessed</c>;
    /// every victim of the chunk as imported, with the number and <see cref="ObservationDigest"/> of
    /// its observations and what its first assessment concluded with the SHA-256 of the stored payload.
    /// </summary>
    public static JournalRecord ImportedChunk(Incident incident, long importId, int chunk, IReadOnlyList<ImportedVictimRecord> victims)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(victims);
        return new JournalRecord(ImportChunkRecordType, ImportChunkRecordId(importId, chunk), ImportChunkAction, new
        {
            incident = incident.Code,
            import = importId,
            chunk,
            victims,
        });
    }

    /// <summary>The record type of a victims import's chunk entries (ADR 0033).</summary>
    public const string ImportChunkRecordType = "victims-import";

    /// <summary>The action of a victims import's chunk entries (ADR 0033).</summary>
    public const string ImportChunkAction = "registered and assessed";

    /// <summary>The record id of chunk <paramref name="chunk"/> (1-based) of import <paramref name="importId"/>.</summary>
    public static string ImportChunkRecordId(long importId, int chunk) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{importId}/{chunk}");

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

/// <summary>
/// Serialises assessment payloads (<see cref="CareJson"/>) into one reused buffer per assessing
/// thread: the same bytes as <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/>
/// without a new array (and its growth copies) per victim (docs/performance.md, imports2).
/// </summary>
internal sealed class PayloadWriter : IDisposable
{
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;

    /// <summary>A SHA-256 for this thread, reused (creating one costs more than hashing a victim's rows).</summary>
    public IncrementalHash Sha256 { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The lowercase hex SHA-256 of <paramref name="bytes"/>, with <see cref="Sha256"/>.</summary>
    public string Sha256Of(ReadOnlySpan<byte> bytes)
    {
        Sha256.AppendData(bytes);
        Span<byte> digest = stackalloc byte[32];
        Sha256.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    public void Dispose()
    {
        _writer.Dispose();
        Sha256.Dispose();
    }

    public PayloadWriter() =>
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = CareJson.Options.Encoder, Indented = CareJson.Options.WriteIndented, MaxDepth = CareJson.Options.MaxDepth });

    /// <summary>The UTF-8 payload of <paramref name="assessment"/>, valid until the next call.</summary>
    public ReadOnlySpan<byte> Serialize(PatientAssessment assessment)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, assessment, CareJson.Options);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}

