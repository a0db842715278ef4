using System.Text.Json;
using System.Text.Json.Serialization;

namespace RadRegen.Training.Exercises;

/// <summary>
/// One entry of an exercise's action log: who did what, when (and how many minutes after the start),
/// with its payload (JSON of <see cref="TriageAnswer"/>, <see cref="AllocationPlay"/> or <see cref="InjectNote"/>).
/// </summary>
public sealed record ExerciseAction(long Id, long ExerciseId, DateTimeOffset At, double Minutes, string User, string Kind, string? Subject, string Payload);

/// <summary>A trainee's triage of one victim: colour, METREPOL RC and dose estimate with an optional interval.</summary>
public sealed record TriageAnswer(string Victim, string? Colour, int? Rc, double? DoseGy, double? LowerGy = null, double? UpperGy = null);

/// <summary>A request the trainees' allocation faced (as the queue made it from the drill incident's assessments).</summary>
public sealed record PlayedRequest(string Id, string Victim, string Product, int Vials, string? Hla, bool ImmuneCells, double? WindowHours);

/// <summary>Vials the trainees' allocation gave one victim.</summary>
public sealed record PlayedAllotment(string Victim, string Product, IReadOnlyList<string> VialIds, double Compatibility);

/// <summary>What an allocation in play recorded: its requests, its allotments and the policy (JSON) that weighed them — enough to score it again on replay.</summary>
public sealed record AllocationPlay(IReadOnlyList<PlayedRequest> Requests, IReadOnlyList<PlayedAllotment> Allotments, string Policy);

/// <summary>An inject released or acknowledged.</summary>
public sealed record InjectNote(int Inject, string Text);

/// <summary>The JSON of exercise documents and payloads (camelCase, enums as kebab-case text).</summary>
public static class ExerciseJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidOperationException("empty exercise document");
}
