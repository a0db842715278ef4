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
}
