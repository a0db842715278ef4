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
