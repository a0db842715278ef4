using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Allocation;

/// <summary>How a policy version came to be.</summary>
public static class PolicySources
{
    /// <summary>From the center's configuration (settings <c>Care:Priority:*</c>) at start.</summary>
    public const string Configuration = "configuration";

    /// <summary>A signed change by the physician lead or a coordinator.</summary>
    public const string Change = "change";
}

/// <summary>A stored policy version with how it came to be.</summary>
public sealed record StoredPolicyVersion(PolicyVersion Version, string Source);

/// <summary>The priority policy's versions (table <c>priority_policies</c>); rows are only added.</summary>
public interface IPriorityPolicyStore
{
    /// <summary>Every version, oldest first.</summary>
    Task<IReadOnlyList<StoredPolicyVersion>> ListAsync(CancellationToken ct);

    Task InsertAsync(StoredPolicyVersion version, CancellationToken ct);
}

/// <summary>
/// The versioned priority policy (ADR 0015). The configured policy is version 1; at start a
/// configuration that differs from the last configured version adds a version; the physician lead
/// or a coordinator changes it with a reason and an e-signature (<see cref="SignatureService"/>, as
/// for QC release), journaled as record <c>priority-policy</c> so the journal shows who changed what
/// and why. The highest version is in force.
/// </summary>
public sealed class PriorityPolicyService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, PriorityPolicy configured)
{
    /// <summary>The policy JSON's form (camelCase, as the API and the journal write it).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The configured policy (settings), before any stored version.</summary>
    public PriorityPolicy Configured => configured;

    /// <summary>
    /// Records the configured policy: version 1 on a new database, or a new version when the
    /// configuration differs from the last configured version (a signed change since then stays in
    /// force while the configuration is unchanged). Called at start.
    /// </summary>
    public async Task<PolicyVersion> EnsureConfiguredAsync(CancellationToken ct = default)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IPriorityPolicyStore>();
        var all = await store.ListAsync(ct);
        var lastConfigured = all.LastOrDefault(v => v.Source == PolicySources.Configuration);
        if (lastConfigured is not null && Same(lastConfigured.Version.Policy, configured))
        {
            return all[^1].Version;
        }

