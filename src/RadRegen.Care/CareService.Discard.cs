using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care;

public sealed partial class CareService
{
    /// <summary>
    /// Removes a drill incident that was opened for an exercise and never used — no patient, no import —
    /// because what was to fill it failed (issue 15: "nothing is half-written"). Its own short transaction,
    /// journaled as <c>incident discarded</c> with the reason; the <c>opened</c> entry stays in the journal.
    /// A real incident is never discarded. False when the incident is gone already or something refers to it.
    /// </summary>
    public async Task<bool> DiscardUnusedDrillIncidentAsync(Actor actor, long incidentId, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareIncidentOpen);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        if (await store.GetIncidentAsync(incidentId, ct) is not { } incident)
        {
            return false;
        }

        if (!incident.Drill)
        {
            throw new RuleViolationException($"incident {incident.Code} is real; only an unused drill incident is discarded");
        }

        if (!await store.DeleteUnusedIncidentAsync(incidentId, ct))
        {
            return false;
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("incident", Id(incidentId), "discarded", new { incident.Code, reason }), ct);
        await uow.CommitAsync(ct);
        return true;
    }
}
