using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Reporting;
using RadRegen.Web.Bank;

namespace RadRegen.Web.Reports;

/// <summary>The bank's PDF reports: the certificate of analysis of a released lot and its vial labels (docs/reports.md).</summary>
public static class BankReports
{
    /// <summary>
    /// The label cell: 70 × 37 mm, a common A4 sheet of 3 × 8 self-adhesive labels; inside the report's
    /// margins two labels fit across (the sheet is printed at 100 %, the cut lines show each label).
    /// </summary>
    public const double LabelWidthMm = 70;

    /// <summary>The label cell's height (see <see cref="LabelWidthMm"/>).</summary>
    public const double LabelHeightMm = 37;

    /// <summary>
    /// The certificate of analysis of a released lot: identity, lineage (donor pseudonym, line, master
    /// and working cell bank, lot), each QC result against its specification with the verdict, the
    /// deviations and QA's release e-signature with its meaning (21 CFR 11.50). A lot that is not
    /// released gets none: 409 naming its state, nothing generated.
    /// </summary>
    public static ReportDocument CertificateOfAnalysis(ReportContext r, LotDetail detail, Lineage lineage)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(lineage);
        RequireReleased(detail);
        var lot = detail.Lot;
        var din = Din.Parse(lot.Din);
        var product = detail.Product;
        var identity = new ReportFacts(
        [
            new(r["Lot"], lot.LotNumber),
            new(r["DIN"], $"{lot.Din} {din.CheckCharacter}"),
            new(r["Product"], $"{product.Code} {product.Name}"),
            new(r["Intended use"], IntendedUses.Name(lot.IntendedUse)),
            new(r["Status"], detail.StatusName),
            new(r["Manufactured"], r.Time(lot.ManufacturedAt)),
            new(r["Expires"], r.Time(lot.ExpiresAt)),
            new(r["Storage"], string.Create(CultureInfo.InvariantCulture, $"≤ {product.StorageMaxCelsius} °C ({product.StorageCitation})")),
            new(r["Vials"], detail.Vials.Count.ToString(CultureInfo.InvariantCulture)),
        ]);
        var origin = new ReportFacts(
        [
            new(r["Donor (pseudonym)"], lineage.Donor.Code),
            new(r["Cell line"], $"{lineage.Line.Code} ({lineage.Line.Method}, {r["clone"]} {lineage.Line.CloneName})"),
            new(r["Master cell bank"], lineage.MasterBank is { } mcb ? $"{mcb.Code} (p{mcb.Passage.ToString(CultureInfo.InvariantCulture)})" : "—"),
            new(r["Working cell bank"], $"{lineage.WorkingBank.Code} (p{lineage.WorkingBank.Passage.ToString(CultureInfo.InvariantCulture)})"),
            new(r["Lot"], lot.LotNumber),
        ]);

        var rows = new List<IReadOnlyList<string>>();
        foreach (var test in product.Specification)
        {
            // The latest result of each test is the one the release judged (ReleaseService.Readiness).
            var result = detail.Results.Where(x => x.TestCode == test.Code).OrderBy(x => x.RecordedAt).ThenBy(x => x.Id).LastOrDefault();
            rows.Add(
            [
                test.Name,
                test.Method,
                test.Criterion.ToString(),
                // A no-break space keeps the value and its unit on one line.
                result is null ? "—" : string.Join('\u00a0', new[] { result.Value, result.Unit }.Where(s => !string.IsNullOrEmpty(s))),
                result is null ? r["not tested"] : result.Passed ? r["pass"] : r["FAIL"],
                result is null ? "" : $"{result.RecordedBy}, {r.Time(result.RecordedAt)}",
            ]);
        }

        var results = new ReportTable([r["Test"], r["Method"], r["Specification"], r["Result"], r["Verdict"], r["Recorded by"]], rows)
        {
            Caption = r["Each test's latest result against the product's specification, as recorded."],
        };

