using System.Globalization;
using Dapper;
using RadRegen.Core.Journal;
using RadRegen.Training.Exercises;

namespace RadRegen.Storage.Training;

internal sealed class SqlExerciseStore(SqlSession session) : IExerciseStore
{
    private const string Columns =
        "id AS Id, code AS Code, title AS Title, incident_id AS IncidentId, definition AS Definition, answer_key AS AnswerKey, started_at AS StartedAt, "
        + "created_by AS CreatedBy, created_at AS CreatedAt";

    public Task<long> InsertAsync(ExerciseRow exercise, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO exercises (code, title, incident_id, definition, answer_key, started_at, created_by, created_at) "
            + "VALUES (@Code, @Title, @IncidentId, @Definition, @AnswerKey, @StartedAt, @CreatedBy, @CreatedAt) RETURNING id",
            new
            {
                exercise.Code,
                exercise.Title,
                exercise.IncidentId,
                exercise.Definition,
                exercise.AnswerKey,
                StartedAt = JournalTime.ToText(exercise.StartedAt),
                exercise.CreatedBy,
                CreatedAt = JournalTime.ToText(exercise.CreatedAt),
            }, ct);

    public async Task<ExerciseRow?> GetAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM exercises WHERE id = @id", new { id }, ct))?.ToRow();

    public async Task<ExerciseRow?> GetByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM exercises WHERE code = @code", new { code }, ct))?.ToRow();

    public async Task<ExerciseRow?> GetByIncidentAsync(long incidentId, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM exercises WHERE incident_id = @incidentId", new { incidentId }, ct))?.ToRow();

    public async Task<IReadOnlyList<ExerciseRow>> ListAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>($"SELECT {Columns} FROM exercises ORDER BY id DESC", null, ct)).Select(r => r.ToRow())];

    public Task AddParticipantAsync(ExerciseParticipant participant, CancellationToken ct) =>
        session.ExecuteAsync("INSERT INTO exercise_participants (exercise_id, user_name, added_by, added_at) VALUES (@ExerciseId, @UserName, @AddedBy, @AddedAt)",
            new { participant.ExerciseId, participant.UserName, participant.AddedBy, AddedAt = JournalTime.ToText(participant.AddedAt) }, ct);

    public async Task<IReadOnlyList<ExerciseParticipant>> ListParticipantsAsync(long exerciseId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ParticipantRow>(
            "SELECT exercise_id AS ExerciseId, user_name AS UserName, added_by AS AddedBy, added_at AS AddedAt FROM exercise_participants WHERE exercise_id = @exerciseId ORDER BY user_name",
            new { exerciseId }, ct)).Select(r => new ExerciseParticipant(r.ExerciseId, r.UserName, r.AddedBy, JournalTime.Parse(r.AddedAt)))];

    public Task<long> AppendActionAsync(ExerciseAction action, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO exercise_actions (exercise_id, at, minutes, user_name, kind, subject, payload) "
            + "VALUES (@ExerciseId, @At, @Minutes, @User, @Kind, @Subject, @Payload) RETURNING id",
            new { action.ExerciseId, At = JournalTime.ToText(action.At), action.Minutes, action.User, action.Kind, action.Subject, action.Payload }, ct);

    public async Task<IReadOnlyList<ExerciseAction>> ListActionsAsync(long exerciseId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ActionRow>(
            "SELECT id AS Id, exercise_id AS ExerciseId, at AS At, minutes AS Minutes, user_name AS UserName, kind AS Kind, subject AS Subject, payload AS Payload "
            + "FROM exercise_actions WHERE exercise_id = @exerciseId ORDER BY id", new { exerciseId }, ct))
            .Select(r => new ExerciseAction(r.Id, r.ExerciseId, JournalTime.Parse(r.At), r.Minutes, r.UserName, r.Kind, r.Subject, r.Payload))];

    public Task<long> InsertImprovementAsync(ImprovementItem item, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO exercise_improvements (exercise_id, target_code, action, owner, due, status, updated_by, updated_at, version) "
            + "VALUES (@ExerciseId, @TargetCode, @Action, @Owner, @Due, @Status, @UpdatedBy, @UpdatedAt, @Version) RETURNING id",
            Args(item), ct);

    public async Task<bool> UpdateImprovementAsync(ImprovementItem item, int expectedVersion, CancellationToken ct)
    {
        // The columns as the insert writes them (Args), with the row and the version expected.
        var args = new DynamicParameters(Args(item));
        args.Add("Id", item.Id);
        args.Add("Expected", (long)expectedVersion);
        return await session.ExecuteAsync(
            "UPDATE exercise_improvements SET action = @Action, owner = @Owner, due = @Due, status = @Status, updated_by = @UpdatedBy, updated_at = @UpdatedAt, "
            + "version = @Version WHERE id = @Id AND version = @Expected",
            args, ct) == 1;
    }

    public async Task<IReadOnlyList<ImprovementItem>> ListImprovementsAsync(long exerciseId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ImprovementRow>(
            "SELECT id AS Id, exercise_id AS ExerciseId, target_code AS TargetCode, action AS Action, owner AS Owner, due AS Due, status AS Status, "
            + "updated_by AS UpdatedBy, updated_at AS UpdatedAt, version AS Version FROM exercise_improvements WHERE exercise_id = @exerciseId ORDER BY id",
            new { exerciseId }, ct))
            .Select(r => new ImprovementItem(r.Id, r.ExerciseId, r.TargetCode, r.Action, r.Owner, DateOnly.ParseExact(r.Due, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Status, r.UpdatedBy, JournalTime.Parse(r.UpdatedAt), (int)r.Version))];

    private static object Args(ImprovementItem item) => new
    {
        item.ExerciseId,
        item.TargetCode,
        item.Action,
        item.Owner,
        Due = item.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        item.Status,
        item.UpdatedBy,
        UpdatedAt = JournalTime.ToText(item.UpdatedAt),
        Version = (long)item.Version,
    };

    private sealed class Row
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string Title { get; set; } = "";

        public long IncidentId { get; set; }

        public string Definition { get; set; } = "";

        public string AnswerKey { get; set; } = "";

        public string StartedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public string CreatedAt { get; set; } = "";

        public ExerciseRow ToRow() => new(Id, Code, Title, IncidentId, Definition, AnswerKey, JournalTime.Parse(StartedAt), CreatedBy, JournalTime.Parse(CreatedAt));
    }

    private sealed class ParticipantRow
    {
        public long ExerciseId { get; set; }

        public string UserName { get; set; } = "";

        public string AddedBy { get; set; } = "";

        public string AddedAt { get; set; } = "";
    }

    private sealed class ActionRow
    {
        public long Id { get; set; }

        public long ExerciseId { get; set; }

        public string At { get; set; } = "";

        public double Minutes { get; set; }

        public string UserName { get; set; } = "";

        public string Kind { get; set; } = "";

        public string? Subject { get; set; }

        public string Payload { get; set; } = "";
    }

    private sealed class ImprovementRow
    {
        public long Id { get; set; }

        public long ExerciseId { get; set; }

        public string TargetCode { get; set; } = "";

        public string Action { get; set; } = "";

        public string Owner { get; set; } = "";

        public string Due { get; set; } = "";

        public string Status { get; set; } = "";

        public string UpdatedBy { get; set; } = "";

        public string UpdatedAt { get; set; } = "";

        public long Version { get; set; }
    }
}
