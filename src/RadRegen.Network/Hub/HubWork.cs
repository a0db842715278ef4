using System.Globalization;
using RadRegen.Core.Access;
using RadRegen.Core.Work;

namespace RadRegen.Network.Hub;

/// <summary>
/// What the hub waits for (ADR 0040): open requests for assistance that nobody has answered yet, with their
/// answer timer (ADR 0032) — the coordinator's "answer promptly".
/// </summary>
public sealed class HubWork(HubService hub) : IWorkSource
{
    /// <summary>The step a request waits for: an answer while none came; nothing once ended or answered.</summary>
    public static NextStep? NextStepOf(RequestView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.Request.Ended || view.AnsweredAt is not null ? null : new NextStep("answer the request (offer assistance)", Operation.HubOffer);
    }

    public async Task<IReadOnlyList<WorkItem>> WaitingForAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Permissions.Allows(actor, Operation.HubRead))
        {
            return [];
        }

        var items = new List<WorkItem>();
        foreach (var view in await hub.ListRequestsAsync(actor, openOnly: true, ct: ct))
        {
            if (NextStepOf(view) is { } next && next.IsFor(actor))
            {
                items.Add(new WorkItem("hub", $"request {view.Request.Id} from {view.Request.Requester}: {view.Request.Subject}", $"/hub#request-{view.Request.Id}", next,
                    view.Request.RequestedAt)
                {
                    Detail = (view.Overdue ? "OVERDUE — answer was due " : "answer due ") + view.AnswerDue.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                });
            }
        }

        return items;
    }
}
