using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests.Care;

/// <summary>
/// The references of care patients, observations and assessments to their parents (ADR 0043). On
/// PostgreSQL they are checked per statement by the triggers of migration 0034 instead of by foreign
/// keys; on SQLite they stay foreign keys. Both must refuse the same things, and PostgreSQL's checks
/// must hold when two transactions race, as a foreign key's do.
/// </summary>
[Trait("Kind", "Integration")]
public class CareReferenceTests : EngineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-1);

    private sealed record Fixture(TestWorld World, long Incident, long Observed, long Bare);

    /// <summary>An incident with two patients: one with an observation and an assessment, one with neither.</summary>
    private static async Task<Fixture> CreateAsync(string engine)
    {
        var w = await TestWorld.CreateAsync(engine);
        var doctor = await w.UserAsync("dr.refs", Role.Physician);
        var incident = await w.Care.CreateIncidentAsync(doctor, new NewIncident("INC-REFS", "references", IncidentKind.Criticality, Start, "here", []));
        var observed = await w.Care.RegisterPatientAsync(doctor, incident.Id, new NewPatient("P-1", 40, Sex.Female, 60, Start));
        var bare = await w.Care.RegisterPatientAsync(doctor, incident.Id, new NewPatient("P-2", 41, Sex.Male, 70, Start));
        await w.Care.RecordObservationAsync(doctor, observed.Id, ObservationKind.BloodCount, Start.AddHours(5), new ObservationData { Lymphocytes = 1.2 });
        return new Fixture(w, incident.Id, observed.Id, bare.Id);
    }

    private const string Missing = "1000000";

    private const string ObservationColumns = "patient_id, kind, observed_at, data, recorded_by, recorded_at";

    /// <summary>A patient's columns after its code, copied from an existing patient.</summary>
    private const string PatientDetails = "age_years, sex, weight_kg, exposure_start, exposure_hours, route, contaminated, burns, trauma, created_at";

    private const string PatientColumns = "code, " + PatientDetails;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_row_naming_a_parent_that_does_not_exist_is_refused_and_its_statement_writes_nothing(string engine)
    {
        var f = await CreateAsync(engine);
        await using var w = f.World;
        var counts = await CountsAsync(w);

        // One bad row among good ones: the whole statement is refused.
        await RefusedAsync(w, $"INSERT INTO care_observations ({ObservationColumns}) "
            + $"SELECT {ObservationColumns} FROM care_observations UNION ALL SELECT {Missing}, 'vitals', observed_at, data, recorded_by, recorded_at FROM care_observations",
            "care_observations_patient_id_fkey");
        await RefusedAsync(w, $"INSERT INTO care_patients (incident_id, {PatientColumns}) SELECT {Missing}, 'P-9', {PatientDetails} FROM care_patients WHERE id = {f.Bare}",
            "care_patients_incident_id_fkey");
        await RefusedAsync(w, $"INSERT INTO care_patients (incident_id, import_id, {PatientColumns}) SELECT incident_id, {Missing}, 'P-9', {PatientDetails} FROM care_patients WHERE id = {f.Bare}",
            "care_patients_import_id_fkey");
        var assessment = $"SELECT {{0}}, {{1}}, {{2}}, version, assessed_at, payload FROM care_assessments WHERE patient_id = {f.Observed}";
        const string Insert = "INSERT INTO care_assessments (patient_id, incident_id, import_id, version, assessed_at, payload) ";
        await RefusedAsync(w, Insert + string.Format(assessment, Missing, f.Incident, "NULL"), "care_assessments_patient_id_fkey");
        await RefusedAsync(w, Insert + string.Format(assessment, f.Bare, Missing, "NULL"), "care_assessments_incident_id_fkey");
        await RefusedAsync(w, Insert + string.Format(assessment, f.Bare, f.Incident, Missing), "care_assessments_import_id_fkey");
        Assert.Equal(counts, await CountsAsync(w));

        // The same rows naming parents that exist are taken.
        await w.RawAsync(Insert + string.Format(assessment, f.Bare, f.Incident, "NULL"));
        await w.RawAsync($"INSERT INTO care_observations ({ObservationColumns}) SELECT {f.Bare}, 'vitals', observed_at, data, recorded_by, recorded_at FROM care_observations");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_parent_that_rows_refer_to_cannot_be_deleted_and_one_they_do_not_can(string engine)
    {
        var f = await CreateAsync(engine);
        await using var w = f.World;
        await RefusedAsync(w, $"DELETE FROM care_incidents WHERE id = {f.Incident}", "care_patients_incident_id_fkey");
        await w.RawAsync($"INSERT INTO care_imports (incident_id, state, started_by, started_at, touched_at) VALUES ({f.Incident}, 'published', 'x', 't', 't')");
        await w.RawAsync($"INSERT INTO care_patients (incident_id, import_id, {PatientColumns}) SELECT incident_id, (SELECT max(id) FROM care_imports), 'P-3', {PatientDetails} FROM care_patients WHERE id = {f.Bare}");
        var counts = await CountsAsync(w);

        await RefusedAsync(w, $"DELETE FROM care_patients WHERE id = {f.Observed}", "care_observations_patient_id_fkey");
        await RefusedAsync(w, "DELETE FROM care_imports", "care_patients_import_id_fkey");
        await w.RawAsync($"DELETE FROM care_observations WHERE patient_id = {f.Observed}");
        await RefusedAsync(w, $"DELETE FROM care_patients WHERE id = {f.Observed}", "care_assessments_patient_id_fkey");
        Assert.Equal(counts with { Observations = 0 }, await CountsAsync(w));

        // A patient nothing refers to goes, and so do the import and the incident once their rows have gone.
        await w.RawAsync($"DELETE FROM care_patients WHERE id = {f.Bare}");
        await w.RawAsync("DELETE FROM care_patients WHERE import_id IS NOT NULL");
        await w.RawAsync("DELETE FROM care_imports");
        await w.RawAsync("DELETE FROM care_assessments");
        await w.RawAsync("DELETE FROM care_patients");
        await w.RawAsync($"DELETE FROM care_incidents WHERE id = {f.Incident}");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_reference_cannot_be_changed_to_a_parent_that_does_not_exist(string engine)
    {
        var f = await CreateAsync(engine);
        await using var w = f.World;
        await RefusedAsync(w, $"UPDATE care_observations SET patient_id = {Missing}", AnyReference);
        await RefusedAsync(w, $"UPDATE care_patients SET incident_id = {Missing} WHERE id = {f.Bare}", AnyReference);
        await RefusedAsync(w, $"UPDATE care_assessments SET patient_id = {Missing}", AnyReference);
        await RefusedAsync(w, $"UPDATE care_patients SET id = {Missing} WHERE id = {f.Observed}", AnyReference);
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_a_reference_never_changes_and_the_columns_the_application_updates_still_can()
    {
        var f = await CreateAsync("postgres");
        await using var w = f.World;
        // Even to a parent that exists: the per-statement checks only look at inserted and deleted rows.
        await RefusedAsync(w, $"UPDATE care_observations SET patient_id = {f.Bare}", AnyReference);
        await RefusedAsync(w, $"UPDATE care_assessments SET patient_id = {f.Bare}", AnyReference);
        await w.RawAsync($"UPDATE care_patients SET hla_typing = 'A*02:01', version = version + 1 WHERE id = {f.Observed}");
        await w.RawAsync($"UPDATE care_assessments SET version = version + 1 WHERE patient_id = {f.Observed}");
        await w.RawAsync("UPDATE care_incidents SET title = 'renamed'");
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_a_delete_waits_for_a_transaction_inserting_a_reference_and_is_then_refused()
    {
        var f = await CreateAsync("postgres");
        await using var w = f.World;
        var connection = w.Database.Target.ConnectionString;
        await using var inserting = await BeginAsync(connection);
        await ExecuteAsync(inserting, $"INSERT INTO care_observations ({ObservationColumns}) SELECT {f.Bare}, kind, observed_at, data, recorded_by, recorded_at FROM care_observations");

        await using (var deleting = await BeginAsync(connection))
        {
            await ExecuteAsync(deleting, "SET LOCAL lock_timeout = '300ms'");
            var waited = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(deleting, $"DELETE FROM care_patients WHERE id = {f.Bare}"));
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, waited.SqlState);
        }

        await inserting.Transaction.CommitAsync();
        await RefusedAsync(w, $"DELETE FROM care_patients WHERE id = {f.Bare}", "care_observations_patient_id_fkey");
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_an_insert_waits_for_a_transaction_deleting_its_parent_and_is_then_refused()
    {
        var f = await CreateAsync("postgres");
        await using var w = f.World;
        var connection = w.Database.Target.ConnectionString;
        await using var deleting = await BeginAsync(connection);
        await ExecuteAsync(deleting, $"DELETE FROM care_patients WHERE id = {f.Bare}");

        await using var inserting = await BeginAsync(connection);
        var insert = ExecuteAsync(inserting, $"INSERT INTO care_observations ({ObservationColumns}) SELECT {f.Bare}, kind, observed_at, data, recorded_by, recorded_at FROM care_observations");
        await Task.Delay(300);
        Assert.False(insert.IsCompleted, "the insert waits for the transaction deleting its parent");
        await deleting.Transaction.CommitAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal("care_observations_patient_id_fkey", refused.ConstraintName);
    }

    [PostgresConfiguredFact]
    public async Task On_PostgreSQL_a_parent_is_deleted_only_at_read_committed_where_its_check_sees_every_committed_reference()
    {
        var f = await CreateAsync("postgres");
        await using var w = f.World;
        await using var deleting = await BeginAsync(w.Database.Target.ConnectionString, System.Data.IsolationLevel.RepeatableRead);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(deleting, $"DELETE FROM care_patients WHERE id = {f.Bare}"));
        Assert.Equal(PostgresErrorCodes.FeatureNotSupported, refused.SqlState);
        Assert.Contains("READ COMMITTED", refused.MessageText, StringComparison.Ordinal);
    }

    private sealed record Counts(long Patients, long Observations, long Assessments, long Incidents, long Imports);

    private static async Task<Counts> CountsAsync(TestWorld w)
    {
        await using var c = await OpenAsync(w);
        async Task<long> Count(string table)
        {
            await using var command = c.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Counts(await Count("care_patients"), await Count("care_observations"), await Count("care_assessments"), await Count("care_incidents"), await Count("care_imports"));
    }

    private static async Task<DbConnection> OpenAsync(TestWorld w)
    {
        DbConnection c = w.Database.Target.Engine == Engine.Postgres
            ? new NpgsqlConnection(w.Database.Target.ConnectionString)
            : new SqliteConnection(w.Database.Target.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    /// <summary>Refused as a broken reference, without naming a constraint (PostgreSQL's refusal to change a reference names none).</summary>
    private const string AnyReference = "";

    /// <summary>The statement is refused as a broken reference: PostgreSQL with SQLSTATE 23503 and the constraint's name; SQLite says FOREIGN KEY.</summary>
    private static async Task RefusedAsync(TestWorld w, string sql, string constraint)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => w.RawAsync(sql));
        var cause = Causes(refused).OfType<DbException>().FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"not a database error: {refused}");
        switch (cause)
        {
            case PostgresException pg:
                Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, pg.SqlState);
                if (constraint != AnyReference)
                {
                    Assert.Equal(constraint, pg.ConstraintName);
                }

                break;
            case SqliteException sqlite:
                Assert.Contains("FOREIGN KEY", sqlite.Message, StringComparison.Ordinal);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"unexpected database error: {cause}");
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? c = e; c is not null; c = c.InnerException)
        {
            yield return c;
        }
    }

    private sealed class Open(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Transaction => transaction;

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task<Open> BeginAsync(string connectionString, System.Data.IsolationLevel level = System.Data.IsolationLevel.ReadCommitted)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return new Open(connection, await connection.BeginTransactionAsync(level));
    }

    private static async Task ExecuteAsync(Open open, string sql)
    {
        await using var command = new NpgsqlCommand(sql, open.Connection, open.Transaction);
        await command.ExecuteNonQueryAsync();
    }
}
