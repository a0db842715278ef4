using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Storage;
using RadRegen.Web;
using RadRegen.Hosting.Demo;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Benchmarks.Bank;

/// <summary>
/// Bank scenarios (issue 5, deliverable 12): inventory search over 1,000,000 vials by product,
/// status and HLA compatibility (p50/p95/p99 through <see cref="BankService.SearchAsync"/>), and
/// concurrent reservations over loopback against the real server (no lost, no double).
/// </summary>
public static class BankScenarios
{
    public static async Task<int> RunAsync(string[] args)
    {
        var database = Arg(args, "--database") ?? Path.Combine(Path.GetTempPath(), $"rr-bench-{Guid.NewGuid():N}.db");
        var target = DatabaseTarget.Parse(database);
        return args[0] switch
        {
            "bank-search" => await SearchAsync(target, int.Parse(Arg(args, "--vials") ?? "1000000", CultureInfo.InvariantCulture),
                int.Parse(Arg(args, "--queries") ?? "300", CultureInfo.InvariantCulture)),
            "bank-reserve" => await ReserveAsync(target, int.Parse(Arg(args, "--requests") ?? "200", CultureInfo.InvariantCulture)),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: bank-search [--database PATH|CONNSTRING] [--vials N] [--queries N] | bank-reserve [--database ...] [--requests N]");
        return 2;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static async Task<ServiceProvider> ServicesAsync(DatabaseTarget target)
    {
        var services = new ServiceCollection().AddRadRegen(RadRegenSettings.ForDemo(target)).BuildServiceProvider();
        await RadRegenSetup.PrepareAsync(services, DemoData.None);
        return services;
    }

    // ------------------------------------------------------------------ search

    private static async Task<int> SearchAsync(DatabaseTarget target, int vialCount, int queries)
    {
        await using var services = await ServicesAsync(target);
        var bank = services.GetRequiredService<BankService>();
        var admin = Actor.LocalOperator("bench");
        var tech = new Actor(0, "bench", new HashSet<Role> { Role.CpcTechnician, Role.Admin });
        var random = new Random(5);
        var set = HaplotypeSets.Load("CAU");
        var sw = Stopwatch.StartNew();
        var existing = (await bank.SearchAsync(admin, new InventorySearch(PageSize: 1))).Total;
        if (existing >= vialCount)
        {
            Console.WriteLine($"reusing {existing:N0} vials already in the database");
            return await QueriesAsync(bank, admin, target, queries, random);
        }

        // 500 donors (100 homozygous for frequent haplotypes), a line, MCB and WCB each: through the services.
        var wcbs = new List<(long Line, long Wcb)>();
        var negative = BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative")).ToList();
        for (var i = 0; i < 500; i++)
        {
            var a = i < 100 ? set[random.Next(80)] : HaplotypeSets.Draw(set, random);
            var b = i < 100 ? a : HaplotypeSets.Draw(set, random);
            var donor = await bank.RegisterDonorAsync(tech, new RegisterDonorRequest(null, new ConsentScopes(true, true, true), null, negative,
                HaplotypeSets.GlString(a, b)));
            var line = await bank.CreateLineAsync(tech, new CreateLineRequest($"B-{i:0000}", donor.Id, "episomal plasmid", "c1", 10));
            var mcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"B-{i:0000}-M", CellBankKind.Mcb, line.Id, null, 12, 100));
            var wcb = await bank.CreateBankAsync(tech, new CreateBankRequest($"B-{i:0000}-W", CellBankKind.Wcb, line.Id, mcb.Id, 15, 100));
            wcbs.Add((line.Id, wcb.Id));
        }

        Console.WriteLine($"donors, lines, banks: {sw.Elapsed.TotalSeconds:0.0} s");
        sw.Restart();
        await BulkVialsAsync(services.GetRequiredService<Database>(), wcbs, vialCount, random);
        Console.WriteLine($"{vialCount:N0} vials bulk-loaded (setup, not journaled): {sw.Elapsed.TotalSeconds:0.0} s");

        return await QueriesAsync(bank, admin, target, queries, random);
    }

    private static async Task<int> QueriesAsync(BankService bank, Actor admin, DatabaseTarget target, int queries, Random random)
    {
        var set = HaplotypeSets.Load("CAU");
        string[] products = ["S9100", "S9101", "S9102", "S9103", "S9104", "S9105"];
        var patients = Enumerable.Range(0, 50).Select(_ => HaplotypeSets.GlString(HaplotypeSets.Draw(set, random), HaplotypeSets.Draw(set, random))).ToList();
        var kinds = new (string Name, Func<int, InventorySearch> Make)[]
        {
            ("product + status", i => new InventorySearch(products[i % 6], "released")),
            ("product + status + HLA compatible", i => new InventorySearch(products[i % 6], "released", CompatibleWith: patients[i % patients.Count])),
            ("product + status + haplotype", i => new InventorySearch(products[i % 6], "released", Haplotype: set[i % 20].Name.Split('~')[2])),
        };
        foreach (var (name, make) in kinds)
        {
            for (var w = 0; w < 10; w++)
            {
                await bank.SearchAsync(admin, make(w));
            }

            var times = new List<double>();
            long totalHits = 0;
            for (var i = 0; i < queries; i++)
            {
                var t = Stopwatch.StartNew();
                var page = await bank.SearchAsync(admin, make(i + 7));
                times.Add(t.Elapsed.TotalMilliseconds);
                totalHits += page.Total;
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Engine} {name}: n={queries} p50={Percentiles.NearestRank(times, 0.50):0.0} ms p95={Percentiles.NearestRank(times, 0.95):0.0} ms p99={Percentiles.NearestRank(times, 0.99):0.0} ms max={times[^1]:0.0} ms (mean hits {totalHits / queries:N0})"));
        }

        return 0;
    }

