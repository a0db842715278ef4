using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Core.Csv;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Clinical;

namespace RadRegen.Care.Drill;

/// <summary>A haplotype to draw from: the alleles as GL names (<c>HLA-A*01:01</c> …) and its frequency.</summary>
public sealed record DrillHaplotype(IReadOnlyList<string> Alleles, double Frequency);

/// <summary>What the drill simulated for one victim: the true dose, kept to score the triage.</summary>
public sealed record SimulatedVictim(string Code, double TrueDoseGy);

/// <summary>The simulated incident: the victims file (CSV text), the true doses, and a bank.</summary>
public sealed record SimulatedIncident(string VictimsCsv, IReadOnlyList<SimulatedVictim> Victims, IReadOnlyList<StockVial> Bank, IReadOnlyDictionary<string, int> TransportLimits);

/// <summary>
/// The simulated whole-body doses: log-normal with median <paramref name="MedianGy"/> and geometric SD
/// e^<paramref name="GeometricSdLog"/>, capped at <paramref name="CapGy"/>. An exercise may choose its own
/// (a "high-dose" scenario); the default is the drill's assumption (see <see cref="DrillSimulator"/>).
/// </summary>
public sealed record DrillDoseDistribution(double MedianGy, double GeometricSdLog, double CapGy)
{
    public static DrillDoseDistribution Default { get; } = new(DrillSimulator.MedianDoseGy, DrillSimulator.GeometricSdLog, 20);
}

/// <summary>
/// Generates a mass-casualty incident for drills, deterministic for a seed. The models:
/// <list type="bullet">
/// <item>Whole-body dose: log-normal, median <see cref="MedianDoseGy"/> Gy and geometric SD e^1 (most
/// victims below 1 Gy, a tail above 6 Gy), capped at 20 Gy — a drill assumption, not fitted to a
/// real incident.</item>
/// <item>Lymphocytes: L(t) = L0·e^{−Kt}, K = b·D/(a − D) per day, the inverse of Goans et al. 1997
/// (a = 13.6 Gy, b = 1.0 d⁻¹; K capped at 20 d⁻¹ as D → a), L0 normal with mean 2.4 and SD 0.5
/// ×10⁹/L clipped to the AFRRI normal range 1.35–3.5 (REMM), 8 % multiplicative counting noise;
/// counts at 2, 5 and 8 h — inside the Goans window (<see cref="LymphocyteKinetics.WindowHours"/>,
/// docs/clinical-rules.md) — and at 24 and 48 h for the lowest-48-h table.</item>
/// <item>Granulocytes (×10⁹/L) at 24 and 48 h and on days 5, 6 and 10: G0 normal, mean 5.5 and SD 1.0,
/// clipped to the ASH Table 2 reference range 4–9 (reference/dosimetry/methods.md). Day 1: an early rise
/// G0·(1 + 0.5·min(D, 6 Gy)/6 Gy), the "initial granulocytosis" of high doses (ASH Table 2 prints no
/// count for it; its size here is a drill assumption, and it is only a count — the drill never records
/// the clinician's <c>initialGranulocytosis</c> finding). From day 2: G0·e^{−r·D·(t − 1 d)}, one rate
/// r per Gy and day chosen so that a person with G0 = 5 falls below 0.5 (METREPOL/ASH H4) on day 6 at
/// 6 Gy: H4 on days 5–6 from about 6 Gy, the dose where IAEA EPR-Medical 2024 Table 3 starts "very
/// severe" ARS; the ASH figure caption reports 8–20 Gy (median 11) in people with granulocytopenia on
/// days 5–6 (reference/clinical/README.md). 8 % counting noise. A drill assumption, not fitted.</item>
/// <item>Platelets (×10⁹/L) at the same times: P0 normal, mean 250 and SD 50, clipped to the ASH
/// reference range 140–400; P0·e^{−s·D·t}, s chosen so that P0 = 250 falls below 20 (H4) on day 10 at
/// 6 Gy — platelets fall more slowly than granulocytes and reach ≤ 10 (the AABB transfusion trigger,
/// docs/clinical-rules.md) in the second week from about 8 Gy. 8 % noise. A drill assumption, not fitted.</item>
/// <item>Local injury: <see cref="LocalInjuryShare"/> of victims handled the source; on day 6 their skin
/// is graded with a METREPOL ulcer degree 1–4 (uniform) over 1–3 % of the body surface — a drill
/// assumption, so that keratinocyte needs (ulcer ≥ 3) appear.</item>
/// <item>Vomiting: IAEA EPR-Medical 2024 Table 3 — none below 1 Gy; incidence 30 % with onset 2–6 h at
/// 1–2 Gy; 80 % with onset 1–2 h at 2–4 Gy; 100 % with onset 30–60 min at 4–6 Gy, 10–30 min at 6–8 Gy,
/// under 10 min above 8 Gy (uniform within the band).</item>
/// <item>Dicentrics (for a share of victims the laboratory scores, triage mode of 50 cells, IAEA 2011
/// §8.3): Poisson(N·Y(D)) on the calibration curve given (the drill fits the Barquinero 1995 counts
/// shipped in the repository).</item>
/// <item>HLA: two haplotypes drawn by frequency from a published frequency set; the simulated bank
/// holds homozygous lines of the most frequent haplotypes.</item>
/// </list>
/// </summary>
public sealed class DrillSimulator(int seed, DrillDoseDistribution? dose = null)
{
    private readonly DrillDoseDistribution _dose = dose ?? DrillDoseDistribution.Default;

