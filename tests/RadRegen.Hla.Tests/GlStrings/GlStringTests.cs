using RadRegen.Hla.GlStrings;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Tests.GlStrings;

public class GlStringTests
{
    // Example from the GL String delimiter table (reference/hla/notes.md §6.4, nmdp-bioinformatics/genotype-list Delimiters.md).
    private const string PaperExample =
        "HLA-A*02:69+HLA-A*23:30|HLA-A*02:302+HLA-A*23:26/HLA-A*23:39^HLA-B*44:02:13+HLA-B*49:08";

    [Fact]
    public void Parses_with_full_precedence()
    {
        var gl = GlString.Parse(PaperExample);
        Assert.Equal(2, gl.GenotypeLists.Length);                       // ^
        var a = gl.GenotypeLists[0];
        Assert.Equal(2, a.Genotypes.Length);                             // |
        Assert.Equal(2, a.Genotypes[1].Haplotypes.Length);               // +
        var allelelist = a.Genotypes[1].Haplotypes[1].AlleleLists[0];    // ~ (one locus)
        Assert.Equal(["A*23:26", "A*23:39"], allelelist.Alleles.Select(n => n.ToString()));  // /
    }

    [Theory]
    [InlineData(PaperExample)]
    [InlineData("A*01:01~B*08:01~DRB1*03:01+A*02:01~B*07:02~DRB1*15:01")]
    [InlineData("A*01:01/A*01:02+A*24:02^B*08:01+B*07:02|B*08:01+B*07:05^DRB1*03:01+DRB1*15:01")]
    [InlineData("A*11+A*24^B*15+B*40^DRB1*04+DRB1*12")]
    [InlineData("A*01:XX+A2^DRB1*01:01:01G+DRB1*15:01P")]
    public void Round_trips(string text)
    {
        var gl = GlString.Parse(text);
        var formatted = gl.ToString();
        Assert.DoesNotContain("HLA-", formatted, StringComparison.Ordinal);
        var again = GlString.Parse(formatted);
        Assert.Equal(gl, again);
        Assert.Equal(formatted, again.ToString());
        Assert.Equal(gl, GlString.Parse(gl.ToString(withPrefix: true)));
        Assert.Equal(text.Replace("HLA-", string.Empty, StringComparison.Ordinal), formatted);
    }

    [Fact]
    public void Round_trips_random_typings_built_from_the_NMDP_names()
    {
        var set = TestData.Nmdp("CAU");
        var random = new Random(7);
        string Pick() => set.Haplotypes[random.Next(set.Count)].Haplotype.Name;
        for (var k = 0; k < 300; k++)
        {
            // Phased haplotype pairs, '|' alternatives, and per-locus genotypes with '/' lists.
            var h = Enumerable.Range(0, 4).Select(_ => Pick().Split('~')).ToArray();
            var phased = $"{string.Join('~', h[0])}+{string.Join('~', h[1])}|{string.Join('~', h[2])}+{string.Join('~', h[3])}";
            var unphased = string.Join('^', h[0].Select((a, l) => $"HLA-{a}/{h[2][l]}+{h[1][l]}"));
            foreach (var text in new[] { phased, unphased })
            {
                var gl = GlString.Parse(text);
                Assert.Equal(gl, GlString.Parse(gl.ToString()));
                Assert.Equal(gl, GlString.Parse(gl.ToString(withPrefix: true)));
                Assert.Equal(gl.ToString(), GlString.Parse(gl.ToString()).ToString());
                var typing = HlaTyping.FromGlString(gl);
                Assert.Equal(5, typing.Loci.Count);
            }
        }
    }

    [Theory]
    [InlineData("A*01:01++A*02:01", "+", 8)]
    [InlineData("A*01:01+A*02:01^", "^", 16)]
    [InlineData("A*01:01 + A*02:01", " ", 7)]
    [InlineData("A*01:01+A*0201", "A*0201", 8)]
    [InlineData("A*01:01/B*08:01+A*02:01", "B*08:01", 8)]
    [InlineData("A*01:01~A*02:01+A*02:01~A*03:01", "A*02:01", 8)]
    [InlineData("A*01:01+Z*02:01", "Z*02:01", 8)]
    [InlineData("A*01?B*01", "?", 4)]
    public void Errors_name_the_token_and_position(string text, string token, int position)
    {
        var ex = Assert.Throws<HlaInputException>(() => GlString.Parse(text));
        Assert.Equal(token, ex.Token);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Typing_projects_to_genotypes_per_locus_keeping_ambiguity()
    {
        var t = HlaTyping.Parse("A*01:01/A*01:02+A*24:02^B*08:01+B*07:02|B*08:01+B*07:05^DRB1*03:01+DRB1*15:01");
        Assert.Equal([HlaLocus.A, HlaLocus.B, HlaLocus.DRB1], t.Loci.Keys);
        Assert.True(t[HlaLocus.A]!.IsAmbiguous);
        Assert.Equal(2, t[HlaLocus.B]!.Alternatives.Length);
        Assert.False(t[HlaLocus.DRB1]!.IsAmbiguous);
        Assert.Null(t[HlaLocus.C]);
    }

    [Fact]
    public void Typing_projects_phased_haplotypes_to_loci()
    {
        var t = HlaTyping.Parse("A*01:01~B*08:01+A*02:01~B*07:02|A*02:01~B*08:01+A*01:01~B*07:02");
        Assert.Equal("A*01:01+A*02:01", t[HlaLocus.A]!.ToString());   // the same A genotype both times, kept once
        Assert.Equal("B*08:01+B*07:02", t[HlaLocus.B]!.ToString());
    }

    [Theory]
    [InlineData("A*02:01", "both chromosomes")]
    [InlineData("A*02:01+A*03:01+A*11:01", "found 3")]
    [InlineData("A*02:01~B*08:01+A*03:01", "same loci")]
    [InlineData("A*02:01+A*03:01^A*11:01+A*24:02", "more than one")]
    public void Typing_refuses_incomplete_genotypes(string text, string reason)
    {
        var ex = Assert.Throws<HlaInputException>(() => HlaTyping.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
