using RadRegen.Bank.Import;
using RadRegen.Core;

namespace RadRegen.Bank.Tests;

/// <summary>The inventory import's CSV reading (CsvText over RadRegen.Core.Csv).</summary>
public class InventoryCsvReadingTests
{
    [Fact]
    public void An_unterminated_quote_is_refused_instead_of_swallowing_the_rest_of_the_file()
    {
        // Before issue 10 the reader read "Sendai…" to the end of the file as one field: rows 3 and 4 vanished without a word.
        const string csv = "donor_code,method\nD1,\"Sendai virus\nD2,mRNA\nD3,episomal\n";
        var ex = Assert.Throws<DomainValidationException>(() => CsvText.Parse(new StringReader(csv)));
        Assert.Equal("row 2, column 2 (method)", ex.Errors.Single().Field);
    }

    [Fact]
    public void An_extra_field_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() => CsvText.Parse(new StringReader("donor_code,method\nD1,Sendai virus,c1\n")));
        Assert.Equal("row 2, column 3", ex.Errors.Single().Field);
    }
}
