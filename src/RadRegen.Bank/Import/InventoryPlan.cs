using System.Text.RegularExpressions;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;

namespace RadRegen.Bank.Import;

/// <summary>A line to create: its donor's code and what the file says about it.</summary>
internal sealed record PlannedLine(InventoryRow Row, string Donor, string Method, string CloneName, int Passage);

/// <summary>A master or working cell bank to create; a working bank names its master.</summary>
internal sealed record PlannedBank(InventoryRow Row, string Line, CellBankKind Kind, string? Parent, int Passage);

/// <summary>A lot to create with its vials; <see cref="First"/> is the row that introduced it.</summary>
internal sealed record PlannedLot(string LotNumber, Din? Din, string Product, string Wcb, DateTimeOffset Made, List<VialPlacement> Vials, InventoryRow First);

/// <summary>
/// Step 3 of an import: what the rows ask to create (donors, lines, banks, lots with their vials),
/// each once, checked against each other and against the store snapshot. Every problem is added to
/// the errors with its row and column; a plan with errors is never written.
/// </summary>
internal sealed partial class InventoryPlan
{
    private static readonly string[] MarkerColumns = ["hiv", "hbv", "hcv", "htlv", "syphilis"];

    private readonly InventoryStoreSnapshot snapshot;
    private readonly ImportErrors errors;
    private readonly BankService bank;
    private readonly string userName;
    private readonly DateTimeOffset now;
    private readonly string source;
    private readonly Dictionary<(long, int, int), int> positions = [];

    private InventoryPlan(InventoryStoreSnapshot snapshot, ImportErrors errors, BankService bank, string userName, DateTimeOffset now, string source)
    {
        (this.snapshot, this.errors, this.bank, this.userName, this.now, this.source) = (snapshot, errors, bank, userName, now, source);
    }

