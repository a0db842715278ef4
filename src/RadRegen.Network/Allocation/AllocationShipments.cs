using System.Globalization;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Network.Shipments;

namespace RadRegen.Network.Allocation;

/// <summary>One shipment request made for an allocation: to which center, its id, and what it asks for.</summary>
/// <param name="StockRefs">The owner's stock references the allocation proposed, with the vials of each.</param>
/// <param name="Patients">How many of the incident's patients the vials are for (no patient code leaves the center).</param>
public sealed record AllocationShipment(string Center, string ShipmentId, IReadOnlyList<RequestLine> Lines, IReadOnlyDictionary<string, int> StockRefs, int Patients,
    double TransportHours, string Reason);

/// <summary>What turning an allocation's remote part into shipment requests did.</summary>
/// <param name="Skipped">Centers not asked, and why (a request for this incident is already open there).</param>
public sealed record AllocationShipmentsResult(long IncidentId, string IncidentCode, IReadOnlyList<AllocationShipment> Requested, IReadOnlyList<string> Skipped);

/// <summary>
/// Turns the remote part of a mass-casualty allocation into shipment requests to the owning centers
/// (issue 13 item 2, ADR 0030): one request per center through <see cref="ShipmentService.RequestAsync"/>
/// (the existing request path: one line per product with the vials proposed, the reason naming the
/// owner's stock references), so the owner decides. Nothing is reserved at the owner until it packs
/// (accepts); nothing is reserved here either. A center that already has an open (requested)
/// request for this incident is skipped, so pressing twice asks once.
/// </summary>
public sealed class AllocationShipments(IUnitOfWorkFactory units, ShipmentService shipments)
{
    /// <summary>How every reason starts; with the incident's code it finds an earlier request for the same incident.</summary>
    public const string ReasonPrefix = "Mass-casualty allocation, incident ";

    /// <summary>Most stock references a reason names (the rest are counted).</summary>
    private const int NamedStock = 10;

    /// <summary>Requests the shipments <paramref name="run"/> proposes, from every center it draws on or from <paramref name="centers"/> only.</summary>
    public async Task<AllocationShipmentsResult> RequestAsync(Actor actor, AllocationRun run, IReadOnlyCollection<string>? centers = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(run);
        actor.Demand(Operation.CareAllocationShipmentsRequest);
        actor.Demand(Operation.NetworkShipmentRequest);
        var incident = run.Incident ?? throw new ArgumentException("the run names no incident", nameof(run));
        if (incident.Drill)
        {
            throw new RuleViolationException($"incident {incident.Code} is a drill: it never asks other centers for real stock");
        }

        var proposals = run.Result.Outcomes
            .SelectMany(o => o.Allotments.Where(a => a.Remote is not null).Select(a => (o.Request, Allotment: a, a.Remote!)))
            .GroupBy(p => p.Item3.Center, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (proposals.Count == 0)
        {
            throw new RuleViolationException($"the allocation for incident {incident.Code} proposes no other center's stock: nothing to request");
        }

        var wanted = centers?.Select(c => (c ?? "").Trim().ToUpperInvariant()).Where(c => c.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (wanted is { Count: > 0 })
        {
            var unknown = wanted.Where(c => !proposals.Any(p => string.Equals(p.Key, c, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw new DomainValidationException("centers",
                    $"{string.Join(", ", unknown)}: the allocation proposes no stock of that center (it proposes {string.Join(", ", proposals.Select(p => p.Key))})");
            }

            proposals = [.. proposals.Where(p => wanted.Contains(p.Key.ToUpperInvariant()))];
        }

        // Everything is checked before the first request, so a bad line fails before anything is written.
        var planned = proposals.Select(g => Plan(incident.Code, g.Key, [.. g.Select(p => (p.Request, p.Allotment))])).ToList();
        var open = (await shipments.ListAsync(actor, ct))
            .Where(v => v.Side == ShipmentSide.Receiver && v.State == ShipmentState.Requested
                && v.Shipment.Request.Reason.StartsWith(ReasonPrefix + incident.Code + ":", StringComparison.Ordinal))
            .ToList();
        var requested = new List<AllocationShipment>();
        var skipped = new List<string>();
        foreach (var p in planned)
        {
            if (open.FirstOrDefault(v => string.Equals(v.Shipment.SenderCenter, p.Center, StringComparison.OrdinalIgnoreCase)) is { } earlier)
            {
                skipped.Add($"{p.Center}: request {earlier.Shipment.Id} for incident {incident.Code} is still open (requested, not yet accepted)");
                continue;
            }

            var shipment = await shipments.RequestAsync(actor, p.Center, p.Reason, p.Lines, ct);
            requested.Add(p with { ShipmentId = shipment.Id });
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("allocation", incident.Id.ToString(CultureInfo.InvariantCulture), "shipments-requested", new
        {
            incident = incident.Code,
            requested = requested.Select(r => new { center = r.Center, shipment = r.ShipmentId, lines = r.Lines.Select(l => new { product = l.ProductCode, vials = l.Count }), stock = r.StockRefs }),
            skipped,
        }), ct);
        await uow.CommitAsync(ct);
        return new AllocationShipmentsResult(incident.Id, incident.Code, requested, skipped);
    }

    private static AllocationShipment Plan(string incidentCode, string center, IReadOnlyList<(Care.Allocation.AllocationRequest Request, Care.Allocation.Allotment Allotment)> items)
    {
        var lines = items.GroupBy(i => i.Request.ProductType, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RequestLine(g.Key, g.Sum(i => i.Allotment.VialIds.Count), [])).ToList();
        if (lines.FirstOrDefault(l => l.Count > 1_000) is { } big)
        {
            throw new RuleViolationException(string.Create(CultureInfo.InvariantCulture,
                $"{big.Count} vials of {big.ProductCode} from {center} is more than one request may ask for (1000); lower the transport limit for {center}"));
        }

        var stock = items.GroupBy(i => i.Allotment.Remote!.StockRef, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(i => i.Allotment.VialIds.Count), StringComparer.Ordinal);
        var patients = items.Select(i => i.Request.PatientCode).Distinct(StringComparer.Ordinal).Count();
        var hours = items.Max(i => i.Allotment.Remote!.TransportHours);
        var named = string.Join(", ", stock.Take(NamedStock).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} ×{s.Value}")))
            + (stock.Count > NamedStock ? string.Create(CultureInfo.InvariantCulture, $" and {stock.Count - NamedStock} more") : "");
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{ReasonPrefix}{incidentCode}: {string.Join(", ", lines.Select(l => $"{l.Count} vial(s) of {l.ProductCode}"))} from your shareable stock ({named}) for {patients} patient(s), HLA-compatible and needed within their treatment windows (~{hours:0.#} h transport). Proposed by the allocation; nothing is reserved until you accept and pack.");
        return new AllocationShipment(center.ToUpperInvariant(), "", lines, stock, patients, hours, reason);
    }
}
