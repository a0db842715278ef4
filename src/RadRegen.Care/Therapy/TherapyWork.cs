using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Work;

namespace RadRegen.Care.Therapy;

/// <summary>
/// What therapy requests wait for (ADR 0040): the one rule of "what comes next" after each status of a
/// request (ADR 0008) — reserve, dispatch, receive, administer — shown on the patient page and in the inbox.
/// A drill's requests wait only for those who may read drills; a real one's only for those who may read patients.
/// </summary>
public sealed class TherapyWork(IUnitOfWorkFactory units) : IWorkSource
{
    /// <summary>The step a request waits for, or null when it is done or cancelled.</summary>
    public static NextStep? NextStepOf(TherapyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Status switch
        {
            TherapyStatus.Open => new NextStep("reserve matched vials", Operation.CareTherapyReserve),
            TherapyStatus.Reserved => new NextStep("dispatch the reserved vials", Operation.CareTherapyDispatch),
            TherapyStatus.Dispatched => new NextStep("receive the vials at the treating center", Operation.CareTherapyReceive),
            TherapyStatus.Received => new NextStep("administer and record it", Operation.CareTherapyAdminister),
            _ => null,
        };
    }

    public async Task<IReadOnlyList<WorkItem>> WaitingForAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var realAllowed = Permissions.Allows(actor, Operation.CareRead);
        if (!realAllowed && !Permissions.Allows(actor, Operation.CareDrillRead))
        {
            return [];
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var items = new List<WorkItem>();
        foreach (var (request, drill) in await uow.Store<ITherapyStore>().ListUnderWayAsync(Worklist.PerSourceLimit, ct))
        {
            if ((drill || realAllowed) && NextStepOf(request) is { } next && next.IsFor(actor))
            {
                items.Add(new WorkItem("care", $"{(drill ? "DRILL " : "")}therapy request {request.Id} ({request.ProductCode}, {request.Urgency.ToString().ToLowerInvariant()})",
                    $"/care/patients/{request.PatientId}#therapy", next, request.RequestedAt));
            }
        }

        return items;
    }
}
