using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using RadRegen.Core.Access;
using RadRegen.Hosting.Demo;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Training;

/// <summary>Exercises through the real server (issue 15 items 2–5, 7): create, assign, play, score, replay, AAR/IP, refusals, the pages.</summary>
public sealed class ExerciseApiTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();

    private TestServer _server = null!;

    private static Uri U(string path) => new(path, UriKind.Relative);

    public async Task InitializeAsync() => _server = await TestServer.StartAsync("sqlite", o => o with
    {
        ConfigureLogging = logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(_logs);
        },
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _logs.Dispose();
    }

    /// <summary>A failure with the server's logged errors, so a 500 says why.</summary>
    private string Errors() => string.Join("\n", _logs.Entries.Where(e => e.Exception is not null).Select(e => e.Exception!.ToString()));

    [Fact]
    public async Task An_exercise_through_the_api_and_its_pages()
    {
        try
        {
            await PlayAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(ex.Message + "\nserver errors:\n" + Errors(), ex);
        }
    }

    private async Task PlayAsync()
    {
        using var trainer = await _server.WithTokenAsync(Role.Trainer);
        using var doctor = await _server.WithTokenAsync(Role.Physician);
        using var coordinator = await _server.WithTokenAsync(Role.Coordinator);

        await Problem(await trainer.PostAsJsonAsync(U("/api/v1/training/exercises"), new { code = "EX-API", title = "API" }), HttpStatusCode.BadRequest, "victims");
        await Problem(await doctor.PostAsJsonAsync(U("/api/v1/training/exercises"), new { code = "EX-API", title = "API", victims = 20, seed = 3 }), HttpStatusCode.Forbidden);
        var created = await OkJson(await trainer.PostAsJsonAsync(U("/api/v1/training/exercises"), new { code = "EX-API", title = "API", victims = 20, seed = 3 }), HttpStatusCode.Created);
        Assert.True(created.GetProperty("drill").GetBoolean());
        var id = created.GetProperty("id").GetInt64();
        var incident = created.GetProperty("incidentId").GetInt64();
        await OkJson(await trainer.PostAsJsonAsync(U($"/api/v1/training/exercises/{id}/trainees"), new { userName = DemoSeeder.DemoUserName(Role.Physician) }));

        // Another's drill: 403 with the reason; the answer key is the trainer's.
        var refused = await Problem(await coordinator.GetAsync(U($"/api/v1/training/exercises/{id}")), HttpStatusCode.Forbidden);
        Assert.Contains("is not a trainee of exercise EX-API", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Problem(await doctor.GetAsync(U($"/api/v1/training/exercises/{id}/answer-key")), HttpStatusCode.Forbidden);
        var key = await OkJson(await trainer.GetAsync(U($"/api/v1/training/exercises/{id}/answer-key")));
        var first = key.GetProperty("victims")[0];
        var victim = first.GetProperty("victim").GetString();

        // Play: a triage recorded with its time; a bad colour is a 400 naming the field.
        await OkJson(await doctor.PostAsJsonAsync(U($"/api/v1/training/exercises/{id}/triage"), new
        {
            victim, colour = first.GetProperty("colour").GetString(), rc = first.GetProperty("rc").GetInt32(), doseGy = first.GetProperty("doseGy").GetDouble(),
        }), HttpStatusCode.Created);
        await Problem(await doctor.PostAsJsonAsync(U($"/api/v1/training/exercises/{id}/triage"), new { victim, colour = "blue" }), HttpStatusCode.BadRequest, "colour");
        var mine = await OkJson(await doctor.GetAsync(U($"/api/v1/training/exercises/{id}/score")));
        Assert.Equal(DemoSeeder.DemoUserName(Role.Physician), mine.GetProperty("trainee").GetString());
        Assert.Equal(1, mine.GetProperty("answered").GetInt32());
        await Problem(await doctor.GetAsync(U($"/api/v1/training/exercises/{id}/score?trainee=someone")), HttpStatusCode.Forbidden);

        // A drill on the real bank: refused with the reason.
        var drillOnReal = await coordinator.PostAsJsonAsync(U($"/api/v1/care/incidents/{incident}/allocations"), new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, drillOnReal.StatusCode);
        Assert.Contains("is a drill", await drillOnReal.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Answers for victims not in the exercise: a 400 naming them.
        using var csv = new StringContent($"victim,colour,rc,dose\n{victim},green,1,0.5\nV-99999,red,4,9\n", Encoding.UTF8, "text/csv");
        var unknown = await Problem(await trainer.PostAsync(U($"/api/v1/training/exercises/{id}/score"), csv), HttpStatusCode.BadRequest, "victim");
        Assert.Contains("V-99999", unknown.ToString(), StringComparison.Ordinal);

        var replay = await OkJson(await trainer.GetAsync(U($"/api/v1/training/exercises/{id}/replay")));
        Assert.True(replay.GetProperty("sameTruth").GetBoolean());
        Assert.True(replay.GetProperty("sameScore").GetBoolean());

        var plan = await OkJson(await trainer.PostAsync(U($"/api/v1/training/exercises/{id}/improvement-plan"), null));
        var item = plan[0];
        var edited = await OkJson(await trainer.PutAsJsonAsync(U($"/api/v1/training/exercises/{id}/improvement-plan/{item.GetProperty("id").GetInt64()}"), new
        {
            action = "Repeat the triage drill", owner = "demo-trainer", due = "2026-12-31", status = "in-progress", version = item.GetProperty("version").GetInt32(),
        }));
        Assert.Equal("in-progress", edited.GetProperty("status").GetString());

        var pdf = await trainer.GetAsync(U($"/api/v1/training/exercises/{id}/report.pdf"));
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);

        // The pages say DRILL; another trainee's page is 403 with the reason.
        var (browser, _) = await _server.SignInAsync(DemoSeeder.DemoUserName(Role.Trainer), _server.PasswordOf(Role.Trainer));
        foreach (var page in new[] { "/training/exercises", $"/training/exercises/{id}", $"/training/exercises/{id}/score" })
        {
            var html = await browser.GetStringAsync(U(page));
            Assert.Contains("DRILL", html, StringComparison.Ordinal);
        }

        var (other, _) = await _server.SignInAsync(DemoSeeder.DemoUserName(Role.Coordinator), _server.PasswordOf(Role.Coordinator));
        var denied = await other.GetAsync(U($"/training/exercises/{id}/play"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("is not a trainee of exercise EX-API", WebUtility.HtmlDecode(await denied.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var (player, _) = await _server.SignInAsync(DemoSeeder.DemoUserName(Role.Physician), _server.PasswordOf(Role.Physician));
        var play = await player.GetStringAsync(U($"/training/exercises/{id}/play"));
        Assert.Contains("DRILL", play, StringComparison.Ordinal);
        Assert.Contains(victim!, play, StringComparison.Ordinal);
    }
}
