using System.Text.Json;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;

namespace RadRegen.Network.Capacity;

/// <summary>
/// Capacity reporting in the network of centers (issue 13 item 4): a center reports EDXL-HAVE-shaped
/// snapshots of its beds, each journaled and published (<see cref="EventKinds.CapacitySnapshot"/>, one
/// entity per center and bed type, the whole snapshot); the network view adds up every center's
/// latest snapshot, measures each center against a capacity request and flags stale reports.
/// </summary>
public sealed class CapacityService(IUnitOfWorkFactory units, IClock clock, CapacityOptions options)
{
    /// <summary>The most beds of one type a report may give: far above any hospital, low enough to catch a typo of several digits.</summary>
    public const int MaxBeds = 100_000;

    /// <summary>How far a report's time may lie ahead of this center's clock (clock skew between centers).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public CapacityOptions Options => options;

    /// <summary>
    /// Records this center's counts of one or more bed types and publishes each as the whole
    /// snapshot of its center and bed type, in one unit of work: all bed types or none.
    /// </summary>
    public async Task<IReadOnlyList<CapacitySnapshot>> ReportAsync(Actor actor, CapacityReport report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(report);
        actor.Demand(Operation.NetworkCapacityReport);
        var center = options.RequireLocalCenter();
        var now = clock.UtcNow;
        var errors = new List<FieldError>();
        var at = report.ReportedAt ?? now;
        if (at > now + FutureTolerance)
        {
            errors.Add(new FieldError("reportedAt", $"{JournalTime.ToText(at)} is in the future (this center's clock says {JournalTime.ToText(now)})"));
        }

        var beds = report.Beds ?? [];
        if (beds.Count == 0)
        {
            errors.Add(new FieldError("beds", "give at least one bed type with its baseline and available beds"));
        }

        var limits = new InputLimits(errors).Count("beds", beds.Count, Limits.ShortList);
        var snapshots = new List<CapacitySnapshot>();
        var seen = new HashSet<BedType>();
        for (var i = 0; i < beds.Count; i++)
        {
            var b = beds[i];
            var f = $"beds[{i}].";
            BedType? type = null;
            try
            {
                type = BedTypes.Parse(b?.BedType, f + "bedType");
                if (!seen.Add(type.Value))
                {
                    errors.Add(new FieldError(f + "bedType", $"{type.Value.Name()} is given twice in one report"));
                }
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }

            Count(errors, f + "baseline", b?.Baseline);
            Count(errors, f + "available", b?.Available);
            limits.Text(f + "comment", b?.Comment, Limits.FreeText);
            if (type is { } t && b?.Baseline is { } baseline && b.Available is { } available)
            {
                snapshots.Add(new CapacitySnapshot(center, t, baseline, available, at, actor.UserName,
                    string.IsNullOrWhiteSpace(b.Comment) ? null : b.Comment.Trim(), now));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICapacityStore>();
        var outbox = uow.Store<IOutbox>();
        foreach (var s in snapshots)
        {
            await store.UpsertSnapshotAsync(s, ct);
            var payload = Payload(s);
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("capacity-snapshot", $"{s.Center}/{s.BedType.Name()}", "reported", payload), ct);
            await outbox.EnqueueAsync(new OutboxEvent(EventKinds.CapacitySnapshot, CapacitySnapshotPayload.SchemaVersion,
                CapacitySnapshotPayload.EntityKey(s.Center, s.BedType), JsonSerializer.Serialize(payload, NetworkJson.Options)), now, ct);
        }

        await uow.CommitAsync(ct);
        return snapshots;
    }

    /// <summary>Enters a capacity request (required beds per center); the network view measures centers against the newest one.</summary>
    public async Task<CapacityRequest> RequestAsync(Actor actor, NewCapacityRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.NetworkCapacityRequest);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Reference))
        {
            errors.Add(new FieldError("reference", "is required (the exercise or activation the request belongs to)"));
        }

        if (request.RequiredPerCenter is not { } required || required < 1 || required > MaxBeds)
        {
            errors.Add(new FieldError("requiredPerCenter", $"must be a whole number of beds from 1 to {MaxBeds:N0}"));
        }

        BedType? type = null;
        if (!string.IsNullOrWhiteSpace(request.BedType))
        {
            try
            {
                type = BedTypes.Parse(request.BedType);
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        new InputLimits(errors).Text("reference", request.Reference, Limits.Title).List("centers", request.Centers, Limits.ShortList, Limits.ShortName);
        var centers = new List<string>();
        foreach (var (c, i) in (request.Centers ?? []).Select((c, i) => (c, i)))
        {
            if (RadRegen.Bank.Identity.Din.TryFacility(c) is { } code)
            {
                if (!centers.Contains(code, StringComparer.Ordinal))
                {
                    centers.Add(code);
                }
            }
            else
            {
                errors.Add(new FieldError($"centers[{i}]", $"'{c}' is not a facility code (a letter and four letters or digits, e.g. G1234)"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var now = clock.UtcNow;
        var clean = new CapacityRequest(0, request.Reference!.Trim(), request.RequiredPerCenter!.Value, type, centers, now, actor.UserName);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICapacityStore>();
        var id = await store.InsertRequestAsync(clean, ct);
        clean = clean with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("capacity-request", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "entered",
            new { clean.Reference, clean.RequiredPerCenter, bedType = clean.BedType?.Name(), clean.Centers }), ct);
        await uow.CommitAsync(ct);
        return clean;
    }

    public async Task<IReadOnlyList<CapacityRequest>> ListRequestsAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkCapacityRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ICapacityStore>().ListRequestsAsync(ct);
    }

    /// <summary>
    /// The network view now: totals per bed type, each center's shortfall against the request
    /// <paramref name="requestId"/> (default: the newest request; none entered: no shortfall), stale reports.
    /// </summary>
    public async Task<NetworkCapacityView> ViewAsync(Actor actor, long? requestId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkCapacityRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICapacityStore>();
        CapacityRequest? request;
        if (requestId is { } id)
        {
            request = await store.GetRequestAsync(id, ct) ?? throw new NotFoundException($"no capacity request {id}");
        }
        else
        {
            request = (await store.ListRequestsAsync(ct)).FirstOrDefault();
        }

        return Compute(await store.ListSnapshotsAsync(ct), request, clock.UtcNow, options.StaleAfter);
    }

    /// <summary>
    /// The view's arithmetic, pure: a center's available beds are the sum over its latest snapshots
    /// (of the request's bed type, or of all types); its shortfall is max(0, required − available);
    /// the network's shortfall is the sum of the centers' (a surplus at one center does not fill
    /// another's gap: the request is per center, as RITN's was).
    /// </summary>
    public static NetworkCapacityView Compute(IReadOnlyList<CapacitySnapshot> snapshots, CapacityRequest? request, DateTimeOffset asOf, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        SnapshotStatus Status(CapacitySnapshot s) => new(s, asOf - s.ReportedAt, asOf - s.ReportedAt > staleAfter);
        var byCenter = snapshots.GroupBy(s => s.Center, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var centerCodes = byCenter.Keys.Union(request?.Centers ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var centers = new List<CenterCapacity>();
        foreach (var code in centerCodes)
        {
            var beds = byCenter.TryGetValue(code, out var list) ? [.. list.OrderBy(s => s.BedType).Select(Status)] : new List<SnapshotStatus>();
            var counted = beds.Where(b => request?.BedType is not { } t || b.Snapshot.BedType == t).ToList();
            var available = counted.Sum(b => b.Snapshot.Available);
            int? required = request?.RequiredPerCenter;
            centers.Add(new CenterCapacity(code, beds, counted.Sum(b => b.Snapshot.Baseline), available, required,
                required is { } r ? Math.Max(0, r - available) : null, beds.Any(b => b.Stale), beds.Count > 0));
        }

        var totals = BedTypes.All
            .Select(t => (Type: t, Beds: snapshots.Where(s => s.BedType == t).Select(Status).ToList()))
            .Where(x => x.Beds.Count > 0)
            .Select(x => new BedTypeTotal(x.Type, x.Beds.Sum(b => b.Snapshot.Baseline), x.Beds.Sum(b => b.Snapshot.Available), x.Beds.Count, x.Beds.Count(b => b.Stale)))
            .ToList();
        return new NetworkCapacityView(asOf, staleAfter, request, totals, centers,
            request is null ? null : request.RequiredPerCenter * centers.Count,
            centers.Sum(c => c.Available),
            request is null ? null : centers.Sum(c => c.Shortfall ?? 0),
            snapshots.Count(s => asOf - s.ReportedAt > staleAfter));
    }

    /// <summary>
    /// Enqueues <paramref name="center"/>'s latest snapshot of each bed type again, in the caller's
    /// unit of work (a center joining a network tells what it already had: ADR 0029); returns how many.
    /// </summary>
    public static async Task<int> EnqueueLatestAsync(IUnitOfWork uow, string center, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        var outbox = uow.Store<IOutbox>();
        var own = (await uow.Store<ICapacityStore>().ListSnapshotsAsync(ct)).Where(s => s.Center == center).ToList();
        foreach (var s in own)
        {
            await outbox.EnqueueAsync(new OutboxEvent(EventKinds.CapacitySnapshot, CapacitySnapshotPayload.SchemaVersion,
                CapacitySnapshotPayload.EntityKey(s.Center, s.BedType), JsonSerializer.Serialize(Payload(s), NetworkJson.Options)), now, ct);
        }

        return own.Count;
    }

    internal static CapacitySnapshotPayload Payload(CapacitySnapshot s) =>
        new(s.Center, s.BedType.Name(), s.Baseline, s.Available, s.ReportedAt, s.Reporter, s.Comment);

    internal static void Count(List<FieldError> errors, string field, int? value)
    {
        if (value is not { } v)
        {
            errors.Add(new FieldError(field, "is required (a whole number of beds)"));
        }
        else if (v < 0 || v > MaxBeds)
        {
            errors.Add(new FieldError(field, $"{v} is not a number of beds (0 to {MaxBeds:N0})"));
        }
    }
}
