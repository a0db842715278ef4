using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Tests.Frequencies;

public class FrequencySetTests
{
    [Fact]
    public void Reads_the_NMDP_CAU_file_and_renormalises()
    {
        var set = TestData.Nmdp("CAU");
        Assert.Equal(3394, set.Count);
        Assert.Equal([HlaLocus.A, HlaLocus.C, HlaLocus.B, HlaLocus.DRB1, HlaLocus.DQB1], set.Loci.AsEnumerable());
        Assert.Equal(0.99669, set.RawSum, 5);
        Assert.Equal(1.0, set.Total, 12);
        Assert.True(set.Haplotypes.Zip(set.Haplotypes.Skip(1)).All(p => p.First.Frequency >= p.Second.Frequency));
    }

    [Theory]
    [InlineData("AFA")]
    [InlineData("API")]
    [InlineData("HIS")]
    public void Reads_the_other_NMDP_populations(string population)
    {
        var set = TestData.Nmdp(population);
        Assert.InRange(set.RawSum, 0.996, 1.004);
        Assert.Equal(1.0, set.Total, 12);
    }

    [Fact]
    public void Reduction_to_A_B_DRB1_two_field_gives_2674_haplotypes_and_reports_merges()
    {
        var cau = TestData.Nmdp("CAU");
        var r = cau.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField);
        Assert.Equal(2674, r.Set.Count);
        Assert.Equal(3394, r.InputHaplotypes);
        Assert.Equal(1.0, r.Set.Total, 12);
        // Every input haplotype is accounted for: merged sources plus the unmerged ones.
        Assert.Equal(3394, r.Merged.Sum(m => m.Sources.Length) + (2674 - r.Merged.Length));
        // The sums are the marginal frequencies: check the top haplotype by hand.
        var top = r.Set.Haplotypes[0];
        var expected = cau.Haplotypes.Where(h => h.Haplotype.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField) == top.Haplotype).Sum(h => h.Frequency);
        Assert.Equal(expected, top.Frequency, 12);
        Assert.Equal("A*01:01~B*08:01~DRB1*03:01", top.Haplotype.Name);
    }

    [Fact]
    public void First_field_reduction_merges_further()
    {
        var r = TestData.Nmdp("CAU").Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.FirstField);
        Assert.True(r.Set.Count < 2674);
        Assert.All(r.Set.Haplotypes, h => Assert.All(h.Haplotype.Alleles, a => Assert.Single(a.Fields)));
    }

    [Fact]
    public void Reads_haplotype_frequency_headers()
    {
        var set = TestData.FromText("haplotype,frequency\nA*01:01~B*08:01,0.6\nA*02:01~B*07:02,0.4\n");
        Assert.Equal(2, set.Count);
        Assert.Equal("A*01:01~B*08:01", set.Haplotypes[0].Haplotype.Name);
    }

    [Fact]
    public void Ties_are_ordered_by_haplotype_name()
    {
        var set = TestData.FromText("haplotype,frequency\nA*02:01~B*07:02,0.5\nA*01:01~B*08:01,0.5\n");
        Assert.Equal("A*01:01~B*08:01", set.Haplotypes[0].Haplotype.Name);
    }

    [Theory]
    [InlineData("", "row 1", "empty file")]
    [InlineData("Haplo,Count,Freq\n", null, "no haplotype rows")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*02:01~B*07:02,1,-0.5\n", "row 3, field 'Freq'", "negative")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,abc\n", "row 2, field 'Freq'", "not a number")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*02:01~B*07:02,1,0.2\n", "field 'Freq'", "sum to 0.7")]
    [InlineData("Haplo,Count,Freq\nA*01:01~X*08:01,1,1\n", "row 2, field 'Haplo'", "unknown locus")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*0801,1,1\n", "row 2, field 'Haplo'", "pre-2010")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*01:01~B*08:01,1,0.5\n", "row 3", "already listed at row 2")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*01:01~C*08:01,1,0.5\n", "row 3", "earlier rows have A~B")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1\n", "row 2", "2 fields")]
    [InlineData("Name,Value\nx,1\n", "row 1", "no haplotype")]
    public void Bad_input_names_file_row_and_field(string csv, string? where, string reason)
    {
        var ex = Assert.Throws<HlaInputException>(() => TestData.FromText(csv));
        Assert.StartsWith("test.csv", ex.Message, StringComparison.Ordinal);
        if (where is not null)
        {
            Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reducing_to_a_missing_locus_or_finer_resolution_is_an_error()
    {
        var set = TestData.FromText("haplotype,frequency\nA*01~B*08,1\n");
        Assert.Contains("DRB1 requested", Assert.Throws<HlaInputException>(() => set.Reduce([HlaLocus.A, HlaLocus.DRB1], AlleleResolution.FirstField)).Message, StringComparison.Ordinal);
        Assert.Contains("2field needs 2", Assert.Throws<HlaInputException>(() => set.Reduce([HlaLocus.A], AlleleResolution.TwoField)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HFX_metadata_is_read_and_checked_against_its_file()
    {
        var cau = HfxMetadata.Parse(File.ReadAllText(TestData.PathOf("HEGL_CAU.hfx-metadata.json")), "HEGL_CAU.hfx-metadata.json");
        Assert.Equal("CAU", cau.Population);
        Assert.Equal(12774, cau.CohortSize);
        Assert.Equal("2.16.0", cau.NomenclatureVersion);
        Assert.Equal("Haplo", cau.HaplotypeColumn);
        Assert.Empty(cau.Verify("HEGL_CAU.csv", File.ReadAllBytes(TestData.PathOf("HEGL_CAU.csv"))));

        // The published AFA metadata carries the CAU location and checksum: reported, not hidden.
        var afa = HfxMetadata.Parse(File.ReadAllText(TestData.PathOf("HEGL_AFA.hfx-metadata.json")), "HEGL_AFA.hfx-metadata.json");
        Assert.Equal(3156, afa.CohortSize);
        var warnings = afa.Verify("HEGL_AFA.csv", File.ReadAllBytes(TestData.PathOf("HEGL_AFA.csv")));
        Assert.Equal(2, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("checkSum", StringComparison.Ordinal));

        Assert.Throws<HlaInputException>(() => HfxMetadata.Parse("{not json", "x.json"));
    }
}