        var sections = new List<ReportSection>
        {
            new(r["Product and lot"], [identity]),
            new(r["Lineage"], [origin]),
            new(r["Quality-control results"], [results]),
        };
        if (detail.Deviations.Count > 0)
        {
            sections.Add(new(r["Deviations"],
            [
                new ReportTable([r["Test"], r["Description"], r["Status"], r["Closure"]],
                    [.. detail.Deviations.Select(d => (IReadOnlyList<string>)[d.TestCode, d.Description, d.Status == DeviationStatus.Open ? r["open"] : r["closed"],
                        d.Closure is null ? "" : $"{d.Closure} ({d.ClosedBy}, {r.Time(d.ClosedAt)})"])]),
            ]));
        }

        var release = detail.Signatures.Where(s => s.SignatureIdMatches(lot.SignatureId)).ToList();
        var signatures = release.Count > 0 ? release : [.. detail.Signatures];
        sections.Add(new(r["Release"],
        [
            new ReportParagraph(r["Released by Quality Assurance with an electronic signature; the signature's meaning is part of the record (21 CFR 11.50)."]),
            .. signatures.Select(s => (ReportBlock)new ReportSignature($"{s.DisplayName} ({s.UserName})", s.Meaning, r.Time(s.SignedAt))
            {
                Reference = r.Format("e-signature #{0}, journal entry {1}", s.Id, s.JournalSequence),
            }),
        ]));

        return r.Document(r["Certificate of analysis"], $"{r["Lot"]} {lot.LotNumber} · {product.Code} {product.Name}", sections);
    }

    /// <summary>A certificate of analysis exists only for a lot QA released (one since expired keeps it, showing "expired"): 409 naming the lot's state otherwise.</summary>
    /// <exception cref="ConflictException">The lot is in quarantine or rejected.</exception>
    public static void RequireReleased(LotDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (detail.Lot.Status != LotStatus.Released)
        {
            throw new ConflictException(
                $"lot {detail.Lot.LotNumber} is {detail.StatusName}, not released: a certificate of analysis is issued only for a released lot");
        }
    }

    private static bool SignatureIdMatches(this ElectronicSignature signature, long? id) => id is { } i && signature.Id == i;

    /// <summary>
    /// The lot's vial labels as a PDF sheet: the same content as the label page (Labels.cs): the DIN
    /// with its check character, product code and division, product name, lot and expiry, storage, the
    /// quarantine or intended-use marking, and the QR code carrying <see cref="Labels.CodeText"/>.
    /// </summary>
    public static ReportDocument LabelSheet(ReportContext r, LotDetail detail)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(detail);
        var lot = detail.Lot;
        var product = detail.Product;
        var labels = detail.Vials.Select(vial =>
        {
            var din = Din.Parse(vial.Din);
            var lines = new List<string>
            {
                $"{din.Value} {din.CheckCharacter}",
                $"{product.Code} · div {vial.Division}",
                product.Name,
                $"Lot {lot.LotNumber} · EXP {vial.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
                string.Create(CultureInfo.InvariantCulture, $"Store ≤ {product.StorageMaxCelsius} °C"),
            };
            if (vial.Status == VialStatus.Quarantine)
            {
                lines.Add("QUARANTINE — not for use");
            }

            if (lot.IntendedUse == IntendedUse.Research)
            {
                lines.Add("RESEARCH USE ONLY");
            }
            else if (lot.IntendedUse == IntendedUse.StartingMaterial)
            {
                lines.Add("STARTING MATERIAL — not for administration");
            }

            return new ReportLabel(lines, Labels.CodeText(vial, din));
        }).ToList();

        return r.Document(r["Vial labels"], $"{r["Lot"]} {lot.LotNumber} · {product.Code} {product.Name}",
        [
            new(r.Format("{0} labels, {1} × {2} mm; print at 100 % (no scaling)", labels.Count,
                LabelWidthMm.ToString(CultureInfo.InvariantCulture), LabelHeightMm.ToString(CultureInfo.InvariantCulture)),
                [new ReportLabelSheet(LabelWidthMm, LabelHeightMm, labels)]),
        ]);
    }
}
