namespace RadRegen.Care.Allocation;

/// <summary>
/// Min-cost flow by the primal–dual method: successive shortest paths with Johnson potentials (Edmonds &amp; Karp 1972,
/// "Theoretical improvements in algorithmic efficiency for network flow problems", J ACM 19:248;
/// Ahuja, Magnanti &amp; Orlin 1993, <i>Network Flows</i>, §9.7). Integer capacities and costs, so
/// the result is exact. Each phase finds the cheapest path cost by Dijkstra on reduced costs, then
/// saturates every path of that cost with a Dinic blocking flow on the zero-reduced-cost arcs
/// (Dinic 1970; Ahuja, Magnanti &amp; Orlin 1993 §9.8). <see cref="Run"/> augments only while the cheapest path has negative cost:
/// the cost of a min-cost flow is convex in the flow value, so stopping at the first non-negative
/// path gives the minimum over every flow value — the maximum total value when costs are
/// negated values.
/// </summary>
public sealed class MinCostFlow
{
    private readonly List<int> _to = [];
    private readonly List<long> _cap = [];
    private readonly List<long> _cost = [];
    private readonly List<int>[] _adj;

    public MinCostFlow(int nodes)
    {
        _adj = new List<int>[nodes];
        for (var i = 0; i < nodes; i++)
        {
            _adj[i] = [];
        }
    }

    public int NodeCount => _adj.Length;

    /// <summary>Adds an arc u→v; returns its index (for <see cref="Flow"/>).</summary>
    public int AddEdge(int u, int v, long capacity, long cost)
    {
        var e = _to.Count;
        _to.Add(v);
        _cap.Add(capacity);
        _cost.Add(cost);
        _adj[u].Add(e);
        _to.Add(u);
        _cap.Add(0);
        _cost.Add(-cost);
        _adj[v].Add(e + 1);
        return e;
    }

    /// <summary>Flow on arc <paramref name="edge"/> (its reverse arc's residual capacity).</summary>
    public long Flow(int edge) => _cap[edge ^ 1];

    /// <summary>
    /// Sends flow from <paramref name="source"/> to <paramref name="sink"/> while a path of negative
    /// cost exists. The initial graph must have no negative cycle (ours is a DAG).
    /// </summary>
    /// <returns>Total flow and total cost.</returns>
    public (long Flow, long Cost) Run(int source, int sink)
    {
        var n = _adj.Length;
        var potential = BellmanFord(source);
        long flow = 0, cost = 0;
        var dist = new long[n];
        var prevEdge = new int[n];
        var done = new bool[n];
        var queue = new PriorityQueue<int, long>();
        while (true)
        {
            Array.Fill(dist, long.MaxValue);
            Array.Fill(prevEdge, -1);
            Array.Fill(done, false);
            dist[source] = 0;
            queue.Clear();
            queue.Enqueue(source, 0);
            while (queue.TryDequeue(out var u, out var d))
            {
                if (done[u] || d != dist[u])
                {
                    continue;
                }

                done[u] = true;
                foreach (var e in _adj[u])
                {
                    if (_cap[e] <= 0)
                    {
                        continue;
                    }

                    var v = _to[e];
                    if (potential[v] == long.MaxValue)
                    {
                        continue;
                    }

                    var nd = d + _cost[e] + potential[u] - potential[v];
                    if (nd < dist[v])
                    {
                        dist[v] = nd;
                        prevEdge[v] = e;
                        queue.Enqueue(v, nd);
                    }
                }
            }

            if (dist[sink] == long.MaxValue)
            {
                break;
            }

            // Real cost of the path = reduced distance + potential difference.
            var pathCost = dist[sink] - potential[source] + potential[sink];
            if (pathCost >= 0)
            {
                break;
            }

            for (var v = 0; v < n; v++)
            {
                if (dist[v] != long.MaxValue && potential[v] != long.MaxValue)
                {
                    potential[v] += dist[v];
                }
            }

            // Primal–dual: send a blocking flow along every cheapest path at once (Dinic on the arcs of
            // zero reduced cost), so the number of Dijkstra phases is the number of distinct path costs.
            var push = BlockingFlow(source, sink, potential, dist);
            flow += push;
            cost += push * pathCost;
        }

        return (flow, cost);
    }

    private long BlockingFlow(int source, int sink, long[] potential, long[] dist)
    {
        var n = _adj.Length;
        bool Admissible(int u, int e) =>
            _cap[e] > 0 && dist[u] != long.MaxValue && dist[_to[e]] != long.MaxValue && _cost[e] + potential[u] - potential[_to[e]] == 0;

        long total = 0;
        var level = new int[n];
        var next = new int[n];
        var queue = new Queue<int>();
        while (true)
        {
            Array.Fill(level, -1);
            level[source] = 0;
            queue.Clear();
            queue.Enqueue(source);
            while (queue.Count > 0)
            {
                var u = queue.Dequeue();
                foreach (var e in _adj[u])
                {
                    if (level[_to[e]] < 0 && Admissible(u, e))
                    {
                        level[_to[e]] = level[u] + 1;
                        queue.Enqueue(_to[e]);
                    }
                }
            }

            if (level[sink] < 0)
            {
                return total;
            }

            Array.Fill(next, 0);
            long pushed;
            while ((pushed = Augment(source, sink, long.MaxValue, level, next, Admissible)) > 0)
            {
                total += pushed;
            }
        }
    }

    private long Augment(int u, int sink, long limit, int[] level, int[] next, Func<int, int, bool> admissible)
    {
        if (u == sink)
        {
            return limit;
        }

        for (; next[u] < _adj[u].Count; next[u]++)
        {
            var e = _adj[u][next[u]];
            var v = _to[e];
            if (level[v] != level[u] + 1 || !admissible(u, e))
            {
                continue;
            }

            var got = Augment(v, sink, Math.Min(limit, _cap[e]), level, next, admissible);
            if (got > 0)
            {
                _cap[e] -= got;
                _cap[e ^ 1] += got;
                return got;
            }
        }

        return 0;
    }

    private long[] BellmanFord(int source)
    {
        var n = _adj.Length;
        var dist = new long[n];
        Array.Fill(dist, long.MaxValue);
        dist[source] = 0;
        var inQueue = new bool[n];
        var queue = new Queue<int>();
        queue.Enqueue(source);
        inQueue[source] = true;
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            inQueue[u] = false;
            foreach (var e in _adj[u])
            {
                if (_cap[e] > 0 && dist[u] + _cost[e] < dist[_to[e]])
                {
                    dist[_to[e]] = dist[u] + _cost[e];
                    if (!inQueue[_to[e]])
                    {
                        inQueue[_to[e]] = true;
                        queue.Enqueue(_to[e]);
                    }
                }
            }
        }

        return dist;
    }
}
