using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Network.Events;

namespace RadRegen.Network.Capacity;

/// <summary>
/// Applies another center's <see cref="EventKinds.CapacitySnapshot"/>: stores it as that center's
/// latest snapshot of the bed type and journals it. The consumer has already dropped duplicates and
/// older versions of the entity, so the snapshot simply replaces the stored one.
/// </summary>
public sealed class CapacitySnapshotHandler(IClock clock) : INetworkEventHandler
{
    public string Kind => EventKinds.CapacitySnapshot;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { CapacitySnapshotPayload.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var snapshot = Read(envelope, clock.UtcNow);
        await unitOfWork.Store<ICapacityStore>().UpsertSnapshotAsync(snapshot, cancellationToken);
        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}",
            new JournalRecord("capacity-snapshot", $"{snapshot.Center}/{snapshot.BedType.Name()}", "received",
                new { payload = CapacityService.Payload(snapshot), eventId = envelope.EventId, version = envelope.EntityVersion }), cancellationToken);
    }

    /// <summary>The snapshot of an envelope, checked: a center reports only its own beds, counts are counts.</summary>
    public static CapacitySnapshot Read(NetworkEnvelope envelope, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var p = NetworkJson.Read<CapacitySnapshotPayload>(envelope.PayloadJson, NetworkJson.Options, "capacity snapshot");

        var errors = new List<FieldError>();
        if (!string.Equals(p.Center, envelope.SourceCenter, StringComparison.Ordinal))
        {
            errors.Add(new FieldError("center", $"{p.Center} is not the sending center {envelope.SourceCenter}: a center reports only its own capacity"));
        }

        BedType type = default;
        try
        {
            type = BedTypes.Parse(p.BedType);
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        CapacityService.Count(errors, "baseline", p.Baseline);
        CapacityService.Count(errors, "available", p.Available);
        if (string.IsNullOrWhiteSpace(p.Reporter))
        {
            errors.Add(new FieldError("reporter", "is required"));
        }

        new InputLimits(errors).Text("reporter", p.Reporter, Limits.ShortName).Text("comment", p.Comment, Limits.FreeText);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return new CapacitySnapshot(p.Center, type, p.Baseline, p.Available, p.ReportedAt, p.Reporter, p.Comment, receivedAt);
    }
}
