using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Network;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;

namespace RadRegen.Training.CapacityDrill;

/// <summary>
/// Applies <see cref="CapacityDrillEvents.Drill"/>: a center asked in another center's drill records
/// the drill and its row to answer; a center not asked stores nothing.
/// </summary>
public sealed class CapacityDrillHandler(NetworkMembership membership) : INetworkEventHandler
{
    public string Kind => CapacityDrillEvents.Drill;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { CapacityDrillPayload.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var p = NetworkJson.Read<CapacityDrillPayload>(envelope.PayloadJson, NetworkJson.Options, envelope.Kind + " payload");
        var errors = new List<FieldError>();
        if (!p.Drill)
        {
            errors.Add(new FieldError("drill", "a capacity drill event must be marked drill"));
        }

        if (p.LeadCenter != envelope.SourceCenter)
        {
            errors.Add(new FieldError("leadCenter", $"{p.LeadCenter} is not the sending center {envelope.SourceCenter}: a center starts only its own drills"));
        }

        if (string.IsNullOrWhiteSpace(p.Id) || !p.Id.StartsWith(p.LeadCenter + "-", StringComparison.Ordinal))
        {
            errors.Add(new FieldError("id", $"'{p.Id}' is not a drill id of {p.LeadCenter}"));
        }

        if (p.Quota < 1 || p.Quota > CapacityService.MaxBeds)
        {
            errors.Add(new FieldError("quota", $"{p.Quota} is not a quota (1 to {CapacityService.MaxBeds:N0})"));
        }

        new InputLimits(errors).Text("reference", p.Reference, Limits.Title).Text("startedBy", p.StartedBy, Limits.ShortName)
            .List("centers", p.Centers, Limits.ShortList, Limits.ShortName);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        if (!(p.Centers ?? []).Contains(membership.Center, StringComparer.Ordinal))
        {
            return; // Not asked: nothing to keep.
        }

        var store = unitOfWork.Store<ICapacityDrillStore>();
        if (await store.GetDrillAsync(p.Id, cancellationToken) is not null)
        {
            return;
        }

        await store.InsertDrillAsync(new CapacityDrillRun(p.Id, p.LeadCenter, p.Reference, p.Quota, p.BedType, p.StartedAt, p.StartedBy, p.DeadlineAt), cancellationToken);
        await store.UpsertAnswerAsync(new DrillAnswer(p.Id, membership.Center, p.Quota, p.StartedAt, null, null, null, null, null), cancellationToken);
        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("capacity-drill", p.Id, "asked",
            new { payload = p, eventId = envelope.EventId }), cancellationToken);
    }
}

/// <summary>
/// Applies <see cref="CapacityDrillEvents.Answer"/>: the lead center (and any center that knows the
/// drill) records the answering center's drill capacity, accepted quota and answer time. An answer to
/// a drill not known here is dropped unread; an answer from a center not asked is refused.
/// </summary>
public sealed class DrillAnswerHandler : INetworkEventHandler
{
    public string Kind => CapacityDrillEvents.Answer;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { DrillAnswerPayload.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var p = NetworkJson.Read<DrillAnswerPayload>(envelope.PayloadJson, NetworkJson.Options, envelope.Kind + " payload");
        var errors = new List<FieldError>();
        if (!p.Drill)
        {
            errors.Add(new FieldError("drill", "a capacity drill answer must be marked drill"));
        }

        if (p.Center != envelope.SourceCenter)
        {
            errors.Add(new FieldError("center", $"{p.Center} is not the sending center {envelope.SourceCenter}: a center answers only for itself"));
        }

        DrillCounts.Count(errors, "bedsAvailable", p.BedsAvailable);
        DrillCounts.Count(errors, "accepted", p.Accepted);
        new InputLimits(errors).Text("answeredBy", p.AnsweredBy, Limits.ShortName).Text("comment", p.Comment, Limits.FreeText);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var store = unitOfWork.Store<ICapacityDrillStore>();
        if (await store.GetDrillAsync(p.DrillId, cancellationToken) is null)
        {
            return; // Another center's drill this center was not part of.
        }

        var asked = (await store.ListAnswersAsync(p.DrillId, cancellationToken)).FirstOrDefault(a => a.Center == p.Center);
        if (asked is null)
        {
            // A member center knows only its own row; the lead knows every center asked.
            return;
        }

        if (p.Accepted > asked.Quota)
        {
            throw new DomainValidationException("accepted", $"{p.Accepted} is more than the quota of {asked.Quota}");
        }

        await store.UpsertAnswerAsync(asked with
        {
            BedsAvailable = p.BedsAvailable, Accepted = p.Accepted, AnsweredAt = p.AnsweredAt, AnsweredBy = p.AnsweredBy, Comment = p.Comment,
        }, cancellationToken);
        await unitOfWork.Journal.AppendAsync($"network:{envelope.SourceCenter}", new JournalRecord("capacity-drill", p.DrillId, "answer-received",
            new { payload = p, eventId = envelope.EventId }), cancellationToken);
    }
}
