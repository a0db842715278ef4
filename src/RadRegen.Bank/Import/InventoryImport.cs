using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Import;

/// <summary>What an import wrote.</summary>
public sealed record ImportReport(int Rows, int Donors, int Lines, int CellBanks, int Lots, int Vials);

/// <summary>
/// Imports an existing inventory from one CSV, one row per vial with its donor, line, cell banks,
/// lot and position. Everything is validated first and every bad row is listed; only then is
/// everything written, in one unit of work, or nothing. Imported lots arrive in quarantine: a
/// lot is released here only by a QA officer's signature.
/// </summary>
public sealed partial class InventoryImport(IUnitOfWorkFactory units, BankService bank, IClock clock, ILogger<InventoryImport>? logger = null)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "donor_code", "consent_banking", "consent_research", "consent_clinical", "consented_on",
        "hiv", "hbv", "hcv", "htlv", "syphilis", "hla_gl",
        "line_code", "method", "clone", "line_passage",
        "mcb_code", "mcb_passage", "wcb_code", "wcb_passage",
        "lot_number", "din", "product_code", "manufactured_on",
        "division", "box", "position",
    ];

    private static readonly string[] MarkerColumns = ["hiv", "hbv", "hcv", "htlv", "syphilis"];

    private sealed record Row(int Number, Dictionary<string, string> F)
    {
        public string this[string c] => F.GetValueOrDefault(c, "").Trim();
    }

    private sealed record LotPlan(string LotNumber, Din? Din, string Product, string Wcb, DateTimeOffset Made, List<VialPlacement> Vials, Row First);

    private async Task<ImportReport> ImportRowsAsync(Actor actor, TextReader csv, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(csv);
        actor.Require("importing an inventory", Role.CpcTechnician, Role.Admin);
        var rows = Read(csv);
        var errors = new List<FieldError>();
        void Err(Row r, string column, string message) => errors.Add(new FieldError($"row {r.Number}: {column}", message));

        var now = clock.UtcNow;
        var donors = new Dictionary<string, (Row Row, RegisterDonorRequest Request)>(StringComparer.OrdinalIgnoreCase);
        var lines = new Dictionary<string, (Row Row, string Donor, string Method, string Clone, int Passage)>(StringComparer.OrdinalIgnoreCase);
        var banks = new Dictionary<string, (Row Row, string Line, CellBankKind Kind, string? Parent, int Passage)>(StringComparer.OrdinalIgnoreCase);
        var lots = new Dictionary<string, LotPlan>(StringComparer.OrdinalIgnoreCase);
        var positions = new Dictionary<(long, int, int), int>();

        // What the database already holds, read once.
        HashSet<string> products;
        Dictionary<string, StorageLocation> boxes;
        var existing = new List<(Row, string, string)>();
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = uow.Store<IBankStore>();
            products = [.. (await store.ListProductsAsync(ct)).Select(p => p.Code)];
            var locations = await store.ListLocationsAsync(ct);
            boxes = new Dictionary<string, StorageLocation>(StringComparer.OrdinalIgnoreCase);
            foreach (var box in locations.Where(l => l.Kind == LocationKind.Box))
            {
                var names = box.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
                    .Select(id => locations.First(l => l.Id.ToString(CultureInfo.InvariantCulture) == id).Name);
                boxes[string.Join("/", names)] = box;
                boxes[box.Id.ToString(CultureInfo.InvariantCulture)] = box;
            }

            foreach (var r in rows)
            {
                if (r["donor_code"].Length > 0 && await store.FindDonorByCodeAsync(r["donor_code"].ToUpperInvariant(), ct) is not null)
                {
                    existing.Add((r, "donor_code", $"donor {r["donor_code"]} is already registered"));
                }

                if (r["line_code"].Length > 0 && await store.FindLineByCodeAsync(r["line_code"], ct) is not null)
                {
                    existing.Add((r, "line_code", $"line {r["line_code"]} exists already"));
                }

                foreach (var c in new[] { "mcb_code", "wcb_code" })
                {
                    if (r[c].Length > 0 && await store.FindBankByCodeAsync(r[c], ct) is not null)
                    {
                        existing.Add((r, c, $"cell bank {r[c]} exists already"));
                    }
                }

                if (r["lot_number"].Length > 0 && await store.FindLotByNumberAsync(r["lot_number"], ct) is not null)
                {
                    existing.Add((r, "lot_number", $"lot {r["lot_number"]} exists already"));
                }

                if (r["box"].Length > 0 && boxes.TryGetValue(r["box"], out var b) && TryPosition(r["position"], out var row, out var col)
                    && await store.FindVialAtAsync(b.Id, row, col, ct) is { } there)
                {
                    existing.Add((r, "position", $"{r["position"]} of box {r["box"]} already holds vial {there.Identity}"));
                }
            }
        }

        foreach (var (r, c, m) in existing.DistinctBy(e => (e.Item1.Number, e.Item2)))
        {
            Err(r, c, m);
        }

        foreach (var r in rows)
        {
            // donor
            var donorCode = r["donor_code"].ToUpperInvariant();
            if (donorCode.Length == 0)
            {
                Err(r, "donor_code", "required");
            }
            else if (!donors.ContainsKey(donorCode))
            {
                var consented = Date(r, "consented_on", Err);
                var screening = new List<ScreeningResult>();
                for (var i = 0; i < MarkerColumns.Length; i++)
                {
                    if (r[MarkerColumns[i]].Length > 0)
                    {
                        screening.Add(new ScreeningResult(BankService.ScreeningMarkers[i], r[MarkerColumns[i]]));
                    }
                }

                var request = new RegisterDonorRequest(donorCode, new ConsentScopes(Bool(r, "consent_banking", Err), Bool(r, "consent_research", Err),
                    Bool(r, "consent_clinical", Err)), consented, screening, r["hla_gl"].Length == 0 ? null : r["hla_gl"], $"import {source}");
                try
                {
                    bank.BuildDonor(request, actor.UserName, now);
                    donors[donorCode] = (r, request);
                }
                catch (DomainValidationException ex)
                {
                    foreach (var e in ex.Errors)
                    {
                        Err(r, e.Field, e.Message);
                    }
                }
            }

            // line
            var lineCode = r["line_code"];
            var passage = Int(r, "line_passage", Err);
            if (lineCode.Length == 0)
            {
                Err(r, "line_code", "required");
            }
            else if (lines.TryGetValue(lineCode, out var known))
            {
                if (!string.Equals(known.Donor, donorCode, StringComparison.OrdinalIgnoreCase))
                {
                    Err(r, "line_code", $"line {lineCode} belongs to donor {known.Donor} (row {known.Row.Number}), not {donorCode}");
                }
            }
            else
            {
                if (!CodePattern().IsMatch(lineCode.ToUpperInvariant()))
                {
                    Err(r, "line_code", "3–20 letters, digits or '-'");
                }

                if (r["method"].Length == 0)
                {
                    Err(r, "method", "required");
                }

                if (r["clone"].Length == 0)
                {
                    Err(r, "clone", "required");
                }

                lines[lineCode] = (r, donorCode, r["method"], r["clone"], passage);
            }

            // banks
            var mcb = r["mcb_code"];
            var wcb = r["wcb_code"];
            if (mcb.Length == 0 || wcb.Length == 0)
            {
                Err(r, mcb.Length == 0 ? "mcb_code" : "wcb_code", "required");
            }
            else
            {
                AddBank(r, mcb, lineCode, CellBankKind.Mcb, null, Int(r, "mcb_passage", Err));
                AddBank(r, wcb, lineCode, CellBankKind.Wcb, mcb, Int(r, "wcb_passage", Err));
            }

            // lot and vial
            var lotNumber = r["lot_number"];
            var product = r["product_code"].ToUpperInvariant();
            if (!products.Contains(product))
            {
                Err(r, "product_code", $"unknown product code '{r["product_code"]}'");
            }

            Din? din = null;
            if (r["din"].Length > 0)
            {
                try
                {
                    din = Din.Parse(r["din"]);
                }
                catch (DomainValidationException ex)
                {
                    Err(r, "din", ex.Errors[0].Message);
                }
            }

            var division = r["division"].ToUpperInvariant();
            if (!DivisionPattern().IsMatch(division))
            {
                Err(r, "division", "a division is a letter and a digit (A0–Z9)");
            }

            long? boxId = null;
            int? prow = null, pcol = null;
            if (r["box"].Length > 0 || r["position"].Length > 0)
            {
                if (!boxes.TryGetValue(r["box"], out var box))
                {
                    Err(r, "box", $"no box '{r["box"]}' (give its path site/tank/rack/box or its id; create it first)");
                }
                else if (!TryPosition(r["position"], out var row, out var col) || row > box.Rows || col > box.Columns)
                {
                    Err(r, "position", $"'{r["position"]}' is not a position of box {box.Name} (A1–{Positions.Label(box.Rows, box.Columns)})");
                }
                else if (positions.TryGetValue((box.Id, row, col), out var other))
                {
                    Err(r, "position", $"{r["position"]} of box {box.Name} is also given in row {other}");
                }
                else
                {
                    positions[(box.Id, row, col)] = r.Number;
                    (boxId, prow, pcol) = (box.Id, row, col);
                }
            }

            if (lotNumber.Length == 0)
            {
                Err(r, "lot_number", "required");
                continue;
            }

            var made = Date(r, "manufactured_on", Err) ?? now;
            if (!lots.TryGetValue(lotNumber, out var plan))
            {
                plan = new LotPlan(lotNumber, din, product, wcb, made, [], r);
                lots[lotNumber] = plan;
            }
            else if (!string.Equals(plan.Product, product, StringComparison.Ordinal) || !string.Equals(plan.Wcb, wcb, StringComparison.OrdinalIgnoreCase)
                || plan.Din?.Value != din?.Value || plan.Made != made)
            {
                Err(r, "lot_number", $"lot {lotNumber} has a different DIN, product, working bank or date in row {plan.First.Number}");
            }

            if (plan.Vials.Any(v => v.Division == division))
            {
                Err(r, "division", $"division {division} of lot {lotNumber} appears twice");
            }

            plan.Vials.Add(new VialPlacement(division, boxId, prow, pcol));
        }

        foreach (var dins in lots.Values.Where(l => l.Din is not null).GroupBy(l => l.Din!.Value).Where(g => g.Count() > 1))
        {
            Err(dins.Skip(1).First().First, "din", $"DIN {dins.Key} is given to more than one lot");
        }

        if (rows.Count == 0)
        {
            errors.Add(new FieldError("file", "no rows"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException([.. errors.OrderBy(e => RowOf(e.Field)).Take(500)]);
        }

        // Everything is valid: write it all in one unit of work.
        await using (var uow = await units.BeginAsync(WorkMode.Write, ct))
        {
            var reason = $"import {source}";
            var donorIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (code, (_, request)) in donors)
            {
                donorIds[code] = (await BankService.InsertDonorAsync(uow, actor, bank.BuildDonor(request, actor.UserName, now), reason, ct)).Id;
            }

            var lineIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (code, l) in lines)
            {
                lineIds[code] = (await BankService.InsertLineAsync(uow, actor, new CreateLineRequest(code, donorIds[l.Donor], l.Method, l.Clone, l.Passage), now,
                    reason, ct)).Id;
            }

            var bankIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (code, b) in banks.OrderBy(b => b.Value.Kind))
            {
                var count = b.Kind == CellBankKind.Wcb ? lots.Values.Where(l => string.Equals(l.Wcb, code, StringComparison.OrdinalIgnoreCase)).Sum(l => l.Vials.Count) : 1;
                bankIds[code] = (await BankService.InsertBankAsync(uow, actor, new CreateBankRequest(code, b.Kind, lineIds[b.Line],
                    b.Parent is null ? null : bankIds[b.Parent], b.Passage, Math.Max(1, count)), now, reason, ct)).Id;
            }

            foreach (var lot in lots.Values)
            {
                await bank.InsertLotAsync(uow, actor, new CreateLotRequest(lot.Product, bankIds[lot.Wcb], lot.Vials.Count, lot.LotNumber, lot.Made), lot.Din,
                    reason, ct, lot.Vials);
            }

            await uow.CommitAsync(ct);
        }

        return new ImportReport(rows.Count, donors.Count, lines.Count, banks.Count, lots.Count, rows.Count);

        void AddBank(Row r, string code, string line, CellBankKind kind, string? parent, int passage)
        {
            if (banks.TryGetValue(code, out var known))
            {
                if (known.Kind != kind || !string.Equals(known.Line, line, StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(known.Parent, parent, StringComparison.OrdinalIgnoreCase))
                {
                    Err(r, kind == CellBankKind.Mcb ? "mcb_code" : "wcb_code", $"{code} is used differently in row {known.Row.Number}");
                }

                return;
            }

            if (!CodePattern().IsMatch(code.ToUpperInvariant()))
            {
                Err(r, kind == CellBankKind.Mcb ? "mcb_code" : "wcb_code", "3–20 letters, digits or '-'");
            }

            banks[code] = (r, line, kind, parent, passage);
        }
    }

    private static int RowOf(string field) =>
        field.StartsWith("row ", StringComparison.Ordinal) && int.TryParse(field.AsSpan(4, field.IndexOf(':', StringComparison.Ordinal) - 4),
            CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static List<Row> Read(TextReader text)
    {
        var records = CsvText.Parse(text);
        if (records.Count == 0)
        {
            throw new DomainValidationException("file", "the file is empty; the first row must be the header");
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException("header", $"missing columns: {string.Join(", ", missing)} (expected {string.Join(",", Columns)})");
        }

        var rows = new List<Row>();
        foreach (var record in records.Skip(1))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                fields[header[i]] = i < record.Fields.Count ? record.Fields[i] : "";
            }

            if (fields.Values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(new Row(record.Line, fields));
        }

        return rows;
    }

    private static bool Bool(Row r, string c, Action<Row, string, string> err)
    {
        switch (r[c].ToLowerInvariant())
        {
            case "yes" or "true" or "1" or "y":
                return true;
            case "no" or "false" or "0" or "n" or "":
                return false;
            default:
                err(r, c, "yes or no");
                return false;
        }
    }

    private static int Int(Row r, string c, Action<Row, string, string> err)
    {
        if (int.TryParse(r[c], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        err(r, c, "a whole number");
        return 0;
    }

    private static DateTimeOffset? Date(Row r, string c, Action<Row, string, string> err)
    {
        if (r[c].Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(r[c], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        err(r, c, "a date as yyyy-mm-dd");
        return null;
    }

    private static bool TryPosition(string text, out int row, out int column)
    {
        row = column = 0;
        var t = (text ?? "").Trim().ToUpperInvariant();
        if (t.Length < 2 || t[0] is < 'A' or > 'Z' || !int.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out column) || column < 1)
        {
            return false;
        }

        row = t[0] - 'A' + 1;
        return true;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,19}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z][0-9]$")]
    private static partial Regex DivisionPattern();
}
