using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Testing;
using RadRegen.Training.Courses;

namespace RadRegen.Cli.Tests.Training;

/// <summary><c>radregen training current</c>: who is current in what, read only (issue 15 item 1).</summary>
public class TrainingCommandTests
{
    [Fact]
    public async Task Prints_the_matrix_as_json_and_refuses_a_bad_date_with_exit_1()
    {
        await using var db = await TestDatabases.CreateMigratedAsync("sqlite");
        await using (var services = TestServices.Build(db))
        {
            var access = services.GetRequiredService<AccessService>();
            var trainer = (await access.AddUserAsync(Actor.LocalOperator("t"), "trainer1", "Trainer", new HashSet<Role> { Role.Trainer }, "correct horse battery")).ToActor();
            await access.AddUserAsync(Actor.LocalOperator("t"), "doc1", "Doctor", new HashSet<Role> { Role.Physician }, "correct horse battery");
            var courses = services.GetRequiredService<CourseService>();
            await courses.CreateCourseAsync(trainer, new NewCourse("REM-BASIC", "Basics", "", 4, 0, 0, [], 12, 70));
            var session = await courses.CreateSessionAsync(trainer, new NewSession("REM-BASIC", courses.Today, courses.Today, "online", null));
            var enrolment = await courses.EnrolAsync(trainer, session.Id, "doc1");
            await courses.AssessAsync(trainer, enrolment.Id, 90);
        }

        var path = new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource;
        var run = await CliRunner.RunAsync("training", "current", "--json", "--database", path);
        Assert.True(run.Exit == 0, run.Err);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(["REM-BASIC"], json.GetProperty("courses").EnumerateArray().Select(c => c.GetString()));
        var doc = json.GetProperty("staff").EnumerateArray().Single(s => s.GetProperty("staff").GetString() == "doc1");
        Assert.Equal("current", doc.GetProperty("courses")[0].GetProperty("currency").GetString());
        var trainerRow = json.GetProperty("staff").EnumerateArray().Single(s => s.GetProperty("staff").GetString() == "trainer1");
        Assert.Equal("never", trainerRow.GetProperty("courses")[0].GetProperty("currency").GetString());

        var bad = await CliRunner.RunAsync("training", "current", "--as-of", "2026-13-40", "--database", path);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--as-of", bad.Err, StringComparison.Ordinal);
        var within = await CliRunner.RunAsync("training", "current", "--expiring-within", "-1", "--database", path);
        Assert.Equal(1, within.Exit);
        Assert.Contains("expiringWithinDays", within.Err, StringComparison.Ordinal);
    }
}
