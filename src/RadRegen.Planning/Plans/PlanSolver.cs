using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;
using RadRegen.Planning.Demand;
using RadRegen.Planning.Supply;

namespace RadRegen.Planning.Plans;

/// <summary>What the plan may use besides this center's shelf.</summary>
/// <param name="UseNetwork">Request other centers' shareable stock (procurement).</param>
/// <param name="UseProduction">Start manufacturing runs.</param>
/// <param name="WarningDays">Days between now and the scenario's day 0 (runs may start that early; stock ages that long).</param>
/// <param name="IntegerRuns">Whole runs: after the linear relaxation (whose duals explain the constraints) the runs are rounded down, fixed, and the rest re-optimised.</param>
public sealed record PlanOptions(bool UseNetwork = true, bool UseProduction = true, int WarningDays = 0, bool IntegerRuns = true)
{
    /// <summary>Only this center's shelf: no procurement, no production.</summary>
    public static PlanOptions ShelfOnly { get; } = new(false, false, 0, false);
}

/// <summary>Runs of a product started on one day.</summary>
/// <param name="StartDay">Thaw day relative to the scenario's day 0 (negative: before it).</param>
/// <param name="ReleaseDay">Day the vials are released (start + expansion + maturation + release testing).</param>
public sealed record ProductionRun(string Product, int StartDay, int ReleaseDay, int Runs, double ExpectedVials);

/// <summary>Vials to request from another center.</summary>
/// <param name="ArrivalDay">Day they can arrive when requested on day 0 (transport time, whole days up).</param>
/// <param name="FirstUseDay">Day the plan first issues one.</param>
public sealed record Procurement(string Center, string StockRef, string Product, int Vials, int ArrivalDay, int FirstUseDay, DateTimeOffset Expiry);

/// <summary>How much of a stock lot the plan uses.</summary>
public sealed record LotUse(string Ref, string Product, string? Center, int Vials, double Used, DateTimeOffset Expiry);

/// <summary>Patients of a cohort the plan serves.</summary>
public sealed record CohortServed(string BandKey, string Picture, double Patients, double Served);

/// <summary>A constraint that limits the plan, in words.</summary>
/// <param name="Kind"><c>stock</c>, <c>network-stock</c>, <c>cell-bank-vials</c>, <c>bioreactor-slots</c>, <c>lead-time</c>, <c>demand</c>.</param>
/// <param name="ShadowPrice">Patients one more unit would serve (dual value of the linear relaxation; 0 when not from a dual).</param>
public sealed record BindingConstraint(string Kind, string Product, int? FromDay, int? ToDay, double ShadowPrice, string Explanation);

/// <summary>The solved plan.</summary>
/// <param name="Status">The solver's status (OPTIMAL, FEASIBLE …).</param>
/// <param name="PatientsServed">Patients whose every dose within the horizon arrives within its window.</param>
/// <param name="DosesOnTime">Vials issued on time (for served patients).</param>
/// <param name="DosesDue">Vials due over the horizon for every eligible patient.</param>
/// <param name="SuppliedByProduct">Vials issued per product per day.</param>
/// <param name="Model">The model's name (docs/planning.md).</param>
public sealed record PlanResult(string Status, double PatientsServed, double EligiblePatients, double DosesOnTime, double DosesDue,
    IReadOnlyDictionary<string, IReadOnlyList<double>> SuppliedByProduct, IReadOnlyList<CohortServed> Cohorts, IReadOnlyList<ProductionRun> Runs,
    IReadOnlyList<Procurement> Procurements, IReadOnlyList<LotUse> Lots, IReadOnlyList<BindingConstraint> Binding, double SolveMilliseconds, string Model)
{
    /// <summary>Share of the demand curve met on time (vials on time / vials due); 1 when nothing is due.</summary>
    public double Score => DosesDue <= 0 ? 1 : DosesOnTime / DosesDue;
}

