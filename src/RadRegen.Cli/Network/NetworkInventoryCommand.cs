using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Network.Inventory;

namespace RadRegen.Cli.Network;

/// <summary>
/// <c>radregen network inventory</c>: released stock across the network's centers, each row with its
/// center (issue 13 items 2 and 6, ADR 0023). Read only: never creates or migrates the database.
/// </summary>
internal static class NetworkInventoryCommand
{
    /// <summary>
    /// The command acts as the local operator with the auditor's read-only role: the permission table
    /// keeps the administrator (what <see cref="CliDatabase.Operator"/> is) out of the network's stock,
    /// and this command changes nothing.
    /// </summary>
    public static Actor Reader => CliDatabase.OperatorAs(Role.Auditor);

    public static Command Create()
    {
        var product = new Option<string?>("--product") { Description = "Only this product code (S9102)." };
        var compatible = new Option<string?>("--compatible-with") { Description = "A patient's GL String: only HLA-acceptable stock, best compatibility first." };
        var page = new Option<int>("--page") { Description = "Page (from 1).", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--limit") { Description = "At most this many rows (1–500).", DefaultValueFactory = _ => 50 };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("inventory",
            "Released, allocatable vials across all centers (this one's from its bank, the others' as they published them), each with its center, "
            + "transport time and consent to ship.") { product, compatible, page, pageSize, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var result = await services.GetRequiredService<NetworkInventoryService>().SearchAsync(Reader,
                new NetworkInventorySearch(parse.GetValue(product), parse.GetValue(compatible), parse.GetValue(page), parse.GetValue(pageSize)), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    total = result.Total,
                    page = result.Page,
                    pageSize = result.PageSize,
                    stock = result.Items.Select(s => new
                    {
                        center = s.Center, own = s.Own, stockRef = s.StockRef, productCode = s.ProductCode, productName = s.ProductName, hlaGl = s.HlaGl,
                        haplotype = s.Haplotype, available = s.Available,
                        earliestExpiry = s.EarliestExpiry is { } e ? JournalTime.ToText(e) : null,
                        latestExpiry = s.LatestExpiry is { } l ? JournalTime.ToText(l) : null,
                        sites = s.Sites.Select(x => new { site = x.Site, available = x.Available }),
                        shareable = s.Shareable, transportHours = s.TransportHours, compatibility = s.Compatibility, explanation = s.Explanation,
                        updatedAt = JournalTime.ToText(s.UpdatedAt),
                    }),
                });
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["center", "product", "hla", "available", "expires", "transport", "ships", "compatibility"],
                    result.Items.Select(s => (IReadOnlyList<string>)[s.Own && s.Center != NetworkInventoryOptions.UnconfiguredCenter ? s.Center + " (here)" : s.Center, s.ProductCode, s.HlaGl ?? "untyped",
                        s.Available.ToString(CultureInfo.InvariantCulture), s.EarliestExpiry is { } e ? JournalTime.ToText(e)[..10] : "",
                        s.Own ? "here" : s.TransportHours is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) + " h" : "unknown",
                        s.Shareable ? "yes" : "no", s.Compatibility is { } c ? c.ToString("0.###", CultureInfo.InvariantCulture) : ""]));
                parse.InvocationConfiguration.Output.WriteLine($"{result.Total} stock(s) across the network");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
