namespace RadRegen.Cli.Tests;

public class BankCommandTests
{
    [Theory]
    [InlineData("G123498654321", "H 77")]
    [InlineData("G123417654321", "A 70")]
    public async Task Check_character_prints_the_character_and_the_type_3_flag(string din, string expected)
    {
        var run = await CliRunner.RunAsync("bank", "check-character", din);
        Assert.Equal(0, run.Exit);
        Assert.Equal(expected, run.Out.Trim());
    }

    [Fact]
    public async Task Check_character_json_gives_the_checksum()
    {
        var run = await CliRunner.RunAsync("bank", "check-character", "G123498654321", "--json");
        Assert.Equal(0, run.Exit);
        Assert.Contains("\"checksum\": 17", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"type3Flag\": \"77\"", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("G12349865432")]
    [InlineData("G1234986543-1")]
    public async Task A_malformed_DIN_exits_1_naming_the_field(string din)
    {
        var run = await CliRunner.RunAsync("bank", "check-character", din);
        Assert.Equal(1, run.Exit);
        Assert.Contains("din", run.Err, StringComparison.Ordinal);
    }
}

public class BankImportCommandTests
{
    [Fact]
    public async Task Import_of_a_bad_file_names_file_row_and_field_and_exits_1()
    {
        await using var db = await RadRegen.Testing.TestDatabases.CreateAsync("sqlite");
        var path = Path.Combine(db.Directory!, "legacy.csv");
        await File.WriteAllTextAsync(path, string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns) + "\n"
            + "D-1,yes,no,no,2025-01-01,negative,negative,negative,negative,negative,,L-0001,Sendai virus,c1,5,L-MCB,6,L-WCB,7,LOT-1,,S0000,2026-01-01,A0,,\n");
        var database = Path.Combine(db.Directory!, "radregen.db");
        var run = await CliRunner.RunAsync("bank", "import", path, "--database", database);
        Assert.Equal(1, run.Exit);
        Assert.Contains("legacy.csv: row 2: product_code: unknown product code 'S0000'", run.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_columns_over_their_limits_are_named_with_row_and_limit_and_exit_1()
    {
        // Issue 12 item 8: the import holds its method, clone and lot_number columns to the line's and lot's own limits.
        await using var db = await RadRegen.Testing.TestDatabases.CreateAsync("sqlite");
        var path = Path.Combine(db.Directory!, "long.csv");
        await File.WriteAllTextAsync(path, string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns) + "\n"
            + $"D-1,yes,no,no,2025-01-01,negative,negative,negative,negative,negative,,L-0001,{new string('m', 201)},c1,5,L-MCB,6,L-WCB,7,{new string('L', 41)},,S9102,2026-01-01,A0,,\n");
        var database = Path.Combine(db.Directory!, "radregen.db");
        var run = await CliRunner.RunAsync("bank", "import", path, "--database", database);
        Assert.Equal(1, run.Exit);
        Assert.Contains("long.csv: row 2: method: is 201 characters; a short name may hold at most 200", run.Err, StringComparison.Ordinal);
        Assert.Contains("long.csv: row 2: lot_number: is 41 characters; a lot number may hold at most 40", run.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_of_a_latin1_file_or_an_unterminated_quote_is_refused_with_row_and_column()
    {
        await using var db = await RadRegen.Testing.TestDatabases.CreateAsync("sqlite");
        var database = Path.Combine(db.Directory!, "radregen.db");
        var header = string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns) + "\n";
        var row = "D-1,yes,no,no,2025-01-01,negative,negative,negative,negative,negative,,L-0001,Sendai vir\u00e9s,c1,5,L-MCB,6,L-WCB,7,LOT-1,,S9102,2026-01-01,A0,,\n";
        var latin1 = Path.Combine(db.Directory!, "latin1.csv");
        await File.WriteAllBytesAsync(latin1, System.Text.Encoding.Latin1.GetBytes(header + row));
        var run = await CliRunner.RunAsync("bank", "import", latin1, "--database", database);
        Assert.Equal(1, run.Exit);
        Assert.Contains("row 2, column 13", run.Err, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", run.Err, StringComparison.Ordinal);

        var open = Path.Combine(db.Directory!, "open.csv");
        await File.WriteAllTextAsync(open, header + row.Replace("Sendai vir\u00e9s", "\"Sendai", StringComparison.Ordinal) + row);
        run = await CliRunner.RunAsync("bank", "import", open, "--database", database);
        Assert.Equal(1, run.Exit);
        Assert.Contains("row 2, column 13 (method)", run.Err, StringComparison.Ordinal);
        Assert.Contains("never closed", run.Err, StringComparison.Ordinal);
    }
}
