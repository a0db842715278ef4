using RadRegen.Dosimetry.Counts;

namespace RadRegen.Dosimetry.Tests;

/// <summary>The library's one CSV reader (DosimetryCsv) and the count-table parser that uses it.</summary>
public class DosimetryCsvTests
{
    private static DosimetryInputException Refused(string csv) =>
        Assert.Throws<DosimetryInputException>(() => CountTableParser.Parse(new StringReader(csv), "counts.csv"));

    [Fact]
    public void Quotes_a_bom_padding_and_blank_lines_are_read()
    {
        var records = DosimetryCsv.Records(new StringReader("\uFEFFD,C0\n\n\"0\",\"multi\nline, with comma\"\n"), "x.csv").ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(["0", "multi\nline, with comma"], records[1].Fields);
        Assert.Equal(3, records[1].Row);
        var table = CountTableParser.Parse(new StringReader("\uFEFF D , C0 , C1 \n\n\"0\",  90 , 10\n1,80,20\n"), "counts.csv");
        Assert.Equal(2, table.Rows.Count);
    }

    [Theory]
    [InlineData("D,C0,C1\n0,\"90,10\n1,80,20\n", "counts.csv row 2, column C0", "never closed")]
    [InlineData("D,C0,C1\n0,90,10,5\n", "counts.csv row 2, column 4", "4 cells, the header has 3")]
    [InlineData("D,C0,C1\n0,90\n", "counts.csv row 2, column C1", "2 cells, the header has 3")]
    [InlineData("D,C0,C1\n0,9\"0,10\n", "counts.csv row 2, column C0", "quote inside an unquoted field")]
    [InlineData("D,C0,C1\n0,\"90\"x,10\n", "counts.csv row 2, column C0", "after the closing quote")]
    [InlineData("D,C0,C1\n0,9\uFFFD,10\n", "counts.csv row 2, column C0", "U+FFFD")]
    public void Malformed_records_name_row_and_column(string csv, string field, string reason)
    {
        var ex = Refused(csv);
        Assert.Equal(field, ex.Field);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_distribution_argument_is_read_by_the_same_reader()
    {
        Assert.Equal(28 + 44 + 24 + 4, CountTableParser.ParseDistribution("302, 28, 22, 8, 1, 0").Aberrations);
        Assert.Throws<DosimetryInputException>(() => CountTableParser.ParseDistribution("302,\"28"));
    }
}
