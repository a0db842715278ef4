using System.Globalization;

namespace RadRegen.Care.Allocation;

/// <summary>A patient's need for a product, with the weight of their priority.</summary>
/// <param name="Id">Request id.</param>
/// <param name="PatientCode">The patient (pseudonym).</param>
/// <param name="ProductType">Product code wanted.</param>
/// <param name="Vials">Vials needed for the prescribed dose.</param>
/// <param name="Priority">Priority weight (&gt; 0; higher = more urgent), from <see cref="PriorityPolicy"/>.</param>
/// <param name="HlaTyping">The patient's GL String, or null when not typed.</param>
/// <param name="ContainsImmuneCells">Whether the product contains immune cells (then GvH counts too).</param>
/// <param name="Benefit">
/// Expected benefit of the product for the patient (survival with it minus without, from the
/// policy's table, <see cref="PriorityPolicy.ExpectedBenefit"/>); when given, the objective weighs it
/// instead of <paramref name="Priority"/>.
/// </param>
/// <param name="BenefitBasis">Where <paramref name="Benefit"/> comes from, for the explanation.</param>
/// <param name="WindowHours">
/// Within how many hours the product must arrive (the policy's treatment window, <see cref="Need.WindowHours"/>);
/// another center's stock with a longer transport time is not eligible. Null: no window (local stock is always in time).
/// </param>
public sealed record AllocationRequest(string Id, string PatientCode, string ProductType, int Vials, double Priority, string? HlaTyping, bool ContainsImmuneCells = false,
    double? Benefit = null, string? BenefitBasis = null, double? WindowHours = null)
{
    /// <summary>The weight of one vial in the objective (before compatibility): the benefit when known, else the priority.</summary>
    public double Weight => Benefit ?? Priority;
}

/// <summary>A released, unexpired, unreserved vial the allocation may use.</summary>
/// <param name="Remote">Null for this center's own vial; else the other center that owns it (a proposal until that center accepts a shipment request).</param>
public sealed record StockVial(string Id, string ProductType, string LineId, string? LineHla, string Site, DateTimeOffset Expiry, RemoteSource? Remote = null);

/// <summary>
/// Another center's stock as the allocation sees it (issue 13 item 2, ADR 0030): the owning center,
/// its opaque stock reference (a shipment request names it) and the transport time to here.
/// </summary>
public sealed record RemoteSource(string Center, string StockRef, double TransportHours)
{
    /// <summary>"W0002's stock lot-17, ~6 h transport".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Center}'s stock {StockRef}, ~{TransportHours:0.#} h transport");
}

/// <summary>
/// What a remote unit's value is multiplied by in the objective: 1 − <paramref name="Discount"/> −
/// <paramref name="PerHour"/> × transport hours (at least 0), so that at equal benefit × compatibility
/// a local unit comes first and a nearer center before a farther one (center policy,
/// <see cref="PriorityPolicy.RemoteStockDiscount"/>, <see cref="PriorityPolicy.TransportDiscountPerHour"/>).
/// </summary>
public sealed record RemoteCost(double Discount, double PerHour)
{
    public double Factor(double transportHours) => Math.Max(0, 1 - Discount - (PerHour * transportHours));
}

/// <summary>How well a line suits a patient: a score in (0, 1] and the reason; <see cref="Acceptable"/> false excludes the pair.</summary>
public sealed record PairScore(double Score, bool Acceptable, string Explanation);

/// <summary>Scores a request against a line (HLA compatibility; see <see cref="HlaCompatibility"/>).</summary>
public interface ICompatibility
{
    PairScore Score(AllocationRequest request, string lineId, string? lineHla);

    /// <summary>
    /// <see cref="Score"/> without the explanation: the allocator asks this for every request and
    /// line and the explanation only for the pairs it reports. Must agree with <see cref="Score"/>;
    /// override it when the explanation is costly to build.
    /// </summary>
    (double Score, bool Acceptable) Value(AllocationRequest request, string lineId, string? lineHla)
    {
        var s = Score(request, lineId, lineHla);
        return (s.Score, s.Acceptable);
    }
}

/// <summary>Vials of one line at one site given to a request; <paramref name="Remote"/> when they are another center's (a proposal).</summary>
public sealed record Allotment(string LineId, string Site, IReadOnlyList<string> VialIds, double Compatibility, string Explanation, RemoteSource? Remote = null);

/// <summary>What one request got and why.</summary>
public sealed record RequestOutcome(
    AllocationRequest Request,
    int Allocated,
    IReadOnlyList<Allotment> Allotments,
    double Value,
    IReadOnlyList<string> Explanation)
{
    public int Unmet => Request.Vials - Allocated;
}

