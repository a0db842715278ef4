using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Services;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Journal;

namespace RadRegen.Cli.Bank;

/// <summary><c>radregen bank …</c>: identifiers, catalogue, inventory, expiry and import.</summary>
internal static class BankCommands
{
    public static Command Create()
    {
        var bank = new Command("bank", "The iPS cell bank: ISBT 128 identifiers, product catalogue, inventory, expiry and import.");
        bank.Add(CheckCharacter());
        bank.Add(Products());
        bank.Add(Search());
        bank.Add(Expire());
        bank.Add(Import());
        return bank;
    }

    private static Command CheckCharacter()
    {
        var din = new Argument<string>("din") { Description = "The 13 characters of a DIN (αppppyynnnnnn), e.g. G123498654321." };
        var json = CommonOptions.Json();
        var command = new Command("check-character", "Prints the ISO/IEC 7064 MOD 37-2 check character of a DIN and its type-3 flag (e.g. 'H 77').") { din, json };
        CliAction.Set(command, parse =>
        {
            var text = parse.GetValue(din) ?? "";
            if (text.Trim().Length != 13)
            {
                throw new CliInputException($"din: '{text}' has {text.Trim().Length} characters; a DIN has 13 (αppppyynnnnnn)");
            }

            var d = Din.Parse(text);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { din = d.Value, checksum = d.Checksum, checkCharacter = d.CheckCharacter.ToString(), type3Flag = d.Type3Flag });
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine($"{d.CheckCharacter} {d.Type3Flag}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Products()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("products", "Lists the product catalogue with storage, shelf life and release tests.") { db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var bank = services.GetRequiredService<BankService>();
            await bank.EnsureCatalogueAsync(CliDatabase.Operator, ct);
            var products = await bank.ListProductsAsync(CliDatabase.Operator, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, products);
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["code", "name", "max °C", "frozen (d)", "after thaw (h)", "dose unit", "release tests"],
                    products.Select(p => (IReadOnlyList<string>)[p.Code, p.Name, p.StorageMaxCelsius.ToString(CultureInfo.InvariantCulture),
                        p.ShelfLifeFrozenDays.ToString(CultureInfo.InvariantCulture), p.ShelfLifeAfterThawHours.ToString(CultureInfo.InvariantCulture),
                        p.DoseUnit, string.Join(", ", p.ReleaseTests.Select(t => t.Code))]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Search()
    {
        var product = new Option<string?>("--product") { Description = "Product code (S9102)." };
        var status = new Option<string?>("--status") { Description = "quarantine, released, reserved, shipped, received, thawed, administered, discarded, expired." };
        var haplotype = new Option<string?>("--haplotype") { Description = "A line's haplotype or an allele it carries (B*52:01)." };
        var expiresBefore = new Option<DateTimeOffset?>("--expires-before") { Description = "Only vials expiring before this UTC time." };
        var pageSize = new Option<int>("--limit") { Description = "At most this many rows (1–500).", DefaultValueFactory = _ => 50 };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("search", "Searches the inventory of vials.") { product, status, haplotype, expiresBefore, pageSize, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var page = await services.GetRequiredService<BankService>().SearchAsync(CliDatabase.Operator,
                new InventorySearch(parse.GetValue(product), parse.GetValue(status), parse.GetValue(haplotype), null, null, parse.GetValue(expiresBefore),
                    null, 1, parse.GetValue(pageSize)), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { total = page.Total, vials = page.Items.Select(i => new
                {
                    identity = i.Vial.Identity, status = i.Vial.Status, lot = i.LotNumber, line = i.LineCode, box = i.BoxName, position = i.Vial.Position,
                    expiresAt = JournalTime.ToText(i.Vial.ExpiresAt), flag = i.Vial.Flag,
                }) });
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["vial", "status", "lot", "line", "box", "expires"],
                    page.Items.Select(i => (IReadOnlyList<string>)[i.Vial.Identity, i.Vial.Status.ToString().ToLowerInvariant(), i.LotNumber, i.LineCode,
                        i.BoxName is null ? "" : $"{i.BoxName} {RadRegen.Bank.Model.Positions.Label(i.Vial.Row!.Value, i.Vial.Column!.Value)}",
                        JournalTime.ToText(i.Vial.ExpiresAt)[..10]]));
                parse.InvocationConfiguration.Output.WriteLine($"{page.Total} vials match");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header row: " + string.Join(",", RadRegen.Bank.Import.InventoryImport.Columns) };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("import", "Imports an existing inventory (donors, lines, banks, lots, vials with positions): every row is checked first; all or nothing.")
        {
            file, db, json,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliInputException($"{path.FullName}: no such file");
            }

            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            await services.GetRequiredService<BankService>().EnsureCatalogueAsync(CliDatabase.Operator, ct);
            RadRegen.Bank.Import.ImportReport report;
            try
            {
                // Strict UTF-8: a Latin-1 file is refused with the row and column of its first bad byte.
                await using var file = path.OpenRead();
                using var reader = await RadRegen.Core.Csv.CsvReading.DecodeAsync(file, "", ct);
                report = await services.GetRequiredService<RadRegen.Bank.Import.InventoryImport>().ImportAsync(CliDatabase.Technician, reader, path.Name, ct);
            }
            catch (RadRegen.Core.DomainValidationException ex)
            {
                foreach (var e in ex.Errors)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{path.Name}: {e.Field}: {e.Message}");
                }

                throw new CliInputException($"{path.Name}: {ex.Errors.Count} problems; nothing was imported");
            }

            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, report);
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(
                    $"imported {report.Rows} rows: {report.Donors} donors, {report.Lines} lines, {report.CellBanks} cell banks, {report.Lots} lots (in quarantine), {report.Vials} vials");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Expire()
    {
        var db = CommonOptions.Database();
        var command = new Command("expire", "Marks every vial past its expiry as expired (the server also does this every few minutes).") { db };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var n = await services.GetRequiredService<BankService>().ExpireDueAsync(CliDatabase.Technician, ct);
            parse.InvocationConfiguration.Output.WriteLine($"{n} vials expired");
            return ExitCodes.Ok;
        });
        return command;
    }
}
