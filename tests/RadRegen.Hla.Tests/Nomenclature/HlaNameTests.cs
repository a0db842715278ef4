using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Tests.Nomenclature;

public class HlaNameTests
{
    [Theory]
    [InlineData("HLA-A*02:01:01:01", "A*02:01:01:01", HlaLocus.A, HlaNameKind.Allele, 4)]
    [InlineData("A*02:01", "A*02:01", HlaLocus.A, HlaNameKind.Allele, 2)]
    [InlineData("A*02", "A*02", HlaLocus.A, HlaNameKind.Allele, 1)]
    [InlineData("DRB1*15:01:01", "DRB1*15:01:01", HlaLocus.DRB1, HlaNameKind.Allele, 3)]
    [InlineData("DPB1*104:01", "DPB1*104:01", HlaLocus.DPB1, HlaNameKind.Allele, 2)]
    [InlineData("DQB1*06:02", "DQB1*06:02", HlaLocus.DQB1, HlaNameKind.Allele, 2)]
    [InlineData("C*07:01", "C*07:01", HlaLocus.C, HlaNameKind.Allele, 2)]
    [InlineData("A*01:16N", "A*01:16N", HlaLocus.A, HlaNameKind.Allele, 2)]
    [InlineData("A*24:02:01:02L", "A*24:02:01:02L", HlaLocus.A, HlaNameKind.Allele, 4)]
    [InlineData("A*01:XX", "A*01:XX", HlaLocus.A, HlaNameKind.XxCode, 1)]
    [InlineData("A*01:AB", "A*01:AB", HlaLocus.A, HlaNameKind.Mac, 1)]
    [InlineData("A*01:01:01G", "A*01:01:01G", HlaLocus.A, HlaNameKind.GGroup, 3)]
    [InlineData("A*01:01P", "A*01:01P", HlaLocus.A, HlaNameKind.PGroup, 2)]
    [InlineData("A2", "A2", HlaLocus.A, HlaNameKind.Serology, 1)]
    [InlineData("B52", "B52", HlaLocus.B, HlaNameKind.Serology, 1)]
    [InlineData("Cw7", "Cw7", HlaLocus.C, HlaNameKind.Serology, 1)]
    [InlineData("DR15", "DR15", HlaLocus.DRB1, HlaNameKind.Serology, 1)]
    [InlineData("DR52", "DR52", HlaLocus.DRB3, HlaNameKind.Serology, 1)]
    [InlineData("DQ2", "DQ2", HlaLocus.DQB1, HlaNameKind.Serology, 1)]
    public void Parses_valid_names(string text, string canonical, HlaLocus locus, HlaNameKind kind, int fields)
    {
        var name = HlaName.Parse(text);
        Assert.Equal(canonical, name.ToString());
        Assert.Equal(locus, name.Locus);
        Assert.Equal(kind, name.Kind);
        Assert.Equal(fields, name.Fields.Length);
    }

    [Theory]
    [InlineData("A*0201", "pre-2010")]
    [InlineData("X*02:01", "unknown locus 'X'")]
    [InlineData("A*2:01", "first field")]
    [InlineData("A*02:1", "second field")]
    [InlineData("A*02:01:01:01:01", "at most four fields")]
    [InlineData("A*02N", "at least two fields")]
    [InlineData("A*02:01Z", "'Z' is not an expression suffix")]
    [InlineData("A02", "leading zero")]
    [InlineData("Q2", "unknown serological locus")]
    [InlineData("", "empty")]
    [InlineData("A*", "no allele fields")]
    [InlineData("a*02:01", "unknown locus")]
    public void Refuses_malformed_names_naming_the_token(string text, string reason)
    {
        var ex = Assert.Throws<HlaInputException>(() => HlaName.Parse(text, 7));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Equal(text, ex.Token);
        Assert.Equal(7, ex.Position);
    }

    [Theory]
    [InlineData("A*02:01:01:01", AlleleResolution.FirstField, "A*02")]
    [InlineData("A*02:01:01:01", AlleleResolution.TwoField, "A*02:01")]
    [InlineData("A*24:02:01:02L", AlleleResolution.TwoField, "A*24:02L")]
    [InlineData("A*01:16N", AlleleResolution.TwoField, "A*01:16N")]
    [InlineData("A*01:16N", AlleleResolution.FirstField, "A*01")]
    [InlineData("A*01:XX", AlleleResolution.FirstField, "A*01")]
    public void Reduces_to_a_resolution(string text, AlleleResolution resolution, string expected) =>
        Assert.Equal(expected, HlaName.Parse(text).ReduceTo(resolution).ToString());

    [Theory]
    [InlineData("A*02", AlleleResolution.TwoField)]
    [InlineData("A*01:XX", AlleleResolution.TwoField)]
    [InlineData("A2", AlleleResolution.FirstField)]
    [InlineData("A*01:AB", AlleleResolution.TwoField)]
    public void Cannot_reduce_below_what_the_name_says(string text, AlleleResolution resolution) =>
        Assert.Throws<HlaInputException>(() => HlaName.Parse(text).ReduceTo(resolution));

    [Fact]
    public void Equality_ignores_the_HLA_prefix_and_orders_numerically()
    {
        Assert.Equal(HlaName.Parse("HLA-B*07:02"), HlaName.Parse("B*07:02"));
        Assert.True(HlaName.Parse("A*02:09") < HlaName.Parse("A*02:101"));
        Assert.Equal("HLA-B*07:02", HlaName.Parse("B*07:02").ToString(true));
    }

    [Fact]
    public void Locus_lists_parse_case_insensitively_and_refuse_unknown_loci()
    {
        Assert.Equal(new[] { HlaLocus.A, HlaLocus.B, HlaLocus.DRB1 }, HlaLoci.ParseList("a, B,HLA-DRB1").AsEnumerable());
        var ex = Assert.Throws<HlaInputException>(() => HlaLoci.ParseList("A,XYZ"));
        Assert.Equal("XYZ", ex.Token);
        Assert.Equal(2, ex.Position);
        Assert.Throws<HlaInputException>(() => HlaLoci.ParseList("A,A"));
    }
}
