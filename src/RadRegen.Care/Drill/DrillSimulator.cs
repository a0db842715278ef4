using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Care.Allocation;
using RadRegen.Core.Csv;
using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Care.Drill;

/// <summary>A haplotype to draw from: the alleles as GL names (<c>HLA-A*01:01</c> …) and its frequency.</summary>
public sealed record DrillHaplotype(IReadOnlyList<string> Alleles, double Frequency);

/// <summary>What the drill simulated for one victim: the true dose, kept to score the triage.</summary>
public sealed record SimulatedVictim(string Code, double TrueDoseGy);

/// <summary>The simulated incident: the victims file (CSV text), the true doses, and a bank.</summary>
public sealed record SimulatedIncident(string VictimsCsv, IReadOnlyList<SimulatedVictim> Victims, IReadOnlyList<StockVial> Bank, IReadOnlyDictionary<string, int> TransportLimits);

/// <summary>
/// Generates a mass-casualty incident for drills, deterministic for a seed. The models:
/// <list type="bullet">
/// <item>Whole-body dose: log-normal, median <see cref="MedianDoseGy"/> Gy and geometric SD e^1 (most
/// victims below 1 Gy, a tail above 6 Gy), capped at 20 Gy — a drill assumption, not fitted to a
/// real incident.</item>
/// <item>Lymphocytes: L(t) = L0·e^{−Kt}, K = b·D/(a − D) per day, the inverse of Goans et al. 1997
/// (a = 13.6 Gy, b = 1.0 d⁻¹; K capped at 20 d⁻¹ as D → a), L0 normal with mean 2.4 and SD 0.5
/// ×10⁹/L clipped to the AFRRI normal range 1.35–3.5 (REMM), 8 % multiplicative counting noise;
/// counts at 4, 12, 24 and 48 h.</item>
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
public sealed class DrillSimulator(int seed)
{
    public const double MedianDoseGy = 0.8;
    public const double GeometricSdLog = 1.0;
    public const int TriageCells = 50;

    private static readonly string[] VictimColumns =
        ["patient", "age", "sex", "weightKg", "burns", "trauma", "hla", "observedAt", "vomitingOnsetMinutes", "lymphocytes", "cells", "aberrations"];

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
            var dose = Math.Min(20, MedianDoseGy * Math.Exp(GeometricSdLog * Normal()));
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
            var scored = _rng.NextDouble() < labShare;
            double[] hours = [4, 12, 24, 48];
            for (var s = 0; s < hours.Length; s++)
            {
                var at = start.AddHours(hours[s]);
                var l = Math.Max(0.005, l0 * Math.Exp(-k * hours[s] / 24) * Math.Exp(0.08 * Normal()));
                var first = s == 0;
                var cyto = scored && s == 2;
                var aberrations = cyto ? Poisson(TriageCells * curve.Yield(dose)) : 0;
                csv.Values(code,
                    first ? age.ToString(CultureInfo.InvariantCulture) : "",
                    first ? (female ? "female" : "male") : "",
                    first ? Math.Max(8, weight).ToString("0.#", CultureInfo.InvariantCulture) : "",
                    first ? (burns ? "yes" : "no") : "",
                    first ? (trauma ? "yes" : "no") : "",
                    first ? gl : "",
                    at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    s == 1 ? vomit : "",
                    l.ToString("0.###", CultureInfo.InvariantCulture),
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
