using System.Text;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Tests.Frequencies;

/// <summary>The library's one CSV reader (HlaCsv), through the frequency and subject readers that use it.</summary>
public class HlaCsvTests
{
    private static HlaInputException Refused(string csv) => Assert.Throws<HlaInputException>(() => TestData.FromText(csv, new FrequencyReadOptions { AllowPartial = true }));

    [Fact]
    public void Quoted_fields_a_bom_and_blank_lines_are_read()
    {
        var set = TestData.FromText("\uFEFF\"Haplo\",\"Count\",\"Freq\"\n\n\"A*01:01~B*08:01\",\"1,5\",0.5\r\nA*02:01~B*07:02,1,0.5\n");
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void An_unterminated_quote_names_its_row_and_column_instead_of_swallowing_the_rest()
    {
        var ex = Refused("Haplo,Count,Freq\nA*01:01~B*08:01,\"1,0.5\nA*02:01~B*07:02,1,0.5\n");
        Assert.Equal((2, "Count"), (ex.Row, ex.Field));
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5,9\n", 2, "column 4", "4 fields")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1\n", 2, "Freq", "2 fields")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1\"x,0.5\n", 2, "Count", "quote inside an unquoted field")]
    [InlineData("Haplo,Count,Freq\n\"A*01:01~B*08:01\"x,1,0.5\n", 2, "Haplo", "after the closing quote")]
    [InlineData("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*02:01~B*07:02,\uFFFD,0.5\n", 3, "Count", "U+FFFD")]
    public void Malformed_records_name_row_and_column(string csv, int row, string column, string reason)
    {
        var ex = Refused(csv);
        Assert.Equal((row, column), (ex.Row, ex.Field));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latin1_file_is_refused_not_read_with_replacement_characters()
    {
        var path = Path.Combine(Path.GetTempPath(), $"radregen-hla-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes("Haplo,Count,Freq\nA*01:01~B*08:01,1,0.5\nA*02:01~B*07:02,vir\u00e9s,0.5\n"));
        try
        {
            var ex = Assert.Throws<HlaInputException>(() => HaplotypeFrequencyReader.ReadFile(path, new FrequencyReadOptions { AllowPartial = true }));
            Assert.Contains("not UTF-8", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_subject_reader_is_as_strict()
    {
        var ok = SubjectFileReader.Read(new StringReader("id,typing\n\"L-1\",\"HLA-A*02:01+HLA-A*02:01\"\n"), "lines.csv");
        Assert.Equal("L-1", ok.Single().Id);
        var ex = Assert.Throws<HlaInputException>(() => SubjectFileReader.Read(new StringReader("id,typing\nL-1,\"HLA-A*02:01+HLA-A*02:01\nL-2,x\n"), "lines.csv"));
        Assert.Equal((2, "typing"), (ex.Row, ex.Field));
        var extra = Assert.Throws<HlaInputException>(() => SubjectFileReader.Read(new StringReader("id,typing\nL-1,HLA-A*02:01+HLA-A*02:01,x\n"), "lines.csv"));
        Assert.Equal(2, extra.Row);
    }
}
