using System.Globalization;
using System.Text.Json;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network;
using RadRegen.Network.Capacity;
using RadRegen.Network.Inbox;

namespace RadRegen.Training.CapacityDrill;

/// <summary>
/// The network capacity drill (issue 15 item 6, ADR 0034). The lead center starts a drill: each
/// center asked gets the quota of simulated transfers; every center asked answers with its drill
/// capacity (beds available) and the number of the quota it accepts; the lead's result shows each
/// center's time to report, its shortfall (quota − accepted) and who never answered. Start and
/// answers travel as <see cref="CapacityDrillEvents"/> through the outbox in the unit of work of the
/// change. Nothing here is real capacity: own tables, own event kinds, every payload marked drill.
/// </summary>
public sealed class CapacityDrillService(IUnitOfWorkFactory units, IClock clock, NetworkMembership membership)
{
    /// <summary>
    /// Default time to answer: 30 minutes, the time a regional drill gave hospitals to report
    /// bed-tracking data after the request (MSEL "Rumble in the Rubble", 2012; reference/training/education-and-drills.md).
    /// </summary>
    public static readonly TimeSpan DefaultAnswerWithin = TimeSpan.FromMinutes(30);

    /// <summary>The longest answer window accepted: ConvEx-3 runs over several days (36 h in 2021 and 2025); three days covers it.</summary>
    public const int MaxAnswerWithinMinutes = 3 * 24 * 60;

    /// <summary>Whether this center is in a network: it has a facility code and knows at least one other center.</summary>
    public bool NetworkConfigured => membership.Center.Length > 0 && membership.KnownCenters.Any(c => c != membership.Center);

    public string LocalCenter => membership.Center;

    /// <summary>The centers a drill may ask: every known center but this one.</summary>
    public IReadOnlyList<string> MemberCenters => [.. membership.KnownCenters.Where(c => c != membership.Center).Order(StringComparer.Ordinal)];

