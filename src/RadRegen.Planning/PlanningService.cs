using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hla.Coverage;
using RadRegen.Planning.Demand;
using RadRegen.Planning.Plans;
using RadRegen.Planning.Readiness;
using RadRegen.Planning.Scenarios;
using RadRegen.Planning.Supply;

namespace RadRegen.Planning;

/// <summary>The JSON form of scenarios and reports (camelCase, enums as text), as the API, the CLI and the store write it.</summary>
public static class PlanningJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return o;
    }
}

/// <summary>A stored scenario version and who set it, when and why.</summary>
public sealed record StoredScenario(Scenario Scenario, string SetBy, DateTimeOffset SetAt, string Reason);

/// <summary>The center's and derived scenarios (table <c>planning_scenarios</c>); rows are only added.</summary>
public interface IScenarioStore
{
    /// <summary>The highest version of every stored scenario.</summary>
    Task<IReadOnlyList<StoredScenario>> ListCurrentAsync(CancellationToken ct);

    /// <summary>Every version of one scenario, oldest first.</summary>
    Task<IReadOnlyList<StoredScenario>> HistoryAsync(string id, CancellationToken ct);

    Task InsertAsync(StoredScenario scenario, CancellationToken ct);
}

/// <summary>
/// The center's planning choices: the haplotype frequency set of its population, the manufacturing
/// capacities (iPLAT1 and the center's figures by default) and the demand profile.
/// </summary>
/// <param name="Populations">Loads a frequency set by name (the Hosting layer's embedded NMDP 2007 sets); null: no HLA readiness.</param>
public sealed record PlanningOptions(string Population, IReadOnlyList<ManufacturingCapacity> Capacities, DemandProfile Profile,
    Func<string, HaplotypeIndex>? Populations = null, IReadOnlyList<string>? PopulationNames = null)
{
    public static PlanningOptions Default { get; } = new("API", ManufacturingCapacity.Defaults, DemandProfile.Default);
}

/// <summary>What a readiness request may set.</summary>
/// <param name="Capacities">Capacities to plan with instead of the center's (a what-if); validated.</param>
public sealed record ReadinessRequest(string ScenarioId, int? Percentile = null, int WarningDays = 0, bool CrisisStandards = true, string? Population = null,
    IReadOnlyList<ManufacturingCapacity>? Capacities = null);

