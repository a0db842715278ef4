using System.Text;
using RadRegen.Core.Csv;

namespace RadRegen.Core.Tests;

public class CsvReadingTests
{
    private static IReadOnlyList<CsvRecord> Read(string text, CsvReadOptions? options = null) => CsvReading.ReadAll(new StringReader(text), options);

    private static DomainValidationException Refused(string text, CsvReadOptions? options = null) =>
        Assert.Throws<DomainValidationException>(() => Read(text, options));

    [Fact]
    public void Quoted_commas_quotes_and_line_breaks_are_read_with_the_line_each_record_starts_on()
    {
        var records = Read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\n\nlast,one");
        Assert.Equal(4, records.Count);
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal("multi\nline", records[2].Fields[0]);
        Assert.Equal(3, records[2].Line);
        Assert.Equal(6, records[3].Line); // the blank line 5 is skipped but counted
    }

    [Fact]
    public void A_byte_order_mark_is_accepted_in_text_and_in_bytes()
    {
        Assert.Equal(["a", "b"], Read("\uFEFFa,b\n1,2\n")[0].Fields);
        var text = CsvReading.Decode([0xEF, 0xBB, 0xBF, (byte)'a', (byte)',', (byte)'b', (byte)'\n']);
        Assert.Equal("a,b\n", text);
    }

    [Fact]
    public void An_empty_file_has_no_records()
    {
        Assert.Empty(Read(""));
        Assert.Empty(Read("\n\r\n  \n"));
    }

    [Fact]
    public void An_unterminated_quote_is_an_error_of_its_row_and_column_not_the_rest_of_the_file()
    {
        var ex = Refused("name,note\nA,\"open\nB,two\nC,three\n", new CsvReadOptions("f.csv"));
        Assert.Equal("f.csv row 2, column 2 (note)", ex.Errors.Single().Field);
        Assert.Contains("never closed", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("f.csv row 2, column 2 (note): ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stray_quotes_are_errors()
    {
        Assert.Equal("row 2, column 1 (a)", Refused("a,b\nx\"y,z\n").Errors[0].Field);
        Assert.Equal("row 2, column 2 (b)", Refused("a,b\nx,\"y\"z\n").Errors[0].Field);
    }

    [Fact]
    public void An_extra_or_a_missing_field_is_an_error_naming_the_column()
    {
        var extra = Refused("a,b\n1,2\n1,2,3\n");
        Assert.Equal("row 3, column 3", extra.Errors[0].Field);
        Assert.Contains("extra field", extra.Errors[0].Message, StringComparison.Ordinal);
        var missing = Refused("a,b,c\n1,2\n");
        Assert.Equal("row 2, column 3 (c)", missing.Errors[0].Field);
        Assert.Equal(2, Read("a,b\n1,2,3\n", new CsvReadOptions(SameWidth: false)).Count);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_row_and_column()
    {
        var bytes = Encoding.Latin1.GetBytes("line,method\nL1,Sendai vir\u00e9s\n");
        var ex = Assert.Throws<DomainValidationException>(() => CsvReading.Decode(bytes, "l.csv"));
        Assert.Equal("l.csv row 2, column 2", ex.Errors[0].Field);
        Assert.Contains("E9", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("Sendai virés", Read(CsvReading.Decode(Encoding.UTF8.GetBytes("m\nSendai virés\n")))[1].Fields[0]);
    }

    [Fact]
    public async Task A_stream_is_decoded_strictly()
    {
        await using var stream = new MemoryStream(Encoding.Latin1.GetBytes("a\n\u00e9\n"));
        await Assert.ThrowsAsync<DomainValidationException>(() => CsvReading.DecodeAsync(stream));
    }

    [Fact]
    public void Text_decoded_leniently_elsewhere_is_refused_where_it_holds_the_replacement_character()
    {
        var ex = Refused("a,b\n1,Sendai vir\uFFFDs\n");
        Assert.Equal("row 2, column 2 (b)", ex.Errors[0].Field);
    }
}

public class CsvOutputTests
{
    [Fact]
    public void Text_is_quoted_and_defused_values_are_written_as_they_are()
    {
        var text = CsvOutput.ToText(csv =>
        {
            csv.Header("a", "b", "c", "d");
            csv.Text("say \"hi\", ok").Text("=1+2").Value("-3.5").Text(null).EndRow();
        });
        Assert.Equal("a,b,c,d\r\n\"say \"\"hi\"\", ok\",\"'=1+2\",-3.5,\r\n", text);
        Assert.Equal("\"'@x\"", CsvOutput.Quote("@x"));
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        var text = CsvOutput.ToText(csv => csv.Header("a", "b").Text("multi\nline, \"q\"").Value("x,y").EndRow());
        var records = CsvReading.ReadAll(new StringReader(text));
        Assert.Equal(["multi\nline, \"q\"", "x,y"], records[1].Fields);
    }
}