/// <summary>The allocation of one run: every request's outcome, the objective and the algorithm.</summary>
public sealed record AllocationResult(
    IReadOnlyList<RequestOutcome> Outcomes,
    double TotalValue,
    int VialsAllocated,
    int VialsRequested,
    string Algorithm);

/// <summary>
/// Allocates scarce vials to requests, maximising Σ weight × compatibility over every vial given
/// (weight = the request's expected benefit, <see cref="AllocationRequest.Weight"/>; issue 11 item 5),
/// subject to: each request at most its vials; each vial to one request; only the product type asked
/// for and only acceptable HLA pairs; each site ships at most its transport limit. Solved exactly as
/// a min-cost flow (<see cref="MinCostFlow"/>): source → request (capacity = vials needed) → line
/// of the product (cost = −value) → site (one arc per vial class, i.e. same line, site and product;
/// capacity = vials in the class) → sink (capacity = transport limit). Values are scaled to integers (10⁶ per unit) so the optimum
/// is exact for the scaled values. Within a class, vials closest to expiry go first (FEFO). A
/// request may be met in part: the unmet vials are reported with the reason.
/// <para>
/// Other centers' vials (<see cref="StockVial.Remote"/>; ADR 0030) are classes of their own (line =
/// CENTER/stockRef, site = CENTER): a request gets an arc to one only when its transport time is
/// within the request's window (<see cref="AllocationRequest.WindowHours"/>), with its value × the
/// <see cref="RemoteCost"/> factor, so local stock comes first at equal value. The values reported
/// stay benefit × compatibility.
/// </para>
/// </summary>
public static class Allocator
{
    /// <summary>Scale of values to integer costs.</summary>
    public const double Scale = 1_000_000;

    public const string AlgorithmName = "min-cost flow, successive shortest paths with Johnson potentials (Edmonds–Karp 1972), value = Σ expected benefit (else priority) × compatibility";

