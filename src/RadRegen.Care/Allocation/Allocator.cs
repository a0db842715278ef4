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
public sealed record AllocationRequest(string Id, string PatientCode, string ProductType, int Vials, double Priority, string? HlaTyping, bool ContainsImmuneCells = false);

/// <summary>A released, unexpired, unreserved vial the allocation may use.</summary>
public sealed record StockVial(string Id, string ProductType, string LineId, string? LineHla, string Site, DateTimeOffset Expiry);

/// <summary>How well a line suits a patient: a score in (0, 1] and the reason; <see cref="Acceptable"/> false excludes the pair.</summary>
public sealed record PairScore(double Score, bool Acceptable, string Explanation);

/// <summary>Scores a request against a line (HLA compatibility; see <see cref="HlaCompatibility"/>).</summary>
public interface ICompatibility
{
    PairScore Score(AllocationRequest request, string lineId, string? lineHla);
}

/// <summary>Vials of one line at one site given to a request.</summary>
public sealed record Allotment(string LineId, string Site, IReadOnlyList<string> VialIds, double Compatibility, string Explanation);

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
/// Allocates scarce vials to requests, maximising Σ priority × compatibility over every vial given,
/// subject to: each request at most its vials; each vial to one request; only the product type asked
/// for and only acceptable HLA pairs; each site ships at most its transport limit. Solved exactly as
/// a min-cost flow (<see cref="MinCostFlow"/>): source → request (capacity = vials needed) → vial
/// class (same line, site and product; cost = −value) → class (capacity = vials in it) → site
/// (capacity = transport limit) → sink. Values are scaled to integers (10⁶ per unit) so the optimum
/// is exact for the scaled values. Within a class, vials closest to expiry go first (FEFO). A
/// request may be met in part: the unmet vials are reported with the reason.
/// </summary>
public static class Allocator
{
    /// <summary>Scale of values to integer costs.</summary>
    public const double Scale = 1_000_000;

    public const string AlgorithmName = "min-cost flow, successive shortest paths with Johnson potentials (Edmonds–Karp 1972), value = Σ priority × compatibility";

