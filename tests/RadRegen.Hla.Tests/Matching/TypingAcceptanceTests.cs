using RadRegen.Hla.Matching;

namespace RadRegen.Hla.Tests.Matching;

/// <summary>The one entry rule for typings (issue 12 item 5): accepted only if the matcher can handle them as entered.</summary>
public class TypingAcceptanceTests
{
    private static readonly HlaMatcher WithoutFiles = new(MatchOptions.Default);

    [Fact]
    public void Allele_names_and_XX_codes_are_accepted_without_files()
    {
        var typing = TypingAcceptance.Read(" HLA-A*24:02+HLA-A*02:01^B*52:01+B*07:XX^DRB1*15:02+DRB1*04:05 ", WithoutFiles);
        Assert.Equal("A*24:02+A*02:01^B*52:01+B*07:XX^DRB1*15:02+DRB1*04:05", typing.ToString());
        Assert.Null(TypingAcceptance.WhyNotMatchable((string?)null, WithoutFiles));
    }

    [Fact]
    public void A_MAC_code_without_the_operators_MAC_file_is_refused_saying_what_to_enter()
    {
        var ex = Assert.Throws<HlaInputException>(() => TypingAcceptance.Read("A*24:MDP+A*02:01", WithoutFiles));
        Assert.StartsWith("MAC code A*24:MDP cannot be resolved: the operator has not loaded an NMDP MAC file; enter the alleles as a GL String, e.g. HLA-A*24:02+",
            ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("B2535+B7", "serological antigen B2535 cannot be resolved: the operator has not loaded the WMDA file rel_dna_ser.txt")]
    [InlineData("A24+A2", "serological antigen A24 cannot be resolved")]
    [InlineData("A*01:01:01G+A*02:01", "G group A*01:01:01G cannot be resolved: the operator has not loaded the WMDA file hla_nom_g.txt")]
    public void Serology_and_groups_without_the_WMDA_files_are_refused(string gl, string expected)
    {
        var ex = Assert.Throws<HlaInputException>(() => TypingAcceptance.Read(gl, WithoutFiles));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, TypingAcceptance.WhyNotMatchable(gl, WithoutFiles));
    }

    [Fact]
    public void A_refused_name_at_a_locus_outside_the_matching_loci_is_refused_too()
    {
        // C is not matched by default, but a typing is accepted only as a whole.
        Assert.Contains("MAC code C*07:AB", TypingAcceptance.WhyNotMatchable("A*24:02+A*02:01^C*07:AB+C*07:01", WithoutFiles), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_operators_files_loaded_MAC_codes_and_serology_are_accepted_and_unknown_codes_refused()
    {
        var withFiles = new HlaMatcher(MatchOptions.Default with { Mapper = new HlaLevelMapper(SyntheticReference.Load()) });
        Assert.Null(TypingAcceptance.WhyNotMatchable("A*01:AB+A*02:01", withFiles));
        Assert.Null(TypingAcceptance.WhyNotMatchable("A2+A*01:01", withFiles));
        Assert.StartsWith("MAC code A*01:QQQ cannot be resolved: ", TypingAcceptance.WhyNotMatchable("A*01:QQQ+A*02:01", withFiles), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_string_that_is_not_a_GL_String_says_so()
    {
        Assert.StartsWith("not a valid GL String: ", TypingAcceptance.WhyNotMatchable("A*24:02++", WithoutFiles), StringComparison.Ordinal);
    }
}
