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
    public Task<ImportSummary> ImportAsync(Actor actor, long incidentId, IReadOnlyList<ImportedVictim> victims,
        IProgress<VictimImportPhase>? progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(victims);
        return MeasuredAsync(actor, incidentId, activity => WriteVictimsAsync(actor, incidentId, victims, progress, activity, ct));
    }

    /// <summary>
    /// Reads a victims file (<see cref="VictimCsv"/>'s format, the whole text) and imports it, all or
    /// nothing, as <see cref="ParseAsync"/> then <see cref="ImportAsync(Actor, long, IReadOnlyList{ImportedVictim}, IProgress{VictimImportPhase}?, CancellationToken)"/>
    /// would, with the same result, errors and journal — but streamed (ADR 0042): the first victims
    /// are assessed and staged while the parser reads the last, and a parsed victim is let go once its
    /// chunk is staged instead of the whole file being held in memory. A bad row or a code already in
    /// the incident is refused with every error of the file, as before, and what was staged is
    /// discarded: nothing is written. A file whose rows of one patient resume after another patient's
    /// is read whole first instead (the import then starts over; <paramref name="progress"/> hears
    /// <see cref="VictimImportPhase.Checked"/> again).
    /// </summary>
    public Task<ImportSummary> ImportCsvAsync(Actor actor, long incidentId, string csv, CurveSpec? curve, string source,
        IProgress<VictimImportPhase>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(csv);
        return MeasuredAsync(actor, incidentId, activity => StreamVictimsAsync(actor, incidentId, csv, curve, source, progress, activity, ct));
    }

    private async Task<ImportSummary> MeasuredAsync(Actor actor, long incidentId, Func<Activity?, Task<ImportSummary>> import)
    {
        var kind = new KeyValuePair<string, object?>(RadRegenDiagnostics.Tags.ImportKind, ImportKind);
        using var activity = RadRegenDiagnostics.Source.StartActivity("import " + ImportKind);
        activity?.SetTag(RadRegenDiagnostics.Tags.ImportKind, ImportKind);
        activity?.SetTag(RadRegenDiagnostics.Tags.Incident, incidentId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var summary = await import(activity);
            activity?.SetTag(RadRegenDiagnostics.Tags.Rows, summary.Patients);
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
    /// reservations into pool time-outs, docs/performance.md); at least one. The parser of a streamed
    /// import and the writer of the staged chunks are one thread each besides (ADR 0042).
    /// </summary>
    public int ImportAssessmentThreads { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How long a staging import may go untouched before a start-up sweep takes it for abandoned.</summary>
    public static readonly TimeSpan AbandonedImportAfter = TimeSpan.FromMinutes(10);

    /// <summary>Parsed victims waiting for the assessment, in chunks (ADR 0042): enough to keep it busy, not the whole file.</summary>
    private const int StreamedChunksAhead = 2;

    /// <summary>Chunks whose patient ids a streamed import reserves at a time (one short write transaction each).</summary>
    private const int ReservedChunksAtATime = 10;

    private async Task<ImportSummary> WriteVictimsAsync(Actor actor, long incidentId, IReadOnlyList<ImportedVictim> victims,
        IProgress<VictimImportPhase>? progress, Activity? activity, CancellationToken ct)
    {
        actor.Demand(Operation.CareVictimsImport);
        var watch = Stopwatch.StartNew();

        // 1. Check: the incident and the codes, in a read transaction (readers never block writers).
        var (incident, existing) = await ExistingPatientsAsync(incidentId, ct);
        RefuseClashes(incident, existing.Codes, victims.Select(v => (v.Patient.Code, v.FirstRow)));

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
        var stager = new ChunkStager(this, incident, importId, user, now, progress, ct);
        try
        {
            // 3. Prepare and stage, chunk by chunk.
            var chunk = Math.Max(1, ImportChunkVictims);
            for (var from = 0; from < victims.Count; from += chunk)
            {
                var count = Math.Min(chunk, victims.Count - from);
                await stager.StageAsync(victims, from, count, ids, from);
            }

            var observations = await stager.FinishAsync();
            await PublishAsync(incident, importId, existing.Count, victims.Select(v => (v.Patient.Code, v.FirstRow)), stager, victims.Count,
                observations, ids.Count > 0 ? ids[0] : 0, ids.Count > 0 ? ids[^1] : 0, user, progress, activity, ct);
            return new ImportSummary(victims.Count, observations, victims.Count, watch.Elapsed);
        }
        catch
        {
            // Nothing of a failed import stays, whatever the failure (ct included): its staged rows go
            // in short transactions of their own, as they came, once no chunk is being written.
            await stager.DiscardAsync();
            throw;
        }
    }

    /// <summary>
    /// The streamed import (ADR 0042): a parsing thread reads victims into a short queue, this one
    /// assesses them a chunk at a time, and a writing thread stages each chunk as the next is
    /// assessed. Patient ids are reserved ten chunks at a time (the unused rest of the last block is a
    /// gap, as any reserved id that ends up unused).
    /// </summary>
    private async Task<ImportSummary> StreamVictimsAsync(Actor actor, long incidentId, string csv, CurveSpec? curve, string source,
        IProgress<VictimImportPhase>? progress, Activity? activity, CancellationToken ct)
    {
        actor.Demand(Operation.CareVictimsImport);
        var watch = Stopwatch.StartNew();
        await care.GetIncidentAsync(actor, incidentId, ct); // as ParseAsync: the actor may read the incident
        var (incident, existing) = await ExistingPatientsAsync(incidentId, ct);
        var now = clock.UtcNow;
        var user = actor.UserName;
        long importId;
        await using (var open = await units.BeginAsync(WorkMode.Write, ct))
        {
            importId = await open.Store<ICareStore>().BeginVictimImportAsync(incident.Id, user, now, ct);
            await open.CommitAsync(ct);
        }

        activity?.AddEvent(new ActivityEvent("checked"));
        progress?.Report(VictimImportPhase.Checked);
        var chunk = Math.Max(1, ImportChunkVictims);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = System.Threading.Channels.Channel.CreateBounded<ImportedVictim>(
            new System.Threading.Channels.BoundedChannelOptions(StreamedChunksAhead * chunk) { SingleReader = true, SingleWriter = true });
        // The parser runs on a thread of its own, not the thread pool's: it is busy for seconds, and
        // the pool's threads are what the requests served meanwhile (reservations) run on.
        var parsing = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var victim in VictimCsv.Stream(new StringReader(csv), incident, curve, now, source))
                {
                    stop.Token.ThrowIfCancellationRequested(); // the import failed or was cancelled: stop reading
                    while (!queue.Writer.TryWrite(victim))
                    {
                        // The queue is full: wait here (this thread is the parser's own) for the importer.
                        queue.Writer.WaitToWriteAsync(stop.Token).AsTask().GetAwaiter().GetResult();
                    }
                }

                queue.Writer.Complete();
            }
            catch (Exception ex)
            {
                queue.Writer.TryComplete(ex);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var codes = new List<(string Code, int Row)>();
        var stager = new ChunkStager(this, incident, importId, user, now, progress, ct);
        try
        {
            var clashes = new List<FieldError>();
            var batch = new List<ImportedVictim>(chunk);
            var ids = new List<long>();
            var idsUsed = 0;
            long first = 0, last = 0;
            async Task StageBatchAsync()
            {
                if (ids.Count - idsUsed < batch.Count)
                {
                    // A short write transaction of its own, waiting at most for the chunk being written.
                    await using var reserve = await units.BeginAsync(WorkMode.Write, ct);
                    var more = await reserve.Store<ICareStore>().ReservePatientIdsAsync(chunk * ReservedChunksAtATime, ct);
                    await reserve.CommitAsync(ct);
                    ids.RemoveRange(0, idsUsed);
                    idsUsed = 0;
                    ids.AddRange(more);
                }

                first = first == 0 ? ids[idsUsed] : first;
                last = ids[idsUsed + batch.Count - 1];
                await stager.StageAsync(batch, 0, batch.Count, ids, idsUsed);
                idsUsed += batch.Count;
                batch = new List<ImportedVictim>(chunk);
            }

            await foreach (var victim in queue.Reader.ReadAllAsync(ct))
            {
                codes.Add((victim.Patient.Code, victim.FirstRow));
                if (existing.Codes.Contains(victim.Patient.Code))
                {
                    clashes.Add(Clash(incident, victim.Patient.Code, victim.FirstRow));
                }

                if (clashes.Count > 0)
                {
                    continue; // read on for the file's other errors; nothing more is staged
                }

                batch.Add(victim);
                if (batch.Count == chunk)
                {
                    await StageBatchAsync();
                }
            }

            if (clashes.Count > 0)
            {
                throw new DomainValidationException(clashes);
            }

            if (batch.Count > 0)
            {
                await StageBatchAsync();
            }

            var observations = await stager.FinishAsync();
            await PublishAsync(incident, importId, existing.Count, codes, stager, codes.Count, observations, first, last, user, progress, activity, ct);
            return new ImportSummary(codes.Count, observations, codes.Count, watch.Elapsed);
        }
        catch (VictimRowsNotConsecutiveException)
        {
            await stager.DiscardAsync();
            var victims = VictimCsv.Parse(new StringReader(csv), incident, curve, clock.UtcNow, source);
            return await WriteVictimsAsync(actor, incidentId, victims, progress, activity, ct);
        }
        catch
        {
            await stager.DiscardAsync();
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await parsing;
        }
    }

    /// <summary>The incident with the codes of its patients and how many there are, read in one read transaction.</summary>
    private async Task<(Incident Incident, (HashSet<string> Codes, long Count) Existing)> ExistingPatientsAsync(long incidentId, CancellationToken ct)
    {
        await using var read = await units.BeginAsync(WorkMode.Read, ct);
        var store = read.Store<ICareStore>();
        var incident = await store.GetIncidentAsync(incidentId, ct) ?? throw new NotFoundException($"no incident {incidentId}");
        var existing = await store.ListPatientsAsync(incidentId, ct);
        return (incident, (existing.Select(p => p.Code).ToHashSet(StringComparer.OrdinalIgnoreCase), existing.Count));
    }

    /// <summary>
    /// 4. Publish: one short transaction makes every staged row visible and journals the import: one
    /// entry per chunk, then the import's own entry (ADR 0033) — a number of entries that does not
    /// grow with the victims, appended under the journal's lock.
    /// </summary>
    private async Task PublishAsync(Incident incident, long importId, long patientsBefore, IEnumerable<(string Code, int Row)> codes, ChunkStager stager,
        int victims, int observations, long firstPatient, long lastPatient, string user, IProgress<VictimImportPhase>? progress, Activity? activity, CancellationToken ct)
    {
        activity?.AddEvent(new ActivityEvent("prepared"));
        progress?.Report(VictimImportPhase.Prepared);
        var journal = stager.Journal;
        journal.Add(PreparedJournalRecord.Prepare(user, new JournalRecord("incident", CareService.Id(incident.Id), "victims imported", new
        {
            incident = incident.Code,
            import = importId,
            chunks = journal.Count,
            victims,
            observations,
            firstPatient,
            lastPatient,
        })));
        await using (var uow = await units.BeginAsync(WorkMode.Write, ct))
        {
            var store = uow.Store<ICareStore>();
            if (await store.CountPatientsAsync(incident.Id, ct) != patientsBefore)
            {
                // Someone registered patients in this incident meanwhile: check the codes again.
                RefuseClashes(incident, (await store.ListPatientsAsync(incident.Id, ct)).Select(p => p.Code).ToHashSet(StringComparer.OrdinalIgnoreCase), codes);
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
    }

    /// <summary>
    /// 3. Prepares and stages an import's chunks in file order: with no transaction open, assesses
    /// each victim and serialises its rows and the chunk's journal record; then writes the chunk's
    /// rows, invisible, in one short transaction. The write of one chunk overlaps the preparation of
    /// the next (ADR 0042): the write spends its time in SQLite or PostgreSQL, the preparation in the
    /// assessment, so on two cores they run side by side. Chunks are still written one at a time. The
    /// journal records (one per chunk) are written only when the import is published (ADR 0033).
    /// </summary>
    private sealed class ChunkStager(MassCasualtyService service, Incident incident, long importId, string user, DateTimeOffset now,
        IProgress<VictimImportPhase>? progress, CancellationToken ct)
    {
        private readonly ParallelOptions _parallel = new() { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, service.ImportAssessmentThreads) };
        private readonly AssessmentMemo _memo = new();
        private Task? _writing;
        private int _observations;
        private int _chunks;

        /// <summary>One prepared journal record per staged chunk, in order.</summary>
        public List<PreparedJournalRecord> Journal { get; } = [];

        /// <summary>Prepares victims[from … from + count − 1] (ids from ids[idsFrom]) as the next chunk and starts writing it once the previous chunk is written.</summary>
        public async Task StageAsync(IReadOnlyList<ImportedVictim> victims, int from, int count, IReadOnlyList<long> ids, int idsFrom)
        {
            VictimImportRows rows;
            ImportedVictimRecord[] recorded;
            var number = ++_chunks;
            try
            {
                rows = service.PrepareChunk(incident, importId, number, ids, idsFrom, victims, from, count, user, now, _parallel, _memo, out recorded);
            }
            catch
            {
                await SettleAsync();
                throw;
            }

            _observations += rows.Observations.Count;
            await WrittenAsync();
            _writing = Task.Run(async () =>
            {
                await service.WriteChunkAsync(rows, ct);
                // The chunk's journal record (ADR 0033), serialised by the writer once the chunk is
                // written, with no transaction open: the writer waits for the next chunk's assessment
                // anyway, and the assessing thread is the import's busiest. Chunks are written one at
                // a time, in order, so the records are too.
                Journal.Add(PreparedJournalRecord.Prepare(user, ImportedChunk(incident, importId, number, recorded)));
            }, ct);
        }

        /// <summary>Waits for the last chunk's write; the number of observation rows staged.</summary>
        public async Task<int> FinishAsync()
        {
            await WrittenAsync();
            return _observations;
        }

        private async Task WrittenAsync()
        {
            if (_writing is { } writing)
            {
                try
                {
                    await writing;
                }
                finally
                {
                    _writing = null;
                }

                progress?.Report(VictimImportPhase.ChunkStaged);
            }
        }

        /// <summary>
        /// After a failure: lets a write in flight end (one way or the other) before the caller
        /// discards the staged rows, so that nothing is written after the discard.
        /// </summary>
        private async Task SettleAsync()
        {
            if (_writing is { } writing)
            {
                _writing = null;
                try
                {
                    await writing;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The preparation's own failure is the one that propagates.
                }
            }
        }

        /// <summary>
        /// After a failure, whatever it was (cancellation included): lets a write in flight end, then
        /// deletes every staged row of the import, in short transactions of their own, as they came.
        /// </summary>
        public async Task DiscardAsync()
        {
            await SettleAsync();
            await service.DiscardAsync(importId, CancellationToken.None);
        }
    }

    /// <summary>Writes one prepared chunk's rows, invisible until the import is published, in one short transaction.</summary>
    private async Task WriteChunkAsync(VictimImportRows rows, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        await uow.Store<ICareStore>().InsertVictimImportAsync(rows, ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>
    /// Assesses and serialises victims <paramref name="from"/> … <paramref name="from"/> +
    /// <paramref name="count"/> − 1 (patient ids from ids[<paramref name="idsFrom"/>]) as chunk
    /// <paramref name="number"/>, with no transaction open, and what the chunk's journal record says of each victim (ADR 0033).
    /// </summary>
    private VictimImportRows PrepareChunk(Incident incident, long importId, int number, IReadOnlyList<long> ids, int idsFrom, IReadOnlyList<ImportedVictim> victims,
        int from, int count, string user, DateTimeOffset now, ParallelOptions parallel, AssessmentMemo memo, out ImportedVictimRecord[] recorded)
    {
        var patients = new Patient[count];
        var observations = new PreparedObservation[count][];
        var assessments = new PreparedAssessment[count];
        var records = new ImportedVictimRecord[count];
        Parallel.For(0, count, parallel, () => new PayloadWriter(), (k, _, writer) =>
        {
            var v = victims[from + k];
            var id = ids[idsFrom + k];
            var p = new Patient(id, incident.Id, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, now, 1);
            var list = new Observation[v.Observations.Count];
            var data = writer.SerializeData(v.Observations);
            var prepared = new PreparedObservation[list.Length];
            for (var n = 0; n < list.Length; n++)
            {
                var o = v.Observations[n];
                list[n] = new Observation(0, id, o.Kind, o.ObservedAt, o.Data, user, now);
                prepared[n] = new PreparedObservation(list[n], data[n]);
            }

            observations[k] = prepared;
            var assessment = PatientAssessor.Assess(p, list, 1, now, care.AssessmentOptions, memo: memo);
            var payload = writer.Serialize(assessment);
            assessments[k] = new PreparedAssessment(assessment, payload.ToArray());
            // ADR 0027, 0028: the observations and the first assessment by digest (the rows hold them).
            records[k] = ImportedVictimRecord.Of(id, v.Patient, list.Length, ObservationDigest.Of(list, data, writer.Sha256), assessment,
                writer.Sha256Of(payload));
            patients[k] = p;
            return writer;
        }, writer => writer.Dispose());

        recorded = records;
        return new VictimImportRows(importId, clock.UtcNow, incident.Id, patients, [.. observations.SelectMany(o => o)], assessments, number);
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

    private static void RefuseClashes(Incident incident, HashSet<string> existing, IEnumerable<(string Code, int Row)> victims)
    {
        var clashes = victims.Where(v => existing.Contains(v.Code)).Select(v => Clash(incident, v.Code, v.Row)).ToList();
        if (clashes.Count > 0)
        {
            throw new DomainValidationException(clashes);
        }
    }

    private static FieldError Clash(Incident incident, string code, int row) =>
        new($"row {row}: patient", $"{code} is already registered in {incident.Code}");
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

    /// <summary>
    /// The values of each of <paramref name="observations"/> as UTF-8 JSON: the same bytes as
    /// <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/> each,
    /// slices of one new array per victim rather than a string per observation (ADR 0043).
    /// </summary>
    public ReadOnlyMemory<byte>[] SerializeData(IReadOnlyList<ImportedObservation> observations)
    {
        _buffer.ResetWrittenCount();
        var ends = new int[observations.Count];
        for (var i = 0; i < ends.Length; i++)
        {
            // One root value per Reset: the writer refuses a second one, and the buffer keeps what was written.
            _writer.Reset(_buffer);
            JsonSerializer.Serialize(_writer, observations[i].Data, CareJson.Options);
            _writer.Flush();
            ends[i] = _buffer.WrittenCount;
        }

        ReadOnlyMemory<byte> all = _buffer.WrittenSpan.ToArray();
        var values = new ReadOnlyMemory<byte>[ends.Length];
        for (int i = 0, start = 0; i < ends.Length; start = ends[i], i++)
        {
            values[i] = all[start..ends[i]];
        }

        return values;
    }

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