    public const double MedianDoseGy = 0.8;
    public const double GeometricSdLog = 1.0;
    public const int TriageCells = 50;

    /// <summary>Share of victims with a local radiation injury of the skin (a drill assumption).</summary>
    public const double LocalInjuryShare = 0.03;

    /// <summary>
    /// Hours after exposure of the last simulated observation (the day-10 count): an incident the drill
    /// or the demo simulates must start at least this long ago, since observations in the future are
    /// refused (<see cref="Records.ObservationRules.FutureTolerance"/>).
    /// </summary>
    public const double LastObservationHours = 240;

    /// <summary>When each victim is sampled, in hours after exposure (see the class summary).</summary>
    private static readonly double[] SampleHours = [2, 5, LymphocyteKinetics.WindowHours, 24, 48, 120, 144, LastObservationHours];

    /// <summary>The row whose time carries vomiting (≥ 10 h, so a "none" counts) and dicentrics.</summary>
    private const double FirstDayHours = 24;

    /// <summary>Lymphocytes are counted until 48 h (the lowest-48-h table); granulocytes and platelets from day 1.</summary>
    private const double LymphocyteLastHours = 48;

    // Granulocyte decline per Gy and day: a person with G0 = 5 reaches 0.5 (H4) on day 6 (5 days after
    // the day-1 rise) at 6 Gy — the anchors are stated in the class summary.
    private static readonly double GranulocyteRate = Math.Log(5 / 0.5) / (5 * 6.0);

    // Platelet decline per Gy and day: P0 = 250 reaches 20 (H4) on day 10 at 6 Gy.
    private static readonly double PlateletRate = Math.Log(250 / 20.0) / (10 * 6.0);

    private static readonly string[] VictimColumns =
        ["patient", "age", "sex", "weightKg", "burns", "trauma", "hla", "observedAt", "vomitingOnsetMinutes", "lymphocytes", "granulocytes", "platelets", "ulcer", "bsaPercent", "cells", "aberrations"];

    private readonly Random _rng = new(seed);

