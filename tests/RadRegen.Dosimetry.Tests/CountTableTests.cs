using RadRegen.Dosimetry.Counts;

namespace RadRegen.Dosimetry.Tests;

public class CountTableTests
{
    [Fact]
    public void Barquinero_row_statistics_match_the_reference()
    {
        var table = TestData.Table("count-data-barquinero-1995.csv");
        Assert.Equal(CountTableKind.Calibration, table.Kind);
        var at2 = table.Rows.Single(r => r.Dose == 2);
        Assert.Equal(333, at2.Cells);
        Assert.Equal(103, at2.Aberrations);
        TestData.Relative(1.14071821, at2.DispersionIndex!.Value, 1e-8, "DI at 2 Gy");
        var at025 = table.Rows.Single(r => r.Dose == 0.25);
        TestData.Relative(2.609803154, at025.U!.Value, 1e-9, "u at 0.25 Gy");
        // 0.25 Gy is the only row with u > 1.96.
        Assert.Single(table.Rows, r => r.U > 1.96);
    }

    [Fact]
    public void Bom_and_padded_cells_are_read()
    {
        var table = TestData.Table("count-data-mayakannan-2018.csv");
        Assert.Equal(10, table.Rows.Count);
        Assert.Equal(0, table.Rows[0].Dose);
        Assert.Equal(7326 + 174, table.Rows[0].Cells);
        var at6 = table.Rows[^1];
        Assert.Equal(254 + (2 * 57) + (3 * 19) + (4 * 2) + 5 + (6 * 2), at6.Aberrations);
    }

    [Fact]
    public void Two_digit_columns_count_aberrations_with_their_k()
    {
        var csv = "ID,C0,C1,C2,C3,C4,C5,C6,C7,C8,C9,C10,C11\ncase,10,0,0,0,0,0,0,0,0,0,2,1\n";
        var row = TestData.Parse(csv).Rows[0];
        Assert.Equal(13, row.Cells);
        Assert.Equal(31, row.Aberrations);
    }

    [Fact]
    public void Case_table_gives_N_X_mean_variance()
    {
        var row = TestData.Case("cases-data-partial.csv", "example1");
        Assert.Equal(361, row.Cells);
        Assert.Equal(100, row.Aberrations);
        TestData.Relative(100.0 / 361, row.Mean, 1e-15);
        TestData.Relative((204 - (10000.0 / 361)) / 360, row.Variance!.Value, 1e-12);
    }

    [Fact]
    public void Aggregated_rows_have_no_dispersion()
    {
        var row = TestData.Table("count-data-barquinero-1995-aggr.csv").Rows[^1];
        Assert.Equal(59, row.Cells);
        Assert.Equal(107, row.Aberrations);
        Assert.Null(row.DispersionIndex);
        Assert.Null(row.U);
    }

    [Fact]
    public void Zero_aberrations_have_no_dispersion_index()
    {
        var row = CountRow.FromDistribution("z", null, [500]);
        Assert.Equal(0, row.Aberrations);
        Assert.Null(row.DispersionIndex);
        Assert.Null(row.U);
    }

    [Theory]
    [InlineData("D,C0,C1\n0,100,-1\n", "row 2, column C1", "negative")]
    [InlineData("D,C0,C1\n0,100,abc\n", "row 2, column C1", "not a whole number")]
    [InlineData("D,C0,C1\n0,100,1\n1,90,10\n0.5,80,5\n", "row 4, column D", "strictly increasing")]
    [InlineData("D,C0,C1\n0,100,1.5\n", "row 2, column C1", "not a whole number")]
    [InlineData("D,C0,C2\n0,100,1\n", "row 1, column 3", "C1")]
    [InlineData("D,C0,C1\n0,100\n", "row 2", "cells")]
    [InlineData("Dose Gy,C0\n0,1\n", "row 1, column 1", "\"D\"")]
    [InlineData("ID,N,X\ncase,0,5\n", "row 2", "positive")]
    [InlineData("D,C0,C1\nx,100,1\n", "row 2, column D", "not a number")]
    public void Bad_rows_name_the_row_and_field(string csv, string where, string what)
    {
        var ex = Assert.Throws<DosimetryInputException>(() => TestData.Parse(csv));
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }
}
