using RadRegen.Core.Access;

namespace RadRegen.Core.Work;

/// <summary>
/// The step a record waits for, and who may take it: the operation of the permission table that the record's
/// state allows next (ADR 0040). Shown on the record's page ("next: QA release — qa-officer") and in the inbox
/// of everyone whose role may take it.
/// </summary>
/// <param name="Action">The step in words ("release the lot (e-signature)").</param>
/// <param name="Operation">The operation that takes it; its roles are who acts next.</param>
public sealed record NextStep(string Action, Operation Operation)
{
    /// <summary>The roles that may take the step, from the one permission table.</summary>
    public IReadOnlyList<Role> By => Permissions.Of(Operation).Roles;

    /// <summary>Whether <paramref name="actor"/> may take it.</summary>
    public bool IsFor(Actor actor) => Permissions.Allows(actor, Operation);

    /// <summary>"release the lot (e-signature) — qa-officer".</summary>
    public override string ToString() => $"{Action} — {string.Join(" or ", By.Select(r => r.Name()))}";
}

/// <summary>One thing that waits for someone: a record, its next step, and since when it has waited.</summary>
/// <param name="Area">The product area ("bank", "care", "network", "hub").</param>
/// <param name="Record">The record in words ("lot L-2026-0001").</param>
/// <param name="Link">The page that takes the step.</param>
/// <param name="Next">The step and who may take it.</param>
/// <param name="Since">When the record came to wait for this step (oldest first in the inbox).</param>
public sealed record WorkItem(string Area, string Record, string Link, NextStep Next, DateTimeOffset Since)
{
    /// <summary>Why it waits or what blocks it, when there is more to say.</summary>
    public string? Detail { get; init; }
}

/// <summary>
/// A module's answer to "what waits for this person?": only items whose next step the actor's roles may take
/// (the module checks with <see cref="NextStep.IsFor"/>), never records the actor may not read.
/// </summary>
public interface IWorkSource
{
    Task<IReadOnlyList<WorkItem>> WaitingForAsync(Actor actor, CancellationToken ct);
}

/// <summary>Everything that waits for a person, from every module, oldest first (the inbox).</summary>
public sealed class Worklist(IEnumerable<IWorkSource> sources)
{
    /// <summary>At most this many items per source: an inbox is a list of things to do today, not a report.</summary>
    public const int PerSourceLimit = 200;

    public async Task<IReadOnlyList<WorkItem>> ForAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var items = new List<WorkItem>();
        foreach (var source in sources)
        {
            items.AddRange((await source.WaitingForAsync(actor, ct)).Where(i => i.Next.IsFor(actor)).Take(PerSourceLimit));
        }

        return [.. items.OrderBy(i => i.Since).ThenBy(i => i.Record, StringComparer.Ordinal)];
    }
}
