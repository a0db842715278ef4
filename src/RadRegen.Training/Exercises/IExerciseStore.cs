namespace RadRegen.Training.Exercises;

/// <summary>An exercise as stored: the definition and the answer key are JSON documents (<see cref="ExerciseJson"/>).</summary>
public sealed record ExerciseRow(long Id, string Code, string Title, long IncidentId, string Definition, string AnswerKey, DateTimeOffset StartedAt,
    string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A trainee assigned to an exercise.</summary>
public sealed record ExerciseParticipant(long ExerciseId, string UserName, string AddedBy, DateTimeOffset AddedAt);

/// <summary>An improvement-plan item (HSEEP IP: corrective action, owner, due date, status), tied to a capability target.</summary>
public sealed record ImprovementItem(long Id, long ExerciseId, string TargetCode, string Action, string Owner, DateOnly Due, string Status, string UpdatedBy,
    DateTimeOffset UpdatedAt, int Version);

/// <summary>Storage port of exercises (migration 0026).</summary>
public interface IExerciseStore
{
    Task<long> InsertAsync(ExerciseRow exercise, CancellationToken ct);

    Task<ExerciseRow?> GetAsync(long id, CancellationToken ct);

    Task<ExerciseRow?> GetByCodeAsync(string code, CancellationToken ct);

    /// <summary>The exercise whose drill incident this is, if any.</summary>
    Task<ExerciseRow?> GetByIncidentAsync(long incidentId, CancellationToken ct);

    Task<IReadOnlyList<ExerciseRow>> ListAsync(CancellationToken ct);

    Task AddParticipantAsync(ExerciseParticipant participant, CancellationToken ct);

    Task<IReadOnlyList<ExerciseParticipant>> ListParticipantsAsync(long exerciseId, CancellationToken ct);

    Task<long> AppendActionAsync(ExerciseAction action, CancellationToken ct);

    Task<IReadOnlyList<ExerciseAction>> ListActionsAsync(long exerciseId, CancellationToken ct);

    Task<long> InsertImprovementAsync(ImprovementItem item, CancellationToken ct);

    /// <summary>Updates an item if its version is still <paramref name="expectedVersion"/>; false when someone changed it meanwhile.</summary>
    Task<bool> UpdateImprovementAsync(ImprovementItem item, int expectedVersion, CancellationToken ct);

    Task<IReadOnlyList<ImprovementItem>> ListImprovementsAsync(long exerciseId, CancellationToken ct);
}
