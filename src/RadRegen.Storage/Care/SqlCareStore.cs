using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NpgsqlTypes;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Care;

internal sealed class SqlCareStore(SqlSession session) : ICareStore
{
    internal static readonly JsonSerializerOptions Json = CareJson.Options;

    private const string IncidentColumns =
        "id AS Id, code AS Code, title AS Title, kind AS Kind, started_at AS StartedAt, place AS Place, radionuclides AS Radionuclides, created_at AS CreatedAt, version AS Version, drill AS Drill";

    private const string PatientColumns =
        "id AS Id, incident_id AS IncidentId, code AS Code, age_years AS AgeYears, sex AS Sex, weight_kg AS WeightKg, exposure_start AS ExposureStart, "
        + "exposure_hours AS ExposureHours, route AS Route, contaminated AS Contaminated, burns AS Burns, trauma AS Trauma, hla_typing AS HlaTyping, "
        + "created_at AS CreatedAt, version AS Version";

    /// <summary>
    /// Rows of a victims import still being staged are invisible to every read (ADR 0028): the
    /// predicate on an alias of <c>care_patients</c> or <c>care_assessments</c> (both carry <c>import_id</c>).
    /// </summary>
    private static string Visible(string alias) =>
        $"({alias}.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM care_imports i WHERE i.id = {alias}.import_id AND i.state = 'staging'))";

    private const string ObservationColumns =
        "o.id AS Id, o.patient_id AS PatientId, o.kind AS Kind, o.observed_at AS ObservedAt, o.data AS Data, o.recorded_by AS RecordedBy, o.recorded_at AS RecordedAt";

    public Task<long> InsertIncidentAsync(NewIncident incident, DateTimeOffset createdAt, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_incidents (code, title, kind, started_at, place, radionuclides, created_at, version, drill) "
            + "VALUES (@Code, @Title, @Kind, @StartedAt, @Place, @Radionuclides, @CreatedAt, 1, @Drill) RETURNING id",
            new
            {
                incident.Code,
                incident.Title,
                Kind = incident.Kind.Name(),
                StartedAt = JournalTime.ToText(incident.StartedAt),
                incident.Place,
                Radionuclides = string.Join(",", incident.Radionuclides),
                CreatedAt = JournalTime.ToText(createdAt),
                Drill = incident.Drill ? 1 : 0,
            }, ct);

