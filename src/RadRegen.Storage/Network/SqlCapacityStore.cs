using System.Text.Json;
using RadRegen.Core.Journal;
using RadRegen.Network.Capacity;

namespace RadRegen.Storage.Network;

/// <summary>The capacity tables of migration 0018: the latest snapshot per center and bed type, and capacity requests.</summary>
internal sealed class SqlCapacityStore(SqlSession session) : ICapacityStore
{
    private const string SnapshotColumns =
        "center AS Center, bed_type AS BedType, baseline AS Baseline, available AS Available, reported_at AS ReportedAt, reporter AS Reporter, "
        + "comment AS Comment, received_at AS ReceivedAt";

    private const string RequestColumns =
        "id AS Id, reference AS Reference, required_per_center AS RequiredPerCenter, bed_type AS BedType, centers AS Centers, "
        + "requested_at AS RequestedAt, requested_by AS RequestedBy";

    public Task UpsertSnapshotAsync(CapacitySnapshot snapshot, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO network_capacity_snapshots (center, bed_type, baseline, available, reported_at, reporter, comment, received_at) "
            + "VALUES (@Center, @BedType, @Baseline, @Available, @ReportedAt, @Reporter, @Comment, @ReceivedAt) "
            + "ON CONFLICT (center, bed_type) DO UPDATE SET baseline = excluded.baseline, available = excluded.available, "
            + "reported_at = excluded.reported_at, reporter = excluded.reporter, comment = excluded.comment, received_at = excluded.received_at",
            new
            {
                snapshot.Center,
                BedType = snapshot.BedType.Name(),
                snapshot.Baseline,
                snapshot.Available,
                ReportedAt = JournalTime.ToText(snapshot.ReportedAt),
                snapshot.Reporter,
                snapshot.Comment,
                ReceivedAt = JournalTime.ToText(snapshot.ReceivedAt),
            }, ct);

    public async Task<IReadOnlyList<CapacitySnapshot>> ListSnapshotsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<SnapshotRow>($"SELECT {SnapshotColumns} FROM network_capacity_snapshots ORDER BY center, bed_type", null, ct))
            .Select(r => new CapacitySnapshot(r.Center, BedTypes.Parse(r.BedType), (int)r.Baseline, (int)r.Available, JournalTime.Parse(r.ReportedAt),
                r.Reporter, r.Comment, JournalTime.Parse(r.ReceivedAt)))];

    public Task<long> InsertRequestAsync(CapacityRequest request, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO network_capacity_requests (reference, required_per_center, bed_type, centers, requested_at, requested_by) "
            + "VALUES (@Reference, @RequiredPerCenter, @BedType, @Centers, @RequestedAt, @RequestedBy) RETURNING id",
            new
            {
                request.Reference,
                request.RequiredPerCenter,
                BedType = request.BedType?.Name(),
                Centers = JsonSerializer.Serialize(request.Centers),
                RequestedAt = JournalTime.ToText(request.RequestedAt),
                request.RequestedBy,
            }, ct);

    public async Task<CapacityRequest?> GetRequestAsync(long id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<RequestRow>($"SELECT {RequestColumns} FROM network_capacity_requests WHERE id = @Id", new { Id = id }, ct) is { } r
            ? ToRequest(r) : null;

    public async Task<IReadOnlyList<CapacityRequest>> ListRequestsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<RequestRow>($"SELECT {RequestColumns} FROM network_capacity_requests ORDER BY id DESC", null, ct)).Select(ToRequest)];

    private static CapacityRequest ToRequest(RequestRow r) =>
        new(r.Id, r.Reference, (int)r.RequiredPerCenter, r.BedType is null ? null : BedTypes.Parse(r.BedType),
            JsonSerializer.Deserialize<List<string>>(r.Centers) ?? [], JournalTime.Parse(r.RequestedAt), r.RequestedBy);

    private sealed class SnapshotRow
    {
        public string Center { get; set; } = "";

        public string BedType { get; set; } = "";

        public long Baseline { get; set; }

        public long Available { get; set; }

        public string ReportedAt { get; set; } = "";

        public string Reporter { get; set; } = "";

        public string? Comment { get; set; }

        public string ReceivedAt { get; set; } = "";
    }

    private sealed class RequestRow
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";

        public long RequiredPerCenter { get; set; }

        public string? BedType { get; set; }

        public string Centers { get; set; } = "[]";

        public string RequestedAt { get; set; } = "";

        public string RequestedBy { get; set; } = "";
    }
}