    /// <summary>Starts a drill, asks the centers, publishes it; refused when no network is configured.</summary>
    public async Task<CapacityDrillRun> StartAsync(Actor actor, NewCapacityDrill input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.TrainingCapacityDrillStart);
        if (!NetworkConfigured)
        {
            throw new RuleViolationException("no network of centers is configured here (Center:FacilityCode and Network:KnownCenters), so a capacity drill cannot start");
        }

        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(input.Reference))
        {
            errors.Add(new FieldError("reference", "is required (the exercise the drill belongs to)"));
        }

        if (input.Quota is not { } quota || quota < 1 || quota > CapacityService.MaxBeds)
        {
            errors.Add(new FieldError("quota", $"must be a whole number of simulated transfers from 1 to {CapacityService.MaxBeds:N0}"));
        }

        string? bedType = null;
        if (!string.IsNullOrWhiteSpace(input.BedType))
        {
            try
            {
                bedType = BedTypes.Parse(input.BedType).Name();
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        var within = input.AnswerWithinMinutes ?? (int)DefaultAnswerWithin.TotalMinutes;
        if (within < 1 || within > MaxAnswerWithinMinutes)
        {
            errors.Add(new FieldError("answerWithinMinutes", $"must be from 1 to {MaxAnswerWithinMinutes} minutes"));
        }

        new InputLimits(errors).Text("reference", input.Reference, Limits.Title).List("centers", input.Centers, Limits.ShortList, Limits.ShortName);
        var centers = new List<string>();
        foreach (var (c, i) in (input.Centers ?? []).Select((c, i) => (c?.Trim().ToUpperInvariant() ?? "", i)))
        {
            if (!MemberCenters.Contains(c, StringComparer.Ordinal))
            {
                errors.Add(new FieldError($"centers[{i}]", $"'{c}' is not a known center of this network (known: {string.Join(", ", MemberCenters)})"));
            }
            else if (!centers.Contains(c, StringComparer.Ordinal))
            {
                centers.Add(c);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        if (centers.Count == 0)
        {
            centers.AddRange(MemberCenters);
        }

        var now = clock.UtcNow;
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICapacityDrillStore>();
        var number = await store.CountStartedAsync(membership.Center, ct) + 1;
        var drill = new CapacityDrillRun($"{membership.Center}-{number.ToString(CultureInfo.InvariantCulture)}", membership.Center, input.Reference!.Trim(),
            input.Quota!.Value, bedType, now, actor.UserName, now.AddMinutes(within));
        await store.InsertDrillAsync(drill, ct);
        foreach (var c in centers)
        {
            await store.UpsertAnswerAsync(new DrillAnswer(drill.Id, c, drill.Quota, now, null, null, null, null, null), ct);
        }

        var payload = new CapacityDrillPayload(drill.Id, drill.LeadCenter, drill.Reference, drill.Quota, drill.BedType, centers, drill.StartedAt, drill.StartedBy, drill.DeadlineAt);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("capacity-drill", drill.Id, "started", payload), ct);
        await uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(CapacityDrillEvents.Drill, CapacityDrillPayload.SchemaVersion,
            CapacityDrillPayload.EntityKey(drill.Id), JsonSerializer.Serialize(payload, NetworkJson.Options)), now, ct);
        await uow.CommitAsync(ct);
        return drill;
    }

    /// <summary>This center answers a drill it was asked in: its drill capacity and how many of the quota it accepts. One answer per center.</summary>
    public async Task<DrillAnswer> AnswerAsync(Actor actor, string drillId, DrillAnswerInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.TrainingCapacityDrillAnswer);
        var errors = new List<FieldError>();
        DrillCounts.Count(errors, "bedsAvailable", input.BedsAvailable);
        if (input.Accepted is not { } accepted || accepted < 0 || accepted > CapacityService.MaxBeds)
        {
            errors.Add(new FieldError("accepted", $"must be a whole number of simulated transfers from 0 to {CapacityService.MaxBeds:N0}"));
        }

        new InputLimits(errors).Text("comment", input.Comment, Limits.FreeText);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICapacityDrillStore>();
        var drill = await store.GetDrillAsync(drillId, ct) ?? throw new NotFoundException($"no capacity drill {drillId}");
        var mine = (await store.ListAnswersAsync(drillId, ct)).FirstOrDefault(a => a.Center == membership.Center)
            ?? throw new RuleViolationException($"this center ({membership.Center}) was not asked in capacity drill {drillId}");
        if (input.Accepted is { } a && a > mine.Quota)
        {
            errors.Add(new FieldError("accepted", $"{a} is more than the quota of {mine.Quota}"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        if (mine.Answered)
        {
            throw new ConflictException($"this center already answered capacity drill {drillId} at {JournalTime.ToText(mine.AnsweredAt!.Value)}");
        }

        var now = clock.UtcNow;
        var answer = mine with
        {
            BedsAvailable = input.BedsAvailable, Accepted = input.Accepted, AnsweredAt = now, AnsweredBy = actor.UserName,
            Comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim(),
        };
        await store.UpsertAnswerAsync(answer, ct);
        var payload = new DrillAnswerPayload(drill.Id, membership.Center, answer.BedsAvailable!.Value, answer.Accepted!.Value, now, actor.UserName, answer.Comment);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("capacity-drill", drill.Id, "answered", payload), ct);
        await uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(CapacityDrillEvents.Answer, DrillAnswerPayload.SchemaVersion,
            DrillAnswerPayload.EntityKey(drill.Id, membership.Center), JsonSerializer.Serialize(payload, NetworkJson.Options)), now, ct);
        await uow.CommitAsync(ct);
        return answer;
    }

    /// <summary>Every drill this center knows (started here or asked of it), newest first.</summary>
    public async Task<IReadOnlyList<CapacityDrillRun>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCapacityDrillRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ICapacityDrillStore>().ListDrillsAsync(ct);
    }

    /// <summary>A drill's result as this center knows it (the lead center hears every answer).</summary>
    public async Task<CapacityDrillResult> ResultAsync(Actor actor, string drillId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.TrainingCapacityDrillRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICapacityDrillStore>();
        var drill = await store.GetDrillAsync(drillId, ct) ?? throw new NotFoundException($"no capacity drill {drillId}");
        return Result(drill, await store.ListAnswersAsync(drillId, ct), clock.UtcNow);
    }

    /// <summary>The result of a drill from its answers at <paramref name="now"/>: time to report, shortfall per center, never answered.</summary>
    public static CapacityDrillResult Result(CapacityDrillRun drill, IReadOnlyList<DrillAnswer> answers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(drill);
        ArgumentNullException.ThrowIfNull(answers);
        var centers = answers.OrderBy(a => a.Center, StringComparer.Ordinal).Select(a => new DrillCenterResult(a,
            a.AnsweredAt is { } at ? at - drill.StartedAt : null,
            Math.Max(0, a.Quota - (a.Accepted ?? 0)),
            a.AnsweredAt is { } t && t > drill.DeadlineAt)).ToList();
        return new CapacityDrillResult(drill, centers, [.. centers.Where(c => !c.Answer.Answered).Select(c => c.Answer.Center)],
            centers.Sum(c => c.Answer.Quota), centers.Sum(c => c.Answer.Accepted ?? 0), centers.Sum(c => c.Shortfall), now <= drill.DeadlineAt);
    }
}