    public static AllocationResult Allocate(
        IReadOnlyList<AllocationRequest> requests,
        IReadOnlyList<StockVial> vials,
        ICompatibility compatibility,
        IReadOnlyDictionary<string, int>? transportLimits = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(vials);
        ArgumentNullException.ThrowIfNull(compatibility);
        foreach (var r in requests)
        {
            if (r.Vials <= 0 || !(r.Priority > 0) || double.IsInfinity(r.Priority))
            {
                throw new Core.DomainValidationException($"request {r.Id}", "needs at least one vial and a priority > 0");
            }
        }

        // Vial classes: one line at one site of one product.
        var classes = vials.GroupBy(v => (v.ProductType, v.LineId, v.Site))
            .OrderBy(g => g.Key.ProductType, StringComparer.Ordinal).ThenBy(g => g.Key.LineId, StringComparer.Ordinal).ThenBy(g => g.Key.Site, StringComparer.Ordinal)
            .Select(g => new VialClass(g.Key.ProductType, g.Key.LineId, g.Key.Site, g.First().LineHla,
                [.. g.OrderBy(v => v.Expiry).ThenBy(v => v.Id, StringComparer.Ordinal)]))
            .ToList();
        var sites = classes.Select(c => c.Site).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        var siteIndex = sites.Select((s, i) => (s, i)).ToDictionary(t => t.s, t => t.i, StringComparer.Ordinal);
        var byProduct = classes.Select((c, i) => (c, i)).ToLookup(t => t.c.ProductType, t => t.i, StringComparer.Ordinal);

        // Scores per (request, line): many classes share a line.
        var scoreCache = new Dictionary<(string Patient, string Hla, bool Immune, string Line), PairScore>();
        PairScore ScoreOf(AllocationRequest r, VialClass c)
        {
            var key = (r.PatientCode, r.HlaTyping ?? "", r.ContainsImmuneCells, c.LineId);
            if (!scoreCache.TryGetValue(key, out var s))
            {
                s = compatibility.Score(r, c.LineId, c.LineHla);
                scoreCache[key] = s;
            }

            return s;
        }

        var source = 0;
        var firstRequest = 1;
        var firstClass = firstRequest + requests.Count;
        var firstSite = firstClass + classes.Count;
        var sink = firstSite + sites.Count;
        var graph = new MinCostFlow(sink + 1);
        var arcs = new List<(int Request, int Class, int Edge, PairScore Score)>();
        for (var r = 0; r < requests.Count; r++)
        {
            graph.AddEdge(source, firstRequest + r, requests[r].Vials, 0);
            foreach (var ci in byProduct[requests[r].ProductType])
            {
                var score = ScoreOf(requests[r], classes[ci]);
                if (!score.Acceptable || !(score.Score > 0))
                {
                    continue;
                }

                var value = (long)Math.Round(requests[r].Priority * score.Score * Scale);
                if (value <= 0)
                {
                    continue;
                }

                arcs.Add((r, ci, graph.AddEdge(firstRequest + r, firstClass + ci, requests[r].Vials, -value), score));
            }
        }

        for (var ci = 0; ci < classes.Count; ci++)
        {
            graph.AddEdge(firstClass + ci, firstSite + siteIndex[classes[ci].Site], classes[ci].Vials.Count, 0);
        }

        var limits = transportLimits ?? new Dictionary<string, int>();
        for (var s = 0; s < sites.Count; s++)
        {
            var cap = limits.TryGetValue(sites[s], out var l) ? Math.Max(0, l) : int.MaxValue;
            graph.AddEdge(firstSite + s, sink, cap, 0);
        }

        graph.Run(source, sink);

        // Turn flows into vials, FEFO within each class, requests in priority order for determinism.
        var taken = new int[classes.Count];
        var perRequest = arcs.Where(a => graph.Flow(a.Edge) > 0).ToLookup(a => a.Request);
        var usedBySite = new Dictionary<string, int>(StringComparer.Ordinal);
        var classTakers = new Dictionary<int, List<string>>();
        var allotments = new List<Allotment>[requests.Count];
        var order = Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].Priority).ThenBy(i => requests[i].Id, StringComparer.Ordinal);
        foreach (var r in order)
        {
            allotments[r] = [];
            foreach (var arc in perRequest[r].OrderByDescending(a => a.Score.Score).ThenBy(a => a.Class))
            {
                var n = (int)graph.Flow(arc.Edge);
                var c = classes[arc.Class];
                var ids = c.Vials.Skip(taken[arc.Class]).Take(n).Select(v => v.Id).ToList();
                taken[arc.Class] += n;
                usedBySite[c.Site] = usedBySite.GetValueOrDefault(c.Site) + n;
                (classTakers.TryGetValue(arc.Class, out var list) ? list : classTakers[arc.Class] = []).Add(requests[r].PatientCode);
                allotments[r].Add(new Allotment(c.LineId, c.Site, ids, arc.Score.Score, arc.Score.Explanation));
            }
        }

        var outcomes = new List<RequestOutcome>(requests.Count);
        double total = 0;
        var allocatedTotal = 0;
        for (var r = 0; r < requests.Count; r++)
        {
            var req = requests[r];
            var got = allotments[r].Sum(a => a.VialIds.Count);
            var value = allotments[r].Sum(a => a.VialIds.Count * a.Compatibility * req.Priority);
            total += value;
            allocatedTotal += got;
            var why = new List<string>();
            foreach (var a in allotments[r])
            {
                why.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{a.VialIds.Count} vial(s) of line {a.LineId} at {a.Site}: compatibility {a.Compatibility:0.###} ({a.Explanation})"));
            }

            if (got < req.Vials)
            {
                why.Add(UnmetReason(req, req.Vials - got, classes, byProduct, ScoreOf, taken, classTakers, usedBySite, limits));
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
        Func<AllocationRequest, VialClass, PairScore> scoreOf, int[] taken, Dictionary<int, List<string>> takers,
        Dictionary<string, int> usedBySite, IReadOnlyDictionary<string, int> limits)
    {
        var candidates = byProduct[req.ProductType].ToList();
        if (candidates.Count == 0)
        {
            return $"{unmet} unmet: no vial of product {req.ProductType} is in stock";
        }

        var acceptable = candidates.Where(ci => scoreOf(req, classes[ci]) is { Acceptable: true, Score: > 0 }).ToList();
        if (acceptable.Count == 0)
        {
            var sample = scoreOf(req, classes[candidates[0]]);
            return $"{unmet} unmet: no {req.ProductType} line in stock is acceptable for this patient (e.g. line {classes[candidates[0]].LineId}: {sample.Explanation})";
        }

        var parts = new List<string>();
        foreach (var ci in acceptable.OrderByDescending(ci => scoreOf(req, classes[ci]).Score).Take(3))
        {
            var c = classes[ci];
            var left = c.Vials.Count - taken[ci];
            var score = scoreOf(req, c).Score;
            if (left <= 0)
            {
                var others = takers.TryGetValue(ci, out var list) ? list.Where(p => p != req.PatientCode).Distinct().Take(5).ToList() : [];
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"line {c.LineId} at {c.Site} (compatibility {score:0.###}) is used up by {string.Join(", ", others)}, whose priority × compatibility is higher or equal"));
            }
            else if (limits.TryGetValue(c.Site, out var limit) && usedBySite.GetValueOrDefault(c.Site) >= limit)
            {
                parts.Add($"line {c.LineId} at {c.Site} has {left} vial(s) left but {c.Site} ships at most {limit} vials and that limit is reached");
            }
        }

        return $"{unmet} unmet: " + (parts.Count > 0 ? string.Join("; ", parts) : "the compatible stock is committed to requests of higher value");
    }

    private sealed record VialClass(string ProductType, string LineId, string Site, string? LineHla, List<StockVial> Vials);
}
