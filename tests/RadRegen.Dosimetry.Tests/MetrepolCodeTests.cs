using System.Globalization;
using RadRegen.Dosimetry.Metrepol;

namespace RadRegen.Dosimetry.Tests;

/// <summary>
/// The METREPOL grading code writes a whole day as an integer instead of through the custom format
/// <c>0.##</c>; the text shown and stored must be the same either way.
/// </summary>
public class MetrepolCodeTests
{
    private static string ByFormat(int n, int? h, int c, int g, double day) =>
        string.Create(CultureInfo.InvariantCulture, $"N{n} H{(h is { } hv ? hv.ToString(CultureInfo.InvariantCulture) : "—")} C{c} G{g}, day {day:0.##}");

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(0.125)]
    [InlineData(0.999)]
    [InlineData(6.996)]
    [InlineData(59.0)]
    [InlineData(300.0)]
    [InlineData(-1.0)]
    [InlineData(1e9)]
    [InlineData(3e9)]
    public void The_code_of_a_day_is_what_the_format_gives(double day)
    {
        foreach (var h in new int?[] { null, 0, 4 })
        {
            Assert.Equal(ByFormat(2, h, 1, 3, day), MetrepolGrading.FormatCode(2, h, 1, 3, day));
        }
    }

    [Fact]
    public void The_code_of_any_grading_is_what_the_format_gives()
    {
        Assert.Equal(ByFormat(0, null, 0, 0, -0.0), MetrepolGrading.FormatCode(0, null, 0, 0, -0.0));
        var random = new Random(20261130);
        for (var i = 0; i < 20_000; i++)
        {
            var (n, c, g) = (random.Next(5), random.Next(5), random.Next(5));
            int? h = random.Next(6) is var hv && hv == 5 ? null : hv;
            var day = random.Next(3) == 0 ? random.NextDouble() * 100 : random.Next(0, 400);
            Assert.Equal(ByFormat(n, h, c, g, day), MetrepolGrading.FormatCode(n, h, c, g, day));
        }
    }
}