/// <summary>
/// Readiness planning (issue 16, ADR 0036): the scenario library, demand through the care rules,
/// the network's stock, the plan and the readiness report. Reading needs
/// <see cref="Operation.PlanningRead"/>; entering or deriving a scenario
/// <see cref="Operation.PlanningScenarioEdit"/>, journaled as record <c>planning-scenario</c>.
/// </summary>
public sealed class PlanningService(IUnitOfWorkFactory units, IClock clock, PriorityPolicyService policies, CareService care, IProductInventory inventory,
    PlanningOptions options, IRemoteStock? remote = null)
{
    /// <summary>The products the plan knows: the bank's seed catalogue.</summary>
    public static IReadOnlyList<string> KnownProducts { get; } = [.. SeedCatalogue.Products.Select(p => p.Code)];

    public PlanningOptions Options => options;

    /// <summary>Every scenario: the published ones, then the stored ones (highest version).</summary>
    public async Task<IReadOnlyList<Scenario>> ScenariosAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.PlanningRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var stored = await uow.Store<IScenarioStore>().ListCurrentAsync(ct);
        return [.. PublishedScenarios.All, .. stored.Select(s => s.Scenario)];
    }

    /// <summary>One scenario by id.</summary>
    public async Task<Scenario> ScenarioAsync(Actor actor, string id, CancellationToken ct = default) =>
        (await ScenariosAsync(actor, ct)).FirstOrDefault(s => string.Equals(s.Id, id?.Trim(), StringComparison.Ordinal))
        ?? throw new NotFoundException($"no scenario '{id}'");

    /// <summary>Every version of a stored scenario.</summary>
    public async Task<IReadOnlyList<StoredScenario>> HistoryAsync(Actor actor, string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.PlanningRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IScenarioStore>().HistoryAsync(id, ct);
    }

    /// <summary>
    /// Enters a center scenario, or a new version of one: validated first (negative counts, bands,
    /// percentiles), then stored with the journal entry in one transaction. A published scenario's
    /// id cannot be taken.
    /// </summary>
    public async Task<Scenario> SaveCenterScenarioAsync(Actor actor, Scenario scenario, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scenario);
        actor.Demand(Operation.PlanningScenarioEdit);
        reason = reason?.Trim();
        var errors = new List<FieldError>(scenario.Problems());
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add(new("reason", "state why the scenario is entered or changed; the journal keeps it"));
        }
        else if (reason.Length > Limits.FreeText.MaxLength)
        {
            errors.Add(new("reason", string.Create(CultureInfo.InvariantCulture, $"at most {Limits.FreeText.MaxLength} characters")));
        }

        if (PublishedScenarios.All.Any(p => p.Id == scenario.Id))
        {
            errors.Add(new("id", "is a published scenario's id; published tables change only with the code"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return await InsertAsync(actor, scenario with { Kind = ScenarioKind.Center }, reason!, ct);
    }

    /// <summary>
    /// Counts a drill's or a real incident's victims into a scenario (patients per dose band, RC and
    /// injury from their current assessments) and stores it as a new version of
    /// <c>incident-&lt;code&gt;</c>. Reading the incident needs the care permission it always needs.
    /// </summary>
    public async Task<Scenario> DeriveFromIncidentAsync(Actor actor, string incidentIdOrCode, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.PlanningScenarioEdit);
        var incident = await care.FindIncidentAsync(actor, incidentIdOrCode, ct);
        var policy = (await policies.CurrentAsync(actor, ct)).Policy;
        IReadOnlyList<Care.Records.Patient> patients;
        IReadOnlyList<Care.Assessment.PatientAssessment> assessments;
        await using (var read = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = read.Store<ICareStore>();
            patients = await store.ListPatientsAsync(incident.Id, ct);
            assessments = await store.ListAssessmentsAsync(incident.Id, ct);
        }

        if (patients.Count == 0)
        {
            throw new DomainValidationException("incident", $"incident {incident.Code} has no patients to count");
        }

        var scenario = DerivedScenarios.FromIncident(incident, patients, assessments, policy, clock.UtcNow).Validated();
        return await InsertAsync(actor, scenario, string.IsNullOrWhiteSpace(reason) ? "derived from the care records" : reason.Trim(), ct);
    }

    private async Task<Scenario> InsertAsync(Actor actor, Scenario scenario, string reason, CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IScenarioStore>();
        var history = await store.HistoryAsync(scenario.Id, ct);
        var versioned = scenario with { Version = history.Count == 0 ? 1 : history[^1].Scenario.Version + 1 };
        await store.InsertAsync(new StoredScenario(versioned, actor.UserName, clock.UtcNow, reason), ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("planning-scenario",
            versioned.Id + "/" + versioned.Version.ToString(CultureInfo.InvariantCulture), history.Count == 0 ? "entered" : "changed",
            JsonSerializer.SerializeToNode(versioned, PlanningJson.Options), reason), ct);
        await uow.CommitAsync(ct);
        return versioned;
    }

    /// <summary>The stock the plan draws on: this center's released, unexpired vials and the network's shareable stock as last delivered.</summary>
    public async Task<IReadOnlyList<StockLot>> StockAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.PlanningRead);
        var local = await inventory.AvailableAsync(KnownProducts, ct);
        var others = remote is null ? [] : await remote.AvailableAsync(KnownProducts, ct);
        return [.. StockLot.FromVials(local), .. StockLot.FromRemote(others)];
    }

    /// <summary>The readiness report of a scenario at a percentile.</summary>
    public async Task<ReadinessReport> ReadinessAsync(Actor actor, ReadinessRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.PlanningRead);
        var capacities = request.Capacities ?? options.Capacities;
        var errors = new List<FieldError>();
        for (var i = 0; i < capacities.Count; i++)
        {
            errors.AddRange(capacities[i].Problems(string.Create(CultureInfo.InvariantCulture, $"capacities[{i}]"), KnownProducts));
        }

        if (request.WarningDays is < 0 or > 365)
        {
            errors.Add(new("warningDays", "0 to 365 days"));
        }

        if (request.Percentile is { } p && p is not (50 or 85 or 95) && !(p is >= 1 and <= 99))
        {
            errors.Add(new("percentile", "a percentile the scenario gives (50, 85 or 95 for the published table)"));
        }

        var population = string.IsNullOrWhiteSpace(request.Population) ? options.Population : request.Population.Trim();
        if (options.PopulationNames is { } names && !names.Contains(population, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new("population", $"one of {string.Join(", ", names)}"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var scenario = await ScenarioAsync(actor, request.ScenarioId, ct);
        scenario.Column(request.Percentile); // an unknown percentile names the field before any work
        var policy = (await policies.CurrentAsync(actor, ct)).Policy;
        var stock = await StockAsync(actor, ct);
        var index = options.Populations is { } load ? load(population.ToUpperInvariant()) : null;
        return ReadinessCalculator.Compute(scenario, request.Percentile, policy, options.Profile, stock, capacities, clock.UtcNow,
            new PlanOptions(WarningDays: request.WarningDays), index is null ? null : (population.ToUpperInvariant(), index), request.CrisisStandards);
    }
}