    public SimulatedIncident Simulate(int victims, DateTimeOffset start, IReadOnlyList<DrillHaplotype> haplotypes, CalibrationCurve curve,
        double labShare = 0.2, int lines = 30, int? vials = null)
    {
        ArgumentNullException.ThrowIfNull(haplotypes);
        ArgumentNullException.ThrowIfNull(curve);
        if (victims < 1)
        {
            throw new Core.DomainValidationException("--victims", "must be at least 1");
        }

        var cumulative = new double[haplotypes.Count];
        double sum = 0;
        for (var i = 0; i < haplotypes.Count; i++)
        {
            sum += haplotypes[i].Frequency;
            cumulative[i] = sum;
        }

        DrillHaplotype Draw()
        {
            var u = _rng.NextDouble() * sum;
            var i = Array.BinarySearch(cumulative, u);
            return haplotypes[Math.Min(haplotypes.Count - 1, i < 0 ? ~i : i)];
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvOutput(text, leaveOpen: true);
        csv.Header(VictimColumns);
        var truth = new List<SimulatedVictim>(victims);
        for (var v = 0; v < victims; v++)
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"V-{v + 1:00000}");
            var dose = Math.Min(_dose.CapGy, _dose.MedianGy * Math.Exp(_dose.GeometricSdLog * Normal()));
            truth.Add(new SimulatedVictim(code, dose));
            var age = _rng.Next(2, 85);
            var female = _rng.NextDouble() < 0.5;
            var weight = age < 16 ? 12 + (age * 3.2) : (female ? 65 : 78) + (10 * Normal());
            var burns = _rng.NextDouble() < 0.06;
            var trauma = _rng.NextDouble() < 0.08;
            var h1 = Draw();
            var h2 = Draw();
            var gl = string.Join('^', h1.Alleles.Select((a, i) => a + "+" + h2.Alleles[i]));
            string? vomit = "none";
            if (dose >= 1)
            {
                var (p, lo, hi) = dose switch
                {
                    < 2 => (0.3, 120.0, 360.0),
                    < 4 => (0.8, 60.0, 120.0),
                    < 6 => (1.0, 30.0, 60.0),
                    < 8 => (1.0, 10.0, 30.0),
                    _ => (1.0, 2.0, 10.0),
                };
                vomit = _rng.NextDouble() < p ? (lo + ((hi - lo) * _rng.NextDouble())).ToString("0", CultureInfo.InvariantCulture) : "none";
            }

            var l0 = Math.Clamp(2.4 + (0.5 * Normal()), 1.35, 3.5);
            var k = dose >= 13.6 ? 20 : Math.Min(20, dose / (13.6 - dose));
            var g0 = Math.Clamp(5.5 + Normal(), 4, 9);
            var p0 = Math.Clamp(250 + (50 * Normal()), 140, 400);
            var scored = _rng.NextDouble() < labShare;
            var ulcer = _rng.NextDouble() < LocalInjuryShare ? 1 + _rng.Next(4) : 0;
            var ulcerBsa = ulcer > 0 ? 1 + _rng.Next(3) : 0;
            for (var s = 0; s < SampleHours.Length; s++)
            {
                var hours = SampleHours[s];
                var days = hours / 24;
                var at = start.AddHours(hours);
                string? lymphocytes = null, granulocytes = null, plateletCount = null;
                if (hours <= LymphocyteLastHours)
                {
                    lymphocytes = Count(l0 * Math.Exp(-k * days), "0.###");
                }

                if (hours >= FirstDayHours)
                {
                    var g = days < 2
                        ? g0 * (1 + (0.5 * Math.Min(dose, 6) / 6))
                        : g0 * Math.Exp(-GranulocyteRate * dose * (days - 1));
                    granulocytes = Count(g, "0.###");
                    plateletCount = Count(p0 * Math.Exp(-PlateletRate * dose * days), "0.#");
                }

                var first = s == 0;
                var cyto = scored && hours == FirstDayHours;
                var skin = ulcer > 0 && hours == 144;
                var aberrations = cyto ? Poisson(TriageCells * curve.Yield(dose)) : 0;
                csv.Values(code,
                    first ? age.ToString(CultureInfo.InvariantCulture) : "",
                    first ? (female ? "female" : "male") : "",
                    first ? Math.Max(8, weight).ToString("0.#", CultureInfo.InvariantCulture) : "",
                    first ? (burns ? "yes" : "no") : "",
                    first ? (trauma ? "yes" : "no") : "",
                    first ? gl : "",
                    at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    hours == FirstDayHours ? vomit : "",
                    lymphocytes ?? "",
                    granulocytes ?? "",
                    plateletCount ?? "",
                    skin ? ulcer.ToString(CultureInfo.InvariantCulture) : "",
                    skin ? ulcerBsa.ToString(CultureInfo.InvariantCulture) : "",
                    cyto ? TriageCells.ToString(CultureInfo.InvariantCulture) : "",
                    cyto ? aberrations.ToString(CultureInfo.InvariantCulture) : "").EndRow();
            }
        }

        // The simulated bank: homozygous lines of the most frequent haplotypes, vials at three sites, of
        // the products the default priority policy asks for (platelets three times as often as
        // keratinocyte sheets), each expiring 30 days to its catalogue shelf life after the incident.
        var top = haplotypes.OrderByDescending(h => h.Frequency).Take(lines).ToList();
        string[] sites = ["Hub-North", "Hub-Central", "Hub-South"];
        var platelets = PriorityPolicy.Default.HaematopoieticProduct;
        var sheets = PriorityPolicy.Default.CutaneousProduct;
        string[] products = [platelets, platelets, platelets, sheets];
        var shelfLife = products.Distinct().ToDictionary(p => p, p => SeedCatalogue.Products.Single(c => c.Code == p).ShelfLifeFrozenDays, StringComparer.Ordinal);
        var stockSize = vials ?? Math.Max(20, victims / 5);
        var bank = new List<StockVial>(stockSize);
        for (var i = 0; i < stockSize; i++)
        {
            var li = _rng.Next(top.Count);
            var line = top[li];
            var lineGl = string.Join('^', line.Alleles.Select(a => a + "+" + a));
            var product = products[_rng.Next(products.Length)];
            bank.Add(new StockVial(string.Create(CultureInfo.InvariantCulture, $"VIAL-{i + 1:000000}"), product,
                string.Create(CultureInfo.InvariantCulture, $"LINE-{li + 1:000}"), lineGl, sites[_rng.Next(sites.Length)],
                start.AddDays(30 + _rng.Next(Math.Max(1, shelfLife[product] - 30)))));
        }

        var limits = sites.ToDictionary(s => s, _ => (int)Math.Ceiling(stockSize * 0.25), StringComparer.Ordinal);
        csv.Dispose();
        return new SimulatedIncident(text.ToString(), truth, bank, limits);
    }

    /// <summary>A count with 8 % multiplicative counting noise, at least 0.005, formatted.</summary>
    private string Count(double value, string format) =>
        Math.Max(0.005, value * Math.Exp(0.08 * Normal())).ToString(format, CultureInfo.InvariantCulture);

    private double Normal()
    {
        // Box–Muller.
        var u1 = 1.0 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private int Poisson(double mean)
    {
        if (mean > 50)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal())));
        }

        // Knuth's multiplication method.
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }
}
