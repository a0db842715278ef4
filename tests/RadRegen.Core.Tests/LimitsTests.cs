using RadRegen.Core;
using RadRegen.Core.Csv;

namespace RadRegen.Core.Tests;

/// <summary>Issue 12 item 8: the named limits, the paging rule and the CSV row cap, in the domain.</summary>
public class LimitsTests
{
    [Fact]
    public void A_record_over_several_limits_is_refused_once_naming_each_field()
    {
        var limits = new InputLimits().Text("title", new string('x', 501), Limits.Title).Text("place", "Goiânia", Limits.ShortName)
            .List("radionuclides", [.. Enumerable.Repeat("Cs-137", 200_000)], Limits.ShortList, Limits.ShortName)
            .List("tags", ["ok", new string('y', 201)], Limits.ShortList, Limits.ShortName);
        var ex = Assert.Throws<DomainValidationException>(limits.ThrowIfAny);
        Assert.Equal(["title", "radionuclides", "tags[1]"], ex.Errors.Select(e => e.Field));
        Assert.Contains("at most 500", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("200,000", ex.Errors[1].Message, StringComparison.Ordinal);
        new InputLimits().Text("title", null, Limits.Title).Text("title", new string('x', 500), Limits.Title).ThrowIfAny();
    }

    [Theory]
    [InlineData(0, 50, "page")]
    [InlineData(-1, 50, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 501, "pageSize")]
    [InlineData(1, 100_000, "pageSize")]
    public void A_page_or_page_size_out_of_range_names_the_field(int page, int pageSize, string field) =>
        Assert.Equal(field, Assert.Throws<DomainValidationException>(() => Paging.Validate(page, pageSize)).Errors.Single().Field);

    [Fact]
    public void The_offset_of_any_page_fits_in_64_bits()
    {
        Paging.Validate(int.MaxValue, 500);
        Assert.Equal((100_000_000L - 1) * 500, Paging.Offset(100_000_000, 500));
        Assert.Equal((int.MaxValue - 1L) * 500, Paging.Offset(int.MaxValue, 500));
        Assert.Equal(0, Paging.Offset(1, 50));
    }

    [Fact]
    public void A_csv_file_over_its_row_cap_or_with_a_cell_over_the_longest_text_is_refused_with_the_row()
    {
        var rows = "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 4));
        Assert.Equal(5, CsvReading.ReadAll(new StringReader(rows), new CsvReadOptions("f.csv", MaxRows: 4)).Count);
        var tooMany = Assert.Throws<DomainValidationException>(() => CsvReading.ReadAll(new StringReader(rows), new CsvReadOptions("f.csv", MaxRows: 3)));
        Assert.Contains("row 5", tooMany.Errors.Single().Field, StringComparison.Ordinal);
        var longCell = Assert.Throws<DomainValidationException>(() =>
            CsvReading.ReadAll(new StringReader("a,b\n1," + new string('x', 10_001) + "\n"), new CsvReadOptions("f.csv")));
        Assert.Contains("at most 10,000", longCell.Message, StringComparison.Ordinal);
    }
}