/// <summary>
/// The production and procurement plan as a linear program (ADR 0036, docs/planning.md, "the model"):
/// maximise the patients served — a patient counts only when every dose due within the horizon is
/// issued within the care policy's treatment window — subject to stock lots (quantity, arrival,
/// expiry), master-cell-bank vials, bioreactor slots per day and the process lead time. Solved
/// with GLOP as a linear program (whose dual values explain which constraints bind); whole runs by
/// rounding the runs down (still feasible: fewer runs use fewer vials and slots), fixing them and
/// solving again. (SCIP as a mixed-integer program took longer than the 10 s budget at the 95th
/// percentile on the shared 2-core machine, docs/performance.md.)
/// </summary>
public static class PlanSolver
{
    /// <summary>The model's name as docs/planning.md gives it.</summary>
    public const string ModelName = "time-indexed multi-product supply LP (patients served, cumulative on-time issue, lot expiry, MCB vials, bioreactor slots), GLOP; whole runs by rounding the relaxation's runs down and re-optimising";

    private const double Eps = 1e-7;

    public static PlanResult Solve(ScenarioDemand demand, IReadOnlyList<StockLot> stock, IReadOnlyList<ManufacturingCapacity> capacities, DateTimeOffset now,
        PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(stock);
        ArgumentNullException.ThrowIfNull(capacities);
        ArgumentNullException.ThrowIfNull(options);
        if (options.WarningDays is < 0 or > 365)
        {
            throw new Core.DomainValidationException("warningDays", "0 to 365 days");
        }

        var watch = Stopwatch.StartNew();
        var relaxed = Build(demand, stock, capacities, now, options, fixedRuns: null);
        var lpStatus = relaxed.Solver.Solve();
        var ok = lpStatus is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE;
        var binding = ok ? relaxed.Explain() : [];
        var result = relaxed;
        var status = lpStatus;
        if (ok && options.IntegerRuns && relaxed.Runs.Any(r => r.Runs.Any(y => Math.Abs(y.Y.SolutionValue() - Math.Round(y.Y.SolutionValue())) > 1e-6)))
        {
            // Whole runs: the relaxation's runs rounded down (still within vials and slots), fixed, and the rest re-optimised.
            var whole = relaxed.Runs.ToDictionary(r => r.Capacity.Product, r => r.Runs.Select(y => Math.Floor(y.Y.SolutionValue() + 1e-6)).ToArray(), StringComparer.Ordinal);
            var fixedModel = Build(demand, stock, capacities, now, options, whole);
            var fixedStatus = fixedModel.Solver.Solve();
            if (fixedStatus is Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE)
            {
                result.Dispose();
                result = fixedModel;
                status = fixedStatus;
            }
            else
            {
                fixedModel.Dispose();
            }
        }

        var plan = result.Read(status.ToString(), binding, watch.Elapsed.TotalMilliseconds);
        result.Dispose();
        return plan;
    }

