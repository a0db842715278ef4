using System.Globalization;
using RadRegen.Core.Csv;

namespace RadRegen.Hosting.Demo;

/// <summary>One haplotype of a frequency set (5 loci, <c>A~C~B~DRB1~DQB1</c>).</summary>
public sealed record DemoHaplotype(string Name, double Frequency)
{
    public string[] Alleles => Name.Split('~');
}

/// <summary>
/// The NMDP 2007 frequency sets in reference/hla/nmdp-2007 (embedded; Apache-2.0; Maiers
/// et al. 2007), read only to draw demo donors. HLA analysis itself belongs to RadRegen.Hla.
/// </summary>
public static class HaplotypeSets
{
    public static readonly IReadOnlyList<string> Populations = ["API", "CAU", "AFA", "HIS"];

    public static IReadOnlyList<DemoHaplotype> Load(string population)
    {
        var name = $"hla/HEGL_{population}.csv";
        using var stream = typeof(HaplotypeSets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the frequency set {name} is not embedded");
        using var reader = new StreamReader(stream, CsvReading.StrictUtf8);
        var list = new List<DemoHaplotype>();
        foreach (var record in CsvReading.Records(reader, new CsvReadOptions(name)).Skip(1)) // Haplo,Count,Freq
        {
            var parts = record.Fields;
            if (parts.Count == 3 && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
            {
                list.Add(new DemoHaplotype(parts[0], f));
            }
        }

        var sum = list.Sum(h => h.Frequency);
        return [.. list.Select(h => h with { Frequency = h.Frequency / sum }).OrderByDescending(h => h.Frequency).ThenBy(h => h.Name, StringComparer.Ordinal)];
    }

    /// <summary>Draws a haplotype by frequency.</summary>
    public static DemoHaplotype Draw(IReadOnlyList<DemoHaplotype> set, Random random)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(random);
        var x = random.NextDouble();
        foreach (var h in set)
        {
            x -= h.Frequency;
            if (x <= 0)
            {
                return h;
            }
        }

        return set[^1];
    }

    /// <summary>A genotype as a GL String: loci joined by ^, the two chromosomes by +.</summary>
    public static string GlString(DemoHaplotype a, DemoHaplotype b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var x = a.Alleles;
        var y = b.Alleles;
        return string.Join("^", x.Select((allele, i) => string.CompareOrdinal(allele, y[i]) <= 0 ? $"{allele}+{y[i]}" : $"{y[i]}+{allele}"));
    }
}
