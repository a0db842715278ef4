using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Care;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Care.Records;
using RadRegen.Cli.Dose;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Csv;
using RadRegen.Core.Journal;

namespace RadRegen.Cli.Care;

/// <summary><c>radregen incident …</c>, <c>radregen triage</c> and <c>radregen allocate</c>, against the database.</summary>
internal static class CareCommands
{
    public static Command Incident()
    {
        var incident = new Command("incident", "Radiation incidents and their victims.");

        var code = new Option<string>("--code") { Description = "Short unique code, e.g. INC-0001.", Required = true };
        var title = new Option<string>("--title") { Description = "A name for the event.", Required = true };
        var kind = new Option<string>("--kind") { Description = "reactor-accident, criticality, lost-or-orphan-source, radiological-dispersal-device or nuclear-detonation.", Required = true };
        var started = new Option<string>("--started") { Description = "When the exposure began, ISO 8601 UTC (e.g. 2026-11-20T06:00:00Z).", Required = true };
        var place = new Option<string?>("--place") { Description = "Where it happened." };
        var nuclides = new Option<string?>("--radionuclides") { Description = "Nuclides involved, comma-separated (Cs-137,Co-60)." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var create = new Command("create", "Open an incident.") { code, title, kind, started, place, nuclides, db, json };
        CliAction.Set(create, async (parse, ct) =>
        {
            var start = ParseTime(parse.GetValue(started)!, "--started");
            var k = IncidentKinds.Parse(parse.GetValue(kind), "--kind");
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var created = await services.GetRequiredService<CareService>().CreateIncidentAsync(CliDatabase.Coordinator,
                new NewIncident(parse.GetValue(code)!, parse.GetValue(title)!, k, start, parse.GetValue(place) ?? "",
                    [.. (parse.GetValue(nuclides) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, IncidentJson(created));
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine($"opened incident {created.Code} (id {created.Id})");
            }

            return ExitCodes.Ok;
        });
        incident.Add(create);

        var listDb = CommonOptions.Database();
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List incidents.") { listDb, listJson };
        CliAction.Set(list, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, listDb, DatabaseUse.Read, ct);
            var all = await services.GetRequiredService<CareService>().ListIncidentsAsync(CliDatabase.Coordinator, ct);
            if (parse.GetValue(listJson))
            {
                CliAction.WriteJson(parse, all.Select(IncidentJson));
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["id", "code", "kind", "started (UTC)", "title"],
                    all.Select(i => (IReadOnlyList<string>)[Id(i.Id), i.Code, i.Kind.Name(), JournalTime.ToText(i.StartedAt)[..16], i.Title]));
            }

            return ExitCodes.Ok;
        });
        incident.Add(list);

        var file = new Argument<string>("file") { Description = "Victims CSV: one row per patient and time (columns in docs/care.md)." };
        var into = new Option<string>("--incident") { Description = "Incident id or code.", Required = true };
        var curve = new Option<string?>("--curve") { Description = "Calibration curve JSON (as written by 'dose fit --out') for the cells/aberrations columns." };
        var importDb = CommonOptions.Database();
        var importJson = CommonOptions.Json();
        var import = new Command("import", "Import victims with their first observations, assess them, all or nothing.") { file, into, curve, importDb, importJson };
        CliAction.Set(import, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            CurveSpec? spec = parse.GetValue(curve) is { } c ? ToSpec(c) : null;
            await using var services = await CliDatabase.OpenAsync(parse, importDb, ct);
            var care = services.GetRequiredService<CareService>();
            var mc = services.GetRequiredService<MassCasualtyService>();
            var inc = await care.FindIncidentAsync(CliDatabase.Coordinator, parse.GetValue(into)!, ct);
            await using var stream = File.OpenRead(path);
            var csv = await CsvReading.DecodeTextAsync(stream, Path.GetFileName(path), ct);
            var summary = await mc.ImportCsvAsync(CliDatabase.Coordinator, inc.Id, csv, spec, Path.GetFileName(path), ct: ct);
            if (parse.GetValue(importJson))
            {
                CliAction.WriteJson(parse, new { incident = inc.Code, summary.Patients, summary.Observations, summary.Assessed, seconds = summary.Elapsed.TotalSeconds });
            }
            else
            {
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"imported {summary.Patients} patients with {summary.Observations} observations into {inc.Code}; {summary.Assessed} assessed ({summary.Elapsed.TotalSeconds:0.00} s)"));
            }