    /// <summary>Lots of 250 vials in every status, bulk-inserted (benchmark setup only).</summary>
    private static async Task BulkVialsAsync(Database database, List<(long Line, long Wcb)> wcbs, int vialCount, Random random)
    {
        string[] products = ["S9100", "S9101", "S9102", "S9103", "S9104", "S9105"];
        string[] statuses = ["released", "released", "released", "released", "quarantine", "reserved", "shipped", "administered", "discarded", "expired"];
        var now = DateTimeOffset.UtcNow;
        await using var connection = await database.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var lots = (vialCount + 249) / 250;
        var created = JournalTime.ToText(now);
        var lotIds = new List<(long Id, long Line, string Din, string Product, string Expires)>();
        for (var l = 0; l < lots; l++)
        {
            var (line, wcb) = wcbs[random.Next(wcbs.Count)];
            var din = string.Create(CultureInfo.InvariantCulture, $"Z999925{l:000000}");
            var product = products[random.Next(products.Length)];
            var expires = JournalTime.ToText(now.AddDays(random.Next(30, 900)));
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO bank_lots (lot_number, din, product_code, wcb_id, line_id, status, manufactured_at, expires_at, created_at, created_by, version) "
                + "VALUES (@n, @d, @p, @w, @l, 'released', @c, @e, @c, 'bench', 1) RETURNING id";
            Add(cmd, "n", "L" + din);
            Add(cmd, "d", din);
            Add(cmd, "p", product);
            Add(cmd, "w", wcb);
            Add(cmd, "l", line);
            Add(cmd, "c", created);
            Add(cmd, "e", expires);
            lotIds.Add((Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture), line, din, product, expires));
        }

