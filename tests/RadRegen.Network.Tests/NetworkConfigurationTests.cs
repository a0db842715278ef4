using RadRegen.Hosting.Configuration;
using RadRegen.Hosting.Network;
using RadRegen.Network.Centers;
using RadRegen.Storage;

namespace RadRegen.Network.Tests;

/// <summary><c>Network:*</c> and <c>Center:Capabilities:*</c>: read, defaulted and refused with the setting named.</summary>
[Trait("Kind", "Unit")]
public sealed class NetworkConfigurationTests
{
    private static RadRegenSettings Read(bool demo = false, params (string Key, string Value)[] settings) =>
        RadRegenConfiguration.Read(
            RadRegenConfiguration.Build(overrides: settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))),
            demo, DatabaseTarget.Parse(Path.Combine(Path.GetTempPath(), "never-opened.db")));

    [Fact]
    public void Without_a_network_url_the_center_runs_alone()
    {
        var settings = Read(demo: true);
        Assert.Null(settings.Network);
        Assert.Equal(CenterCapabilities.None, settings.Center.Capabilities);
    }

    [Fact]
    public void A_network_and_capabilities_are_read_and_the_center_code_is_the_facility_code()
    {
        var settings = Read(false, ("Network:Url", "nats://10.0.0.5:4222"), ("Network:Center", "w0002"), ("Network:KnownCenters", "W0003, W0004"),
            ("Center:Capabilities:BmtBeds", "12"), ("Center:Capabilities:BurnUnit", "true"), ("Center:Capabilities:Cpc", "True"));
        var network = Assert.IsType<NetworkSettings>(settings.Network);
        Assert.Equal("nats://10.0.0.5:4222/", network.Url.ToString());
        Assert.Equal("W0002", network.Center);
        Assert.Equal("W0002", settings.Center.FacilityCode);
        Assert.Equal(NetworkSettings.DefaultName, network.Name);
        Assert.Equal(["W0003", "W0004"], network.KnownCenters.Order());
        Assert.Equal(new CenterCapabilities(12, true, false, true), settings.Center.Capabilities);
        Assert.Equal("radregen.radregen.W0002.inventory.stock", NetworkWire.Subject(network.Name, network.Center, "inventory.stock"));
        Assert.Equal("RADREGEN_RADREGEN", NetworkWire.Stream(network.Name));
    }

    [Fact]
    public void The_demo_joins_under_the_code_given_on_the_command_line()
    {
        var settings = Read(true, ("Network:Url", "nats://127.0.0.1:4222"), ("Network:Center", "W0003"));
        Assert.Equal("W0003", settings.Center.FacilityCode);
        Assert.Equal("W0003", settings.Network?.Center);
    }

    [Theory]
    [InlineData("Network:Url", "http://host:4222", "Network:Url")]
    [InlineData("Network:Url", "nats://host", "Network:Url")]
    [InlineData("Network:Url", "nats://user:secret@host:4222", "Network:Url")]
    [InlineData("Network:Name", "Has Spaces", "Network:Name")]
    [InlineData("Network:Center", "12", "Network:Center")]
    [InlineData("Network:KnownCenters", "W0003,nope", "Network:KnownCenters")]
    [InlineData("Center:Capabilities:BmtBeds", "-1", "Center:Capabilities:BmtBeds")]
    [InlineData("Center:Capabilities:BurnUnit", "yes", "Center:Capabilities:BurnUnit")]
    public void A_wrong_value_is_refused_naming_the_setting(string key, string value, string named)
    {
        var given = new List<(string, string)> { ("Network:Url", "nats://127.0.0.1:4222"), ("Center:FacilityCode", "W0002") };
        given.RemoveAll(g => g.Item1 == key);
        given.Add((key, value));
        var ex = Assert.Throws<ConfigurationException>(() => Read(false, [.. given]));
        Assert.Equal(named, ex.Setting);
    }

    [Fact]
    public void The_network_code_must_be_the_facility_code()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            Read(false, ("Network:Url", "nats://127.0.0.1:4222"), ("Network:Center", "W0003"), ("Center:FacilityCode", "W0002")));
        Assert.Equal("Network:Center", ex.Setting);
        Assert.Contains("Center:FacilityCode=W0002", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_needs_a_center_and_a_center_needs_a_url()
    {
        Assert.Equal("Network:Center", Assert.Throws<ConfigurationException>(() => Read(false, ("Network:Url", "nats://127.0.0.1:4222"))).Setting);
        Assert.Equal("Network:Url", Assert.Throws<ConfigurationException>(() => Read(false, ("Network:Center", "W0002"))).Setting);
    }

    [Fact]
    public void Credentials_are_read_one_way_at_a_time_and_never_shown()
    {
        var joined = new[] { ("Network:Url", "nats://127.0.0.1:4222"), ("Center:FacilityCode", "W0002") };
        var settings = Read(false, [.. joined, ("Network:User", "w0002"), ("Network:Password", " s3cret pass ")]);
        Assert.Equal(("w0002", " s3cret pass "), (settings.Network!.Auth!.User, settings.Network.Auth.Password));
        var shown = RadRegenConfiguration.Describe(settings).ToDictionary(k => k.Key, k => k.Value);
        Assert.Equal("(set, not shown)", shown["Network:Password"]);
        Assert.Equal("(not set)", shown["Network:Token"]);
        Assert.DoesNotContain(shown.Values, v => v.Contains("s3cret", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", settings.Network.ToString(), StringComparison.Ordinal);

        var token = Read(false, [.. joined, ("Network:Token", "tok-123")]);
        Assert.Equal("tok-123", token.Network!.Auth!.Token);
        Assert.DoesNotContain("tok-123", string.Join(" ", RadRegenConfiguration.Describe(token).Select(k => k.Value)), StringComparison.Ordinal);

        Assert.Equal("Network:Password", Assert.Throws<ConfigurationException>(() => Read(false, [.. joined, ("Network:User", "x")])).Setting);
        Assert.Equal("Network:User", Assert.Throws<ConfigurationException>(() => Read(false, [.. joined, ("Network:Password", "x")])).Setting);
        Assert.Equal("Network:Token", Assert.Throws<ConfigurationException>(() =>
            Read(false, [.. joined, ("Network:User", "x"), ("Network:Password", "y"), ("Network:Token", "z")])).Setting);
        Assert.Equal("Network:CredentialsFile", Assert.Throws<ConfigurationException>(() =>
            Read(false, [.. joined, ("Network:CredentialsFile", "/nonexistent/center.creds")])).Setting);
    }

    [Fact]
    public void Tls_files_must_exist_and_a_client_certificate_comes_with_its_key()
    {
        var joined = new[] { ("Network:Url", "tls://127.0.0.1:4222"), ("Center:FacilityCode", "W0002") };
        var ca = Path.GetTempFileName();
        try
        {
            var settings = Read(false, [.. joined, ("Network:Tls:CaFile", ca)]);
            Assert.Equal(new NetworkTls(ca, null, null), settings.Network!.Tls);
            Assert.Equal("Network:Tls:CaFile", Assert.Throws<ConfigurationException>(() => Read(false, [.. joined, ("Network:Tls:CaFile", ca + ".missing")])).Setting);
            Assert.Equal("Network:Tls:KeyFile", Assert.Throws<ConfigurationException>(() => Read(false, [.. joined, ("Network:Tls:CertFile", ca)])).Setting);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void The_network_keys_default_beside_the_sqlite_database()
    {
        var settings = Read(false, ("Network:Url", "nats://127.0.0.1:4222"), ("Center:FacilityCode", "W0002"));
        Assert.Equal(Path.Combine(Path.GetTempPath(), "never-opened" + NetworkSettings.DefaultKeyFileSuffix), settings.Network!.KeyFile);
        var given = Read(false, ("Network:Url", "nats://127.0.0.1:4222"), ("Center:FacilityCode", "W0002"), ("Network:KeyFile", "/srv/keys/net.pem"));
        Assert.Equal("/srv/keys/net.pem", given.Network!.KeyFile);
    }
}
