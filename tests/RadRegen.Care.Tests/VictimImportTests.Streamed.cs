using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>
/// The streamed victims import (ADR 0042, <see cref="MassCasualtyService.ImportCsvAsync"/>): the
/// first victims are assessed and staged while the parser reads the last, and the result is the one
/// of parsing the whole file and then importing it: the same rows, the same journal, the same errors
/// and, when refused, nothing written.
/// </summary>
public partial class VictimImportTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_streamed_import_writes_the_same_rows_and_journal_as_parsing_the_whole_file_first(string engine)
    {
        await using var whole = await OpenAsync(engine);
        await using var streamed = await OpenAsync(engine);
        var csv = Csv(25);
        var (reference, expected) = await ImportWholeAsync(whole, csv);

        var incident = await streamed.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = streamed.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4; // 7 chunks, and a second block of reserved ids
        var chunks = 0;
        var summary = await mc.ImportCsvAsync(Coordinator, incident.Id, csv, TestCurve, "victims.csv", new OnPhase(VictimImportPhase.ChunkStaged, () => chunks++));

        Assert.Equal((25, 25, expected.Observations), (summary.Patients, summary.Assessed, summary.Observations));
        Assert.Equal(7, chunks);
        Assert.Equal(await whole.Care.ListPatientsAsync(Coordinator, reference.Id), await streamed.Care.ListPatientsAsync(Coordinator, incident.Id));
        Assert.Equal(Json(await whole.Care.ListAssessmentsAsync(Coordinator, reference.Id)), Json(await streamed.Care.ListAssessmentsAsync(Coordinator, incident.Id)));
        foreach (var p in await streamed.Care.ListPatientsAsync(Coordinator, incident.Id))
        {
            Assert.Equal(await RowsAsync(whole, p.Id), await RowsAsync(streamed, p.Id));
        }

        Assert.Equal(await JournalAsync(whole), await JournalAsync(streamed)); // byte for byte
        Assert.True((await streamed.Audit.VerifyAsync(TestWorld.System)).IsIntact);
        Assert.Equal(0L, await ScalarAsync(streamed, "SELECT COUNT(*) FROM care_imports WHERE state <> 'published'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_rows_after_staged_chunks_refuse_the_file_with_every_error_parsing_gives_and_leave_nothing(string engine)
    {
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        // Rows 56 and 61 (V-28's and V-30's first rows): found after six chunks were staged.
        var lines = Csv(30).TrimEnd('\n').Split('\n');
        lines[55] = lines[55].Replace("V-28,48,female", "V-28,old,female", StringComparison.Ordinal);
        lines[59] = lines[59].Replace("V-30,50,female", "V-30,50,robot", StringComparison.Ordinal);
        var csv = string.Join('\n', lines) + "\n";
        var expected = await Assert.ThrowsAsync<DomainValidationException>(() => mc.ParseAsync(Coordinator, incident.Id, new StringReader(csv), TestCurve, "victims.csv"));
        var journal = await w.JournalCountAsync();
        var chunks = 0;

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            mc.ImportCsvAsync(Coordinator, incident.Id, csv, TestCurve, "victims.csv", new OnPhase(VictimImportPhase.ChunkStaged, () => chunks++)));

        Assert.Equal(expected.Errors, refused.Errors);
        Assert.Equal(2, refused.Errors.Count);
        Assert.True(chunks >= 1, "the first chunks were staged before the bad rows were read");
        Assert.Empty(await w.Care.ListPatientsAsync(Coordinator, incident.Id));
        Assert.Equal(journal, await w.JournalCountAsync());
        foreach (var table in new[] { "care_patients", "care_observations", "care_assessments", "care_imports" })
        {
            Assert.Equal(0L, await ScalarAsync(w, $"SELECT COUNT(*) FROM {table}"));
        }

        Assert.Equal(30, (await mc.ImportCsvAsync(Coordinator, incident.Id, Csv(30), TestCurve, "victims.csv")).Patients);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Codes_already_in_the_incident_refuse_a_streamed_import_naming_every_clash(string engine)
    {
        await using var w = await OpenAsync(engine);
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        await w.Care.RegisterPatientAsync(Physician, incident.Id, APatient("v-7"));
        await w.Care.RegisterPatientAsync(Physician, incident.Id, APatient("V-26"));
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        var journal = await w.JournalCountAsync();

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => mc.ImportCsvAsync(Coordinator, incident.Id, Csv(30), TestCurve, "victims.csv"));

        Assert.Equal(["row 14: patient", "row 52: patient"], refused.Errors.Select(e => e.Field));
        Assert.Contains("V-7 is already registered in INC-0001", refused.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(["v-7", "V-26"], (await w.Care.ListPatientsAsync(Coordinator, incident.Id)).Select(p => p.Code));
        Assert.Equal(journal, await w.JournalCountAsync());
        Assert.Equal(0L, await ScalarAsync(w, "SELECT COUNT(*) FROM care_observations"));
        Assert.Equal(0L, await ScalarAsync(w, "SELECT COUNT(*) FROM care_imports"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_patient_whose_rows_resume_after_another_patients_is_imported_whole_as_parsing_gives(string engine)
    {
        // Allowed (the later row leaves the patient columns empty), but not streamable: V-2's second
        // row comes after V-25's. The import reads the file whole and gives what parsing gives.
        var lines = Csv(25).TrimEnd('\n').Split('\n').ToList();
        var late = lines[4]; // V-2's second row
        lines.RemoveAt(4);
        lines.Add(late);
        var csv = string.Join('\n', lines) + "\n";
        await using var whole = await OpenAsync(engine);
        await using var streamed = await OpenAsync(engine);
        var (reference, _) = await ImportWholeAsync(whole, csv);
        var incident = await streamed.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = streamed.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;

        var summary = await mc.ImportCsvAsync(Coordinator, incident.Id, csv, TestCurve, "victims.csv");

        Assert.Equal(25, summary.Patients);
        var v2 = (await streamed.Care.ListPatientsAsync(Coordinator, incident.Id)).Single(p => p.Code == "V-2");
        Assert.Equal(2, (await streamed.Care.GetPatientAsync(Coordinator, v2.Id)).Observations.Select(o => o.ObservedAt).Distinct().Count());
        // The same assessments; the ids differ by the block the discarded streamed attempt had reserved (a gap).
        Assert.Equal(Json((await whole.Care.ListAssessmentsAsync(Coordinator, reference.Id)).Select(a => a with { PatientId = 0 })),
            Json((await streamed.Care.ListAssessmentsAsync(Coordinator, incident.Id)).Select(a => a with { PatientId = 0 })));
        // The streamed attempt was discarded (its staged rows and its import row); the whole-file import published.
        Assert.Equal(1L, await ScalarAsync(streamed, "SELECT COUNT(*) FROM care_imports"));
        Assert.Equal(0L, await ScalarAsync(streamed, "SELECT COUNT(*) FROM care_imports WHERE state <> 'published'"));
        Assert.Equal(25L, await ScalarAsync(streamed, "SELECT COUNT(*) FROM care_patients"));
        Assert.True((await streamed.Audit.VerifyAsync(TestWorld.System)).IsIntact);
    }

    [Fact]
    public void The_stream_yields_the_first_victims_before_it_reads_the_bad_row_at_the_end()
    {
        var incident = new Records.Incident(1, "INC-0001", "t", Records.IncidentKind.Criticality, IncidentStart, "x", [], IncidentStart, 1);
        var csv = Csv(3) + "V-4,old,male,70,no,,2026-11-20T07:00:00Z,,,,,,,,\n";
        using var victims = VictimCsv.Stream(new StringReader(csv), incident, TestCurve, IncidentStart.AddDays(2), "victims.csv").GetEnumerator();

        Assert.True(victims.MoveNext());
        Assert.Equal("V-1", victims.Current.Patient.Code);
        Assert.Equal(2, victims.Current.Observations.Select(o => o.ObservedAt).Distinct().Count());
        Assert.True(victims.MoveNext());
        Assert.True(victims.MoveNext());
        Assert.Equal("V-3", victims.Current.Patient.Code); // V-3's rows ended where V-4's began
        var error = Assert.Throws<DomainValidationException>(() => { victims.MoveNext(); });
        Assert.Equal("victims.csv row 8: age", Assert.Single(error.Errors).Field);
    }

    /// <summary>The reference: <paramref name="csv"/> parsed whole, then imported, in chunks of 4 victims.</summary>
    private static async Task<(Records.Incident Incident, ImportSummary Summary)> ImportWholeAsync(TestWorld w, string csv)
    {
        var incident = await w.Care.CreateIncidentAsync(Coordinator, AnIncident());
        var mc = w.Get<MassCasualtyService>();
        mc.ImportChunkVictims = 4;
        return (incident, await mc.ImportAsync(Coordinator, incident.Id, await mc.ParseAsync(Coordinator, incident.Id, new StringReader(csv), TestCurve, "victims.csv")));
    }
}
