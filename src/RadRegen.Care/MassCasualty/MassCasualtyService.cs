using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadRegen.Care.Allocation;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Diagnostics;
using RadRegen.Core.Journal;

namespace RadRegen.Care.MassCasualty;

/// <summary>
/// Released, unexpired, unreserved vials to allocate from. The bank (issue 5) implements it over its
/// inventory; until then a file or the drill's simulated bank does.
/// </summary>
public interface IProductInventory
{
    /// <summary>Vials of the given product types that may be allocated now.</summary>
    Task<IReadOnlyList<StockVial>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct);

    /// <summary>
    /// Whether this is a drill's simulated stock. Drill stock is only ever allocated to a drill
    /// incident and real stock only to a real one (ADR 0035: drill data is kept apart).
    /// </summary>
    bool Drill => false;
}

/// <summary>An inventory held in memory (a file read by the CLI, or with <paramref name="drill"/> the drill's simulated bank).</summary>
public sealed class ListInventory(IReadOnlyList<StockVial> vials, DateTimeOffset now, bool drill = false) : IProductInventory
{
    /// <inheritdoc />
    public bool Drill => drill;

    public Task<IReadOnlyList<StockVial>> AvailableAsync(IReadOnlyCollection<string> productTypes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<StockVial>>([.. vials.Where(v => productTypes.Contains(v.ProductType) && v.Expiry > now)]);
}

/// <summary>What an import wrote.</summary>
public sealed record ImportSummary(int Patients, int Observations, int Assessed, TimeSpan Elapsed);

/// <summary>A need not put to the allocation, and why (expectant under scarcity, or no expected benefit).</summary>
public sealed record WithheldNeed(string PatientCode, string ProductType, int Vials, string Why);

/// <summary>
/// An allocation run: the queue's requests, the result, and the time it took; whether stock was
/// short (scarcity: the expectant tier applied), the needs withheld and why, and the policy version used.
/// </summary>
/// <param name="VialsInStock">This center's vials considered.</param>
/// <param name="RemoteVials">Other centers' vials considered (proposals; 0 without the network's stock or for a drill).</param>
/// <param name="RemoteNotes">What happened to other centers' stock: how many lots were considered, left out and why.</param>
/// <param name="Incident">The incident allocated for.</param>
public sealed record AllocationRun(IReadOnlyList<AllocationRequest> Requests, AllocationResult Result, int VialsInStock, TimeSpan Elapsed,
    bool Scarcity = false, IReadOnlyList<WithheldNeed>? Withheld = null, PolicyVersion? Policy = null,
    int RemoteVials = 0, IReadOnlyList<string>? RemoteNotes = null, Incident? Incident = null);

/// <summary>Mass casualty: import, batch assessment, the priority queue, and allocation.</summary>
public sealed partial class MassCasualtyService(IUnitOfWorkFactory units, IClock clock, CareService care, PriorityPolicyService policies,
    ILogger<MassCasualtyService>? logger = null)
{
    /// <summary>The <c>radregen.import.kind</c> of a victims import.</summary>
    public const string ImportKind = "victims";

    private readonly ILogger _log = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Parses a victims file against the incident (every error listed; nothing written).</summary>
    public async Task<IReadOnlyList<ImportedVictim>> ParseAsync(Actor actor, long incidentId, TextReader reader, CurveSpec? curve, string source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareVictimsImport);
        var incident = await care.GetIncidentAsync(actor, incidentId, ct);
        return VictimCsv.Parse(reader, incident, curve, clock.UtcNow, source);
    }

    /// <summary>
    /// Who needs what next, for an incident, ranked by <paramref name="policy"/> or else the policy
    /// version in force. Computed from the current assessments at every call, so a new observation
    /// (which re-assesses the patient) re-triages them. With <paramref name="scarcity"/> the expectant
    /// tier applies.
    /// </summary>
    public async Task<IReadOnlyList<QueueEntry>> QueueAsync(Actor actor, long incidentId, PriorityPolicy? policy = null, CancellationToken ct = default,
        bool scarcity = false)
    {
        CareService.ReadDrills(actor);
        if (!actor.May(Operation.CareRead))
        {
            await using var check = await units.BeginAsync(WorkMode.Read, ct);
            await CareService.ReadIncidentAsync(check.Store<ICareStore>(), actor, incidentId, ct);
        }

        policy ??= (await policies.CurrentAsync(ct)).Policy;
        var (_, patients, assessments) = await LoadAsync(incidentId, ct);
        return TriageQueue.Build(patients, assessments, policy, scarcity);
    }

    private async Task<(Incident Incident, IReadOnlyList<Patient> Patients, IReadOnlyList<PatientAssessment> Assessments)> LoadAsync(long incidentId, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        var incident = await store.GetIncidentAsync(incidentId, ct) ?? throw new NotFoundException($"no incident {incidentId}");
        return (incident, await store.ListPatientsAsync(incidentId, ct), await store.ListAssessmentsAsync(incidentId, ct));
    }