            return ExitCodes.Ok;
        });
        incident.Add(import);
        return incident;
    }

    public static Command Triage()
    {
        var into = new Option<string>("--incident") { Description = "Incident id or code.", Required = true };
        var top = new Option<int?>("--top") { Description = "Show only the first N of the queue." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var triage = new Command("triage", "The incident's priority queue: who needs what next, with counts by colour and RC.") { into, top, db, json };
        CliAction.Set(triage, async (parse, ct) =>
        {
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var care = services.GetRequiredService<CareService>();
            var inc = await care.FindIncidentAsync(CliDatabase.Coordinator, parse.GetValue(into)!, ct);
            var queue = await services.GetRequiredService<MassCasualtyService>().QueueAsync(CliDatabase.Coordinator, inc.Id, null, ct);
            var shown = parse.GetValue(top) is { } n and >= 0 ? queue.Take(n).ToList() : queue.ToList();
            var byColour = queue.GroupBy(q => q.Assessment?.Triage ?? "unassessed").ToDictionary(g => g.Key, g => g.Count());
            var byRc = queue.GroupBy(q => q.Assessment?.ResponseCategory is { } rc ? $"RC{rc}" : "not graded").ToDictionary(g => g.Key, g => g.Count());
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    incident = inc.Code,
                    patients = queue.Count,
                    byColour,
                    byResponseCategory = byRc,
                    queue = shown.Select(q => new
                    {
                        q.Rank,
                        patient = q.Patient.Code,
                        tier = q.Tier.ToString(),
                        q.Priority,
                        q.Benefit,
                        triage = q.Assessment?.Triage,
                        responseCategory = q.Assessment?.ResponseCategory,
                        doseGy = q.Assessment?.BasisDoseGy,
                        doseLowerGy = q.Assessment?.BasisLowerGy,
                        doseUpperGy = q.Assessment?.BasisUpperGy,
                        q.Reasons,
                        needs = q.Needs,
                    }),
                });
            }
            else
            {
                var o = parse.InvocationConfiguration.Output;
                o.WriteLine($"{inc.Code}: {queue.Count} patients; " + string.Join(", ", byColour.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"))
                    + "; " + string.Join(", ", byRc.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
                TextTable.Write(o, ["#", "patient", "tier", "priority", "triage", "RC", "dose Gy (CI)", "needs", "why"],
                    shown.Select(q => (IReadOnlyList<string>)[
                        Id(q.Rank), q.Patient.Code, q.Tier.ToString(), F(q.Priority), q.Assessment?.Triage ?? "-", q.Assessment?.ResponseCategory is { } rc ? $"RC{rc}" : "-",
                        q.Assessment?.BasisDoseGy is { } d ? $"{F(d)} ({F(q.Assessment.BasisLowerGy)}–{F(q.Assessment.BasisUpperGy)})" : "-",
                        string.Join("; ", q.Needs.Select(nd => $"{nd.Vials}×{nd.ProductType}")), string.Join(", ", q.Reasons)]));
            }

            return ExitCodes.Ok;
        });
        return triage;
    }

    public static Command Allocate()
    {
        var into = new Option<string>("--incident") { Description = "Incident id or code.", Required = true };
        var inventory = new Option<string?>("--inventory")
        {
            Description = "Vials available as CSV (vial,product,line,hla,site,expiry), e.g. another center's stock; without it, the bank's released stock in the database and the other centers' shareable stock the network delivered (proposals, ADR 0030).",
        };
        var transport = new Option<string?>("--transport") { Description = "Transport limits per site, e.g. \"Kyoto=20,Osaka=10\" (vials that can be shipped)." };
        var maxHvg = new Option<int>("--max-hvg") { Description = "Largest acceptable number of HvG mismatches (A, B, DRB1).", DefaultValueFactory = _ => 2 };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var allocate = new Command("allocate", "Allocate scarce products to the incident's needs, optimally (min-cost flow), explained per patient.") { into, inventory, transport, maxHvg, db, json };
        CliAction.Set(allocate, async (parse, ct) =>
        {
            var file = parse.GetValue(inventory);
            var vials = file is null ? null : ReadInventory(file);
            var limits = ParseLimits(parse.GetValue(transport));
            await using var services = await CliDatabase.OpenAsync(parse, db, ct);
            var care = services.GetRequiredService<CareService>();
            var inc = await care.FindIncidentAsync(CliDatabase.Coordinator, parse.GetValue(into)!, ct);
            var compat = new HlaCompatibility(new RadRegen.Hla.Matching.HlaMatcher(RadRegen.Hla.Matching.MatchOptions.Default), parse.GetValue(maxHvg));
            var run = await services.GetRequiredService<MassCasualtyService>().AllocateAsync(CliDatabase.Coordinator, inc.Id,
                vials is null ? services.GetRequiredService<IProductInventory>() : new ListInventory(vials, DateTimeOffset.UtcNow), compat, limits, null,
                // The database's stock comes with the other centers' stock the network delivered (ADR 0030); a file stands alone.
                vials is null ? services.GetService<IRemoteStock>() : null, ct);
            Write(parse, parse.GetValue(json), inc.Code, run);
            return ExitCodes.Ok;
        });
        return allocate;
    }

    internal static void Write(ParseResult parse, bool json, string incident, AllocationRun run)
    {
        var r = run.Result;
        if (json)
        {
            CliAction.WriteJson(parse, new
            {
                incident,
                algorithm = r.Algorithm,
                requests = run.Requests.Count,
                vialsInStock = run.VialsInStock,
                remoteVials = run.RemoteVials,
                remoteNotes = run.RemoteNotes ?? [],
                vialsRequested = r.VialsRequested,
                vialsAllocated = r.VialsAllocated,
                totalValue = r.TotalValue,
                seconds = run.Elapsed.TotalSeconds,
                outcomes = r.Outcomes.Select(o => new
                {
                    request = o.Request.Id,
                    patient = o.Request.PatientCode,
                    product = o.Request.ProductType,
                    priority = o.Request.Priority,
                    vials = o.Request.Vials,
                    allocated = o.Allocated,
                    unmet = o.Unmet,
                    value = o.Value,
                    allotments = o.Allotments,
                    explanation = o.Explanation,
                }),
            });
            return;
        }

        var w = parse.InvocationConfiguration.Output;
        w.WriteLine($"{incident}: {run.Requests.Count} requests for {r.VialsRequested} vials; {run.VialsInStock} vials in stock; {r.VialsAllocated} allocated; value {F(r.TotalValue)}");
        w.WriteLine($"algorithm: {r.Algorithm}");
        foreach (var note in run.RemoteNotes ?? [])
        {
            w.WriteLine($"other centers: {note}");
        }

        TextTable.Write(w, ["patient", "product", "priority", "vials", "given", "explanation"],
            r.Outcomes.Select(o => (IReadOnlyList<string>)[o.Request.PatientCode, o.Request.ProductType, F(o.Request.Priority), Id(o.Request.Vials), Id(o.Allocated), string.Join(" | ", o.Explanation)]));
    }

    internal static List<StockVial> ReadInventory(string path)
    {
        var vials = new List<StockVial>();
        using var reader = new StreamReader(path, CsvReading.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        // RadRegen's one strict reader: quotes, every row as wide as the header, errors naming row and column.
        using var records = CsvReading.Records(reader, new CsvReadOptions(path)).GetEnumerator();
        var header = records.MoveNext()
            ? records.Current.Fields.Select(h => h.Trim().ToLowerInvariant()).ToList()
            : throw new CliInputException($"{path}: is empty");
        string[] needed = ["vial", "product", "line", "hla", "site", "expiry"];
        foreach (var n in needed.Where(n => !header.Contains(n)))
        {
            throw new CliInputException($"{path} row 1: needs a column \"{n}\" (vial,product,line,hla,site,expiry)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var row = records.Current.Line;
            var c = records.Current.Fields;
            string Cell(string n) => c[header.IndexOf(n)].Trim();
            if (Cell("vial").Length == 0 || !seen.Add(Cell("vial")))
            {
                throw new CliInputException($"{path} row {row}: vial: missing or repeated id");
            }

            if (!DateTimeOffset.TryParse(Cell("expiry"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiry))
            {
                throw new CliInputException($"{path} row {row}: expiry: \"{Cell("expiry")}\" is not an ISO 8601 time");
            }

            if (Cell("product").Length == 0 || Cell("line").Length == 0 || Cell("site").Length == 0)
            {
                throw new CliInputException($"{path} row {row}: product, line and site are required");
            }

            // The same rule as every other entry point (issue 12 item 5): a typing matching cannot handle is refused.
            if (RadRegen.Hla.Matching.TypingAcceptance.WhyNotMatchable(Cell("hla"), StockMatcher) is { } unmatchable)
            {
                throw new CliInputException($"{path} row {row}: hla: {unmatchable}");
            }

            vials.Add(new StockVial(Cell("vial"), Cell("product"), Cell("line"), Cell("hla").Length > 0 ? Cell("hla") : null, Cell("site"), expiry));
        }

        return vials;
    }

    /// <summary>The matcher allocation uses (A, B, DRB1 at two fields, no reference files), which a vial's typing must suit.</summary>
    private static readonly RadRegen.Hla.Matching.HlaMatcher StockMatcher = new(RadRegen.Hla.Matching.MatchOptions.Default);

    internal static Dictionary<string, int> ParseLimits(string? text)
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq <= 0 || !int.TryParse(part[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new CliInputException($"--transport: \"{part}\" is not SITE=N with N a whole number ≥ 0");
            }

            limits[part[..eq].Trim()] = n;
        }

        return limits;
    }

    internal static CurveSpec ToSpec(string path)
    {
        var (curve, _) = CurveFile.Read(path);
        var cov = curve.Covariance;
        return new CurveSpec(Path.GetFileName(path), CurveFile.AssayName(curve.Assay), CurveFile.ModelName(curve.Model), curve.C, curve.Alpha, curve.Beta,
            [[cov[0, 0], cov[0, 1], cov[0, 2]], [cov[1, 0], cov[1, 1], cov[1, 2]], [cov[2, 0], cov[2, 1], cov[2, 2]]]);
    }

    private static object IncidentJson(Incident i) => new
    {
        i.Id, i.Code, i.Title, kind = i.Kind.Name(), startedAt = JournalTime.ToText(i.StartedAt), i.Place, i.Radionuclides,
    };

    private static DateTimeOffset ParseTime(string text, string field) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new CliInputException($"{field}: \"{text}\" is not an ISO 8601 time");

    private static string Id(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double? v) => v is { } d ? d.ToString("0.##", CultureInfo.InvariantCulture) : "?";
}
