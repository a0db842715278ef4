using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.ReferenceFiles;

namespace RadRegen.Hla.Tests.ReferenceFiles;

public class ReferenceFileTests
{
    [Fact]
    public void Loads_group_files_with_their_release_version()
    {
        var r = SyntheticReference.Load();
        Assert.Equal("IPD-IMGT/HLA 9.99.0-synthetic", r.PGroups!.Header.Version);
        Assert.Equal("hla_nom_p.txt", r.PGroups.Header.File);
        Assert.Equal(HlaName.Parse("A*02:01P"), r.PGroups.GroupOf[HlaName.Parse("A*02:09")]);
        Assert.Contains(HlaName.Parse("A*01:11N"), r.PGroups.Ungrouped);
        Assert.Equal(3, r.GGroups!.Groups[HlaName.Parse("A*01:01:01G")].Length);
        Assert.Equal("IPD-IMGT/HLA 9.99.0-synthetic; MAC 01/01/26", r.Version);
    }

    [Fact]
    public void Reads_rel_dna_ser_with_six_or_seven_fields()
    {
        using var six = new StreamReader(TestData.PathOf("imgt/rel_dna_ser.txt"));
        var old = DnaSerologyFile.Parse(six, "rel_dna_ser.txt");
        Assert.Equal(6, old.FieldCount);
        Assert.Equal(["2"], old.Rows.Single(r => r.Allele.ToString() == "A*02:09").Antigens.AsEnumerable());
        Assert.Equal(["203"], old.Rows.Single(r => r.Allele.ToString() == "A*02:05:01").Antigens.AsEnumerable());
        Assert.Empty(old.Rows.Single(r => r.Allele.ToString() == "A*01:11N").Antigens);

        using var seven = new StreamReader(TestData.PathOf("imgt/rel_dna_ser_2026.txt"));
        var nu = DnaSerologyFile.Parse(seven, "rel_dna_ser.txt");
        Assert.Equal(7, nu.FieldCount);
        Assert.Equal("IPD-IMGT/HLA 9.99.1-synthetic", nu.Header.Version);
        Assert.Equal(["1"], nu.Rows.Single(r => r.Allele.ToString() == "A*01:02").Antigens.AsEnumerable());
        Assert.Equal(["1"], nu.Rows.Single(r => r.Allele.ToString() == "A*01:01:01:01").Hats.AsEnumerable());
        Assert.Equal(["24"], nu.Rows.Single(r => r.Allele.ToString() == "A*24:02:01:01").Antigens.AsEnumerable());
    }

