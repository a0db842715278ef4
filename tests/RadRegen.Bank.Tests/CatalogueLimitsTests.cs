using RadRegen.Bank.Catalogue;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

/// <summary>Issue 12 item 8: a product's texts are held to their named limits (Core.Limits).</summary>
[Trait("Kind", "Unit")]
public class CatalogueLimitsTests
{
    [Fact]
    public void A_product_with_texts_over_their_limits_is_refused_naming_each()
    {
        var seed = SeedCatalogue.Products[0];
        var product = seed with { Name = new string('n', 201), Indication = new string('i', 4_001), DoseUnit = new string('u', 201) };
        var ex = Assert.Throws<DomainValidationException>(product.Validate);
        Assert.Equal(["name", "indication", "doseUnit"], ex.Errors.Select(e => e.Field).Where(f => f is "name" or "indication" or "doseUnit"));
        (seed with { Name = new string('n', 200) }).Validate();
    }
}