    private static Model Build(ScenarioDemand demand, IReadOnlyList<StockLot> stock, IReadOnlyList<ManufacturingCapacity> capacities, DateTimeOffset now,
        PlanOptions options, Dictionary<string, double[]>? fixedRuns)
    {
        var solver = Solver.CreateSolver("GLOP");
        var m = new Model(solver, demand, options, fixedRuns is not null);
        var h = demand.HorizonDays;
        var onset = now.AddDays(options.WarningDays);
        var products = demand.ByProduct.Keys.Order(StringComparer.Ordinal).ToList();
        var objective = solver.Objective();
        objective.SetMaximization();

        // Patients served per eligible cohort.
        foreach (var c in demand.Cohorts.Where(c => c.Eligible))
        {
            var v = solver.MakeNumVar(0, c.Patients, "n" + m.Cohorts.Count.ToString(CultureInfo.InvariantCulture));
            m.Cohorts.Add((c, v));
            objective.SetCoefficient(v, 1);
        }

        // Issues per product per day: from stock lots and from production.
        var issues = products.ToDictionary(p => p, _ => Enumerable.Range(0, h + 1).Select(_ => new List<Variable>()).ToArray(), StringComparer.Ordinal);
        // Lots the model cannot tell apart (same product and owner, same arrival day, same last usable day within the horizon) are one
        // group: HLA does not enter the linear program, so a thousand lots become a few dozen groups.
        var groups = stock.Where(l => issues.ContainsKey(l.Product) && (l.Local || options.UseNetwork) && l.Vials > 0)
            .Select(l => (Lot: l, Arrival: l.Local ? 0 : (int)Math.Ceiling(l.TransportHours / 24), Last: Math.Min(h, (int)Math.Ceiling((l.Expiry - onset).TotalDays) - 1)))
            .GroupBy(x => (x.Lot.Product, x.Lot.Center, x.Arrival, x.Last))
            .OrderBy(g => g.Key.Product, StringComparer.Ordinal).ThenBy(g => g.Key.Center, StringComparer.Ordinal).ThenBy(g => g.Key.Arrival).ThenBy(g => g.Key.Last);
        foreach (var g in groups)
        {
            var members = g.Select(x => x.Lot).OrderBy(l => l.Expiry).ThenBy(l => l.Ref, StringComparer.Ordinal).ToList();
            var vials = members.Sum(l => l.Vials);
            var days = new List<(int Day, Variable X)>();
            for (var t = g.Key.Arrival; t <= g.Key.Last; t++)
            {
                var x = solver.MakeNumVar(0, vials, "x");
                days.Add((t, x));
                issues[g.Key.Product][t].Add(x);
                if (g.Key.Center is not null)
                {
                    objective.SetCoefficient(x, -1e-4); // local stock first at equal effect (ADR 0030's preference)
                }
            }

            if (days.Count == 0)
            {
                m.Lots.Add((members, [], null));
                continue;
            }

            var cap = solver.MakeConstraint(double.NegativeInfinity, vials, "lot");
            foreach (var (_, x) in days)
            {
                cap.SetCoefficient(x, 1);
            }

            m.Lots.Add((members, days, cap));
        }

        if (options.UseProduction)
        {
            foreach (var cap in capacities.Where(c => issues.ContainsKey(c.Product)))
            {
                var runs = new List<(int Start, Variable Y)>();
                for (var s = -options.WarningDays; s + cap.LeadDays <= h; s++)
                {
                    var fixedCount = fixedRuns is not null && fixedRuns.TryGetValue(cap.Product, out var f) && runs.Count < f.Length ? f[runs.Count] : (double?)null;
                    var y = fixedCount is { } n ? solver.MakeNumVar(n, n, "y") : solver.MakeNumVar(0, cap.VialsOnHand, "y");
                    runs.Add((s, y));
                    objective.SetCoefficient(y, -1e-3); // no run that serves no one
                }

                m.Runs.Add((cap, runs));
                if (runs.Count == 0)
                {
                    continue;
                }

                var vials = solver.MakeConstraint(double.NegativeInfinity, cap.VialsOnHand, "vials");
                foreach (var (_, y) in runs)
                {
                    vials.SetCoefficient(y, 1);
                }

                m.VialConstraints[cap.Product] = vials;
                var slotDays = new List<(int Day, Constraint C)>();
                for (var d = -options.WarningDays; d <= h; d++)
                {
                    var active = runs.Where(r => r.Start + cap.ExpansionDays <= d && d < r.Start + cap.ExpansionDays + cap.MaturationDays).ToList();
                    if (active.Count == 0)
                    {
                        continue;
                    }

                    var slot = solver.MakeConstraint(double.NegativeInfinity, cap.BioreactorSlots, "slot");
                    foreach (var (_, y) in active)
                    {
                        slot.SetCoefficient(y, 1);
                    }

                    slotDays.Add((d, slot));
                }

                m.SlotConstraints[cap.Product] = slotDays;

                // Production pool: cumulative issues from production never exceed the expected vials released so far.
                var z = new Variable[h + 1];
                for (var t = 0; t <= h; t++)
                {
                    z[t] = solver.MakeNumVar(0, double.PositiveInfinity, "z");
                    issues[cap.Product][t].Add(z[t]);
                }

                for (var t = 0; t <= h; t++)
                {
                    var pool = solver.MakeConstraint(double.NegativeInfinity, 0, "pool");
                    for (var tau = 0; tau <= t; tau++)
                    {
                        pool.SetCoefficient(z[tau], 1);
                    }

                    foreach (var (s, y) in runs.Where(r => Math.Max(0, r.Start + cap.LeadDays) <= t))
                    {
                        pool.SetCoefficient(y, -cap.ExpectedVialsPerRun);
                    }
                }

                m.Production[cap.Product] = z;
            }
        }

        // On time: by day t every dose due by t − window is issued (at the horizon's end, every dose due); never before it is due.
        foreach (var p in products)
        {
            var cumulative = m.Cohorts.Select(c => c.Cohort.Needs.FirstOrDefault(n => n.Product == p)).ToList();
            // Issued so far, one variable per day (so each constraint below has one issue term, not every lot of every earlier day).
            Variable? previous = null;
            for (var t = 0; t <= h; t++)
            {
                var issued = solver.MakeNumVar(0, double.PositiveInfinity, "c");
                var balance = solver.MakeConstraint(0, 0, "cumulative");
                balance.SetCoefficient(issued, 1);
                if (previous is not null)
                {
                    balance.SetCoefficient(previous, -1);
                }

                foreach (var x in issues[p][t])
                {
                    balance.SetCoefficient(x, -1);
                }

                previous = issued;
                var onTime = solver.MakeConstraint(0, double.PositiveInfinity, "ontime");
                var notEarly = solver.MakeConstraint(double.NegativeInfinity, 0, "early");
                onTime.SetCoefficient(issued, 1);
                notEarly.SetCoefficient(issued, 1);

                for (var i = 0; i < m.Cohorts.Count; i++)
                {
                    if (cumulative[i] is not { } need)
                    {
                        continue;
                    }

                    var dueBy = t == h ? h : t - need.WindowDays;
                    var due = dueBy < 0 ? 0 : need.ByDay.Take(dueBy + 1).Sum();
                    var dueNow = need.ByDay.Take(t + 1).Sum();
                    if (due > 0)
                    {
                        onTime.SetCoefficient(m.Cohorts[i].N, -due);
                    }

                    if (dueNow > 0)
                    {
                        notEarly.SetCoefficient(m.Cohorts[i].N, -dueNow);
                    }
                }
            }
        }

        m.Issues = issues;
        return m;
    }