    [Theory]
    [InlineData("A*;01:01;;\n", "rel_dna_ser.txt, row 1: has 4")]
    [InlineData("X*;01:01;1;;;\n", "rel_dna_ser.txt, row 1, field 'locus'")]
    [InlineData("# version: v\nA*;0101;1;;;\n", "rel_dna_ser.txt, row 2, field 'allele'")]
    [InlineData("A*;01:01;one;;;\n", "rel_dna_ser.txt, row 1, field 'unambiguous'")]
    [InlineData("# only a header\n", "empty file")]
    public void Bad_rel_dna_ser_rows_are_named(string text, string expected)
    {
        var ex = Assert.Throws<HlaInputException>(() => DnaSerologyFile.Parse(new StringReader(text), "rel_dna_ser.txt"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A*;01:01/01:02;01:01G\n", 'P', "field 'group'")]
    [InlineData("A*;01:01;01:01P\nA*;01:01;01:02P\n", 'P', "row 2, field 'alleles': allele A*01:01 is already in group")]
    [InlineData("A*;01:01\n", 'G', "row 1: has 2")]
    public void Bad_group_rows_are_named(string text, char marker, string expected)
    {
        var ex = Assert.Throws<HlaInputException>(() => AlleleGroupFile.Parse(new StringReader(text), "f.txt", marker));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MAC_codes_expand_generic_and_allele_specific_codes()
    {
        var r = SyntheticReference.Load();
        Assert.Equal("01/01/26", r.Macs!.LastUpdated);
        Assert.Equal(["A*01:01", "A*01:02"], r.ExpandToAlleles(HlaName.Parse("A*01:AB")).Select(n => n.ToString()));
        Assert.Equal(["A*01:01", "A*02:01"], r.ExpandToAlleles(HlaName.Parse("A*01:XYZ")).Select(n => n.ToString()));
        Assert.Equal(["A*01:01", "A*01:37"], r.ExpandToAlleles(HlaName.Parse("A*01:ZZ")).Select(n => n.ToString()));
        Assert.Equal(["A*01:01"], r.ExpandToAlleles(HlaName.Parse("A*01:NU")).Select(n => n.ToString()));   // null dropped
        Assert.Contains("unknown MAC code QQ", Assert.Throws<HlaInputException>(() => r.ExpandToAlleles(HlaName.Parse("A*01:QQ"))).Message, StringComparison.Ordinal);
        Assert.Contains("none in allele group 24", Assert.Throws<HlaInputException>(() => r.ExpandToAlleles(HlaName.Parse("A*24:XYZ"))).Message, StringComparison.Ordinal);
        Assert.Contains("row 2", Assert.Throws<HlaInputException>(() => MacFile.Parse(new StringReader("LAST UPDATED: x\n\tab\t01/02\n"), "m.txt")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serology_expands_through_splits_associated_antigens_and_rel_dna_ser()
    {
        var r = SyntheticReference.Load();
        var a9 = r.ExpandToAlleles(HlaName.Parse("A9")).Select(n => n.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["A*23:01:01", "A*24:02:01:01"], a9);
        var a2 = r.ExpandToAlleles(HlaName.Parse("A2")).Select(n => n.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["A*02:01:01:01", "A*02:05:01", "A*02:09"], a2);
    }

    [Fact]
    public void Names_reduce_to_P_and_G_groups()
    {
        var r = SyntheticReference.Load();
        Assert.Equal(["A*01:01:01G"], r.GGroupsOf(HlaName.Parse("A*01:01:01:03")).AsEnumerable());
        Assert.Equal(["A*01:01:01G", "A*01:01:02G"], r.GGroupsOf(HlaName.Parse("A*01:01")).AsEnumerable());
        Assert.Equal(["A*01:02"], r.GGroupsOf(HlaName.Parse("A*01:02")).AsEnumerable());
        Assert.Equal(["A*01:01P"], r.PGroupsOf(HlaName.Parse("A*01:37")).AsEnumerable());
        Assert.Contains("not in hla_nom_g", Assert.Throws<HlaInputException>(() => r.GGroupsOf(HlaName.Parse("B*07:02"))).Message, StringComparison.Ordinal);
        Assert.Contains("not loaded", Assert.Throws<HlaInputException>(() => new HlaReferenceData().GGroupsOf(HlaName.Parse("A*01:01"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Level_mapping_uses_P_groups_and_refuses_what_needs_missing_files()
    {
        var mapper = new HlaLevelMapper(SyntheticReference.Load());
        Assert.Equal(["A*02:01P"], mapper.Map(HlaName.Parse("A*02:09"), MatchLevel.PGroup).AsEnumerable());
        Assert.Equal(["A*02:01P"], mapper.Map(HlaName.Parse("A*02:01:01:02L"), MatchLevel.PGroup).AsEnumerable());
        Assert.Equal(["A*01:11N"], mapper.Map(HlaName.Parse("A*01:11N"), MatchLevel.PGroup).AsEnumerable());
        // Low-resolution names reach expressed alleles only (no N suffix written, no null allele meant).
        Assert.Equal(["A*01:01P", "A*01:02"], mapper.Map(HlaName.Parse("A*01:XX"), MatchLevel.PGroup).AsEnumerable());
        Assert.Equal(["A*01:01P"], mapper.Map(HlaName.Parse("A*01:01"), MatchLevel.PGroup).AsEnumerable());
        Assert.Equal(["A*01:01N"], mapper.Map(HlaName.Parse("A*01:01:01:02N"), MatchLevel.PGroup).AsEnumerable());
        // The L (low expression) member keeps its suffix at two fields: expression status is not dropped.
        Assert.Equal(["A*02:01", "A*02:01L", "A*02:09"], mapper.Map(HlaName.Parse("A*02:01:01G"), MatchLevel.TwoField).AsEnumerable());
        Assert.Equal(["A*02"], mapper.Map(HlaName.Parse("A2"), MatchLevel.FirstField).AsEnumerable());

        var bare = new HlaLevelMapper();
        Assert.Equal(["A*02:XX"], bare.Map(HlaName.Parse("A*02"), MatchLevel.TwoField).AsEnumerable());
        Assert.Contains("not loaded", Assert.Throws<HlaInputException>(() => bare.Map(HlaName.Parse("A*02:01"), MatchLevel.PGroup)).Message, StringComparison.Ordinal);
        Assert.Contains("not loaded", Assert.Throws<HlaInputException>(() => bare.Map(HlaName.Parse("A2"), MatchLevel.TwoField)).Message, StringComparison.Ordinal);
        Assert.Contains("not in hla_nom_p", Assert.Throws<HlaInputException>(() => mapper.Map(HlaName.Parse("A*68:01"), MatchLevel.PGroup)).Message, StringComparison.Ordinal);
    }
}