    /// <summary>The requests the queue implies: one per need of each patient, weighted by the patient's expected benefit.</summary>
    public static IReadOnlyList<AllocationRequest> Requests(IReadOnlyList<QueueEntry> queue, IReadOnlySet<string>? immuneCellProducts = null) =>
        Split(queue, immuneCellProducts, null).Requests;

    /// <summary>
    /// The requests, and the needs withheld: an expectant patient's need of a product that is short
    /// (<paramref name="shortProducts"/>), and needs with no expected benefit in the policy's table.
    /// </summary>
    public static (IReadOnlyList<AllocationRequest> Requests, IReadOnlyList<WithheldNeed> Withheld) Split(IReadOnlyList<QueueEntry> queue,
        IReadOnlySet<string>? immuneCellProducts, IReadOnlySet<string>? shortProducts)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var requests = new List<AllocationRequest>();
        var withheld = new List<WithheldNeed>();
        foreach (var e in queue)
        {
            foreach (var n in e.Needs)
            {
                if (e.Tier == PriorityTier.Expectant && shortProducts?.Contains(n.ProductType) != false)
                {
                    withheld.Add(new WithheldNeed(e.Patient.Code, n.ProductType, n.Vials,
                        "expectant under scarcity (" + string.Join("; ", e.ExpectantCriteria ?? []) + "): palliative and supportive care; re-triaged on every new observation"));
                }
                else if (!(e.Benefit > 0))
                {
                    withheld.Add(new WithheldNeed(e.Patient.Code, n.ProductType, n.Vials, "no expected benefit in the policy's table: " + e.BenefitBasis));
                }
                else
                {
                    requests.Add(new AllocationRequest($"{e.Patient.Code}/{n.ProductType}", e.Patient.Code, n.ProductType, n.Vials, Math.Max(e.Priority, 1e-9), e.Patient.HlaTyping,
                        immuneCellProducts?.Contains(n.ProductType) == true, e.Benefit, e.BenefitBasis, n.WindowHours));
                }
            }
        }

