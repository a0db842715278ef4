using RadRegen.Care.Drill;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Training.Exercises;

namespace RadRegen.Training.Tests.Exercises;

/// <summary>
/// Issue 15 ("nothing is half-written"): when the victims import of a new exercise fails, neither the
/// exercise nor its drill incident remains; the discarded incident is journaled, and the same code can
/// be used again.
/// </summary>
[Trait("Kind", "Integration")]
public class ExerciseCreationFailureTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static readonly Actor Trainer = new(1, "trainer.ito", new HashSet<Role> { Role.Trainer });

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_failed_import_leaves_no_exercise_and_no_drill_incident(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine, new TestClock(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero)));
        var service = w.Get<ExerciseService>();
        var scenario = new Scenario(7, 20, IncidentKind.RadiologicalDispersalDevice, DrillDoseDistribution.Default);
        // The database refuses every new patient: the import fails after the incident was opened.
        if (engine == "sqlite")
        {
            await w.RawAsync("CREATE TRIGGER refuse_patients BEFORE INSERT ON care_patients BEGIN SELECT RAISE(ABORT, 'forced import failure'); END");
        }
        else
        {
            await w.RawAsync("CREATE OR REPLACE FUNCTION refuse_patients() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced import failure'; END $$ LANGUAGE plpgsql");
            await w.RawAsync("CREATE TRIGGER refuse_patients BEFORE INSERT ON care_patients FOR EACH ROW EXECUTE FUNCTION refuse_patients()");
        }

        await Assert.ThrowsAnyAsync<Exception>(() => service.CreateAsync(Trainer, new NewExercise("EX-F", "Fails", scenario)));

        Assert.Empty(await service.ListAsync(Trainer));
        Assert.DoesNotContain(await w.Care.ListIncidentsAsync(Trainer), i => i.Code == "EX-EX-F");
        await using (var uow = await w.Units.BeginAsync(WorkMode.Read))
        {
            var entries = (await uow.Journal.QueryAsync(new JournalQuery(RecordType: "incident", PageSize: 50))).Entries;
            Assert.Contains(entries, e => e.Action == "discarded");
            Assert.DoesNotContain((await uow.Journal.QueryAsync(new JournalQuery(RecordType: "exercise", PageSize: 50))).Entries, e => e.Action == "created");
        }

        // Once the database takes patients again, the same code creates the exercise (nothing was left to collide with).
        await w.RawAsync(engine == "sqlite" ? "DROP TRIGGER refuse_patients" : "DROP TRIGGER refuse_patients ON care_patients");
        var exercise = await service.CreateAsync(Trainer, new NewExercise("EX-F", "Works", scenario));
        Assert.Equal("EX-EX-F", (await w.Care.GetIncidentAsync(Trainer, exercise.IncidentId)).Code);
    }
}
