using RadRegen.Core.Journal;
using RadRegen.Training.CapacityDrill;

namespace RadRegen.Storage.Training;

/// <summary>The capacity drill tables of migration 0025 (apart from the real capacity tables of 0018).</summary>
internal sealed class SqlCapacityDrillStore(SqlSession session) : ICapacityDrillStore
{
    private const string DrillColumns =
        "id AS Id, lead_center AS LeadCenter, reference AS Reference, quota AS Quota, bed_type AS BedType, started_at AS StartedAt, started_by AS StartedBy, deadline_at AS DeadlineAt";

    public Task InsertDrillAsync(CapacityDrillRun d, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO training_capacity_drills (id, lead_center, reference, quota, bed_type, started_at, started_by, deadline_at) "
            + "VALUES (@Id, @LeadCenter, @Reference, @Quota, @BedType, @StartedAt, @StartedBy, @DeadlineAt)",
            new { d.Id, d.LeadCenter, d.Reference, d.Quota, d.BedType, StartedAt = JournalTime.ToText(d.StartedAt), d.StartedBy, DeadlineAt = JournalTime.ToText(d.DeadlineAt) }, ct);

    public async Task<CapacityDrillRun?> GetDrillAsync(string id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<DrillRow>($"SELECT {DrillColumns} FROM training_capacity_drills WHERE id = @Id", new { Id = id }, ct) is { } r ? r.ToDrill() : null;

    public async Task<IReadOnlyList<CapacityDrillRun>> ListDrillsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<DrillRow>($"SELECT {DrillColumns} FROM training_capacity_drills ORDER BY started_at DESC, id DESC", null, ct)).Select(r => r.ToDrill())];

    public async Task<int> CountStartedAsync(string leadCenter, CancellationToken ct) =>
        (int)await session.ScalarAsync<long>("SELECT COUNT(*) FROM training_capacity_drills WHERE lead_center = @LeadCenter", new { LeadCenter = leadCenter }, ct);

    public Task UpsertAnswerAsync(DrillAnswer a, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO training_capacity_drill_answers (drill_id, center, quota, asked_at, beds_available, accepted, answered_at, answered_by, comment) "
            + "VALUES (@DrillId, @Center, @Quota, @AskedAt, @BedsAvailable, @Accepted, @AnsweredAt, @AnsweredBy, @Comment) "
            + "ON CONFLICT (drill_id, center) DO UPDATE SET beds_available = excluded.beds_available, accepted = excluded.accepted, "
            + "answered_at = excluded.answered_at, answered_by = excluded.answered_by, comment = excluded.comment",
            new
            {
                a.DrillId,
                a.Center,
                a.Quota,
                AskedAt = JournalTime.ToText(a.AskedAt),
                a.BedsAvailable,
                a.Accepted,
                AnsweredAt = a.AnsweredAt is { } t ? JournalTime.ToText(t) : null,
                a.AnsweredBy,
                a.Comment,
            }, ct);

    public async Task<IReadOnlyList<DrillAnswer>> ListAnswersAsync(string drillId, CancellationToken ct) =>
        [.. (await session.QueryAsync<AnswerRow>(
            "SELECT drill_id AS DrillId, center AS Center, quota AS Quota, asked_at AS AskedAt, beds_available AS BedsAvailable, accepted AS Accepted, "
            + "answered_at AS AnsweredAt, answered_by AS AnsweredBy, comment AS Comment FROM training_capacity_drill_answers WHERE drill_id = @DrillId ORDER BY center",
            new { DrillId = drillId }, ct))
            .Select(r => new DrillAnswer(r.DrillId, r.Center, (int)r.Quota, JournalTime.Parse(r.AskedAt), (int?)r.BedsAvailable, (int?)r.Accepted,
                r.AnsweredAt is null ? null : JournalTime.Parse(r.AnsweredAt), r.AnsweredBy, r.Comment))];

    private sealed class DrillRow
    {
        public string Id { get; set; } = "";

        public string LeadCenter { get; set; } = "";

        public string Reference { get; set; } = "";

        public long Quota { get; set; }

        public string? BedType { get; set; }

        public string StartedAt { get; set; } = "";

        public string StartedBy { get; set; } = "";

        public string DeadlineAt { get; set; } = "";

        public CapacityDrillRun ToDrill() => new(Id, LeadCenter, Reference, (int)Quota, BedType, JournalTime.Parse(StartedAt), StartedBy, JournalTime.Parse(DeadlineAt));
    }

    private sealed class AnswerRow
    {
        public string DrillId { get; set; } = "";

        public string Center { get; set; } = "";

        public long Quota { get; set; }

        public string AskedAt { get; set; } = "";

        public long? BedsAvailable { get; set; }

        public long? Accepted { get; set; }

        public string? AnsweredAt { get; set; }

        public string? AnsweredBy { get; set; }

        public string? Comment { get; set; }
    }
}
