using System.Globalization;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Tests.Coverage;

public class CoverageTests
{
    // PMC11368693 Table 1 as transcribed in reference/hla/README.md: haplotype, frequency,
    // cumulative coverage, screen (1/f²), digits as printed.
    public static TheoryData<int, string, string, string, string> SaudiRows => new()
    {
        { 1, "A*02~B*50~DRB1*07", "0.035820445", "0.070357785", "779.4" },
        { 2, "A*02~B*51~DRB1*04", "0.018817209", "0.106290035", "2824.2" },
        { 3, "A*26~B*08~DRB1*03", "0.01381056", "0.13221127", "5243.0" },
        { 4, "A*23~B*50~DRB1*07", "0.01284866", "0.155984567", "6057.4" },
        { 5, "A*02~B*07~DRB1*15", "0.011789139", "0.177507021", "7195.1" },
        { 6, "A*01~B*41~DRB1*07", "0.010885212", "0.197132434", "8439.7" },
        { 7, "A*31~B*51~DRB1*13", "0.009864418", "0.214712733", "10276.8" },
        { 8, "A*24~B*08~DRB1*03", "0.00973965", "0.231879733", "10541.8" },
        { 9, "A*68~B*08~DRB1*03", "0.008673389", "0.247007651", "13293.0" },
        { 10, "A*33~B*14~DRB1*01", "0.007517493", "0.259997767", "17695.1" },
        { 11, "A*02~B*51~DRB1*13", "0.006935427", "0.271881844", "20790.0" },
        { 12, "A*02~B*51~DRB1*15", "0.00678727", "0.28341891", "21707.5" },
        { 13, "A*01~B*73~DRB1*10", "0.006398224", "0.294210309", "24427.6" },
    };

    private static HaplotypeFrequencySet Saudi()
    {
        var rows = SaudiRows.Select(r => new HaplotypeFrequency(Haplotype.Parse((string)r[1]), double.Parse((string)r[2], CultureInfo.InvariantCulture)));
        return HaplotypeFrequencySet.Create("PMC11368693 Table 1", rows, isPartial: true);
    }

