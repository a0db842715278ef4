using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care.Assessment;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>
/// The victims import outside the write transaction (issue 12, item 4; ADR 0021): same records and
/// journal as the one-transaction import it replaces, still all or nothing, and care goes on while
/// it assesses.
/// </summary>
[Trait("Kind", "Integration")]
public partial class VictimImportTests : CareTestBase
{
    private static string Csv(int victims)
    {
        var csv = new System.Text.StringBuilder("patient,age,sex,weightKg,burns,hla,observedAt,vomitingOnsetMinutes,nausea,lymphocytes,granulocytes,platelets,erythema,cells,aberrations\n");
        for (var i = 1; i <= victims; i++)
        {
            var hla = i % 3 == 0 ? "\"HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02^HLA-DRB1*15:02+HLA-DRB1*04:01\"" : "";
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"V-{i},{20 + i % 50},{(i % 2 == 0 ? "female" : "male")},{55 + i % 30},{(i % 4 == 0 ? "yes" : "no")},{hla},2026-11-20T07:00:00Z,{(i % 5 == 0 ? "none" : (5 + i * 7 % 55).ToString(System.Globalization.CultureInfo.InvariantCulture))},{i % 4},1.{i % 9},{3 + i % 4},{150 + i % 100},,{(i % 6 == 0 ? "50" : "")},{(i % 6 == 0 ? (i % 11).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}\n");
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"V-{i},,,,,,2026-11-21T06:30:00Z,,,0.{1 + i % 8},0.{2 + i % 7},{10 + i % 90},{i % 4},,\n");
        }

        return csv.ToString();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Writes_the_same_patients_observations_assessments_and_journal_as_the_one_transaction_import(string engine)
    {
        await using var before = await OpenAsync(engine);
        await using var after = await OpenAsync(engine);
        var csv = Csv(25);
        var reference = await ImportTheOldWayAsync(before, csv);
        var incident = await after.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = after.Get<MassCasualtyService>();
        var summary = await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(csv), TestCurve, "victims.csv"));

        Assert.Equal((25, 25), (summary.Patients, summary.Assessed));
        Assert.Equal(reference.Id, incident.Id);
        Assert.Equal(await before.Care.ListPatientsAsync(Coordinator, reference.Id), await after.Care.ListPatientsAsync(Coordinator, incident.Id));
        Assert.Equal(Json(await before.Care.ListAssessmentsAsync(Coordinator, reference.Id)), Json(await after.Care.ListAssessmentsAsync(Coordinator, incident.Id)));
        foreach (var p in await after.Care.ListPatientsAsync(Coordinator, incident.Id))
        {
            Assert.Equal(Json((await before.Care.GetPatientAsync(Coordinator, p.Id)).Observations), Json((await after.Care.GetPatientAsync(Coordinator, p.Id)).Observations));
        }

        // Byte for byte: sequence, time, user, record, payload and hash of every entry.
        var expected = await JournalAsync(before);
        var actual = await JournalAsync(after);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        Assert.True((await after.Audit.VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_journal_records_each_victims_observations_by_a_digest_an_auditor_recomputes_from_the_stored_rows(string engine)
    {
        // ADR 0027: "patient registered" carries the number and SHA-256 of the observation rows; the
        // import's own entry the totals. A changed stored value no longer matches the chained digest.
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(6)), TestCurve, "victims.csv"));

        var journal = await JournalAsync(w);
        var patients = await w.Care.ListPatientsAsync(Coordinator, incident.Id);
        var chunk = journal.Single(e => e.RecordType == MassCasualtyService.ImportChunkRecordType); // ADR 0033: one entry for the chunk
        Assert.False(chunk.Payload.Contains("lymphocytes", StringComparison.Ordinal)); // the values are in the rows, not repeated
        var victims = System.Text.Json.JsonDocument.Parse(chunk.Payload).RootElement.GetProperty("victims").EnumerateArray().ToList();
        Assert.Equal(patients.Select(p => p.Id), victims.Select(v => v.GetProperty("patientId").GetInt64()));
        foreach (var (p, victim) in patients.Zip(victims))
        {
            var recorded = victim.GetProperty("observations");
            var rows = await RowsAsync(w, p.Id);
            Assert.Equal(rows.Count, recorded.GetProperty("count").GetInt32());
            Assert.Equal(ObservationDigest.Of(rows), recorded.GetProperty("sha256").GetString());
            Assert.Equal(p.Code, victim.GetProperty("patient").GetProperty("code").GetString());
        }

        var import = System.Text.Json.JsonDocument.Parse(journal[^1].Payload).RootElement;
        Assert.Equal(("incident", "victims imported"), (journal[^1].RecordType, journal[^1].Action));
        Assert.Equal(6, import.GetProperty("victims").GetInt32());
        Assert.Equal(await ScalarAsync(w, "SELECT COUNT(*) FROM care_observations"), import.GetProperty("observations").GetInt64());

        var first = patients[0].Id;
        var before = ObservationDigest.Of(await RowsAsync(w, first));
        await ExecuteAsync(w, $"UPDATE care_observations SET data = replace(data, '1.', '2.') WHERE patient_id = {first}");
        Assert.NotEqual(before, ObservationDigest.Of(await RowsAsync(w, first)));
    }

    [Fact]
    public async Task A_victim_typed_with_a_MAC_code_refuses_the_import_naming_the_row_and_field()
    {
        // issue 12 item 5: the same typing rule as registration by hand; nothing is written.
        await using var w = await OpenAsync("sqlite");
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        var csv = Csv(3).Replace("HLA-A*24:02+HLA-A*02:01^", "HLA-A*24:MDP+HLA-A*02:01^", StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<DomainValidationException>(async () =>
        {
            var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(csv), TestCurve, "victims.csv");
            await mc.ImportAsync(Coordinator, incident.Id, victims);
        });

        var error = Assert.Single(refused.Errors);
        Assert.EndsWith("hlaTyping", error.Field, StringComparison.Ordinal);
        Assert.Contains("row 6", error.Field, StringComparison.Ordinal); // V-3's first row: header + 2 rows per victim
        Assert.StartsWith("MAC code A*24:MDP cannot be resolved", error.Message, StringComparison.Ordinal);
        Assert.Empty(await w.Care.ListPatientsAsync(Coordinator, incident.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_code_registered_while_the_import_assesses_refuses_the_whole_import_and_names_the_row(string engine)
    {
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(30)), TestCurve, "victims.csv");
        var journal = await w.JournalCountAsync();

        // Someone registers V-17 by hand after the import checked the codes and before it writes.
        var progress = new OnPhase(VictimImportPhase.Prepared, () =>
            Task.Run(() => w.Care.RegisterPatientAsync(Physician, incident.Id, APatient("v-17"))).GetAwaiter().GetResult());
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Task.Run(() => mc.ImportAsync(Coordinator, incident.Id, victims, progress)));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("row 34: patient", error.Field); // V-17's first row: header + 2 rows per victim
        Assert.Contains("V-17 is already registered in INC-0001", error.Message, StringComparison.Ordinal);
        Assert.Equal(["v-17"], (await w.Care.ListPatientsAsync(Coordinator, incident.Id)).Select(p => p.Code));
        Assert.Empty(await w.Care.ListAssessmentsAsync(Coordinator, incident.Id));
        Assert.Equal(journal + 1, await w.JournalCountAsync()); // the hand registration only
        Assert.Equal(0L, await ScalarAsync(w, "SELECT COUNT(*) FROM care_observations"));
        Assert.True((await w.Audit.VerifyAsync(TestWorld.System)).IsIntact);

        // The same file goes in once the clash is gone from it.
        var rest = victims.Where(v => v.Patient.Code != "V-17").ToList();
        Assert.Equal(29, (await mc.ImportAsync(Coordinator, incident.Id, rest)).Patients);
        Assert.Equal(30, (await w.Care.ListPatientsAsync(Coordinator, incident.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_vial_reservation_made_while_the_import_assesses_does_not_wait_for_it(string engine)
    {
        await using var w = await BankWorld.CreateAsync(engine);
        var care = w.Services.GetRequiredService<CareService>();
        var therapy = w.Services.GetRequiredService<TherapyService>();
        var mc = w.Services.GetRequiredService<MassCasualtyService>();
        var coordinator = (await w.World.Access.AddUserAsync(BankWorld.System, "coord1", "coord1", new HashSet<Role> { Role.Coordinator }, BankWorld.Password)).ToActor();
        var start = IncidentStart;
        var ward = await care.CreateIncidentAsync(w.Physician, new NewIncident("INC-W", "Ward", IncidentKind.Criticality, start, "Plant", ["U-235"]));
        var patient = await care.RegisterPatientAsync(w.Physician, ward.Id, new NewPatient("P-0001", 40, Sex.Male, 70, start,
            HlaTyping: "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
        var vials = await w.VialsAsync(await w.ReleasedLotAsync(2));
        var request = await therapy.RequestAsync(w.Physician, patient.Id, new NewTherapyRequest("S9102", 1, "urgent", "Hospital A"));
        var incident = await care.CreateIncidentAsync(w.Physician, new NewIncident("INC-MC", "Mass casualty", IncidentKind.RadiologicalDispersalDevice, start, "City", ["Cs-137"]));
        var victims = await mc.ParseAsync(w.Physician, incident.Id, new StringReader(Csv(40)), TestCurve, "victims.csv");

        // The import stops after assessing every victim, before its write, until the reservation is done.
        using var assessing = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var progress = new OnPhase(VictimImportPhase.Prepared, () =>
        {
            assessing.Set();
            Assert.True(gate.Wait(TimeSpan.FromSeconds(60)), "the test never opened the gate");
        });
        var import = Task.Run(() => mc.ImportAsync(w.Physician, incident.Id, victims, progress));
        Assert.True(assessing.Wait(TimeSpan.FromSeconds(60)), "the import never reached its assessment phase");

        var reservation = therapy.ReserveAsync(coordinator, request.Id, [vials[0].Id]);
        var finished = await Task.WhenAny(reservation, Task.Delay(TimeSpan.FromSeconds(10)));
        gate.Set();
        Assert.Same(reservation, finished); // it did not wait for the import (SQLite would wait up to 30 s for a writer)
        Assert.Equal(TherapyStatus.Reserved, (await reservation).Request.Status);
        Assert.Equal(40, (await import).Patients);
        Assert.True((await w.World.Audit.VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_reader_while_the_import_stages_its_chunks_never_sees_part_of_it(string engine)
    {
        // ADR 0028: chunks of 4 victims, each in a transaction of its own, invisible until published.
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(18)), TestCurve, "victims.csv");
        var journal = await w.JournalCountAsync();
        var seen = new List<(long Staged, int Patients, int Assessments, int Queue, int ByCode, bool PatientFound, long Journal)>();
        var progress = new OnPhase(VictimImportPhase.ChunkStaged, () => Task.Run(async () =>
        {
            var staged = await ScalarAsync(w, "SELECT COUNT(*) FROM care_patients WHERE import_id IS NOT NULL");
            var anyStaged = await ScalarAsync(w, "SELECT COALESCE(MIN(id), 0) FROM care_patients WHERE import_id IS NOT NULL");
            var found = true;
            try
            {
                await w.Care.GetPatientAsync(Coordinator, anyStaged);
            }
            catch (NotFoundException)
            {
                found = false;
            }

            seen.Add((staged, (await w.Care.ListPatientsAsync(Coordinator, incident.Id)).Count, (await w.Care.ListAssessmentsAsync(Coordinator, incident.Id)).Count,
                (await mc.QueueAsync(Coordinator, incident.Id)).Count, (await w.Care.FindPatientsByCodeAsync(Coordinator, "V-1")).Count, found,
                await w.JournalCountAsync()));
        }).GetAwaiter().GetResult());

        Assert.Equal(18, (await mc.ImportAsync(Coordinator, incident.Id, victims, progress)).Patients);

        Assert.Equal([4L, 8, 12, 16, 18], seen.Select(s => s.Staged)); // the rows were there, chunk by chunk…
        Assert.All(seen, s => Assert.Equal((0, 0, 0, 0, false, journal), (s.Patients, s.Assessments, s.Queue, s.ByCode, s.PatientFound, s.Journal))); // …and nobody saw them
        Assert.Equal(18, (await w.Care.ListPatientsAsync(Coordinator, incident.Id)).Count);
        Assert.Equal(18, (await w.Care.ListAssessmentsAsync(Coordinator, incident.Id)).Count);
        Assert.Equal(journal + 5 + 1, await w.JournalCountAsync()); // one entry per chunk and the import's (ADR 0033)
        Assert.True((await w.Audit.VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_failure_in_a_late_chunk_leaves_nothing_visible_nothing_journaled_and_no_staged_row(string engine)
    {
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(18)), TestCurve, "victims.csv");
        var journal = await w.JournalCountAsync();
        var chunks = 0;
        var progress = new OnPhase(VictimImportPhase.ChunkStaged, () =>
        {
            if (++chunks == 4)
            {
                throw new IOException("the disk failed after the fourth chunk");
            }
        });

        await Assert.ThrowsAsync<IOException>(() => mc.ImportAsync(Coordinator, incident.Id, victims, progress));

        Assert.Equal(4, chunks);
        Assert.Empty(await w.Care.ListPatientsAsync(Coordinator, incident.Id));
        Assert.Equal(journal, await w.JournalCountAsync());
        foreach (var table in new[] { "care_patients", "care_observations", "care_assessments", "care_imports" })
        {
            Assert.Equal(0L, await ScalarAsync(w, $"SELECT COUNT(*) FROM {table}"));
        }

        Assert.True((await w.Audit.VerifyAsync(TestWorld.System)).IsIntact);
        Assert.Equal(18, (await mc.ImportAsync(Coordinator, incident.Id, victims)).Patients); // the same file goes in afterwards
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_import_left_staging_by_a_stopped_process_is_swept_and_was_never_visible(string engine)
    {
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(3)), TestCurve, "victims.csv");
        var then = w.Clock.UtcNow - MassCasualtyService.AbandonedImportAfter - TimeSpan.FromMinutes(1);
        await using (var uow = await w.Units.BeginAsync(WorkMode.Write))
        {
            // What a process that died after staging one chunk leaves behind.
            var store = uow.Store<ICareStore>();
            var ids = await store.ReservePatientIdsAsync(1, default);
            var import = await store.BeginVictimImportAsync(incident.Id, Coordinator.UserName, then, default);
            var v = victims[0];
            var patient = new Patient(ids[0], incident.Id, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart,
                v.Patient.ExposureHours, v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, then, 1);
            var observations = v.Observations.Select(o => new Observation(0, ids[0], o.Kind, o.ObservedAt, o.Data, Coordinator.UserName, then)).ToList();
            var assessment = PatientAssessor.Assess(patient, observations, 1, then);
            await store.InsertVictimImportAsync(new VictimImportRows(import, then, incident.Id, [patient],
                [.. observations.Select(o => new PreparedObservation(o, System.Text.Encoding.UTF8.GetBytes(Json(o.Data))))], [new PreparedAssessment(assessment, System.Text.Encoding.UTF8.GetBytes(Json(assessment)))]), default);
            await uow.CommitAsync();
        }

        Assert.Empty(await w.Care.ListPatientsAsync(Coordinator, incident.Id));
        Assert.Equal(1L, await ScalarAsync(w, "SELECT COUNT(*) FROM care_patients"));
        Assert.Equal(1, await mc.SweepAbandonedImportsAsync());
        foreach (var table in new[] { "care_patients", "care_observations", "care_assessments", "care_imports" })
        {
            Assert.Equal(0L, await ScalarAsync(w, $"SELECT COUNT(*) FROM {table}"));
        }

        Assert.Equal(0, await mc.SweepAbandonedImportsAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_history_shows_an_imported_first_assessment_from_its_row_after_a_new_version_replaced_it(string engine)
    {
        // ADR 0028: the journal chains the SHA-256 of the imported first assessment; its payload stays readable.
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(2)), TestCurve, "victims.csv"));
        var patient = (await w.Care.ListPatientsAsync(Coordinator, incident.Id))[0];
        var first = Json((await w.Care.GetPatientAsync(Coordinator, patient.Id)).Assessment!);
        Assert.Equal(first, Assert.Single(await w.Care.AssessmentHistoryAsync(Coordinator, patient.Id)).Payload);

        await w.Care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, IncidentStart.AddHours(30),
            new ObservationData { Lymphocytes = 0.4, Granulocytes = 7, Platelets = 200 }, confirm: true);

        var history = await w.Care.AssessmentHistoryAsync(Coordinator, patient.Id);
        Assert.Equal(2, history.Count);
        Assert.Contains("\"version\":2", history[0].Payload, StringComparison.Ordinal);
        Assert.Equal(first, history[1].Payload);

        await ExecuteAsync(w, $"UPDATE care_first_assessments SET payload = replace(payload, '\"version\":1', '\"version\":1 ') WHERE patient_id = {patient.Id}");
        await Assert.ThrowsAsync<InvalidOperationException>(() => w.Care.AssessmentHistoryAsync(Coordinator, patient.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Each_victims_first_assessment_is_verified_against_its_chunks_journal_entry(string engine)
    {
        // ADR 0033: one journal entry per chunk (not two per victim); every victim's history shows the
        // stored first assessment under its chunk's entry once the digest matches, and refuses otherwise.
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        var journal = await w.JournalCountAsync();
        await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(10)), TestCurve, "victims.csv"));

        var entries = (await JournalAsync(w)).Skip((int)journal).ToList();
        Assert.Equal([MassCasualtyService.ImportChunkRecordType, MassCasualtyService.ImportChunkRecordType, MassCasualtyService.ImportChunkRecordType, "incident"],
            entries.Select(e => e.RecordType));
        Assert.Equal(["1/1", "1/2", "1/3"], entries.Take(3).Select(e => e.RecordId));
        var patients = await w.Care.ListPatientsAsync(Coordinator, incident.Id);
        for (var i = 0; i < patients.Count; i++)
        {
            var shown = Assert.Single(await w.Care.AssessmentHistoryAsync(Coordinator, patients[i].Id));
            Assert.Equal(entries[i / 4].Sequence, shown.Sequence); // the chunk's entry…
            Assert.Equal(Json((await w.Care.GetPatientAsync(Coordinator, patients[i].Id)).Assessment!), shown.Payload); // …showing the stored payload
        }

        Assert.True((await w.Audit.VerifyAsync(TestWorld.System)).IsIntact);
        var tampered = patients[5].Id; // chunk 2
        await ExecuteAsync(w, $"UPDATE care_assessments SET payload = replace(payload, '\"version\":1', '\"version\":1 ') WHERE patient_id = {tampered}");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => w.Care.AssessmentHistoryAsync(Coordinator, tampered));
        Assert.Contains($"journal entry {entries[1].Sequence}", refused.Message, StringComparison.Ordinal);
        Assert.Single(await w.Care.AssessmentHistoryAsync(Coordinator, patients[4].Id)); // its neighbours in the chunk still verify
    }

    [Fact]
    public async Task A_first_assessment_journaled_per_victim_before_chunk_entries_is_still_shown_and_verified()
    {
        // ADR 0033 leaves the journal as it was: an import published under ADR 0028 has a per-victim
        // "assessed" entry with the payload's SHA-256 and no chunk in the patient's row.
        await using var w = await OpenAsync("sqlite");
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(Csv(1)), TestCurve, "victims.csv"));
        var patient = (await w.Care.ListPatientsAsync(Coordinator, incident.Id))[0];
        var stored = Json((await w.Care.GetPatientAsync(Coordinator, patient.Id)).Assessment!);
        await ExecuteAsync(w, $"UPDATE care_patients SET import_chunk = NULL WHERE id = {patient.Id}");
        await using (var uow = await w.Units.BeginAsync(WorkMode.Write))
        {
            await uow.Journal.AppendAsync(Coordinator.UserName, new JournalRecord("patient-assessment", Id(patient.Id), "assessed",
                new { patientId = patient.Id, version = 1, imported = true, payload = new { sha256 = Sha256(stored) } }));
            await uow.CommitAsync();
        }

        Assert.Equal(stored, Assert.Single(await w.Care.AssessmentHistoryAsync(Coordinator, patient.Id)).Payload);
        Assert.True((await w.Audit.VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Fact]
    public void A_memoised_cytogenetic_estimate_is_the_one_computed_for_each_patient()
    {
        var memo = new AssessmentMemo();
        var data = new ObservationData { Cells = 500, Aberrations = 40, Curve = TestCurve };
        var a = new Patient(1, 1, "A-1", 40, Sex.Male, 70, IncidentStart, 0, ExposureRoute.External, false, false, false, null, IncidentStart, 1);
        var b = a with { Id = 2, Code = "B-2" };
        var c = a with { Id = 3, Code = "C-3", ExposureHours = 6 };
        Assert.Equal(Json(PatientAssessor.Cytogenetic(a, data)), Json(memo.Cytogenetic(a, data)));
        Assert.Equal(Json(PatientAssessor.Cytogenetic(b, data)), Json(memo.Cytogenetic(b, data))); // from the memo, with B-2's id
        Assert.Equal(Json(PatientAssessor.Cytogenetic(c, data)), Json(memo.Cytogenetic(c, data))); // a protracted exposure is another input
        Assert.NotEqual(Json(memo.Cytogenetic(a, data)), Json(memo.Cytogenetic(c, data)));
    }

    [Fact]
    public async Task Typings_checked_part_by_part_read_as_the_whole_check_reads_them()
    {
        // A file's typings are checked per '^' part, each part once (issue 12 item 4): the same
        // normalised typing as a registration by hand, and the same refusals.
        await using var w = await OpenAsync("sqlite");
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        string[] typings =
        [
            "HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02",
            "HLA-A*24:02+HLA-A*02:01^HLA-B*07:02+HLA-B*52:01",
            "A*24:02+A*02:01^HLA-B*52:01+HLA-B*07:02^DRB1*15:02+DRB1*04:01",
            " HLA-A*24:02+HLA-A*02:01^HLA-B*52:01+HLA-B*07:02 ",
            "HLA-B*52:01+HLA-B*07:02^HLA-A*24:02+HLA-A*02:01",
        ];
        string File(IEnumerable<string> hla) => "patient,age,sex,weightKg,hla\n" + string.Concat(hla.Select((h, i) => $"T-{i},40,male,70,\"{h}\"\n"));
        var victims = await mc.ParseAsync(Coordinator, incident.Id, new StringReader(File(typings)), TestCurve, "victims.csv");
        for (var i = 0; i < typings.Length; i++)
        {
            var byHand = await w.Care.RegisterPatientAsync(Physician, incident.Id, APatient($"H-{i}") with { HlaTyping = typings[i] });
            Assert.Equal(byHand.HlaTyping, victims[i].Patient.HlaTyping);
        }

        foreach (var bad in new[] { "HLA-A*24:02+HLA-A*02:01^HLA-A*01:01+HLA-A*03:01", "HLA-A*24:02+HLA-A*02:01 ^HLA-B*52:01+HLA-B*07:02", "HLA-A*24:02+HLA-A*02:01^^HLA-B*52:01+HLA-B*07:02" })
        {
            var byHand = await Assert.ThrowsAsync<DomainValidationException>(() => w.Care.RegisterPatientAsync(Physician, incident.Id, APatient("X-1") with { HlaTyping = bad }));
            var imported = await Assert.ThrowsAsync<DomainValidationException>(() => mc.ParseAsync(Coordinator, incident.Id, new StringReader(File([typings[0], bad])), TestCurve, "victims.csv"));
            Assert.Equal(Assert.Single(byHand.Errors).Message, Assert.Single(imported.Errors).Message);
        }
    }

    /// <summary>The import as it was before ADR 0021, all of it inside one write transaction: the reference the new path must equal.</summary>
    private static async Task<Incident> ImportTheOldWayAsync(TestWorld w, string csv)
    {
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var victims = await w.Get<MassCasualtyService>().ParseAsync(Coordinator, incident.Id, new StringReader(csv), TestCurve, "victims.csv");
        await using var uow = await w.Units.BeginAsync(WorkMode.Write);
        var store = uow.Store<ICareStore>();
        var now = w.Clock.UtcNow;
        var ids = await store.InsertPatientsAsync(incident.Id, [.. victims.Select(v => v.Patient)], now, default);
        var patients = new List<Patient>();
        var observations = new List<List<Observation>>();
        var recorded = new List<(long Id, NewPatient Patient, int Count, string Sha256)>();
        var pending = new List<Observation>();
        for (var i = 0; i < victims.Count; i++)
        {
            var (v, id) = (victims[i], ids[i]);
            var list = v.Observations.Select(o => new Observation(0, id, o.Kind, o.ObservedAt, o.Data, Coordinator.UserName, now)).ToList();
            pending.AddRange(list);
            // ADR 0027: the observations' number and digest of their stored rows, not their values again.
            var data = list.Select(o => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(Json(o.Data!))).ToList();
            recorded.Add((id, v.Patient, list.Count, ObservationDigest.Of(list, data)));
            patients.Add(new Patient(id, incident.Id, v.Patient.Code, v.Patient.AgeYears, v.Patient.Sex, v.Patient.WeightKg, v.Patient.ExposureStart, v.Patient.ExposureHours,
                v.Patient.Route, v.Patient.Contaminated, v.Patient.Burns, v.Patient.Trauma, v.Patient.HlaTyping, now, 1));
            observations.Add(list);
        }

        await store.InsertObservationsAsync(pending, default);
        var assessments = patients.Select((p, i) => PatientAssessor.Assess(p, observations[i], 1, now)).ToList();
        await store.InsertFirstAssessmentsAsync(assessments, default);
        // ADR 0033: one entry for the chunk (all 25 victims here), each victim with the digests of its
        // observations (ADR 0027) and of its stored first assessment (ADR 0028); then the import's entry.
        const long import = 1;
        await uow.Journal.AppendAsync(Coordinator.UserName, MassCasualtyService.ImportedChunk(incident, import, 1,
            [.. recorded.Select((r, i) => ImportedVictimRecord.Of(r.Id, r.Patient, r.Count, r.Sha256, assessments[i], Sha256(Json(assessments[i]))))]));
        await uow.Journal.AppendAsync(Coordinator.UserName, new JournalRecord("incident", Id(incident.Id), "victims imported", new
        {
            incident = incident.Code,
            import,
            chunks = 1,
            victims = patients.Count,
            observations = pending.Count,
            firstPatient = patients[0].Id,
            lastPatient = patients[^1].Id,
        }));
        await uow.CommitAsync();
        return incident;
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value, CareJson.Options);

    private static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static async Task<List<JournalEntry>> JournalAsync(TestWorld w)
    {
        await using var uow = await w.Units.BeginAsync(WorkMode.Read);
        var entries = new List<JournalEntry>();
        await foreach (var e in uow.Journal.ReadAllAsync())
        {
            entries.Add(e);
        }

        return entries;
    }

    /// <summary>A patient's stored observation rows as <see cref="ObservationDigest"/> reads them (id order).</summary>
    private static async Task<List<(string Kind, string ObservedAt, string DataJson)>> RowsAsync(TestWorld w, long patientId)
    {
        await using var connection = await w.Get<RadRegen.Storage.Database>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT kind, observed_at, data FROM care_observations WHERE patient_id = {patientId} ORDER BY id";
        var rows = new List<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(TestWorld w, string sql)
    {
        await using var connection = await w.Get<RadRegen.Storage.Database>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(TestWorld w, string sql)
    {
        await using var connection = await w.Get<RadRegen.Storage.Database>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="action"/> on the importing thread when the import reaches <paramref name="phase"/>.</summary>
    private sealed class OnPhase(VictimImportPhase phase, Action action) : IProgress<VictimImportPhase>
    {
        public void Report(VictimImportPhase value)
        {
            if (value == phase)
            {
                action();
            }
        }
    }
}
