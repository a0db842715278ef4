using RadRegen.Bank.Identity;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

[Trait("Kind", "Unit")]
public class DinTests
{
    [Theory]
    [InlineData("G123498654321", 17, 'H', "77")] // UK Red Book Annex 2
    [InlineData("G123417654321", 10, 'A', "70")]
    public void The_published_MOD_37_2_vectors_pass(string din, int checksum, char character, string flag)
    {
        Assert.Equal(checksum, Mod37_2.Checksum(din));
        Assert.Equal(character, Mod37_2.Character(checksum));
        Assert.Equal(flag, Mod37_2.Type3Flag(checksum));
        var parsed = Din.Parse(din);
        Assert.Equal(din, parsed.Value);
        Assert.Equal(character, parsed.CheckCharacter);
        Assert.Equal(flag, parsed.Type3Flag);
    }

    [Fact]
    public void A_DIN_is_facility_year_and_sequence_with_fixed_width()
    {
        var din = new Din("W0001", 26, 42);
        Assert.Equal("W000126000042", din.Value);
        Assert.Equal(13, din.Value.Length);
        Assert.Equal(din, Din.Parse(din.Value + din.CheckCharacter));
    }

    [Fact]
    public void Every_single_character_error_is_caught_by_the_check_character()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var original = "G123498654321";
        var check = Mod37_2.Checksum(original);
        for (var i = 0; i < original.Length; i++)
        {
            foreach (var c in alphabet.Where(c => c != original[i]))
            {
                var changed = original[..i] + c + original[(i + 1)..];
                Assert.NotEqual(check, Mod37_2.Checksum(changed));
            }
        }
    }

    [Theory]
    [InlineData("G12349865432")]
    [InlineData("G1234986543210X")]
    [InlineData("11234986543210")]
    [InlineData("G1234AB654321")]
    public void Malformed_DINs_are_refused(string text) => Assert.Throws<DomainValidationException>(() => Din.Parse(text));

    [Fact]
    public void A_wrong_check_character_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() => Din.Parse("G123498654321A"));
        Assert.Contains("expected 'H'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Divisions_run_A0_to_Z9()
    {
        Assert.Equal("A0", Divisions.Code(0));
        Assert.Equal("B3", Divisions.Code(13));
        Assert.Equal("Z9", Divisions.Code(259));
        Assert.Throws<DomainValidationException>(() => Divisions.Code(260));
    }

    [Fact]
    public void An_installation_without_a_facility_code_issues_no_DIN_and_names_the_setting()
    {
        var refused = Assert.Throws<RuleViolationException>(() => new RadRegen.Bank.Services.BankOptions(null).RequireFacilityCode());
        Assert.Contains("Center:FacilityCode", refused.Message, StringComparison.Ordinal);
        Assert.Equal("A1234", new RadRegen.Bank.Services.BankOptions("A1234").RequireFacilityCode());
    }
}