    [Theory]
    [MemberData(nameof(SaudiRows))]
    public void Reproduces_every_row_of_the_Saudi_table(int rank, string haplotype, string frequency, string coverage, string screen)
    {
        var set = Saudi();
        var report = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), HaplobankCoverage.TopByFrequency(set, 13));
        var row = report.Rows[rank - 1];
        Assert.Equal(haplotype, row.Haplotype.Name);
        Assert.Equal(double.Parse(frequency, CultureInfo.InvariantCulture), row.Frequency);

        // Coverage: agreement within one unit of the last printed digit. The printed frequencies are
        // themselves rounded to 9 decimals, so the paper's coverage (from unrounded frequencies) can
        // differ from the recomputed one in the last digit; the largest difference is 8.9e-10 (row 9).
        var decimals = coverage.Length - coverage.IndexOf('.', StringComparison.Ordinal) - 1;
        Assert.InRange(Math.Abs(row.CumulativeCis - double.Parse(coverage, CultureInfo.InvariantCulture)), 0, Math.Pow(10, -decimals));

        // Screening to the printed digit (one decimal), rounded.
        Assert.Equal(screen, Math.Round(row.Screen!.Value, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Saudi_trans_coverage_over_the_listed_haplotypes_equals_brute_force()
    {
        var set = Saudi();
        var lines = set.Haplotypes.Select(h => h.Haplotype).ToList();
        for (var k = 1; k <= lines.Count; k++)
        {
            var trans = HaplobankCoverage.Trans(new HaplotypeIndex(set), lines.Take(k));
            Assert.Equal(BruteForce.Trans(set, [.. lines.Take(k)]), trans, 14);
        }
    }

    [Fact]
    public void NMDP_CAU_top_100_cis_coverage_is_78_12_percent_and_the_20th_needs_about_26610_donors()
    {
        var set = TestData.CauAbDrb1TwoField;
        Assert.Equal(2674, set.Count);
        var report = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), HaplobankCoverage.TopByFrequency(set, 100));
        Assert.Equal(78.12, Math.Round(report.Cis * 100, 2));
        Assert.Equal(report.Cis, report.Rows[^1].CumulativeCis);
        Assert.Equal(26610, Math.Round(report.Rows[19].Screen!.Value / 10) * 10);
        Assert.True(report.Trans >= report.Cis);
        Assert.All(report.Rows, r => Assert.True(r.CumulativeTrans >= r.CumulativeCis - 1e-15));
        Assert.True(report.Rows.Zip(report.Rows.Skip(1)).All(p => p.Second.CumulativeTrans >= p.First.CumulativeTrans));
    }

    [Fact]
    public void A_line_written_in_another_locus_order_is_the_same_line()
    {
        var set = TestData.FromText("haplotype,frequency\nA*01:01~B*08:01~DRB1*03:01,0.6\nA*02:01~B*07:02~DRB1*15:01,0.4\n");
        var report = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), [new BankLine("x", Haplotype.Parse("DRB1*03:01~A*01:01~B*08:01"))]);
        Assert.Equal(0.6, report.Rows[0].Frequency, 15);
        Assert.Equal(HaplobankCoverage.Cis(0.6), report.Cis, 15);
    }

    [Fact]
    [Trait("Category", "Slow")] // validation against brute force over a published frequency set
    public void CAU_trans_coverage_equals_brute_force()
    {
        var set = TestData.CauAbDrb1TwoField;
        var lines = HaplobankCoverage.TopByFrequency(set, 12).Select(l => l.Haplotype).ToList();
        Assert.Equal(BruteForce.Trans(set, lines), HaplobankCoverage.Trans(new HaplotypeIndex(set), lines), 12);
    }

    [Theory]
    [InlineData("AFA", AlleleResolution.TwoField, 8)]
    [InlineData("API", AlleleResolution.TwoField, 8)]
    [InlineData("HIS", AlleleResolution.TwoField, 8)]
    [InlineData("HIS", AlleleResolution.FirstField, 8)]
    [InlineData("AFA", AlleleResolution.FirstField, 8)]
    [InlineData("API", AlleleResolution.FirstField, 8)]
    [InlineData("CAU", AlleleResolution.FirstField, 6)]
    [Trait("Category", "Slow")] // validation against brute force over a published frequency set
    public void Other_populations_trans_coverage_equals_brute_force(string population, AlleleResolution resolution, int lineCount)
    {
        var set = TestData.Nmdp(population).Reduce(HlaLoci.DefaultMatchingLoci, resolution).Set;
        // Lines: the most frequent haplotypes plus every 97th one, to include rare, scattered lines.
        var lines = set.Haplotypes.Take(lineCount).Concat(set.Haplotypes.Where((_, i) => i % 97 == 50)).Select(h => h.Haplotype).ToList();
        var report = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), [.. lines.Select(h => new BankLine(null, h))]);
        Assert.Equal(BruteForce.Trans(set, lines), report.Trans, 12);
        Assert.True(report.Trans >= report.Cis);
    }

    [Fact]
    public void Synthetic_set_with_a_line_absent_from_the_population_equals_brute_force()
    {
        var set = TestData.FromText("""
            haplotype,frequency
            A*01:01~B*08:01~DRB1*03:01,0.3
            A*02:01~B*07:02~DRB1*15:01,0.25
            A*01:01~B*07:02~DRB1*03:01,0.15
            A*03:01~B*08:01~DRB1*15:01,0.1
            A*02:01~B*44:02~DRB1*04:01,0.1
            A*03:01~B*44:02~DRB1*04:01,0.1
            """);
        var absent = Haplotype.Parse("A*02:01~B*08:01~DRB1*04:01");
        var sets = new[]
        {
            new[] { absent },
            new[] { set.Haplotypes[0].Haplotype, absent },
            set.Haplotypes.Select(h => h.Haplotype).ToArray(),
        };
        foreach (var lines in sets)
        {
            var report = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), [.. lines.Select(h => new BankLine(null, h))]);
            Assert.Equal(BruteForce.Trans(set, lines), report.Trans, 14);
        }

        // The absent line has no homozygous carriers (cis 0, screen infinite) but still covers
        // people carrying its alleles in trans: A*02:01 (two haplotypes), B*08:01 and DRB1*04:01.
        var alone = HaplobankCoverage.Evaluate(new HaplotypeIndex(set), [new BankLine("x", absent)]);
        Assert.Equal(0, alone.Cis);
        Assert.Null(alone.Rows[0].Screen);
        Assert.True(alone.Trans > 0);
        Assert.Equal(1.0, HaplobankCoverage.Trans(new HaplotypeIndex(set), set.Haplotypes.Select(h => h.Haplotype)), 14);
    }
}