    public Dictionary<string, (InventoryRow Row, RegisterDonorRequest Request)> Donors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, PlannedLine> Lines { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, PlannedBank> Banks { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, PlannedLot> Lots { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static InventoryPlan Build(IReadOnlyList<InventoryRow> rows, InventoryStoreSnapshot snapshot, ImportErrors errors, BankService bank,
        string userName, DateTimeOffset now, string source)
    {
        var plan = new InventoryPlan(snapshot, errors, bank, userName, now, source);
        foreach (var r in rows)
        {
            var donorCode = plan.AddDonor(r);
            var lineCode = plan.AddLine(r, donorCode);
            plan.AddBanks(r, lineCode);
            plan.AddVial(r);
        }

        foreach (var dins in plan.Lots.Values.Where(l => l.Din is not null).GroupBy(l => l.Din!.Value).Where(g => g.Count() > 1))
        {
            errors.Add(dins.Skip(1).First().First, "din", $"DIN {dins.Key} is given to more than one lot");
        }

        if (rows.Count == 0)
        {
            errors.Add(new FieldError("file", "no rows"));
        }

        return plan;
    }

    /// <summary>The row's donor, the first time its code appears: consent, screening and HLA as the bank validates a registration.</summary>
    private string AddDonor(InventoryRow r)
    {
        var donorCode = r["donor_code"].ToUpperInvariant();
        if (donorCode.Length == 0)
        {
            errors.Add(r, "donor_code", "required");
            return donorCode;
        }

        if (Donors.ContainsKey(donorCode))
        {
            return donorCode;
        }

        var consented = InventoryRows.Date(r, "consented_on", errors);
        var screening = new List<ScreeningResult>();
        for (var i = 0; i < MarkerColumns.Length; i++)
        {
            if (r[MarkerColumns[i]].Length > 0)
            {
                screening.Add(new ScreeningResult(BankService.ScreeningMarkers[i], r[MarkerColumns[i]]));
            }
        }

        var request = new RegisterDonorRequest(donorCode, new ConsentScopes(InventoryRows.Bool(r, "consent_banking", errors),
            InventoryRows.Bool(r, "consent_research", errors), InventoryRows.Bool(r, "consent_clinical", errors)), consented, screening,
            r["hla_gl"].Length == 0 ? null : r["hla_gl"], $"import {source}");
        try
        {
            bank.BuildDonor(request, userName, now);
            Donors[donorCode] = (r, request);
        }
        catch (DomainValidationException ex)
        {
            foreach (var e in ex.Errors)
            {
                errors.Add(r, e.Field, e.Message);
            }
        }

        return donorCode;
    }

    /// <summary>The row's line; a line named again must belong to the same donor.</summary>
    private string AddLine(InventoryRow r, string donorCode)
    {
        var lineCode = r["line_code"];
        var passage = InventoryRows.Int(r, "line_passage", errors);
        if (lineCode.Length == 0)
        {
            errors.Add(r, "line_code", "required");
        }
        else if (Lines.TryGetValue(lineCode, out var known))
        {
            if (!string.Equals(known.Donor, donorCode, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(r, "line_code", $"line {lineCode} belongs to donor {known.Donor} (row {known.Row.Number}), not {donorCode}");
            }
        }
        else
        {
            if (!CodePattern().IsMatch(lineCode.ToUpperInvariant()))
            {
                errors.Add(r, "line_code", "3–20 letters, digits or '-'");
            }

            if (r["method"].Length == 0)
            {
                errors.Add(r, "method", "required");
            }

            if (r["clone"].Length == 0)
            {
                errors.Add(r, "clone", "required");
            }

            foreach (var e in LineService.TextErrors(r["method"], r["clone"], null))
            {
                errors.Add(r, e.Field, e.Message);
            }

            Lines[lineCode] = new PlannedLine(r, donorCode, r["method"], r["clone"], passage);
        }

        return lineCode;
    }

    /// <summary>The row's master and working cell banks of its line.</summary>
    private void AddBanks(InventoryRow r, string lineCode)
    {
        var mcb = r["mcb_code"];
        var wcb = r["wcb_code"];
        if (mcb.Length == 0 || wcb.Length == 0)
        {
            errors.Add(r, mcb.Length == 0 ? "mcb_code" : "wcb_code", "required");
            return;
        }

        AddBank(r, mcb, lineCode, CellBankKind.Mcb, null, InventoryRows.Int(r, "mcb_passage", errors));
        AddBank(r, wcb, lineCode, CellBankKind.Wcb, mcb, InventoryRows.Int(r, "wcb_passage", errors));
    }

    private void AddBank(InventoryRow r, string code, string line, CellBankKind kind, string? parent, int passage)
    {
        var column = kind == CellBankKind.Mcb ? "mcb_code" : "wcb_code";
        if (Banks.TryGetValue(code, out var known))
        {
            if (known.Kind != kind || !string.Equals(known.Line, line, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(known.Parent, parent, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(r, column, $"{code} is used differently in row {known.Row.Number}");
            }

            return;
        }

        if (!CodePattern().IsMatch(code.ToUpperInvariant()))
        {
            errors.Add(r, column, "3–20 letters, digits or '-'");
        }

        Banks[code] = new PlannedBank(r, line, kind, parent, passage);
    }

    /// <summary>The row's vial: its lot (the same DIN, product, working bank and date on every row of the lot), division and box position.</summary>
    private void AddVial(InventoryRow r)
    {
        var lotNumber = r["lot_number"];
        var product = r["product_code"].ToUpperInvariant();
        if (!snapshot.Products.Contains(product))
        {
            errors.Add(r, "product_code", $"unknown product code '{r["product_code"]}'");
        }

        var din = ParseDin(r);
        var division = r["division"].ToUpperInvariant();
        if (!DivisionPattern().IsMatch(division))
        {
            errors.Add(r, "division", "a division is a letter and a digit (A0–Z9)");
        }

        var (boxId, prow, pcol) = Place(r);
        if (lotNumber.Length == 0)
        {
            errors.Add(r, "lot_number", "required");
            return;
        }

        if (lotNumber.Length > Limits.LotNumber.MaxLength)
        {
            errors.Add(r, "lot_number", InputLimits.TooLong(lotNumber.Length, Limits.LotNumber));
            return;
        }

        var wcb = r["wcb_code"];
        var made = InventoryRows.Date(r, "manufactured_on", errors) ?? now;
        if (!Lots.TryGetValue(lotNumber, out var lot))
        {
            lot = new PlannedLot(lotNumber, din, product, wcb, made, [], r);
            Lots[lotNumber] = lot;
        }
        else if (!string.Equals(lot.Product, product, StringComparison.Ordinal) || !string.Equals(lot.Wcb, wcb, StringComparison.OrdinalIgnoreCase)
            || lot.Din?.Value != din?.Value || lot.Made != made)
        {
            errors.Add(r, "lot_number", $"lot {lotNumber} has a different DIN, product, working bank or date in row {lot.First.Number}");
        }

        if (lot.Vials.Any(v => v.Division == division))
        {
            errors.Add(r, "division", $"division {division} of lot {lotNumber} appears twice");
        }

        lot.Vials.Add(new VialPlacement(division, boxId, prow, pcol));
    }

    private Din? ParseDin(InventoryRow r)
    {
        if (r["din"].Length == 0)
        {
            return null;
        }

        try
        {
            return Din.Parse(r["din"]);
        }
        catch (DomainValidationException ex)
        {
            errors.Add(r, "din", ex.Errors[0].Message);
            return null;
        }
    }

    /// <summary>The row's box and position, if given: a box that exists, a position inside it, not given twice in the file.</summary>
    private (long? Box, int? Row, int? Column) Place(InventoryRow r)
    {
        if (r["box"].Length == 0 && r["position"].Length == 0)
        {
            return (null, null, null);
        }

        if (!snapshot.Boxes.TryGetValue(r["box"], out var box))
        {
            errors.Add(r, "box", $"no box '{r["box"]}' (give its path site/tank/rack/box or its id; create it first)");
        }
        else if (!InventoryRows.TryPosition(r["position"], out var row, out var col) || row > box.Rows || col > box.Columns)
        {
            errors.Add(r, "position", $"'{r["position"]}' is not a position of box {box.Name} (A1–{Positions.Label(box.Rows, box.Columns)})");
        }
        else if (positions.TryGetValue((box.Id, row, col), out var other))
        {
            errors.Add(r, "position", $"{r["position"]} of box {box.Name} is also given in row {other}");
        }
        else
        {
            positions[(box.Id, row, col)] = r.Number;
            return (box.Id, row, col);
        }

        return (null, null, null);
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,19}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z][0-9]$")]
    private static partial Regex DivisionPattern();
}
