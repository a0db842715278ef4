using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Counts;

namespace RadRegen.Dosimetry.Tests;

/// <summary>Loads the fixture tables copied beside the test assembly (linked from reference/dosimetry, whose README names their source and licence).</summary>
internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static CountTable Table(string name)
    {
        using var reader = new StreamReader(PathOf(name));
        return CountTableParser.Parse(reader, name);
    }

    public static CountTable Parse(string csv, string name = "test.csv") =>
        CountTableParser.Parse(new StringReader(csv), name);

    public static CalibrationFit BarquineroFit() =>
        CurveFitter.Fit(Table("count-data-barquinero-1995.csv").Rows);

    public static CountRow Case(string file, string id) =>
        Table(file).Rows.Single(r => r.Id == id);

    /// <summary>Asserts |actual − expected| ≤ relTol·|expected|.</summary>
    public static void Relative(double expected, double actual, double relTol, string what = "")
    {
        var err = Math.Abs(actual - expected);
        Assert.True(err <= relTol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (relative error {err / Math.Abs(expected):E2} > {relTol:E1})");
    }

    /// <summary>Asserts |actual − expected| ≤ absTol.</summary>
    public static void Absolute(double expected, double actual, double absTol, string what = "")
    {
        var err = Math.Abs(actual - expected);
        Assert.True(err <= absTol, $"{what}: expected {expected:R}, got {actual:R} (error {err:E2} > {absTol:E1})");
    }
}
