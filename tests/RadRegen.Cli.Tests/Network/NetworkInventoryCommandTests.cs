using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Network;
using RadRegen.Core;
using RadRegen.Network.Events;
using RadRegen.Storage;
using RadRegen.Testing;

namespace RadRegen.Cli.Tests.Network;

/// <summary><c>radregen network inventory</c>: every center's stock with its center, read only (issue 13 items 2 and 6).</summary>
public class NetworkInventoryCommandTests
{
    public static TheoryData<string> Engines => TestDatabases.Engines;

    private static string Db(TestDatabase db) => db.Target.Engine == Engine.Sqlite
        ? new SqliteConnectionStringBuilder(db.Target.ConnectionString).DataSource
        : db.Target.ConnectionString;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lists_this_centers_and_other_centers_stock_with_the_center_as_json(string engine)
    {
        await using var db = await TestDatabases.CreateMigratedAsync(engine);
        await using (var services = TestServices.Build(db))
        {
            await TherapySeed.ReleasedVialsAsync(services, 2);
            var now = services.GetRequiredService<IClock>().UtcNow;
            var remote = new StockPayload("lot-3", "S9102", "MSC-like", false, TherapySeed.LineHaplotype, null, 4, now.AddDays(30), now.AddDays(30),
                [new StockSite("CPC", 4, now.AddDays(30), now.AddDays(30))], false, now);
            await using var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write);
            await services.GetServices<INetworkEventHandler>().Single(h => h.Kind == EventKinds.InventoryStock)
                .ApplyAsync(uow, new NetworkEnvelope(Guid.NewGuid(), 1, "W0002", EventKinds.InventoryStock, "stock/lot-3", 9, now, remote.ToJson()), CancellationToken.None);
            await uow.CommitAsync();
        }

        var run = await CliRunner.RunAsync("network", "inventory", "--product", "S9102", "--compatible-with", TherapySeed.MatchingPatient, "--json",
            "--database", Db(db), "--setting", "Network:TransportHours:W0002=2.5", "--setting", "Center:FacilityCode=W0001");
        Assert.True(run.Exit == 0, run.Err);
        var json = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(2, json.GetProperty("total").GetInt64());
        var stock = json.GetProperty("stock").EnumerateArray().ToList();
        Assert.Equal(["W0001", "W0002"], stock.Select(s => s.GetProperty("center").GetString()));
        Assert.Equal([2, 4], stock.Select(s => s.GetProperty("available").GetInt32()));
        Assert.Equal((2.5, false), (stock[1].GetProperty("transportHours").GetDouble(), stock[1].GetProperty("shareable").GetBoolean()));
        Assert.All(stock, s => Assert.Equal(1.0, s.GetProperty("compatibility").GetDouble()));

        // Without a facility code configured, this center's rows say so.
        var table = await CliRunner.RunAsync("network", "inventory", "--database", Db(db));
        Assert.Equal(0, table.Exit);
        Assert.Contains("(this center)", table.Out, StringComparison.Ordinal);
        Assert.Contains("2 stock(s) across the network", table.Out, StringComparison.Ordinal);

        var bad = await CliRunner.RunAsync("network", "inventory", "--compatible-with", "A*99:99:99:99:99", "--database", Db(db));
        Assert.Equal(1, bad.Exit);
        Assert.Contains("compatibleWith", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_creates_a_database()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "none.db");
        var run = await CliRunner.RunAsync("network", "inventory", "--json", "--database", missing);
        Assert.Equal(1, run.Exit);
        Assert.Contains("database file not found", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }
}
