using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Tests;

/// <summary>Fixture files copied to the output directory (see Data/README.md; the NMDP sets are linked from reference/hla/nmdp-2007).</summary>
internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static HaplotypeFrequencySet Nmdp(string population) =>
        HaplotypeFrequencyReader.ReadFile(PathOf($"HEGL_{population}.csv"));

    private static readonly Lazy<HaplotypeFrequencySet> CauAbDrb1 = new(() =>
        Nmdp("CAU").Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField).Set);

    /// <summary>NMDP 2007 CAU reduced to A~B~DRB1 at two fields.</summary>
    public static HaplotypeFrequencySet CauAbDrb1TwoField => CauAbDrb1.Value;

    public static HaplotypeFrequencySet FromText(string csv, FrequencyReadOptions? options = null) =>
        HaplotypeFrequencyReader.Read(new StringReader(csv), "test.csv", options);
}

/// <summary>
/// The README's definition of trans coverage, evaluated literally: every unordered genotype pair
/// {h_i, h_j}, weight f_i·f_j·(2 if i≠j else 1), counted when some line has, at every locus, an
/// allele equal to one of the pair's two. Independent of the product's bitset algorithm.
/// </summary>
internal static class BruteForce
{
    public static double Trans(HaplotypeFrequencySet set, IReadOnlyList<Haplotype> lines)
    {
        var n = set.Count;
        var m = set.Loci.Length;
        var names = new string[n, m];
        for (var i = 0; i < n; i++)
        {
            for (var l = 0; l < m; l++)
            {
                names[i, l] = set.Haplotypes[i].Haplotype.Alleles[l].ToString();
            }
        }

        var lineNames = lines.Select(h => set.Loci.Select(l => h[l]!.ToString()).ToArray()).ToArray();
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                var covered = false;
                foreach (var line in lineNames)
                {
                    var ok = true;
                    for (var l = 0; l < m && ok; l++)
                    {
                        ok = string.Equals(line[l], names[i, l], StringComparison.Ordinal) || string.Equals(line[l], names[j, l], StringComparison.Ordinal);
                    }

                    if (ok)
                    {
                        covered = true;
                        break;
                    }
                }

                if (covered)
                {
                    sum += set.Haplotypes[i].Frequency * set.Haplotypes[j].Frequency * (i == j ? 1 : 2);
                }
            }
        }

        return sum;
    }
}

/// <summary>The synthetic IPD-IMGT/HLA and MAC files (Data/imgt, Data/mac).</summary>
internal static class SyntheticReference
{
    private static TextReader Open(string relative) => new StreamReader(TestData.PathOf(relative));

    public static RadRegen.Hla.ReferenceFiles.HlaReferenceData Load(bool withMac = true)
    {
        using var g = Open("imgt/hla_nom_g.txt");
        using var p = Open("imgt/hla_nom_p.txt");
        using var ds = Open("imgt/rel_dna_ser.txt");
        using var ss = Open("imgt/rel_ser_ser.txt");
        using var mac = Open("mac/alpha.v3.txt");
        return new RadRegen.Hla.ReferenceFiles.HlaReferenceData(
            RadRegen.Hla.ReferenceFiles.AlleleGroupFile.Parse(g, "hla_nom_g.txt", 'G'),
            RadRegen.Hla.ReferenceFiles.AlleleGroupFile.Parse(p, "hla_nom_p.txt", 'P'),
            RadRegen.Hla.ReferenceFiles.DnaSerologyFile.Parse(ds, "rel_dna_ser.txt"),
            RadRegen.Hla.ReferenceFiles.SerologyRelationFile.Parse(ss, "rel_ser_ser.txt"),
            withMac ? RadRegen.Hla.ReferenceFiles.MacFile.Parse(mac, "alpha.v3.txt") : null);
    }
}