        return (requests, withheld);
    }

    /// <summary>
    /// Runs the allocation for an incident over <paramref name="inventory"/> and journals the plan
    /// (record <c>allocation</c>, action <c>planned</c>): a plan, not yet a reservation. Traced as
    /// <c>allocate</c> with the requests and vials, timed in <c>radregen.allocation.duration</c>.
    /// With <paramref name="remote"/> other centers' stock is considered next to this center's
    /// (issue 13 item 2, ADR 0030): shareable, with a known transport time, unexpired on arrival and
    /// arriving within each need's treatment window; a remote unit is a proposal the owning center
    /// must accept. A drill never draws on it (drill data is kept apart).
    /// </summary>
    public async Task<AllocationRun> AllocateAsync(Actor actor, long incidentId, IProductInventory inventory, ICompatibility compatibility,
        IReadOnlyDictionary<string, int>? transportLimits = null, PriorityPolicy? policy = null, IRemoteStock? remote = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(inventory);
        using var activity = RadRegenDiagnostics.Source.StartActivity("allocate");
        activity?.SetTag(RadRegenDiagnostics.Tags.Incident, incidentId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var run = await PlanAsync(actor, incidentId, inventory, compatibility, transportLimits, policy, remote, ct);
            activity?.SetTag(RadRegenDiagnostics.Tags.Requests, run.Requests.Count);
            activity?.SetTag(RadRegenDiagnostics.Tags.VialsRequested, run.Result.VialsRequested);
            activity?.SetTag(RadRegenDiagnostics.Tags.VialsAllocated, run.Result.VialsAllocated);
            activity?.SetTag(RadRegenDiagnostics.Tags.VialsInStock, run.VialsInStock);
            activity?.SetTag("radregen.allocation.algorithm", run.Result.Algorithm);
            RadRegenDiagnostics.AllocationDuration.Record(run.Elapsed.TotalSeconds, RadRegenDiagnostics.Outcome(null));
            Allocated(_log, incidentId, actor.UserName, run.Requests.Count, run.Result.VialsAllocated, run.Result.VialsRequested,
                run.VialsInStock, run.Result.Algorithm, run.Elapsed.TotalMilliseconds);
            return run;
        }
        catch (Exception ex)
        {
            RadRegenDiagnostics.Failed(activity, ex);
            RadRegenDiagnostics.AllocationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, RadRegenDiagnostics.Outcome(ex));
            throw;
        }
    }

    private async Task<AllocationRun> PlanAsync(Actor actor, long incidentId, IProductInventory inventory, ICompatibility compatibility,
        IReadOnlyDictionary<string, int>? transportLimits, PriorityPolicy? policy, IRemoteStock? remote, CancellationToken ct)
    {
        actor.Demand(Operation.CareAllocationRun);
        var watch = Stopwatch.StartNew();
        var version = await policies.CurrentAsync(ct);
        var used = policy ?? version.Policy;
        CareService.Read(actor);
        var (incident, patients, assessments) = await LoadAsync(incidentId, ct);
        if (incident.Drill != inventory.Drill)
        {
            // Issue 15 item 2 (ADR 0035): drill patients and drill stock never meet real ones.
            throw new RuleViolationException(incident.Drill
                ? $"incident {incident.Code} is a drill: its simulated patients are never allocated real stock (drill data is kept apart, ADR 0035); allocate from the exercise's simulated bank"
                : $"incident {incident.Code} is real: a drill's simulated stock is never allocated to real patients (drill data is kept apart, ADR 0035)");
        }

        var queue = TriageQueue.Build(patients, assessments, used);
        var demand = queue.SelectMany(e => e.Needs).GroupBy(n => n.ProductType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(n => n.Vials), StringComparer.Ordinal);
        var local = await inventory.AvailableAsync([.. demand.Keys], ct);
        IReadOnlyList<StockVial> remoteVials = [];
        IReadOnlyList<string> remoteNotes = [];
        if (remote is not null && demand.Count > 0)
        {
            // A drill runs on simulated victims: it never proposes to ship another center's real stock.
            (remoteVials, remoteNotes) = incident.Drill
                ? ([], ["a drill: other centers' stock is not drawn on (drill data is kept apart)"])
                : RemoteStock.Eligible(await remote.AvailableAsync([.. demand.Keys], ct), clock.UtcNow, demand);
        }

        IReadOnlyList<StockVial> stock = remoteVials.Count == 0 ? local : [.. local, .. remoteVials];
        // Scarcity (crisis standards): a product whose stock cannot meet every need. Only then does
        // the expectant tier apply, and only to the short products; when stock suffices for all, no
        // one is expectant (ADR 0015). Other centers' eligible stock counts: the allocation may draw on it.
        var inStock = stock.GroupBy(v => v.ProductType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var shortProducts = demand.Where(d => inStock.GetValueOrDefault(d.Key) < d.Value).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        if (shortProducts.Count > 0)
        {
            queue = TriageQueue.Build(patients, assessments, used, scarcity: true);
        }

        var (requests, withheld) = Split(queue, null, shortProducts);
        var result = Allocator.Allocate(requests, stock, compatibility, transportLimits, used.RemoteCost);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("allocation", CareService.Id(incidentId), "planned", new
        {
            algorithm = result.Algorithm,
            result.TotalValue,
            result.VialsAllocated,
            result.VialsRequested,
            requests = requests.Count,
            vialsInStock = local.Count,
            remoteVials = remoteVials.Count,
            remoteNotes,
            policyVersion = policy is null ? version.Version : (int?)null,
            scarcity = shortProducts.Count > 0,
            shortProducts = shortProducts.Order(StringComparer.Ordinal),
            withheld = withheld.Select(w => new { patient = w.PatientCode, product = w.ProductType, w.Vials, why = w.Why }),
            transportLimits,
            plan = result.Outcomes.Where(o => o.Allocated > 0).Select(o => new { request = o.Request.Id, vials = o.Allotments.SelectMany(a => a.VialIds) }),
            proposals = result.Outcomes.SelectMany(o => o.Allotments.Where(a => a.Remote is not null)
                .Select(a => new { request = o.Request.Id, center = a.Remote!.Center, stockRef = a.Remote.StockRef, vials = a.VialIds.Count, transportHours = a.Remote.TransportHours })),
        }), ct);
        await uow.CommitAsync(ct);
        return new AllocationRun(requests, result, local.Count, watch.Elapsed, shortProducts.Count > 0, withheld, policy is null ? version : null,
            remoteVials.Count, remoteNotes, incident);
    }

    [LoggerMessage(LogLevel.Warning, "The staged rows of failed victims import {ImportId} were not all deleted (the start-up sweep will)")]
    private static partial void ImportNotDiscarded(ILogger logger, long importId, Exception exception);

    [LoggerMessage(LogLevel.Information,
        "Victims imported into incident {IncidentId} by {UserName}: {Patients} patients, {Observations} observations, {Assessed} assessed in {ElapsedMs:F0} ms")]
    private static partial void VictimsImported(ILogger logger, long incidentId, string userName, int patients, int observations, int assessed, double elapsedMs);

    [LoggerMessage(LogLevel.Information,
        "Allocation for incident {IncidentId} by {UserName}: {Requests} requests, {VialsAllocated} of {VialsRequested} vials allocated from {VialsInStock} in stock ({Algorithm}) in {ElapsedMs:F0} ms")]
    private static partial void Allocated(ILogger logger, long incidentId, string userName, int requests, int vialsAllocated, int vialsRequested,
        int vialsInStock, string algorithm, double elapsedMs);
}
