using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

[Trait("Kind", "Unit")]
public class LifecycleTests
{
    private static Vial VialIn(VialStatus s) => new(1, 1, 1, "W000126000001", "S9102", "A0", s, null, null, null, DateTimeOffset.MaxValue, null, null);

    [Fact]
    public void The_forward_path_is_allowed_step_by_step()
    {
        VialStatus[] path = [VialStatus.Quarantine, VialStatus.Released, VialStatus.Reserved, VialStatus.Shipped, VialStatus.Received,
            VialStatus.Thawed, VialStatus.Administered];
        for (var i = 0; i + 1 < path.Length; i++)
        {
            Assert.True(Lifecycle.CanMove(path[i], path[i + 1]), $"{path[i]} → {path[i + 1]}");
        }
    }

    [Fact]
    public void Final_states_go_nowhere_and_nothing_skips_a_step()
    {
        foreach (var final in new[] { VialStatus.Administered, VialStatus.Discarded, VialStatus.Expired })
        {
            Assert.True(Lifecycle.IsTerminal(final));
            Assert.All(Enum.GetValues<VialStatus>(), to => Assert.False(Lifecycle.CanMove(final, to)));
        }

        Assert.False(Lifecycle.CanMove(VialStatus.Quarantine, VialStatus.Reserved));
        Assert.False(Lifecycle.CanMove(VialStatus.Released, VialStatus.Shipped));
        Assert.False(Lifecycle.CanMove(VialStatus.Reserved, VialStatus.Thawed));
        Assert.False(Lifecycle.CanMove(VialStatus.Shipped, VialStatus.Released));
        Assert.False(Lifecycle.CanMove(VialStatus.Thawed, VialStatus.Released));
        Assert.False(Lifecycle.CanMove(VialStatus.Quarantine, VialStatus.Administered));
    }

    [Fact]
    public void Every_state_can_be_discarded_or_expired_unless_final()
    {
        foreach (var s in Enum.GetValues<VialStatus>().Where(s => !Lifecycle.IsTerminal(s)))
        {
            Assert.True(Lifecycle.CanMove(s, VialStatus.Discarded));
            Assert.True(Lifecycle.CanMove(s, VialStatus.Expired));
        }
    }

    [Fact]
    public void The_guard_names_what_is_possible()
    {
        var ex = Assert.Throws<RuleViolationException>(() => Lifecycle.Guard(VialIn(VialStatus.Quarantine), VialStatus.Reserved));
        Assert.Contains("is quarantine and cannot become reserved; it can become released, discarded, expired", ex.Message, StringComparison.Ordinal);
        Assert.Contains("final state", Assert.Throws<RuleViolationException>(() =>
            Lifecycle.Guard(VialIn(VialStatus.Administered), VialStatus.Released)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vial_identity_is_din_product_and_division() => Assert.Equal("W000126000001 S9102 A0", VialIn(VialStatus.Released).Identity);
}

[Trait("Kind", "Unit")]
public class QcEvaluationTests
{
    private static QcTest Test(string product, string code) => SeedCatalogue.Products.Single(p => p.Code == product).Test(code);

    [Theory]
    [InlineData("S9100", "endotoxin", "5", "EU/mL", true)]
    [InlineData("S9100", "endotoxin", "5.01", "EU/mL", false)]
    [InlineData("S9102", "endotoxin", "0.5", "EU/mL", false)]
    [InlineData("S9102", "endotoxin", "0.49", "eu/ml", true)]
    [InlineData("S9102", "viability", "80", "%", true)]
    [InlineData("S9102", "viability", "79.9", "%", false)]
    [InlineData("S9101", "viability", "90", "%", false)]
    [InlineData("S9101", "viability", "90.1", "%", true)]
    [InlineData("S9101", "residual-undifferentiated", "0.1", "%", false)]
    [InlineData("S9101", "residual-undifferentiated", "0.05", "%", true)]
    [InlineData("S9100", "sterility", "Negative", null, true)]
    [InlineData("S9100", "sterility", "positive", null, false)]
    [InlineData("S9100", "morphology", "ES-like", null, true)]
    [InlineData("S9100", "doubling-time", "31", "h", true)]
    public void Results_are_judged_against_the_reference_panels(string product, string test, string value, string? unit, bool passed) =>
        Assert.Equal(passed, QcEvaluator.Evaluate(Test(product, test), value, unit).Passed);

    [Theory]
    [InlineData("endotoxin", "0.2", "ng/mL", "unit")]
    [InlineData("endotoxin", "0.2", null, "unit")]
    [InlineData("endotoxin", "low", "EU/mL", "value")]
    [InlineData("sterility", "negative", "%", "unit")]
    [InlineData("sterility", " ", null, "value")]
    public void Wrong_units_and_non_numbers_are_bad_input(string test, string value, string? unit, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => QcEvaluator.Evaluate(Test("S9102", test), value, unit));
        Assert.Equal(field, ex.Errors[0].Field);
    }

    [Fact]
    public void The_seed_catalogue_has_the_radiation_injury_products_each_with_a_valid_specification()
    {
        Assert.Equal(6, SeedCatalogue.Products.Count);
        foreach (var p in SeedCatalogue.Products)
        {
            p.Validate();
        }

        Assert.Contains(SeedCatalogue.Products, p => p.Name.Contains("keratinocyte", StringComparison.Ordinal));
        Assert.Contains(SeedCatalogue.Products, p => p.Name.Contains("platelets", StringComparison.Ordinal));
        Assert.Equal(7, SeedCatalogue.Products.Single(p => p.Code == "S9100").ReleaseTests.Count());
    }

    [Fact]
    public void Release_readiness_lists_every_blocker()
    {
        var product = SeedCatalogue.Products.Single(p => p.Code == "S9102");
        var now = DateTimeOffset.UnixEpoch.AddYears(50);
        var lot = new Lot(1, "L1", "W000126000001", "S9102", 1, 1, LotStatus.Quarantine, now, now.AddDays(10), null, null, null, null, now, "t");
        var results = new List<QcResult> { new(1, 1, "viability", "70", "%", false, now, "t") };
        var deviations = new List<Deviation> { new(1, 1, 1, "viability", "low", DeviationStatus.Open, now, "t", null, null, null) };
        var r = BankService.Readiness(lot, product, results, deviations, now);
        Assert.False(r.Ready);
        Assert.Contains(r.Blockers, b => b.Contains("Viability is out of specification", StringComparison.Ordinal));
        Assert.Contains(r.Blockers, b => b.Contains("no result for release test Endotoxin", StringComparison.Ordinal));
        Assert.Contains(r.Blockers, b => b.Contains("deviation 1 is open", StringComparison.Ordinal));
        Assert.Equal(["t"], r.Recorders);
    }
}
