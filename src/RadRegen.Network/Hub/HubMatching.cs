using System.Globalization;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Network.Capacity;
using RadRegen.Network.Inventory;

namespace RadRegen.Network.Hub;

/// <summary>How one member meets one line of a request, with the reasons.</summary>
/// <param name="Line">The line's index in the request.</param>
/// <param name="Declared">What the member declares of the line's area and kind, valid today (sum of its capabilities).</param>
/// <param name="Live">What the network says now, when the member is a center and the kind has live data: available beds of its latest capacity snapshot, or available vials of the product in its shared stock; null: no live figure.</param>
/// <param name="Usable">The lesser of declared and live (declared when there is no live figure).</param>
/// <param name="Needed">The line's quantity (null: the line asks for the area, not an amount).</param>
/// <param name="Coverage">Usable over needed, at most 1 (1 when nothing is counted and the member declares the area).</param>
public sealed record LineMatch(int Line, int Declared, int? Live, int Usable, int? Needed, double Coverage, IReadOnlyList<string> Reasons);

/// <summary>One member ranked for a request: the lines it can meet and its score.</summary>
/// <param name="Score">The mean coverage over all the request's lines (a line the member cannot meet counts 0).</param>
public sealed record MemberMatch(HubMember Member, double Score, int LinesMet, IReadOnlyList<LineMatch> Lines);

/// <summary>
/// Matching (issue 14 item 4): for a request, every member other than the requester whose declared
/// capabilities (valid today) fall in a line's area and kind, checked against the live network data
/// this center holds — the member center's latest capacity snapshot for beds (EDXL-HAVE, ADR 0025) and
/// its shared stock of the product for iPSC-derived products (ADR 0023). A stale snapshot is still
/// used but said so. Members are ranked by score, then by lines met, then by code.
/// </summary>
public sealed class HubMatching(IUnitOfWorkFactory units, IClock clock, CapacityOptions capacity)
{
    public async Task<IReadOnlyList<MemberMatch>> MatchAsync(Actor actor, string requestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(capacity);
        actor.Demand(Operation.HubRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IHubStore>();
        var request = await store.GetRequestAsync(requestId ?? "", ct) ?? throw new NotFoundException($"no request {requestId}");
        var members = await store.ListMembersAsync(ct);
        var snapshots = await uow.Store<ICapacityStore>().ListSnapshotsAsync(ct);
        var stock = await uow.Store<INetworkStockStore>().ListAvailableAsync(null, ct);
        return Rank(request, members, snapshots, stock, clock.UtcNow, capacity.StaleAfter);
    }

    /// <summary>The ranking, pure.</summary>
    public static IReadOnlyList<MemberMatch> Rank(AssistanceRequest request, IReadOnlyList<HubMember> members, IReadOnlyList<CapacitySnapshot> snapshots,
        IReadOnlyList<NetworkStockEntry> stock, DateTimeOffset now, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(stock);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var ranked = new List<MemberMatch>();
        foreach (var m in members.Where(m => m.Code != request.Requester))
        {
            var lines = new List<LineMatch>();
            for (var i = 0; i < request.Lines.Count; i++)
            {
                if (MatchLine(i, request.Lines[i], m, snapshots, stock, today, now, staleAfter) is { } lm)
                {
                    lines.Add(lm);
                }
            }

            if (lines.Count > 0)
            {
                ranked.Add(new MemberMatch(m, Math.Round(lines.Sum(l => l.Coverage) / request.Lines.Count, 3), lines.Count(l => l.Coverage > 0), lines));
            }
        }

        return [.. ranked.OrderByDescending(r => r.Score).ThenByDescending(r => r.LinesMet).ThenBy(r => r.Member.Code, StringComparer.Ordinal)];
    }

    private static LineMatch? MatchLine(int index, AssistanceLine line, HubMember m, IReadOnlyList<CapacitySnapshot> snapshots, IReadOnlyList<NetworkStockEntry> stock,
        DateOnly today, DateTimeOffset now, TimeSpan staleAfter)
    {
        var fitting = m.Capabilities.Where(c => c.ValidOn(today) && c.Area == line.Area && (line.Kind is null || c.Kind == line.Kind)
            && (line.ProductType is null || string.Equals(c.ProductType, line.ProductType, StringComparison.OrdinalIgnoreCase))).ToList();
        if (fitting.Count == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        var declared = fitting.Sum(c => c.Quantity);
        var what = line.Kind is { } k ? $"{k.Name()} ({k.Unit()})" : line.Area.Name();
        reasons.Add(string.Create(CultureInfo.InvariantCulture, $"declares {declared} of {what} under {line.Area.Name()}, valid on {today:yyyy-MM-dd}"));
        foreach (var c in fitting.Where(c => c.HlaCoveragePercent is not null))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{c.ProductType}: declared HLA coverage {c.HlaCoveragePercent:0.#} %"));
        }

        int? live = null;
        if (m.Center is { } center && line.Kind is { } kind)
        {
            var bed = kind switch
            {
                CapabilityKind.BmtBeds => BedType.Bmt,
                CapabilityKind.BurnBeds => BedType.Burn,
                _ => (BedType?)null,
            };
            if (bed is { } b)
            {
                if (snapshots.FirstOrDefault(s => s.Center == center && s.BedType == b) is { } snap)
                {
                    live = snap.Available;
                    var stale = now - snap.ReportedAt > staleAfter;
                    reasons.Add(string.Create(CultureInfo.InvariantCulture,
                        $"center {center} reports {snap.Available} {b.Name()} beds available at {JournalTimeText(snap.ReportedAt)}{(stale ? " (stale: older than the reporting window)" : "")}"));
                }
                else
                {
                    reasons.Add($"center {center} has reported no {b.Name()} capacity: the declaration alone counts");
                }
            }
            else if (kind == CapabilityKind.IpscProduct)
            {
                var products = fitting.Select(c => c.ProductType).Where(p => p is not null).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var vials = stock.Where(s => s.SourceCenter == center && s.State.Shareable
                    && (products.Contains(s.State.ProductCode) || products.Contains(s.State.ProductName))).ToList();
                live = vials.Sum(v => v.State.Available);
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"center {center} shares {live} available vials of {string.Join(", ", products)} in the network inventory ({vials.Count} stock entries)"));
            }
        }
        else if (m.Center is null)
        {
            reasons.Add("not a center of the network: no live data, the declaration alone counts");
        }

        var usable = live is { } l ? Math.Min(declared, l) : declared;
        double coverage = line.Quantity is { } needed ? Math.Min(1.0, (double)usable / needed) : usable > 0 ? 1.0 : 0.0;
        reasons.Add(line.Quantity is { } n
            ? string.Create(CultureInfo.InvariantCulture, $"usable {usable} of {n} needed: covers {coverage:P0}")
            : "the line asks for the area without an amount: a declaration meets it");
        return new LineMatch(index, declared, live, usable, line.Quantity, Math.Round(coverage, 3), reasons);
    }

    private static string JournalTimeText(DateTimeOffset t) => Core.Journal.JournalTime.ToText(t);
}
