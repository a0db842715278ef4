using System.Text.Json;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests;

/// <summary><c>radregen config show</c> and the settings every command reads (.NET configuration, validated at start).</summary>
public class ConfigCommandTests
{
    [Fact]
    public async Task Config_show_prints_the_effective_settings_with_command_line_settings_on_top()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "r.db");
        var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--database", db, "--json",
            "--setting", "Center:FacilityCode=a1234", "--setting", "Center:Name=Tohoku Radiation Emergency Center",
            "--setting", "Center:TimeZone=Asia/Tokyo", "--setting", "Access:MaxFailedLogins=7", "--setting", "Care:Priority:RcWeights=0,1,4,5,3.5",
            "--setting", "Care:Assessment:LowestLymphocyteTable=iaea2024");
        Assert.True(exit == 0, error);
        var settings = JsonDocument.Parse(output).RootElement;
        Assert.Equal("A1234", settings.GetProperty("Center:FacilityCode").GetString());
        Assert.Equal("Tohoku Radiation Emergency Center", settings.GetProperty("Center:Name").GetString());
        Assert.Equal("Asia/Tokyo", settings.GetProperty("Center:TimeZone").GetString());
        Assert.Equal("7", settings.GetProperty("Access:MaxFailedLogins").GetString());
        Assert.Equal("15", settings.GetProperty("Access:LockoutMinutes").GetString());
        Assert.Equal("0,1,4,5,3.5", settings.GetProperty("Care:Priority:RcWeights").GetString()); // the crisis-standards policy's list form (ADR 0015; RcWeight is gone)
        Assert.Equal("Iaea2024", settings.GetProperty("Care:Assessment:LowestLymphocyteTable").GetString());
        Assert.Contains(db, settings.GetProperty("Database").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_never_prints_a_database_password()
    {
        var (exit, output, error) = await CliRunner.RunAsync("config", "show",
            "--database", "Host=127.0.0.1;Database=radregen;Username=radregen;Password=s3cret-Pa55");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("s3cret-Pa55", output, StringComparison.Ordinal);
        Assert.Contains("********", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_names_the_key_ring_certificate_and_never_prints_its_password()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--database", Path.Combine(dir.Path, "r.db"), "--json",
            "--setting", "DataProtection:CertificatePath=/etc/radregen/keyring.pfx", "--setting", "DataProtection:CertificatePassword=pfx-S3cret");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("pfx-S3cret", output, StringComparison.Ordinal);
        var settings = JsonDocument.Parse(output).RootElement;
        Assert.Equal("/etc/radregen/keyring.pfx", settings.GetProperty("DataProtection:CertificatePath").GetString());
        Assert.Equal("(set, not shown)", settings.GetProperty("DataProtection:CertificatePassword").GetString());
    }

    [Theory]
    [InlineData("Access:MaxFailedLogins=0", "Access:MaxFailedLogins")]
    [InlineData("Access:LockoutMinutes=ten", "Access:LockoutMinutes")]
    [InlineData("Access:MaxAccountFailures=101", "Access:MaxAccountFailures")]
    [InlineData("Center:FacilityCode=12", "Center:FacilityCode")]
    [InlineData("Center:TimeZone=Mars/Olympus_Mons", "Center:TimeZone")]
    [InlineData("Care:Priority:PlateletsPerVial=0", "Care:Priority:PlateletsPerVial")]
    [InlineData("Care:Priority:RcWeights=1,2", "Care:Priority:RcWeights")]
    [InlineData("Care:Priority:Benefit:RC3=0.1,lots", "Care:Priority:Benefit:RC3")]
    [InlineData("Care:Priority:ExpectantDoseGy=-1", "Care:Priority:ExpectantDoseGy")]
    [InlineData("Care:Assessment:LowestLymphocyteTable=Andrews1965", "Care:Assessment:LowestLymphocyteTable")]
    public async Task A_bad_setting_is_exit_1_naming_the_setting(string setting, string key)
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = await CliRunner.RunAsync("config", "show", "--database", Path.Combine(dir.Path, "r.db"), "--setting", setting);
        Assert.Equal(1, exit);
        Assert.Contains($"setting {key}:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_that_is_not_key_equals_value_is_refused()
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = await CliRunner.RunAsync("config", "show", "--database", Path.Combine(dir.Path, "r.db"), "--setting", "Center:Name");
        Assert.Equal(1, exit);
        Assert.Contains("--setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_outside_development_refuses_to_start_without_a_facility_code_and_names_the_setting()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "r.db");
        var (exit, output, error) = await CliRunner.RunAsync("serve", "--database", db, "--urls", "http://127.0.0.1:0",
            "--setting", "Environment=Production");
        Assert.Equal(1, exit);
        Assert.Contains("setting Center:FacilityCode", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", output, StringComparison.Ordinal);
        Assert.False(File.Exists(db), "nothing is created when the server refuses to start");
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nowhere.json");
        var (exit, _, error) = await CliRunner.RunAsync("config", "show", "--database", Path.Combine(dir.Path, "r.db"), "--config", missing);
        Assert.Equal(1, exit);
        Assert.Contains("nowhere.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_is_read_and_the_command_line_wins_over_it()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "center.json");
        await File.WriteAllTextAsync(file, """{ "Center": { "FacilityCode": "B2222", "Name": "From file" } }""");
        var (exit, output, error) = await CliRunner.RunAsync("config", "show", "--json", "--database", Path.Combine(dir.Path, "r.db"),
            "--config", file, "--setting", "Center:Name=From command line");
        Assert.True(exit == 0, error);
        var settings = JsonDocument.Parse(output).RootElement;
        Assert.Equal("B2222", settings.GetProperty("Center:FacilityCode").GetString());
        Assert.Equal("From command line", settings.GetProperty("Center:Name").GetString());
    }
}
