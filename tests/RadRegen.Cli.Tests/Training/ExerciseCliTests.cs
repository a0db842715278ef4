using System.Globalization;
using System.Text;
using System.Text.Json;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Training;

/// <summary><c>radregen exercise create | answer-key | score</c> (issue 15 item 8).</summary>
public class ExerciseCliTests
{
    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Create_answer_key_and_score_against_the_truth()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "ex.db");
        var (exit, output, err) = await Run("exercise", "create", "--victims", "30", "--seed", "11", "--kind", "criticality", "--code", "EX-CLI", "--database", db, "--json");
        Assert.True(exit == 0, err);
        var created = JsonDocument.Parse(output).RootElement;
        Assert.Equal("EX-CLI", created.GetProperty("exercise").GetProperty("code").GetString());
        Assert.True(created.GetProperty("exercise").GetProperty("drill").GetBoolean());
        Assert.Equal(30, created.GetProperty("victims").GetArrayLength());
        var victimsText = created.GetProperty("victims").ToString();
        Assert.DoesNotContain("dose", victimsText, StringComparison.OrdinalIgnoreCase); // observations, no truth
        Assert.DoesNotContain("colour", victimsText, StringComparison.OrdinalIgnoreCase);
        Assert.True(created.GetProperty("victims")[0].GetProperty("observations").GetArrayLength() > 0);

        (exit, output, err) = await Run("exercise", "answer-key", "--exercise", "EX-CLI", "--database", db, "--json");
        Assert.True(exit == 0, err);
        var truth = JsonDocument.Parse(output).RootElement.GetProperty("victims").EnumerateArray().ToList();
        Assert.Equal(30, truth.Count);

        // Answers: the truth for all but the first victim, whose colour and dose are wrong.
        var csv = new StringBuilder("victim,colour,rc,dose\n");
        foreach (var (v, i) in truth.Select((v, i) => (v, i)))
        {
            var colour = i == 0 ? (v.GetProperty("colour").GetString() == "red" ? "green" : "red") : v.GetProperty("colour").GetString();
            var dose = v.GetProperty("doseGy").GetDouble() + (i == 0 ? 5 : 0);
            csv.Append(CultureInfo.InvariantCulture, $"{v.GetProperty("victim").GetString()},{colour},{v.GetProperty("rc").GetInt32()},{dose}\n");
        }

        var answers = Path.Combine(dir.Path, "answers.csv");
        await File.WriteAllTextAsync(answers, csv.ToString());
        (exit, output, err) = await Run("exercise", "score", "--exercise", "EX-CLI", "--answers", answers, "--database", db, "--json");
        Assert.True(exit == 0, err);
        var score = JsonDocument.Parse(output).RootElement.GetProperty("score");
        var metrics = score.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("metric").GetString()!, m => m.GetProperty("value"));
        Assert.Equal(29.0 / 30, metrics["triage-accuracy"].GetDouble(), 9);
        Assert.Equal(1, metrics["rc-accuracy"].GetDouble());
        Assert.Equal(29.0 / 30, metrics["dose-within-2z"].GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, metrics["minutes-to-first-triage"].ValueKind); // a file carries no times
        Assert.InRange(score.GetProperty("overall").GetDouble(), 0, 1);

        // Answers for victims not in the exercise: exit 1, naming them.
        var bad = Path.Combine(dir.Path, "bad.csv");
        await File.WriteAllTextAsync(bad, "victim,colour,rc,dose\nV-00001,green,1,0.5\nV-77777,red,4,9\nNOBODY,,,1\n");
        (exit, _, err) = await Run("exercise", "score", "--exercise", "EX-CLI", "--answers", bad, "--database", db, "--json");
        Assert.Equal(1, exit);
        Assert.Contains("not in exercise EX-CLI: V-77777, NOBODY", err, StringComparison.Ordinal);

        (exit, _, err) = await Run("exercise", "create", "--victims", "0", "--seed", "1", "--database", db);
        Assert.Equal(1, exit);
        Assert.Contains("--victims", err, StringComparison.Ordinal);
    }
}