    public static AllocationResult Allocate(
        IReadOnlyList<AllocationRequest> requests,
        IReadOnlyList<StockVial> vials,
        ICompatibility compatibility,
        IReadOnlyDictionary<string, int>? transportLimits = null,
        RemoteCost? remoteCost = null)
    {
        remoteCost ??= PriorityPolicy.Default.RemoteCost;
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(vials);
        ArgumentNullException.ThrowIfNull(compatibility);
        foreach (var r in requests)
        {
            if (r.Vials <= 0 || !(r.Weight > 0) || double.IsInfinity(r.Weight))
            {
                throw new Core.DomainValidationException($"request {r.Id}", "needs at least one vial and a benefit (or priority) > 0");
            }
        }

        // Vial classes: one line at one site of one product.
        var classes = vials.GroupBy(v => (v.ProductType, v.LineId, v.Site))
            .OrderBy(g => g.Key.ProductType, StringComparer.Ordinal).ThenBy(g => g.Key.LineId, StringComparer.Ordinal).ThenBy(g => g.Key.Site, StringComparer.Ordinal)
            .Select(g => new VialClass(g.Key.ProductType, g.Key.LineId, g.Key.Site, g.First().LineHla,
                [.. g.OrderBy(v => v.Expiry).ThenBy(v => v.Id, StringComparer.Ordinal)], g.First().Remote))
            .ToList();
        var sites = classes.Select(c => c.Site).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        var siteIndex = sites.Select((s, i) => (s, i)).ToDictionary(t => t.s, t => t.i, StringComparer.Ordinal);
        var byProduct = classes.Select((c, i) => (c, i)).ToLookup(t => t.c.ProductType, t => t.i, StringComparer.Ordinal);

        // The classes of one line and product differ only in site, and a request values them alike
        // (compatibility depends on the line), so requests connect to one node per (product, line)
        // that feeds its classes: source → request → line → site (capacity = vials in the class) →
        // sink. An arc per request and class would carry the same costs, with as many arcs again per
        // site; this network has the same flows and the same optimum (a request's flow through a line
        // can be split over the line's sites in any way the class capacities allow).
        var lineOf = new int[classes.Count];
        var lineClasses = new List<List<int>>();
        var lineKeys = new Dictionary<(string Product, string Line), int>();
        for (var ci = 0; ci < classes.Count; ci++)
        {
            if (!lineKeys.TryGetValue((classes[ci].ProductType, classes[ci].LineId), out var li))
            {
                li = lineClasses.Count;
                lineKeys[(classes[ci].ProductType, classes[ci].LineId)] = li;
                lineClasses.Add([]);
            }

            lineOf[ci] = li;
            lineClasses[li].Add(ci);
        }

        var linesByProduct = Enumerable.Range(0, lineClasses.Count).ToLookup(li => classes[lineClasses[li][0]].ProductType, StringComparer.Ordinal);
        var linePosition = new int[lineClasses.Count];
        foreach (var product in linesByProduct)
        {
            var k = 0;
            foreach (var li in product)
            {
                linePosition[li] = k++;
            }
        }

        // Each request is scored once against each line of its product (the classes of a line share
        // its score). Only the numbers are kept: explanations are asked for again for the few pairs a
        // result reports, so that 10⁵–10⁶ explanation strings do not stay alive through the solve.
        var lineScores = new (double Score, bool Acceptable)[requests.Count][];
        PairScore Explain(AllocationRequest r, int li) => compatibility.Score(r, classes[lineClasses[li][0]].LineId, classes[lineClasses[li][0]].LineHla);
        var source = 0;
        var firstRequest = 1;
        var firstLine = firstRequest + requests.Count;
        var firstSite = firstLine + lineClasses.Count;
        var sink = firstSite + sites.Count;
        var graph = new MinCostFlow(sink + 1);
        var arcs = new List<(int Request, int Line, int Edge, double Score)>();
        for (var r = 0; r < requests.Count; r++)
        {
            graph.AddEdge(source, firstRequest + r, requests[r].Vials, 0);
            var candidates = linesByProduct[requests[r].ProductType];
            var scores = lineScores[r] = new (double, bool)[candidates.Count()];
            foreach (var li in candidates)
            {
                var pair = compatibility.Value(requests[r], classes[lineClasses[li][0]].LineId, classes[lineClasses[li][0]].LineHla);
                scores[linePosition[li]] = pair;
                if (!pair.Acceptable || !(pair.Score > 0))
                {
                    continue;
                }

                // Another center's stock: only when it arrives within the need's window, and worth a
                // little less than the same value here (the owner may decline; transport is a cost).
                var factor = 1.0;
                if (classes[lineClasses[li][0]].Remote is { } remote)
                {
                    if (!InWindow(requests[r], remote))
                    {
                        continue;
                    }

                    factor = remoteCost.Factor(remote.TransportHours);
                }

                var value = (long)Math.Round(requests[r].Weight * pair.Score * factor * Scale);
                if (value <= 0)
                {
                    continue;
                }

                arcs.Add((r, li, graph.AddEdge(firstRequest + r, firstLine + li, requests[r].Vials, -value), pair.Score));
            }
        }

        var classEdge = new int[classes.Count];
        for (var ci = 0; ci < classes.Count; ci++)
        {
            classEdge[ci] = graph.AddEdge(firstLine + lineOf[ci], firstSite + siteIndex[classes[ci].Site], classes[ci].Vials.Count, 0);
        }

        var limits = transportLimits ?? new Dictionary<string, int>();
        for (var s = 0; s < sites.Count; s++)
        {
            var cap = limits.TryGetValue(sites[s], out var l) ? Math.Max(0, l) : int.MaxValue;
            graph.AddEdge(firstSite + s, sink, cap, 0);
        }

        graph.Run(source, sink);

        // Turn flows into vials: requests in priority order (for determinism), each request's lines
        // best first, a line's flow taken from its classes in site order as far as each class's flow
        // goes, FEFO within each class.
        var classLeft = classEdge.Select(e => (int)graph.Flow(e)).ToArray();
        var taken = new int[classes.Count];
        var perRequest = arcs.Where(a => graph.Flow(a.Edge) > 0).ToLookup(a => a.Request);
        var usedBySite = new Dictionary<string, int>(StringComparer.Ordinal);
        var classTakers = new Dictionary<int, List<string>>();
        var allotments = new List<Allotment>[requests.Count];
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].Weight).ThenBy(i => requests[i].Id, StringComparer.Ordinal);
        foreach (var r in order)
        {
            allotments[r] = [];
            foreach (var arc in perRequest[r].OrderByDescending(a => a.Score).ThenBy(a => a.Line))
            {
                var want = (int)graph.Flow(arc.Edge);
                var pair = Explain(requests[r], arc.Line);
                foreach (var ci in lineClasses[arc.Line])
                {
                    var n = Math.Min(want, classLeft[ci]);
                    if (n == 0)
                    {
                        continue;
                    }

                    var c = classes[ci];
                    var ids = c.Vials.Skip(taken[ci]).Take(n).Select(v => v.Id).ToList();
                    taken[ci] += n;
                    classLeft[ci] -= n;
                    want -= n;
                    usedBySite[c.Site] = usedBySite.GetValueOrDefault(c.Site) + n;
                    (classTakers.TryGetValue(ci, out var list) ? list : classTakers[ci] = []).Add(requests[r].PatientCode);
                    allotments[r].Add(new Allotment(c.LineId, c.Site, ids, pair.Score, pair.Explanation, c.Remote));
                }
            }
        }

        var outcomes = new List<RequestOutcome>(requests.Count);
        double total = 0;
        var allocatedTotal = 0;
        for (var r = 0; r < requests.Count; r++)
        {
            var req = requests[r];
            var got = allotments[r].Sum(a => a.VialIds.Count);
            var value = allotments[r].Sum(a => a.VialIds.Count * a.Compatibility * req.Weight);
            total += value;
            allocatedTotal += got;
            var why = new List<string>();
            if (req.Benefit is { } benefit)
            {
                why.Add(string.Create(CultureInfo.InvariantCulture, $"weight {benefit:0.###} per vial: {req.BenefitBasis ?? "expected benefit"}"));
            }

            foreach (var a in allotments[r])
            {
                why.Add(a.Remote is { } remote
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{a.VialIds.Count} vial(s) of {remote.Center}'s stock {remote.StockRef}, ~{remote.TransportHours:0.#} h transport{WindowText(req)}: compatibility {a.Compatibility:0.###} ({a.Explanation}); a proposal: {remote.Center} must accept a shipment request, nothing is reserved there until it does")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{a.VialIds.Count} vial(s) of line {a.LineId} at {a.Site}: compatibility {a.Compatibility:0.###} ({a.Explanation})"));
            }

            if (got < req.Vials)
            {
                why.Add(UnmetReason(req, req.Vials - got, classes, byProduct, ci => lineScores[r][linePosition[lineOf[ci]]], ci => Explain(req, lineOf[ci]),
                    taken, classTakers, usedBySite, limits));
            }
            else
            {
                why.Add("fully met");
            }

            outcomes.Add(new RequestOutcome(req, got, allotments[r], value, why));
        }

        return new AllocationResult(outcomes, total, allocatedTotal, requests.Sum(r => r.Vials), AlgorithmName);
    }

    private static string UnmetReason(AllocationRequest req, int unmet, List<VialClass> classes, ILookup<string, int> byProduct,
        Func<int, (double Score, bool Acceptable)> scoreOf, Func<int, PairScore> explain, int[] taken, Dictionary<int, List<string>> takers,
        Dictionary<string, int> usedBySite, IReadOnlyDictionary<string, int> limits)
    {
        var candidates = byProduct[req.ProductType].ToList();
        if (candidates.Count == 0)
        {
            return $"{unmet} unmet: no vial of product {req.ProductType} is in stock";
        }

        var compatible = candidates.Where(ci => scoreOf(ci) is { Acceptable: true, Score: > 0 }).ToList();
        if (compatible.Count == 0)
        {
            var sample = explain(candidates[0]);
            return $"{unmet} unmet: no {req.ProductType} line in stock is acceptable for this patient (e.g. line {classes[candidates[0]].LineId}: {sample.Explanation})";
        }

        var parts = new List<string>();
        foreach (var ci in compatible.Where(ci => classes[ci].Remote is { } rs && !InWindow(req, rs)).OrderBy(ci => classes[ci].Remote!.TransportHours).Take(3))
        {
            var rs = classes[ci].Remote!;
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{rs.Center}'s stock {rs.StockRef} (compatibility {scoreOf(ci).Score:0.###}) would arrive in ~{rs.TransportHours:0.#} h, after this need's {req.WindowHours:0.#} h window"));
        }

        var acceptable = compatible.Where(ci => classes[ci].Remote is not { } rs || InWindow(req, rs)).ToList();
        foreach (var ci in acceptable.OrderByDescending(ci => scoreOf(ci).Score).Take(3))
        {
            var c = classes[ci];
            var left = c.Vials.Count - taken[ci];
            var score = scoreOf(ci).Score;
            if (left <= 0)
            {
                var others = takers.TryGetValue(ci, out var list) ? list.Where(p => p != req.PatientCode).Distinct().Take(5).ToList() : [];
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {c.LineId} at {c.Site} (compatibility {score:0.###}) is used up by {string.Join(", ", others)}, whose weight (benefit) × compatibility is higher or equal"));
            }
            else if (limits.TryGetValue(c.Site, out var limit) && usedBySite.GetValueOrDefault(c.Site) >= limit)
            {
                parts.Add($"line {c.LineId} at {c.Site} has {left} vial(s) left but {c.Site} ships at most {limit} vials and that limit is reached");
            }
        }

        return $"{unmet} unmet: " + (parts.Count > 0 ? string.Join("; ", parts) : "the compatible stock is committed to requests of higher value");
    }

    /// <summary>Whether another center's stock arrives within the request's treatment window (no window: always).</summary>
    public static bool InWindow(AllocationRequest request, RemoteSource remote)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(remote);
        return request.WindowHours is not { } w || remote.TransportHours <= w;
    }

    private static string WindowText(AllocationRequest req) =>
        req.WindowHours is { } w ? string.Create(CultureInfo.InvariantCulture, $" (within the {w:0.#} h window)") : "";

    private sealed record VialClass(string ProductType, string LineId, string Site, string? LineHla, List<StockVial> Vials, RemoteSource? Remote);
}
