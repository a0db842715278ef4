using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Network.Shipments;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Network;

/// <summary><c>radregen network shipments</c> and <c>network shipment ID</c>: shipments in and out, read only (issue 13 item 6).</summary>
public class NetworkShipmentCommandTests
{
    private const string Here = "W0002";
    private const string Sender = "W0001";

    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static string Db(TestDatabase db) => db.Target.Engine == Engine.Sqlite
        ? new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource
        : db.Target.ConnectionString;

    /// <summary>A shipment this center (W0002) requested from W0001, through the shipment service as a physician.</summary>
    private static async Task<string> RequestedAsync(TestDatabase db)
    {
        var settings = RadRegenSettings.ForDemo(db.Target) with { Center = new CenterSettings("Second center", Here, TimeZoneInfo.Utc) };
        await using var services = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider();
        var shipment = await services.GetRequiredService<ShipmentService>().RequestAsync(Actor.LocalOperator("doc", Role.Physician), Sender,
            "radiation accident: two ARS patients need MSC-like cells", [new RequestLine("S9102", 2, [])]);
        return shipment.Id;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lists_and_shows_a_requested_shipment_as_json_and_as_a_table(string engine)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        var id = await RequestedAsync(db);
        string[] center = ["--database", Db(db), "--setting", "Center:FacilityCode=" + Here];

        var list = await CliRunner.RunAsync(["network", "shipments", "--json", .. center]);
        Assert.True(list.Exit == 0, list.Err);
        var json = JsonDocument.Parse(list.Out).RootElement;
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        var row = json.GetProperty("shipments")[0];
        Assert.Equal((id, "incoming", Sender, "requested"), (row.GetProperty("id").GetString(), row.GetProperty("direction").GetString(),
            row.GetProperty("counterpart").GetString(), row.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("remainingHoldHours").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("temperatureStatus").ValueKind);

        var table = await CliRunner.RunAsync(["network", "shipments", .. center]);
        Assert.True(table.Exit == 0, table.Err);
        Assert.Contains(id, table.Out, StringComparison.Ordinal);
        Assert.Contains("2 × S9102 requested", table.Out, StringComparison.Ordinal);
        Assert.Contains("1 shipment(s) in and out of this center", table.Out, StringComparison.Ordinal);

        var show = await CliRunner.RunAsync(["network", "shipment", id, "--json", .. center]);
        Assert.True(show.Exit == 0, show.Err);
        var one = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal(id, one.GetProperty("shipment").GetProperty("id").GetString());
        Assert.Equal("S9102", one.GetProperty("request").GetProperty("lines")[0].GetProperty("productCode").GetString());
        Assert.Equal(0, one.GetProperty("vials").GetArrayLength());
        Assert.Equal(0, one.GetProperty("custody").GetArrayLength());
        Assert.Equal("no readings yet", one.GetProperty("logger").GetProperty("status").GetString());

        var text = await CliRunner.RunAsync(["network", "shipment", id, .. center]);
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains($"shipment {id}: {Sender} → {Here} (incoming here), requested", text.Out, StringComparison.Ordinal);
        Assert.Contains("custody: no hand-off yet", text.Out, StringComparison.Ordinal);
        Assert.Contains("logger: no readings yet", text.Out, StringComparison.Ordinal);

        var unknown = await CliRunner.RunAsync(["network", "shipment", "W0002-20260101-NOSUCH00", .. center]);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no shipment W0002-20260101-NOSUCH00", unknown.Err, StringComparison.Ordinal);

        // Another center sees none of this center's shipments.
        var other = await CliRunner.RunAsync("network", "shipments", "--json", "--database", Db(db), "--setting", "Center:FacilityCode=W0003");
        Assert.True(other.Exit == 0, other.Err);
        Assert.Equal(0, JsonDocument.Parse(other.Out).RootElement.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("shipments")]
    [InlineData("shipment", "W0002-20260101-00000000")]
    public async Task Never_creates_a_database(params string[] command)
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "none.db");
        var run = await CliRunner.RunAsync(["network", .. command, "--json", "--database", missing]);
        Assert.Equal(1, run.Exit);
        Assert.Contains("database file not found", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }
}