    private sealed class Model(Solver solver, ScenarioDemand demand, PlanOptions options, bool integer) : IDisposable
    {
        public Solver Solver { get; } = solver;

        public bool Integer { get; } = integer;

        public List<(CohortDemand Cohort, Variable N)> Cohorts { get; } = [];

        /// <summary>Groups of lots the model cannot tell apart, first-expiring first within a group.</summary>
        public List<(List<StockLot> Members, List<(int Day, Variable X)> Days, Constraint? Cap)> Lots { get; } = [];

        public List<(ManufacturingCapacity Capacity, List<(int Start, Variable Y)> Runs)> Runs { get; } = [];

        public Dictionary<string, Constraint> VialConstraints { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(int Day, Constraint C)>> SlotConstraints { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Variable[]> Production { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<Variable>[]> Issues { get; set; } = [];

        public void Dispose() => Solver.Dispose();

        /// <summary>The binding constraints of the solved linear relaxation, in words.</summary>
        public List<BindingConstraint> Explain()
        {
            var c = CultureInfo.InvariantCulture;
            var list = new List<BindingConstraint>();
            foreach (var group in Lots.Where(l => l.Cap is not null).GroupBy(l => (l.Members[0].Product, l.Members[0].Local)))
            {
                var tight = group.Where(l => Math.Abs(l.Cap!.DualValue()) > Eps).ToList();
                if (tight.Count == 0)
                {
                    continue;
                }

                var price = tight.Max(l => Math.Abs(l.Cap!.DualValue()));
                var vials = tight.Sum(l => l.Members.Sum(x => x.Vials));
                list.Add(new BindingConstraint(group.Key.Local ? "stock" : "network-stock", group.Key.Product, null, null, price, string.Create(c,
                    $"{(group.Key.Local ? "this center's released stock" : "other centers' shareable stock")} of {group.Key.Product} binds: {tight.Sum(l => l.Members.Count)} lot(s), {vials} vial(s) all used; one more vial on the shelf would serve up to {price:0.###} more patients")));
            }

            foreach (var (product, vials) in VialConstraints)
            {
                var dual = Math.Abs(vials.DualValue());
                if (dual > Eps)
                {
                    list.Add(new BindingConstraint("cell-bank-vials", product, null, null, dual, string.Create(c,
                        $"master-cell-bank vials of {product} bind: every vial on hand is thawed; one more vial would serve {dual:0.###} more patients")));
                }
            }

            foreach (var (product, days) in SlotConstraints)
            {
                var tight = days.Where(d => Math.Abs(d.C.DualValue()) > Eps).Select(d => (d.Day, Dual: Math.Abs(d.C.DualValue()))).ToList();
                var runs = Consecutive(tight).ToList();
                if (runs.Count > 0)
                {
                    var price = runs.Max(r => r.Price);
                    var spans = string.Join(", ", runs.Select(r => Days(r.From, r.To)));
                    list.Add(new BindingConstraint("bioreactor-slots", product, runs[0].From, runs[^1].To, price, string.Create(c,
                        $"bioreactor slots for {product} bind on day(s) {spans} (relative to day 0); one more slot there would serve up to {price:0.###} more patients")));
                }
            }

            foreach (var (capacity, runs) in Runs.Where(r => r.Runs.Count == 0))
            {
                list.Add(new BindingConstraint("lead-time", capacity.Product, null, null, 0, string.Create(c,
                    $"no run of {capacity.Product} can release within the horizon: thaw to release takes {capacity.LeadDays} days ({capacity.ExpansionDays} expansion + {capacity.MaturationDays} maturation + {capacity.ReleaseTestingDays} release testing) > {demand.HorizonDays} days + {options.WarningDays} days of warning")));
            }

            var unserved = Cohorts.Where(x => x.N.SolutionValue() < x.Cohort.Patients - 1e-6).ToList();
            if (unserved.Count == 0 && Cohorts.Count > 0)
            {
                list.Add(new BindingConstraint("demand", "", null, null, 0, "every eligible patient is served: demand, not capacity, limits the plan"));
            }

            return list;
        }

        private static string Days(int from, int to) => from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}–{to}");

        private static IEnumerable<(int From, int To, double Price)> Consecutive(List<(int Day, double Dual)> days)
        {
            for (var i = 0; i < days.Count;)
            {
                var j = i;
                while (j + 1 < days.Count && days[j + 1].Day == days[j].Day + 1)
                {
                    j++;
                }

                yield return (days[i].Day, days[j].Day, days.Skip(i).Take(j - i + 1).Max(d => d.Dual));
                i = j + 1;
            }
        }

        public PlanResult Read(string status, IReadOnlyList<BindingConstraint> binding, double ms)
        {
            var h = demand.HorizonDays;
            var served = Cohorts.Select(x => new CohortServed(x.Cohort.BandKey, x.Cohort.Picture, x.Cohort.Patients, Math.Max(0, x.N.SolutionValue()))).ToList();
            double onTime = 0, due = 0;
            foreach (var (cohort, n) in Cohorts)
            {
                var total = cohort.Needs.Sum(need => need.ByDay.Sum());
                due += cohort.Patients * total;
                onTime += Math.Max(0, n.SolutionValue()) * total;
            }

            var supplied = Issues.ToDictionary(p => p.Key, p => (IReadOnlyList<double>)[.. p.Value.Select(d => d.Sum(x => x.SolutionValue()))], StringComparer.Ordinal);
            var runs = new List<ProductionRun>();
            foreach (var (capacity, list) in Runs)
            {
                foreach (var (start, y) in list)
                {
                    var count = y.SolutionValue();
                    if (count > 1e-6)
                    {
                        var whole = Integer ? (int)Math.Round(count) : (int)Math.Floor(count + 1e-6);
                        runs.Add(new ProductionRun(capacity.Product, start, start + capacity.LeadDays, whole, whole * capacity.ExpectedVialsPerRun));
                    }
                }
            }

            var lots = new List<LotUse>();
            var procurements = new List<Procurement>();
            foreach (var (members, days, _) in Lots)
            {
                // The group's use goes to its lots first-expiring first.
                var left = days.Sum(d => d.X.SolutionValue());
                var first = days.Where(d => d.X.SolutionValue() > 1e-6).Select(d => d.Day).DefaultIfEmpty(-1).Min();
                foreach (var lot in members)
                {
                    var used = Math.Max(0, Math.Min(lot.Vials, left));
                    left -= used;
                    lots.Add(new LotUse(lot.Ref, lot.Product, lot.Center, lot.Vials, used, lot.Expiry));
                    if (!lot.Local && used > 1e-6)
                    {
                        procurements.Add(new Procurement(lot.Center!, lot.Ref, lot.Product, (int)Math.Ceiling(used - 1e-6), days[0].Day, first, lot.Expiry));
                    }
                }
            }

            return new PlanResult(status, served.Sum(s => s.Served), demand.EligiblePatients, onTime, due, supplied, served, runs, procurements, lots, binding, ms, ModelName);
        }
    }
}