        var version = new PolicyVersion((all.Count == 0 ? 0 : all[^1].Version.Version) + 1, configured, clock.UtcNow, "system",
            all.Count == 0 ? "configured policy" : "configuration changed at start", null);
        await store.InsertAsync(new StoredPolicyVersion(version, PolicySources.Configuration), ct);
        await uow.Journal.AppendAsync("system", Journaled(version, PolicySources.Configuration, null), ct);
        await uow.CommitAsync(ct);
        return version;
    }

    /// <summary>The version in force; the configured policy as version 1 when none is stored yet.</summary>
    public async Task<PolicyVersion> CurrentAsync(Actor actor, CancellationToken ct = default)
    {
        CareService.ReadDrills(actor); // the policy is no patient's record: a drill ranks by it too
        return await CurrentAsync(ct);
    }

    internal async Task<PolicyVersion> CurrentAsync(CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var all = await uow.Store<IPriorityPolicyStore>().ListAsync(ct);
        return all.Count > 0 ? all[^1].Version : new PolicyVersion(1, configured, clock.UtcNow, "system", "configured policy (not yet recorded)", null);
    }

    /// <summary>Every version, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPolicyVersion>> HistoryAsync(Actor actor, CancellationToken ct = default)
    {
        CareService.ReadDrills(actor); // the policy is no patient's record: a drill ranks by it too
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IPriorityPolicyStore>().ListAsync(ct);
    }

    /// <summary>
    /// Changes the policy: <paramref name="changes"/> (policy properties in camelCase, as
    /// <see cref="Json"/> writes them) over the version in force. Needs the role
    /// (<see cref="Operation.CarePriorityPolicyChange"/>), a reason and an e-signature; the new
    /// version, its signature and the journal entry commit together or not at all.
    /// </summary>
    public async Task<PolicyVersion> ChangeAsync(Actor actor, JsonObject changes, string? reason, string? password, string? meaning = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(changes);
        actor.Demand(Operation.CarePriorityPolicyChange);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new DomainValidationException("reason", "state why the policy changes; the journal keeps it with your signature");
        }

        // Issue 12 item 8: the reason is free text (Core.Limits; 2,000 before); the changes a short list of settings.
        new InputLimits().Text("reason", reason, Limits.FreeText).Count("policy", changes.Count, Limits.ShortList).ThrowIfAny();

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IPriorityPolicyStore>();
        var all = await store.ListAsync(ct);
        var current = all.Count > 0 ? all[^1].Version : null;
        var policy = Apply(current?.Policy ?? configured, changes);
        if (current is not null && Same(current.Policy, policy))
        {
            throw new DomainValidationException("policy", "changes nothing: it equals the version in force");
        }

        var number = (current?.Version ?? 1) + 1;
        if (current is null)
        {
            // The configured policy was never recorded (no start since migration): record it first, as version 1.
            var first = new PolicyVersion(1, configured, clock.UtcNow, "system", "configured policy", null);
            await store.InsertAsync(new StoredPolicyVersion(first, PolicySources.Configuration), ct);
            await uow.Journal.AppendAsync("system", Journaled(first, PolicySources.Configuration, null), ct);
        }

        var content = new { version = number, policy = JsonSerializer.SerializeToNode(policy, Json), reason };
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("priority-policy", number.ToString(CultureInfo.InvariantCulture),
            string.IsNullOrWhiteSpace(meaning) ? "policy changed" : meaning, content), password ?? "", ct);
        var version = new PolicyVersion(number, policy, clock.UtcNow, actor.UserName, reason, signature.Id);
        await store.InsertAsync(new StoredPolicyVersion(version, PolicySources.Change), ct);
        await uow.Journal.AppendAsync(actor.UserName, Journaled(version, PolicySources.Change, current?.Policy ?? configured), ct);
        await uow.CommitAsync(ct);
        return version;
    }

    /// <summary><paramref name="changes"/> over <paramref name="basis"/>, validated; every problem names its field.</summary>
    public static PriorityPolicy Apply(PriorityPolicy basis, JsonObject changes)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(changes);
        var node = JsonSerializer.SerializeToNode(basis, Json)!.AsObject();
        var errors = new List<FieldError>();
        foreach (var (key, value) in changes)
        {
            if (!node.ContainsKey(key))
            {
                errors.Add(new FieldError("policy." + key, "is not a policy setting; expected one of " + string.Join(", ", node.Select(p => p.Key))));
                continue;
            }

            node[key] = value?.DeepClone();
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        PriorityPolicy? policy;
        try
        {
            policy = node.Deserialize<PriorityPolicy>(Json);
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("policy" + (ex.Path is { Length: > 1 } p ? p[1..] : ""), "has the wrong type: " + ex.Message);
        }

        var problems = policy!.Problems();
        if (problems.Count > 0)
        {
            throw new DomainValidationException([.. problems.Select(e => e with { Field = "policy." + e.Field })]);
        }

        return policy;
    }

    /// <summary>Whether two policies are the same (by their JSON).</summary>
    public static bool Same(PriorityPolicy a, PriorityPolicy b) =>
        string.Equals(JsonSerializer.Serialize(a, Json), JsonSerializer.Serialize(b, Json), StringComparison.Ordinal);

    private static JournalRecord Journaled(PolicyVersion v, string source, PriorityPolicy? previous) =>
        new("priority-policy", v.Version.ToString(CultureInfo.InvariantCulture), source == PolicySources.Change ? "changed" : "configured", new
        {
            version = v.Version,
            source,
            reason = v.Reason,
            signatureId = v.SignatureId,
            policy = JsonSerializer.SerializeToNode(v.Policy, Json),
            changed = previous is null ? null : Differences(previous, v.Policy),
        }, v.Reason);

    /// <summary>The settings that differ, old → new, for the journal.</summary>
    public static IReadOnlyList<string> Differences(PriorityPolicy before, PriorityPolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = JsonSerializer.SerializeToNode(before, Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(after, Json)!.AsObject();
        return [.. b.Where(p => !JsonNode.DeepEquals(a[p.Key], p.Value)).Select(p => $"{p.Key}: {a[p.Key]?.ToJsonString()} → {p.Value?.ToJsonString()}")];
    }
}
