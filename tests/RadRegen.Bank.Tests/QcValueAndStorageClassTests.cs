using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

/// <summary>Issue 11 item 7 (ADR 0017): physically impossible QC values and unknown words are bad input; temperature classes.</summary>
[Trait("Kind", "Unit")]
public class QcValueValidationTests
{
    private static QcTest Test(string product, string code) => SeedCatalogue.Products.Single(p => p.Code == product).Test(code);

    [Theory]
    [InlineData("S9100", "endotoxin", "-0.1", "EU/mL")]
    [InlineData("S9102", "endotoxin", "-5", "EU/mL")]
    [InlineData("S9102", "viability", "101", "%")]
    [InlineData("S9102", "viability", "-1", "%")]
    [InlineData("S9101", "residual-undifferentiated", "-0.01", "%")]
    [InlineData("S9101", "target-marker", "100.5", "%")]
    [InlineData("S9100", "post-thaw-cell-number", "-3", "×10⁶ cells")]
    [InlineData("S9100", "doubling-time", "-24", "h")]
    [InlineData("S9100", "post-thaw-viability", "140", "%")]
    public void Physically_impossible_values_are_bad_input_naming_the_field_and_the_rule(string product, string test, string value, string unit)
    {
        var ex = Assert.Throws<DomainValidationException>(() => QcEvaluator.Evaluate(Test(product, test), value, unit));
        Assert.Equal("value", ex.Errors[0].Field);
        Assert.Contains("physically impossible", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S9102", "viability", "100", "%", true)]
    [InlineData("S9102", "viability", "0", "%", false)]
    [InlineData("S9102", "endotoxin", "0", "EU/mL", true)]
    [InlineData("S9100", "post-thaw-cell-number", "0", "×10⁶ cells", true)]
    public void The_edges_of_the_physical_range_are_valid_values(string product, string test, string value, string unit, bool passed) =>
        Assert.Equal(passed, QcEvaluator.Evaluate(Test(product, test), value, unit).Passed);

    [Theory]
    [InlineData("sterility", "neg", "'negative', 'positive'")]
    [InlineData("mycoplasma", "ok", "'negative', 'positive'")]
    [InlineData("karyotype", "fine", "'normal', 'abnormal'")]
    [InlineData("hla", "yes", "'match', 'mismatch'")]
    [InlineData("residual-vector", "none", "'not detected', 'detected'")]
    [InlineData("morphology", "round", "'ES-like', 'not ES-like'")]
    public void A_categorical_result_outside_the_tests_vocabulary_is_refused_listing_the_allowed_words(string test, string value, string allowed)
    {
        var ex = Assert.Throws<DomainValidationException>(() => QcEvaluator.Evaluate(Test("S9100", test), value, null));
        Assert.Equal("value", ex.Errors[0].Field);
        Assert.Contains(allowed, ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sterility", "POSITIVE", "positive", false)]
    [InlineData("karyotype", "Abnormal", "abnormal", false)]
    [InlineData("hla", "mismatch", "mismatch", false)]
    [InlineData("snv-cnv", "no abnormality", "no abnormality", true)]
    public void Vocabulary_words_are_recorded_in_their_canonical_form(string test, string value, string recorded, bool passed)
    {
        var e = QcEvaluator.Evaluate(Test("S9100", test), value, null);
        Assert.Equal(recorded, e.Value);
        Assert.Equal(passed, e.Passed);
    }

    [Fact]
    public void Every_seed_test_declares_its_vocabulary_or_physical_range()
    {
        foreach (var t in SeedCatalogue.Products.SelectMany(p => p.Specification))
        {
            Assert.Null(t.Criterion.Problem());
            if (t.Criterion.IsNumeric)
            {
                Assert.NotNull(t.Criterion.Range);
                Assert.False(string.IsNullOrWhiteSpace(t.Criterion.Range!.Reason));
            }
            else
            {
                Assert.Contains(t.Criterion.Expected!, t.Criterion.Vocabulary!);
            }
        }
    }

    [Fact]
    public void A_product_with_a_numeric_test_in_an_unknown_unit_and_no_range_or_a_limit_outside_it_is_refused()
    {
        var p = SeedCatalogue.Products[0];
        var unknown = p with { Specification = [.. p.Specification, new QcTest("x", "X", QcTestKind.Reference, QcCriterion.Recorded("widgets"), "m")] };
        var ex = Assert.Throws<DomainValidationException>(unknown.Validate);
        Assert.Contains(ex.Errors, e => e.Field == "specification" && e.Message.Contains("physical range", StringComparison.Ordinal));
        var impossible = p with { Specification = [.. p.Specification, new QcTest("y", "Y", QcTestKind.Release, QcCriterion.AtLeast(120, "%"), "m")] };
        Assert.Throws<DomainValidationException>(impossible.Validate);
        var declared = p with
        {
            Specification = [.. p.Specification, new QcTest("z", "Z", QcTestKind.Reference, QcCriterion.Recorded("widgets") with { Range = new(0, null, "a count") }, "m")],
        };
        declared.Validate();
    }

    [Fact]
    public void A_stored_criterion_without_vocabulary_or_range_takes_those_of_its_expected_word_and_unit()
    {
        var old = new QcCriterion(CriterionKind.Equals, "negative");
        Assert.Equal(["negative", "positive"], old.Words);
        var oldNumeric = new QcCriterion(CriterionKind.AtMost, null, 5, "EU/mL");
        Assert.Equal(0, oldNumeric.PossibleValues!.Minimum);
        Assert.Throws<DomainValidationException>(() => QcEvaluator.Evaluate(new QcTest("endotoxin", "Endotoxin", QcTestKind.Release, oldNumeric, "LAL"), "-1", "EU/mL"));
    }
}

[Trait("Kind", "Unit")]
public class TemperatureClassTests
{
    [Theory]
    [InlineData(TemperatureClass.Ln2Vapour, TemperatureClass.Ln2Vapour, true)]
    [InlineData(TemperatureClass.Ln2Vapour, TemperatureClass.UltraLow, false)]
    [InlineData(TemperatureClass.UltraLow, TemperatureClass.UltraLow, true)]
    [InlineData(TemperatureClass.UltraLow, TemperatureClass.Ln2Vapour, true)]
    [InlineData(TemperatureClass.Refrigerated, TemperatureClass.Ln2Vapour, false)]
    [InlineData(TemperatureClass.Refrigerated, TemperatureClass.UltraLow, false)]
    [InlineData(TemperatureClass.Ln2Vapour, TemperatureClass.Refrigerated, false)]
    [InlineData(TemperatureClass.Refrigerated, TemperatureClass.Refrigerated, true)]
    public void A_product_fits_its_own_class_and_a_frozen_one_also_a_colder_class(TemperatureClass product, TemperatureClass unit, bool fits) =>
        Assert.Equal(fits, TemperatureClasses.Of(product).Accepts(TemperatureClasses.Of(unit)));

    [Fact]
    public void The_seed_products_declare_their_class_through_their_limit_with_a_source()
    {
        Assert.All(SeedCatalogue.Products.Where(p => p.Code != SeedCatalogue.PlateletsCode), p => Assert.Equal(TemperatureClass.Ln2Vapour, p.Storage.Class));
        var platelets = SeedCatalogue.Products.Single(p => p.Code == SeedCatalogue.PlateletsCode);
        Assert.Equal(TemperatureClass.UltraLow, platelets.Storage.Class);
        Assert.Contains("21 CFR 600.15", platelets.StorageCitation, StringComparison.Ordinal);
        Assert.Contains("ISCT", SeedCatalogue.Products[0].StorageCitation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_product_limit_warmer_than_its_class_is_refused()
    {
        var p = SeedCatalogue.Products[0] with { StorageMaxCelsius = -100, StorageClass = TemperatureClass.Ln2Vapour };
        var ex = Assert.Throws<DomainValidationException>(p.Validate);
        Assert.Contains(ex.Errors, e => e.Field == "storageMaxCelsius");
    }

    [Fact]
    public void An_excursion_flag_names_the_excursion_the_unit_the_time_and_that_it_awaits_QA_and_comes_off_alone()
    {
        var tank = new StorageLocation(3, 1, LocationKind.Tank, "LN2-A", "/1/3/", 0, 0, -150, null);
        var flag = Excursion.FlagText(7, tank, new DateTimeOffset(2026, 11, 29, 10, 5, 0, TimeSpan.Zero), -120.5, -150, null);
        Assert.Equal("excursion #7 on tank LN2-A at 2026-11-29 10:05 UTC: -120.5 °C above -150 °C, awaiting QA assessment", flag);
        Assert.Equal("consent withdrawn", Excursion.WithoutFlag("consent withdrawn; " + flag, flag));
        Assert.Null(Excursion.WithoutFlag(flag, flag));
    }
}
