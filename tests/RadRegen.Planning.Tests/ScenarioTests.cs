using RadRegen.Core;
using RadRegen.Planning.Scenarios;

namespace RadRegen.Planning.Tests;

public sealed class ScenarioTests
{
    private static readonly Scenario Table = PublishedScenarios.ColemanKnebel2015;

    [Theory]
    // Coleman et al. 2015, Table 1 (reference/planning/README.md §1), every row as printed.
    [InlineData("rad-mild", 4_000, 23_000, 72_000)]
    [InlineData("rad-moderate", 6_000, 25_000, 41_000)]
    [InlineData("rad-severe", 3_000, 6_000, 12_000)]
    [InlineData("rad-expectant", 5_000, 16_000, 47_000)]
    [InlineData("combined", 2_000, 20_000, 45_000)]
    [InlineData("trauma-mild", 20_000, 53_000, 80_000)]
    [InlineData("trauma-moderate", 34_000, 118_000, 121_000)]
    [InlineData("trauma-severe", 14_000, 63_000, 143_000)]
    public void The_published_rows_are_reproduced(string key, int p50, int p85, int p95)
    {
        var band = Table.Bands.Single(b => b.Key == key);
        Assert.Equal(p50, Table.Count(band, 50));
        Assert.Equal(p85, Table.Count(band, 85));
        Assert.Equal(p95, Table.Count(band, 95));
    }

    [Theory]
    [InlineData(50, 9_000)]
    [InlineData(85, 31_000)]
    [InlineData(95, 53_000)]
    public void Radiation_only_between_1_5_and_8_3_Gy_sums_as_published(int percentile, int sum) =>
        Assert.Equal(sum, Table.RadiationOnlyWithin(PublishedScenarios.MarrowSupportFromGy, PublishedScenarios.MarrowSupportToGy, percentile));

    [Fact]
    public void The_published_table_is_valid_and_names_its_source()
    {
        Assert.Empty(Table.Problems());
        Assert.Contains("PMC4295641", Table.Source, StringComparison.Ordinal);
        Assert.Equal(3, Table.Bands.Count(b => b.Injury == InjuryKind.TraumaOnly));
        Assert.Single(Table.Bands, b => b.Injury == InjuryKind.Combined);
    }

    [Fact]
    public void An_unknown_percentile_is_refused_naming_the_field()
    {
        var e = Assert.Throws<DomainValidationException>(() => Table.Count(Table.Bands[0], 90));
        Assert.Equal("percentile", e.Errors[0].Field);
    }

    [Fact]
    public void A_negative_count_is_refused_naming_the_band_and_column()
    {
        var s = CenterScenarios.OrphanSource with { Bands = [CenterScenarios.OrphanSource.Bands[0] with { Counts = [-3] }] };
        var e = Assert.Throws<DomainValidationException>(() => s.Validated());
        Assert.Contains(e.Errors, x => x.Field == "bands[0].counts[0]" && x.Message.Contains("negative", StringComparison.Ordinal));
    }

    [Fact]
    public void The_center_examples_are_valid_single_estimates()
    {
        foreach (var s in CenterScenarios.Examples)
        {
            Assert.Empty(s.Problems());
            Assert.Empty(s.Percentiles);
            Assert.Equal(ScenarioKind.Center, s.Kind);
        }
    }
}