    public async Task<Incident?> GetIncidentAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<IncidentRow>($"SELECT {IncidentColumns} FROM care_incidents WHERE id = @id", new { id }, ct))?.ToIncident();

    public async Task<Incident?> GetIncidentByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<IncidentRow>($"SELECT {IncidentColumns} FROM care_incidents WHERE code = @code", new { code }, ct))?.ToIncident();

    public async Task<IReadOnlyList<Incident>> ListIncidentsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<IncidentRow>($"SELECT {IncidentColumns} FROM care_incidents ORDER BY started_at DESC, id DESC", null, ct)).Select(r => r.ToIncident())];

    public Task<long> InsertPatientAsync(long incidentId, NewPatient patient, DateTimeOffset createdAt, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_patients (incident_id, code, age_years, sex, weight_kg, exposure_start, exposure_hours, route, contaminated, burns, trauma, hla_typing, created_at, version) "
            + "VALUES (@IncidentId, @Code, @AgeYears, @Sex, @WeightKg, @ExposureStart, @ExposureHours, @Route, @Contaminated, @Burns, @Trauma, @HlaTyping, @CreatedAt, 1) RETURNING id",
            new
            {
                IncidentId = incidentId,
                patient.Code,
                patient.AgeYears,
                Sex = patient.Sex.ToString().ToLowerInvariant(),
                patient.WeightKg,
                ExposureStart = JournalTime.ToText(patient.ExposureStart),
                patient.ExposureHours,
                Route = patient.Route.ToString(),
                Contaminated = patient.Contaminated ? 1 : 0,
                Burns = patient.Burns ? 1 : 0,
                Trauma = patient.Trauma ? 1 : 0,
                patient.HlaTyping,
                CreatedAt = JournalTime.ToText(createdAt),
            }, ct);

    public async Task<IReadOnlyList<long>> InsertPatientsAsync(long incidentId, IReadOnlyList<NewPatient> patients, DateTimeOffset createdAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patients);
        // One command re-executed with new values (SQLite keeps the statement prepared) instead of a
        // new command per patient: a 10,000-victim import spends its time in the engine, not in setup.
        using var insert = Command(
            "INSERT INTO care_patients (incident_id, code, age_years, sex, weight_kg, exposure_start, exposure_hours, route, contaminated, burns, trauma, hla_typing, created_at, version) "
            + "VALUES (@IncidentId, @Code, @AgeYears, @Sex, @WeightKg, @ExposureStart, @ExposureHours, @Route, @Contaminated, @Burns, @Trauma, @HlaTyping, @CreatedAt, 1) RETURNING id",
            ("@IncidentId", DbType.Int64), ("@Code", DbType.String), ("@AgeYears", DbType.Int32), ("@Sex", DbType.String), ("@WeightKg", DbType.Double),
            ("@ExposureStart", DbType.String), ("@ExposureHours", DbType.Double), ("@Route", DbType.String), ("@Contaminated", DbType.Int32),
            ("@Burns", DbType.Int32), ("@Trauma", DbType.Int32), ("@HlaTyping", DbType.String), ("@CreatedAt", DbType.String));
        var created = JournalTime.ToText(createdAt);
        var ids = new List<long>(patients.Count);
        foreach (var patient in patients)
        {
            Bind(insert, incidentId, patient.Code, patient.AgeYears, patient.Sex.ToString().ToLowerInvariant(), patient.WeightKg,
                JournalTime.ToText(patient.ExposureStart), patient.ExposureHours, patient.Route.ToString(), patient.Contaminated ? 1 : 0,
                patient.Burns ? 1 : 0, patient.Trauma ? 1 : 0, patient.HlaTyping, created);
            ids.Add(Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
        }

        return ids;
    }

    public async Task<Patient?> GetPatientAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<PatientRow>($"SELECT {PatientColumns} FROM care_patients p WHERE id = @id AND {Visible("p")}", new { id }, ct))?.ToPatient();

    public async Task<IReadOnlyList<Patient>> ListPatientsAsync(long incidentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<PatientRow>($"SELECT {PatientColumns} FROM care_patients p WHERE incident_id = @incidentId AND {Visible("p")} ORDER BY id", new { incidentId }, ct)).Select(r => r.ToPatient())];

    public async Task<IReadOnlyList<Patient>> FindPatientsByCodeAsync(string code, long? incidentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<PatientRow>(
            $"SELECT {PatientColumns} FROM care_patients p WHERE lower(code) = lower(@code) AND {Visible("p")}" + (incidentId is null ? "" : " AND incident_id = @incidentId") + " ORDER BY id",
            new { code, incidentId }, ct)).Select(r => r.ToPatient())];

    public async Task<bool> UpdatePatientHlaAsync(long id, string? glString, long expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync($"UPDATE care_patients SET hla_typing = @glString, version = version + 1 WHERE id = @id AND version = @expectedVersion AND {Visible("care_patients")}",
            new { id, glString, expectedVersion }, ct) == 1;

    public Task<long> InsertObservationAsync(Observation observation, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_observations (patient_id, kind, observed_at, data, recorded_by, recorded_at) "
            + "VALUES (@PatientId, @Kind, @ObservedAt, @Data, @RecordedBy, @RecordedAt) RETURNING id",
            new
            {
                observation.PatientId,
                Kind = observation.Kind.Name(),
                ObservedAt = JournalTime.ToText(observation.ObservedAt),
                Data = JsonSerializer.Serialize(observation.Data, Json),
                observation.RecordedBy,
                RecordedAt = JournalTime.ToText(observation.RecordedAt),
            }, ct);

    public async Task InsertObservationsAsync(IReadOnlyList<Observation> observations, CancellationToken ct)
    {
        // Dapper runs one prepared command for the whole list; the rows (JSON of the values) are made in parallel.
        await session.ExecuteAsync(
            "INSERT INTO care_observations (patient_id, kind, observed_at, data, recorded_by, recorded_at) "
            + "VALUES (@PatientId, @Kind, @ObservedAt, @Data, @RecordedBy, @RecordedAt)",
            observations.AsParallel().AsOrdered().Select(o => new
            {
                o.PatientId,
                Kind = o.Kind.Name(),
                ObservedAt = JournalTime.ToText(o.ObservedAt),
                Data = JsonSerializer.Serialize(o.Data, Json),
                o.RecordedBy,
                RecordedAt = JournalTime.ToText(o.RecordedAt),
            }).ToList(), ct);
    }

    public async Task<IReadOnlyList<Observation>> ListObservationsAsync(long patientId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ObservationRow>($"SELECT {ObservationColumns} FROM care_observations o JOIN care_patients p ON p.id = o.patient_id WHERE o.patient_id = @patientId AND {Visible("p")} ORDER BY o.observed_at, o.id", new { patientId }, ct)).Select(r => r.ToObservation())];

    public async Task<IReadOnlyList<Observation>> ListIncidentObservationsAsync(long incidentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ObservationRow>(
            $"SELECT {ObservationColumns} FROM care_observations o JOIN care_patients p ON p.id = o.patient_id WHERE p.incident_id = @incidentId AND {Visible("p")} ORDER BY o.patient_id, o.observed_at, o.id",
            new { incidentId }, ct)).Select(r => r.ToObservation())];

    public async Task<PatientAssessment?> GetAssessmentAsync(long patientId, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<string>($"SELECT payload FROM care_assessments a WHERE patient_id = @patientId AND {Visible("a")}", new { patientId }, ct) is { } json
            ? JsonSerializer.Deserialize<PatientAssessment>(json, Json)
            : null;

    public async Task<bool> SaveAssessmentAsync(PatientAssessment assessment, CancellationToken ct)
    {
        var args = new
        {
            assessment.PatientId,
            assessment.Version,
            Previous = assessment.Version - 1,
            AssessedAt = JournalTime.ToText(assessment.AssessedAt),
            assessment.Triage,
            assessment.ResponseCategory,
            BasisDoseGy = assessment.BasisDoseGy,
            Payload = JsonSerializer.Serialize(assessment, Json),
        };
        if (assessment.Version == 1)
        {
            // A concurrent first assessment violates the primary key: map it to "someone else got there first".
            var exists = await session.ScalarAsync<long>("SELECT COUNT(*) FROM care_assessments WHERE patient_id = @PatientId", args, ct);
            if (exists > 0)
            {
                return false;
            }

            await session.ExecuteAsync(
                "INSERT INTO care_assessments (patient_id, incident_id, version, assessed_at, triage, response_category, basis_dose_gy, payload) "
                + $"SELECT @PatientId, incident_id, @Version, @AssessedAt, @Triage, @ResponseCategory, @BasisDoseGy, @Payload FROM care_patients p WHERE id = @PatientId AND {Visible("p")}",
                args, ct);
            return true;
        }

        if (assessment.Version == 2)
        {
            // An imported first assessment is journaled by its payload's SHA-256 (ADR 0028): keep the
            // payload before version 2 replaces it, so the history can still show it.
            await session.ExecuteAsync(
                "INSERT INTO care_first_assessments (patient_id, payload) SELECT patient_id, payload FROM care_assessments "
                + "WHERE patient_id = @PatientId AND version = 1 AND import_id IS NOT NULL",
                args, ct);
        }

        return await session.ExecuteAsync(
            "UPDATE care_assessments SET version = @Version, assessed_at = @AssessedAt, triage = @Triage, response_category = @ResponseCategory, "
            + "basis_dose_gy = @BasisDoseGy, payload = @Payload WHERE patient_id = @PatientId AND version = @Previous",
            args, ct) == 1;
    }

    public async Task InsertFirstAssessmentsAsync(IReadOnlyList<PatientAssessment> assessments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        if (assessments.Any(a => a.Version != 1))
        {
            throw new ArgumentException("only first assessments (version 1)", nameof(assessments));
        }

        // The JSON payloads are independent: serialised in parallel, then one command re-executed.
        var payloads = new string[assessments.Count];
        Parallel.For(0, assessments.Count, new ParallelOptions { CancellationToken = ct }, i => payloads[i] = JsonSerializer.Serialize(assessments[i], Json));
        using var insert = Command(
            "INSERT INTO care_assessments (patient_id, incident_id, version, assessed_at, triage, response_category, basis_dose_gy, payload) "
            + "SELECT @PatientId, incident_id, 1, @AssessedAt, @Triage, @ResponseCategory, @BasisDoseGy, @Payload FROM care_patients WHERE id = @PatientId",
            ("@PatientId", DbType.Int64), ("@AssessedAt", DbType.String), ("@Triage", DbType.String), ("@ResponseCategory", DbType.Int32),
            ("@BasisDoseGy", DbType.Double), ("@Payload", DbType.String));
        for (var i = 0; i < assessments.Count; i++)
        {
            var a = assessments[i];
            Bind(insert, a.PatientId, JournalTime.ToText(a.AssessedAt), a.Triage, a.ResponseCategory, a.BasisDoseGy, payloads[i]);
            if (await insert.ExecuteNonQueryAsync(ct) != 1)
            {
                throw new InvalidOperationException($"patient {a.PatientId} does not exist");
            }
        }
    }

    public async Task<IReadOnlyList<PatientAssessment>> ListAssessmentsAsync(long incidentId, CancellationToken ct) =>
        // An incident's queue reads every assessment (10,000 in a drill): the payloads are parsed in parallel, in order.
        [.. (await session.QueryAsync<string>($"SELECT payload FROM care_assessments a WHERE incident_id = @incidentId AND {Visible("a")} ORDER BY patient_id", new { incidentId }, ct))
            .AsParallel().AsOrdered().WithCancellation(ct).Select(j => JsonSerializer.Deserialize<PatientAssessment>(j, Json)!)];

    public async Task<IReadOnlyList<long>> ReservePatientIdsAsync(int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (session.Engine == Engine.Postgres)
        {
            // Sequence values are never handed out twice, whatever becomes of this transaction.
            return [.. await session.QueryAsync<long>(
                "SELECT nextval(pg_get_serial_sequence('care_patients', 'id')) FROM generate_series(1, @count) ORDER BY 1", new { count }, ct)];
        }

        // AUTOINCREMENT: SQLite gives a new row an id above sqlite_sequence's value for the table, so
        // raising that value by count (under the write lock) sets the block aside for this import.
        await session.ExecuteAsync(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'care_patients', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'care_patients')",
            null, ct);
        var last = await session.ScalarAsync<long>(
            "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM care_patients)) + @count WHERE name = 'care_patients' RETURNING seq",
            new { count }, ct);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = last - count + 1 + i;
        }

        return ids;
    }

    public Task<long> CountPatientsAsync(long incidentId, CancellationToken ct) =>
        session.ScalarAsync<long>($"SELECT COUNT(*) FROM care_patients p WHERE incident_id = @incidentId AND {Visible("p")}", new { incidentId }, ct);

    public async Task<bool> DeleteUnusedIncidentAsync(long incidentId, CancellationToken ct) =>
        await session.ExecuteAsync(
            "DELETE FROM care_incidents WHERE id = @incidentId "
            + "AND NOT EXISTS (SELECT 1 FROM care_patients WHERE incident_id = @incidentId) "
            + "AND NOT EXISTS (SELECT 1 FROM care_imports WHERE incident_id = @incidentId)", new { incidentId }, ct) == 1;

    private static readonly BulkColumn[] PatientBulk =
    [
        new("id", DbType.Int64, NpgsqlDbType.Bigint), new("incident_id", DbType.Int64, NpgsqlDbType.Bigint), new("code", DbType.String, NpgsqlDbType.Text),
        new("age_years", DbType.Int32, NpgsqlDbType.Integer), new("sex", DbType.String, NpgsqlDbType.Text), new("weight_kg", DbType.Double, NpgsqlDbType.Double),
        new("exposure_start", DbType.String, NpgsqlDbType.Text), new("exposure_hours", DbType.Double, NpgsqlDbType.Double), new("route", DbType.String, NpgsqlDbType.Text),
        new("contaminated", DbType.Int32, NpgsqlDbType.Integer), new("burns", DbType.Int32, NpgsqlDbType.Integer), new("trauma", DbType.Int32, NpgsqlDbType.Integer),
        new("hla_typing", DbType.String, NpgsqlDbType.Text), new("created_at", DbType.String, NpgsqlDbType.Text), new("version", DbType.Int32, NpgsqlDbType.Integer),
        new("import_id", DbType.Int64, NpgsqlDbType.Bigint), new("import_chunk", DbType.Int32, NpgsqlDbType.Integer),
    ];

    private static readonly BulkColumn[] ObservationBulk =
    [
        new("patient_id", DbType.Int64, NpgsqlDbType.Bigint), new("kind", DbType.String, NpgsqlDbType.Text), new("observed_at", DbType.String, NpgsqlDbType.Text),
        new("data", DbType.String, NpgsqlDbType.Text), new("recorded_by", DbType.String, NpgsqlDbType.Text), new("recorded_at", DbType.String, NpgsqlDbType.Text),
    ];

    private static readonly BulkColumn[] AssessmentBulk =
    [
        new("patient_id", DbType.Int64, NpgsqlDbType.Bigint), new("incident_id", DbType.Int64, NpgsqlDbType.Bigint), new("version", DbType.Int32, NpgsqlDbType.Integer),
        new("assessed_at", DbType.String, NpgsqlDbType.Text), new("triage", DbType.String, NpgsqlDbType.Text), new("response_category", DbType.Int32, NpgsqlDbType.Integer),
        new("basis_dose_gy", DbType.Double, NpgsqlDbType.Double), new("payload", DbType.String, NpgsqlDbType.Text),
        new("import_id", DbType.Int64, NpgsqlDbType.Bigint),
    ];

    public async Task InsertVictimImportAsync(VictimImportRows rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Assessments.Any(a => a.Assessment.Version != 1))
        {
            throw new ArgumentException("only first assessments (version 1)", nameof(rows));
        }

        var patients = rows.Patients;
        await SqlBulk.InsertAsync(session, "care_patients", PatientBulk, patients.Count, (i, v) =>
        {
            var p = patients[i];
            v[0] = p.Id;
            v[1] = rows.IncidentId;
            v[2] = p.Code;
            v[3] = p.AgeYears;
            v[4] = p.Sex.ToString().ToLowerInvariant();
            v[5] = p.WeightKg;
            v[6] = JournalTime.ToText(p.ExposureStart);
            v[7] = p.ExposureHours;
            v[8] = p.Route.ToString();
            v[9] = p.Contaminated ? 1 : 0;
            v[10] = p.Burns ? 1 : 0;
            v[11] = p.Trauma ? 1 : 0;
            v[12] = p.HlaTyping;
            v[13] = JournalTime.ToText(p.CreatedAt);
            v[14] = (int)p.Version;
            v[15] = rows.ImportId;
            v[16] = rows.Chunk;
        }, ct);
        var observations = rows.Observations;
        // An import's observations share one recorded time and user (and often an observed time) and
        // five kinds: each text is made once, as UTF-8, not per row (docs/performance.md, imports2;
        // ADR 0043). The values are UTF-8 already.
        var texts = new RepeatedTexts();
        await SqlBulk.InsertAsync(session, "care_observations", ObservationBulk, observations.Count, (i, v) =>
        {
            var (o, data) = observations[i];
            v[0] = o.PatientId;
            v[1] = texts.Of(o.Kind.Name());
            v[2] = texts.ObservedAt(o.ObservedAt);
            v[3] = new Utf8Text(data);
            v[4] = texts.Of(o.RecordedBy);
            v[5] = texts.RecordedAt(o.RecordedAt);
        }, ct);
        var assessments = rows.Assessments;
        await SqlBulk.InsertAsync(session, "care_assessments", AssessmentBulk, assessments.Count, (i, v) =>
        {
            var (a, payload) = assessments[i];
            v[0] = a.PatientId;
            v[1] = rows.IncidentId;
            v[2] = a.Version;
            v[3] = JournalTime.ToText(a.AssessedAt);
            v[4] = a.Triage;
            v[5] = a.ResponseCategory;
            v[6] = a.BasisDoseGy;
            v[7] = new Utf8Text(payload);
            v[8] = rows.ImportId;
        }, ct);
        await session.ExecuteAsync("UPDATE care_imports SET touched_at = @At WHERE id = @ImportId",
            new { At = JournalTime.ToText(rows.StagedAt), rows.ImportId }, ct);
    }

    /// <summary>
    /// The UTF-8 texts of a bulk insert's repeated values, boxed once for the row buffer: the last time
    /// text made for each time column, reused while the time repeats, and each distinct short text (a
    /// kind, a user name).
    /// </summary>
    private sealed class RepeatedTexts
    {
        private readonly Dictionary<string, object> _texts = new(StringComparer.Ordinal);
        private (DateTimeOffset At, object Text)? _observed;
        private (DateTimeOffset At, object Text)? _recorded;

        public object ObservedAt(DateTimeOffset at) => Time(ref _observed, at);

        public object RecordedAt(DateTimeOffset at) => Time(ref _recorded, at);

        public object Of(string text)
        {
            if (!_texts.TryGetValue(text, out var utf8))
            {
                _texts[text] = utf8 = new Utf8Text(Encoding.UTF8.GetBytes(text));
            }

            return utf8;
        }

        private static object Time(ref (DateTimeOffset At, object Text)? last, DateTimeOffset at)
        {
            // Equal instants with different offsets give the same UTC text, so comparing instants is enough.
            if (last is not { } l || l.At != at)
            {
                var text = new byte[JournalTime.Length];
                JournalTime.WriteUtf8(at, text);
                last = (at, new Utf8Text(text));
            }

            return last.Value.Text;
        }
    }

    public Task<long> BeginVictimImportAsync(long incidentId, string user, DateTimeOffset at, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO care_imports (incident_id, state, started_by, started_at, touched_at) VALUES (@incidentId, 'staging', @user, @At, @At) RETURNING id",
            new { incidentId, user, At = JournalTime.ToText(at) }, ct);

    public async Task<bool> PublishVictimImportAsync(long importId, CancellationToken ct) =>
        await session.ExecuteAsync("UPDATE care_imports SET state = 'published' WHERE id = @importId AND state = 'staging'", new { importId }, ct) == 1;

    public async Task<int> DiscardStagedVictimsAsync(long importId, int victims, CancellationToken ct)
    {
        // Never a published import's rows: only while its row says 'staging'. A batch of the lowest
        // ids at a time, so that each transaction stays short (ADR 0028).
        if (await session.ScalarAsync<long>("SELECT COUNT(*) FROM care_imports WHERE id = @importId AND state = 'staging'", new { importId }, ct) == 0)
        {
            return 0;
        }

        var last = await session.ScalarAsync<long?>(
            "SELECT max(id) FROM (SELECT id FROM care_patients WHERE import_id = @importId ORDER BY id LIMIT @victims) AS batch", new { importId, victims }, ct);
        if (last is not { } upTo)
        {
            await session.ExecuteAsync("DELETE FROM care_imports WHERE id = @importId", new { importId }, ct);
            return 0;
        }

        var args = new { importId, upTo };
        await session.ExecuteAsync(
            "DELETE FROM care_observations WHERE patient_id IN (SELECT id FROM care_patients WHERE import_id = @importId AND id <= @upTo)", args, ct);
        await session.ExecuteAsync("DELETE FROM care_assessments WHERE import_id = @importId AND patient_id <= @upTo", args, ct);
        return await session.ExecuteAsync("DELETE FROM care_patients WHERE import_id = @importId AND id <= @upTo", args, ct);
    }

    public async Task<IReadOnlyList<long>> AbandonedVictimImportsAsync(DateTimeOffset touchedBefore, CancellationToken ct) =>
        [.. await session.QueryAsync<long>("SELECT id FROM care_imports WHERE state = 'staging' AND touched_at < @Before ORDER BY id",
            new { Before = JournalTime.ToText(touchedBefore) }, ct)];

    public async Task<(long ImportId, int Chunk)?> GetImportChunkAsync(long patientId, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<ChunkRow>(
            "SELECT import_id AS ImportId, import_chunk AS Chunk FROM care_patients WHERE id = @patientId AND import_id IS NOT NULL AND import_chunk IS NOT NULL",
            new { patientId }, ct) is { } row ? (row.ImportId, row.Chunk) : null;

    private sealed class ChunkRow
    {
        public long ImportId { get; set; }

        public int Chunk { get; set; }
    }

    public Task<string?> GetImportedFirstAssessmentAsync(long patientId, CancellationToken ct) =>
        session.SingleOrDefaultAsync<string>(
            "SELECT payload FROM care_first_assessments WHERE patient_id = @patientId "
            + "UNION ALL SELECT payload FROM care_assessments WHERE patient_id = @patientId AND version = 1 AND import_id IS NOT NULL",
            new { patientId }, ct);

    private sealed class IncidentRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string Title { get; set; } = "";

        public string Kind { get; set; } = "";

        public string StartedAt { get; set; } = "";

        public string Place { get; set; } = "";

        public string Radionuclides { get; set; } = "";

        public string CreatedAt { get; set; } = "";

        public long Version { get; set; }

        public long Drill { get; set; }

        public Incident ToIncident() => new(Id, Code, Title, IncidentKinds.Parse(Kind), JournalTime.Parse(StartedAt), Place,
            [.. Radionuclides.Split(',', StringSplitOptions.RemoveEmptyEntries)], JournalTime.Parse(CreatedAt), Version, Drill != 0);
    }

    private sealed class PatientRow
    {
        public long Id { get; set; }

        public long IncidentId { get; set; }

        public string Code { get; set; } = "";

        public long AgeYears { get; set; }

        public string Sex { get; set; } = "";

        public double WeightKg { get; set; }

        public string ExposureStart { get; set; } = "";

        public double ExposureHours { get; set; }

        public string Route { get; set; } = "";

        public long Contaminated { get; set; }

        public long Burns { get; set; }

        public long Trauma { get; set; }

        public string? HlaTyping { get; set; }

        public string CreatedAt { get; set; } = "";

        public long Version { get; set; }

        public Patient ToPatient() => new(Id, IncidentId, Code, (int)AgeYears, Enum.Parse<Sex>(Sex, true), WeightKg, JournalTime.Parse(ExposureStart),
            ExposureHours, Enum.Parse<ExposureRoute>(Route, true), Contaminated != 0, Burns != 0, Trauma != 0, HlaTyping, JournalTime.Parse(CreatedAt), Version);
    }

    private sealed class ObservationRow
    {
        public long Id { get; set; }

        public long PatientId { get; set; }

        public string Kind { get; set; } = "";

        public string ObservedAt { get; set; } = "";

        public string Data { get; set; } = "";

        public string RecordedBy { get; set; } = "";

        public string RecordedAt { get; set; } = "";

        public Observation ToObservation() => new(Id, PatientId, ObservationKinds.Parse(Kind), JournalTime.Parse(ObservedAt),
            JsonSerializer.Deserialize<ObservationData>(Data, Json)!, RecordedBy, JournalTime.Parse(RecordedAt));
    }

    private DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = session.Connection.CreateCommand();
        command.Transaction = session.Transaction;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
