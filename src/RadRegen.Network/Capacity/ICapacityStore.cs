namespace RadRegen.Network.Capacity;

/// <summary>Capacity snapshots and requests, within one unit of work (implemented in RadRegen.Storage).</summary>
public interface ICapacityStore
{
    /// <summary>Stores <paramref name="snapshot"/> as the latest of its center and bed type (earlier ones live in the journal).</summary>
    Task UpsertSnapshotAsync(CapacitySnapshot snapshot, CancellationToken ct);

    /// <summary>The latest snapshot of every center and bed type this center knows.</summary>
    Task<IReadOnlyList<CapacitySnapshot>> ListSnapshotsAsync(CancellationToken ct);

    Task<long> InsertRequestAsync(CapacityRequest request, CancellationToken ct);

    Task<CapacityRequest?> GetRequestAsync(long id, CancellationToken ct);

    /// <summary>Every request, newest first.</summary>
    Task<IReadOnlyList<CapacityRequest>> ListRequestsAsync(CancellationToken ct);
}