        if (connection is NpgsqlConnection pg)
        {
            await using var importer = await pg.BeginBinaryImportAsync(
                "COPY bank_vials (lot_id, line_id, din, product_code, division, status, expires_at, version) FROM STDIN (FORMAT BINARY)");
            importer.Timeout = TimeSpan.FromMinutes(20);
            var n = 0;
            foreach (var lot in lotIds)
            {
                for (var d = 0; d < 250 && n < vialCount; d++, n++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(lot.Id, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await importer.WriteAsync(lot.Line, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await importer.WriteAsync(lot.Din, NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(lot.Product, NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(RadRegen.Bank.Identity.Divisions.Code(d), NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(statuses[random.Next(statuses.Length)], NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(lot.Expires, NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(1, NpgsqlTypes.NpgsqlDbType.Integer);
                }
            }

            await importer.CompleteAsync();
        }
        else
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO bank_vials (lot_id, line_id, din, product_code, division, status, expires_at, version) VALUES (@a, @b, @c, @d, @e, @f, @g, 1)";
            var ps = new[] { "a", "b", "c", "d", "e", "f", "g" }.Select(name => { var p = cmd.CreateParameter(); p.ParameterName = name; cmd.Parameters.Add(p); return p; }).ToArray();
            cmd.Prepare();
            var n = 0;
            foreach (var lot in lotIds)
            {
                for (var d = 0; d < 250 && n < vialCount; d++, n++)
                {
                    ps[0].Value = lot.Id;
                    ps[1].Value = lot.Line;
                    ps[2].Value = lot.Din;
                    ps[3].Value = lot.Product;
                    ps[4].Value = RadRegen.Bank.Identity.Divisions.Code(d);
                    ps[5].Value = statuses[random.Next(statuses.Length)];
                    ps[6].Value = lot.Expires;
                    await cmd.ExecuteNonQueryAsync();
                }
            }
        }

        await tx.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandTimeout = 600;
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    // ------------------------------------------------------------------ reservations

    private static async Task<int> ReserveAsync(DatabaseTarget target, int requests)
    {
        var options = new RadRegenHostOptions(RadRegenSettings.ForDemo(target) with { Web = WebSettings.Default with { Urls = "http://127.0.0.1:0" } }) { ConfigureLogging = l => l.ClearProviders() };
        var app = RadRegenHost.Build(options);
        var demo = (await RadRegenSetup.PrepareAsync(app.Services, DemoData.UsersOnly))!;
        await app.StartAsync();
        try
        {
            var services = app.Services;
            var bank = services.GetRequiredService<BankService>();
            var access = services.GetRequiredService<AccessService>();
            var op = Actor.LocalOperator("bench");
            var tech = new Actor(0, "bench", new HashSet<Role> { Role.CpcTechnician, Role.Admin });
            var qaPassword = demo.Created.Single(c => c.Role == "qa-officer").Password;
            var qa = (await access.ListUsersAsync(op)).Single(u => u.UserName == "demo-qa-officer").ToActor();

            // requests/2 released vials; every vial is asked for twice at the same moment.
            var vials = requests / 2;
            var donor = await bank.RegisterDonorAsync(tech, new RegisterDonorRequest(null, new ConsentScopes(true, true, true), null,
                [.. BankService.ScreeningMarkers.Select(m => new ScreeningResult(m, "negative"))], "A*24:02+A*24:02^B*52:01+B*52:01^DRB1*15:02+DRB1*15:02"));
            var line = await bank.CreateLineAsync(tech, new CreateLineRequest("BENCH-L1", donor.Id, "episomal plasmid", "c1", 10));
            var mcb = await bank.CreateBankAsync(tech, new CreateBankRequest("BENCH-M", CellBankKind.Mcb, line.Id, null, 12, 100));
            var wcb = await bank.CreateBankAsync(tech, new CreateBankRequest("BENCH-W", CellBankKind.Wcb, line.Id, mcb.Id, 15, 100));
            var ids = new List<long>();
            while (ids.Count < vials)
            {
                var lot = await bank.CreateLotAsync(tech, new CreateLotRequest("S9102", wcb.Id, Math.Min(200, vials - ids.Count)));
                foreach (var (test, value, unit) in new[] { ("viability", "95", "%"), ("endotoxin", "0.1", "EU/mL"), ("sterility", "negative", null),
                    ("mycoplasma", "negative", null), ("residual-undifferentiated", "0.01", "%") })
                {
                    await bank.RecordQcResultAsync(tech, lot.Id, test, value, unit);
                }

                await bank.ReleaseLotAsync(qa, lot.Id, qaPassword);
                ids.AddRange((await bank.GetLotAsync(op, lot.Id)).Vials.Select(v => v.Id));
            }

            var clients = new List<HttpClient>();
            foreach (var role in new[] { Role.Physician, Role.Coordinator })
            {
                var token = await access.CreateTokenAsync(op, DemoSeeder.DemoUserName(role), "bench", 1);
                var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(app.Urls.First()) };
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Secret);
                clients.Add(client);
            }

            var gate = new TaskCompletionSource();
            var sw = new Stopwatch();
            var tasks = Enumerable.Range(0, vials * 2).Select(async i =>
            {
                await gate.Task;
                var vial = ids[i / 2];
                using var response = await clients[i % 2].PostAsJsonAsync(new Uri($"/api/v1/bank/vials/{vial}/reserve", UriKind.Relative),
                    new { reservedFor = $"patient {i}" });
                return (Vial: vial, response.StatusCode);
            }).ToList();
            sw.Start();
            gate.SetResult();
            var results = await Task.WhenAll(tasks);
            sw.Stop();

            var ok = results.Count(r => r.StatusCode == HttpStatusCode.OK);
            var conflict = results.Count(r => r.StatusCode == HttpStatusCode.Conflict);
            var other = results.Length - ok - conflict;
            var perVial = results.GroupBy(r => r.Vial).Select(g => g.Count(r => r.StatusCode == HttpStatusCode.OK)).ToList();
            var reservedNow = 0;
            var custodyDoubles = 0;
            foreach (var id in ids)
            {
                var detail = await bank.GetVialAsync(op, id);
                reservedNow += detail.Lineage.Vial.Status == VialStatus.Reserved ? 1 : 0;
                custodyDoubles += detail.Custody.Count(c => c.Action == "reserved") > 1 ? 1 : 0;
            }

            var journal = await services.GetRequiredService<AuditService>().BrowseAsync(op, new JournalQuery(RecordType: "vial", PageSize: 1));
            var verify = await services.GetRequiredService<AuditService>().VerifyAsync(op);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Engine}: {results.Length} concurrent reservation requests for {vials} vials over loopback in {sw.Elapsed.TotalMilliseconds:0} ms: "
                + $"{ok} OK, {conflict} 409, {other} other; vials reserved once: {perVial.Count(c => c == 1)}, twice: {perVial.Count(c => c > 1)}, never: {perVial.Count(c => c == 0)}; "
                + $"reserved in the database: {reservedNow}; vials with two 'reserved' custody events: {custodyDoubles}; journal intact: {verify.IsIntact} ({verify.Verified} entries)"));
            var good = ok == vials && conflict == vials && other == 0 && reservedNow == vials && custodyDoubles == 0 && verify.IsIntact;
            Console.WriteLine(good ? "PASS: no lost and no double reservation" : "FAIL");
            foreach (var c in clients)
            {
                c.Dispose();
            }

            _ = journal;
            return good ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
