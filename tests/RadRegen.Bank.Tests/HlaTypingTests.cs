using RadRegen.Bank.Hla;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

[Trait("Kind", "Unit")]
public class HlaTypingTests
{
    private readonly HlaLibraryTyping _hla = new();

    private const string Homozygous = "A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02";

    [Fact]
    public void A_donor_with_two_identical_haplotypes_is_homozygous_with_its_haplotype()
    {
        var a = _hla.Analyze("HLA-" + Homozygous);
        Assert.True(a.Homozygous);
        Assert.Equal("A*24:02~B*52:01~DRB1*15:02", a.Haplotype);
        Assert.Equal(Homozygous, a.GlString); // normalised by RadRegen.Hla: no HLA- prefix
    }

    [Fact]
    public void Heterozygous_at_one_matching_locus_is_not_homozygous_and_an_untyped_locus_is_unknown()
    {
        Assert.False(_hla.Analyze("A*24:02+A*24:02^B*52:01+B*07:02^DRB1*15:02+DRB1*15:02").Homozygous);
        Assert.Null(_hla.Analyze("A*24:02+A*24:02^B*52:01+B*52:01").Homozygous);
        Assert.Null(_hla.Analyze("A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02/DRB1*15:01").Homozygous);
    }

    [Fact]
    public void A_homozygous_line_is_HvG_compatible_with_everyone_carrying_its_haplotype()
    {
        Assert.True(_hla.IsCompatible(Homozygous, "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
        Assert.False(_hla.IsCompatible(Homozygous, "A*02:01+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
        // a heterozygous graft brings an antigen the patient lacks
        Assert.False(_hla.IsCompatible("A*24:02+A*11:01^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02",
            "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
    }

    [Fact]
    public void A_malformed_GL_String_is_bad_input_on_the_field()
    {
        var ex = Assert.Throws<DomainValidationException>(() => _hla.Analyze("A*24:02++"));
        Assert.Equal("hlaGl", ex.Errors[0].Field);
        Assert.Equal("compatibleWith", Assert.Throws<DomainValidationException>(() => _hla.IsCompatible(Homozygous, "nonsense")).Errors[0].Field);
    }

    [Theory]
    [InlineData("A*24:MDP+A*24:MDP^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02", "MAC code A*24:MDP cannot be resolved")]
    [InlineData("A24+A24^B2535+B2535^DRB1*15:02+DRB1*15:02", "serological antigen A24 cannot be resolved")]
    public void A_donor_typing_matching_cannot_handle_is_refused_on_the_field(string gl, string expected)
    {
        // issue 12 item 5: the same rule as patient registration (RadRegen.Hla TypingAcceptance)
        var ex = Assert.Throws<DomainValidationException>(() => _hla.Analyze(gl));
        Assert.Equal("hlaGl", ex.Errors[0].Field);
        Assert.StartsWith(expected, ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("enter the alleles as a GL String", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_donor_typing_matching_cannot_handle_is_not_compatible_rather_than_an_error()
    {
        Assert.False(_hla.IsCompatible("A*24:MDP+A*24:MDP^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02",
            "A*24:02+A*02:01^B*52:01+B*07:02^DRB1*15:02+DRB1*04:05"));
    }
}
