using System.Text.RegularExpressions;
using RadRegen.Bank.Model;
using RadRegen.Core;

namespace RadRegen.Bank.Catalogue;

/// <summary>
/// A product type the center makes: its ISBT 128-style description code (the center configures its
/// own, beginning with S), storage and shelf life, dose unit and QC specification.
/// </summary>
/// <param name="Code">Product description code, <c>S</c> and four digits (S9101).</param>
/// <param name="StorageMaxCelsius">Highest storage temperature allowed (−150 °C for LN2 vapour phase).</param>
/// <param name="ShelfLifeFrozenDays">How long a lot keeps in storage from manufacture.</param>
/// <param name="ShelfLifeAfterThawHours">How long a vial keeps after thawing (0: not a frozen product).</param>
/// <param name="DoseUnit">What a dose is counted in.</param>
public sealed partial record Product(
    string Code,
    string Name,
    string Indication,
    double StorageMaxCelsius,
    int ShelfLifeFrozenDays,
    int ShelfLifeAfterThawHours,
    string DoseUnit,
    IReadOnlyList<QcTest> Specification,
    int Version = 1)
{
    /// <summary>
    /// How much of <see cref="DoseUnit"/> one vial holds (its fill): a prescription becomes
    /// ⌈dose (× weight when the unit is per kg) / <see cref="DosePerVial"/>⌉ vials. The center's own
    /// product setting, not a published value.
    /// </summary>
    public double DosePerVial { get; init; } = 1;

    /// <summary>
    /// The storage temperature class the product needs (null: the class of <see cref="StorageMaxCelsius"/>,
    /// for a catalogue stored before classes were declared). A vial goes only into a unit whose class
    /// fits (<see cref="TemperatureClassSpec.Accepts"/>).
    /// </summary>
    public TemperatureClass? StorageClass { get; init; }

    /// <summary>
    /// Where the product's storage condition comes from (a publication, the manufacturer's
    /// validation); null: its class's source (<see cref="TemperatureClassSpec.Source"/>), as for the
    /// seed catalogue (−150 °C: ISCT; −80 °C: 21 CFR 600.15).
    /// </summary>
    public string? StorageSource { get; init; }

    /// <summary>The source of the storage condition shown with it.</summary>
    public string StorageCitation => StorageSource ?? Storage.Source;

    /// <summary>The class in force: the declared one, else the one <see cref="StorageMaxCelsius"/> belongs to.</summary>
    public TemperatureClassSpec Storage => TemperatureClasses.Of(StorageClass ?? TemperatureClasses.ForLimit(StorageMaxCelsius));

    /// <summary>
    /// What the product is for (ADR 0016): only <see cref="IntendedUse.Clinical"/> products are
    /// requested, reserved, dispatched or administered for a patient.
    /// </summary>
    public IntendedUse IntendedUse { get; init; } = IntendedUse.Clinical;

    /// <summary>Whether the product contains immune cells: then graft-versus-host mismatches count in matching too.</summary>
    public bool ContainsImmuneCells { get; init; }

    /// <summary>Whether <see cref="DoseUnit"/> is per kilogram of body weight ("×10⁶ cells/kg").</summary>
    public bool DosedPerKg => DoseUnit.EndsWith("/kg", StringComparison.OrdinalIgnoreCase);

    /// <summary>Vials for a dose: the dose (per kg × weight when <see cref="DosedPerKg"/>) divided by the vial's fill, rounded up.</summary>
    public int VialsFor(double dose, double weightKg)
    {
        var total = DosedPerKg ? dose * weightKg : dose;
        return (int)Math.Ceiling((total / DosePerVial) - 1e-9);
    }

    public IEnumerable<QcTest> ReleaseTests => Specification.Where(t => t.Kind == QcTestKind.Release);

    public QcTest Test(string code) =>
        Specification.FirstOrDefault(t => string.Equals(t.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new DomainValidationException("testCode",
            $"'{code}' is not in the specification of {Code}; expected one of {string.Join(", ", Specification.Select(t => t.Code))}");

    public void Validate()
    {
        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(Code ?? ""))
        {
            errors.Add(new("code", "a product code is S followed by four digits (S9101)"));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new("name", "name the product"));
        }

        // Issue 12 item 8: catalogue texts have their named lengths (Core.Limits).
        new InputLimits(errors).Text("name", Name, Limits.ShortName).Text("indication", Indication, Limits.FreeText)
            .Text("doseUnit", DoseUnit, Limits.ShortName);

        if (ShelfLifeFrozenDays <= 0)
        {
            errors.Add(new("shelfLifeFrozenDays", "must be at least one day"));
        }

        if (ShelfLifeAfterThawHours < 0)
        {
            errors.Add(new("shelfLifeAfterThawHours", "cannot be negative"));
        }

        if (string.IsNullOrWhiteSpace(DoseUnit))
        {
            errors.Add(new("doseUnit", "state the dose unit"));
        }

        if (!(DosePerVial > 0) || double.IsInfinity(DosePerVial))
        {
            errors.Add(new("dosePerVial", "how much of the dose unit one vial holds: a number above 0"));
        }

        if (Specification is null || !Specification.Any(t => t.Kind == QcTestKind.Release))
        {
            errors.Add(new("specification", "a product needs at least one release test"));
        }
        else if (Specification.GroupBy(t => t.Code, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            errors.Add(new("specification", "test codes must be unique"));
        }

        if (!double.IsFinite(StorageMaxCelsius) || StorageMaxCelsius > Storage.Warmest)
        {
            errors.Add(new("storageMaxCelsius", $"the storage limit must be at most {TemperatureClasses.Celsius(Storage.Warmest)} for the class {Storage.Name}"));
        }

        // Issue 12 item 8: a storage source is a citation (a title, Core.Limits; 300 before); a specification a short list of
        // tests whose code, name, method, expected word, unit and vocabulary are short names.
        var limits = new InputLimits(errors).Text("storageSource", StorageSource, Limits.Title)
            .Count("specification", Specification?.Count ?? 0, Limits.ShortList);
        foreach (var (test, i) in (Specification ?? []).Take(Limits.ShortList.MaxCount).Select((t, i) => (t, i)))
        {
            var at = $"specification[{i}].";
            limits.Text(at + "code", test.Code, Limits.ShortName).Text(at + "name", test.Name, Limits.ShortName)
                .Text(at + "method", test.Method, Limits.ShortName).Text(at + "criterion.expected", test.Criterion?.Expected, Limits.ShortName)
                .Text(at + "criterion.unit", test.Criterion?.Unit, Limits.ShortName)
                .List(at + "criterion.vocabulary", test.Criterion?.Vocabulary, Limits.ShortList, Limits.ShortName)
                .Text(at + "criterion.range.reason", test.Criterion?.Range?.Reason, Limits.Title);
        }

        foreach (var test in (Specification ?? []).Take(Limits.ShortList.MaxCount))
        {
            if (test.Criterion?.Problem() is { } problem)
            {
                errors.Add(new("specification", $"{test.Code}: {problem}"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    [GeneratedRegex("^S[0-9]{4}$")]
    private static partial Regex CodePattern();
}

/// <summary>
/// The catalogue a new center starts with: products for radiation injury, each with the QC panel of
/// its reference (reference/qc/README.md: CiRA clinical iPSC stock, Umekage et al. 2019, Table 2;
/// Doi et al. 2020 for differentiated products; published MSC release specifications).
/// </summary>
public static class SeedCatalogue
{
    /// <summary>iPSC-derived keratinocyte sheets (cutaneous radiation syndrome).</summary>
    public const string KeratinocyteSheetsCode = "S9101";

    /// <summary>iPSC-derived platelets (haematopoietic ARS: thrombocytopenia); dose unit ×10¹¹ platelets.</summary>
    public const string PlateletsCode = "S9105";

    private static QcTest R(string code, string name, QcCriterion c, string method) => new(code, name, QcTestKind.Release, c, method);

    private static QcTest F(string code, string name, QcCriterion c, string method) => new(code, name, QcTestKind.Reference, c, method);

    /// <summary>The CiRA clinical iPSC stock panel (Umekage et al., Inflamm Regen 2019;39:17, Table 2).</summary>
    public static IReadOnlyList<QcTest> IpscStockPanel { get; } =
    [
        R("morphology", "Morphology", QcCriterion.Is("ES-like"), "microscopy"),
        R("hla", "HLA identity with donor", QcCriterion.Is("match"), "PCR-SBT"),
        R("str", "STR identity with donor", QcCriterion.Is("match"), "STR analysis"),
        R("sterility", "Sterility", QcCriterion.Is("negative"), "BacT/ALERT"),
        R("viral", "Viral PCR", QcCriterion.Is("negative"), "PCR"),
        R("endotoxin", "Endotoxin", QcCriterion.AtMost(5, "EU/mL"), "LAL"),
        R("mycoplasma", "Mycoplasma", QcCriterion.Is("negative"), "PCR"),
        F("pluripotency", "Pluripotency markers", QcCriterion.Is("positive"), "flow cytometry"),
        F("snv-cnv", "SNV/CNV", QcCriterion.Is("no abnormality"), "WGS/WES, SNP array"),
        F("karyotype", "Karyotype", QcCriterion.Is("normal"), "G-banding"),
        F("residual-vector", "Residual vector", QcCriterion.Is("not detected"), "qPCR"),
        F("post-thaw-cell-number", "Post-thaw cell number", QcCriterion.Recorded("×10⁶ cells"), "cell count"),
        F("post-thaw-viability", "Post-thaw viability", QcCriterion.Recorded("%"), "trypan blue"),
        F("doubling-time", "Doubling time", QcCriterion.Recorded("h"), "growth curve"),
    ];

    /// <summary>A differentiated iPSC product (Doi et al., Nat Commun 2020).</summary>
    public static IReadOnlyList<QcTest> DifferentiatedPanel(string marker) =>
    [
        R("viability", "Viability", QcCriterion.GreaterThan(90, "%"), "trypan blue"),
        R("target-marker", $"Target marker ({marker})", QcCriterion.GreaterThan(90, "%"), "flow cytometry"),
        R("residual-undifferentiated", "Residual undifferentiated cells", QcCriterion.LessThan(0.1, "%"), "flow cytometry / qPCR"),
        R("sterility", "Sterility", QcCriterion.Is("negative"), "BacT/ALERT"),
        R("mycoplasma", "Mycoplasma", QcCriterion.Is("negative"), "PCR"),
        R("endotoxin", "Endotoxin", QcCriterion.AtMost(1, "EU/mL"), "LAL"),
        R("residual-plasmid", "Residual plasmid", QcCriterion.Is("not detected"), "qPCR"),
        F("karyotype", "Karyotype", QcCriterion.Is("normal"), "G-banding"),
    ];

    /// <summary>MSC-like cells (published MSC release specifications).</summary>
    public static IReadOnlyList<QcTest> MscPanel { get; } =
    [
        R("viability", "Viability", QcCriterion.AtLeast(80, "%"), "trypan blue"),
        R("endotoxin", "Endotoxin", QcCriterion.LessThan(0.5, "EU/mL"), "LAL"),
        R("sterility", "Sterility (no growth at 7 days)", QcCriterion.Is("negative"), "BacT/ALERT, 7 days"),
        R("mycoplasma", "Mycoplasma", QcCriterion.Is("negative"), "PCR"),
        R("residual-undifferentiated", "Residual undifferentiated cells", QcCriterion.LessThan(0.1, "%"), "flow cytometry / qPCR"),
        F("karyotype", "Karyotype", QcCriterion.Is("normal"), "G-banding"),
    ];

    /// <summary>
    /// A cell product vial holds 1×10⁸ cells, 100 in the ×10⁶ dose unit: the center's fill, which it
    /// edits per product (migration 0004 sets the same for existing catalogues).
    /// </summary>
    public const double CellProductVialFill = 100;

    public static IReadOnlyList<Product> Products { get; } =
    [
        // Undifferentiated iPSC (master cell bank material): starting material for manufacture, never
        // given to a patient (ADR 0016; reference/qc/README.md: a differentiated product keeps residual
        // undifferentiated cells below 0.1 %).
        new("S9100", "Clinical iPSC stock", "Starting material for all products (HLA-homozygous haplobank lines)",
            -150, 3650, 24, "vial (1×10⁶ cells)", IpscStockPanel) { IntendedUse = IntendedUse.StartingMaterial },
        new(KeratinocyteSheetsCode, "iPSC-derived keratinocyte sheets", "Cutaneous radiation syndrome: grafting after excision",
            -150, 365, 6, "cm² of sheet", DifferentiatedPanel("keratin 14")),
        new("S9102", "iPSC-derived MSC-like cells", "Cutaneous radiation syndrome with surgery; pelvic radiation injury (i.v.)",
            -150, 730, 4, "×10⁶ cells/kg", MscPanel) { DosePerVial = CellProductVialFill },
        new("S9103", "iPSC-derived intestinal epithelial cells", "Gastrointestinal acute radiation syndrome",
            -150, 365, 4, "×10⁶ cells", DifferentiatedPanel("CDX2")) { DosePerVial = CellProductVialFill },
        new("S9104", "iPSC-derived endothelial progenitor cells", "Radiation vasculopathy, wound revascularisation",
            -150, 365, 4, "×10⁶ cells/kg", DifferentiatedPanel("CD31")) { DosePerVial = CellProductVialFill },
        new(PlateletsCode, "iPSC-derived platelets", "Haematopoietic acute radiation syndrome: thrombocytopenia (iPLAT1 route)",
            -80, 180, 6, "×10¹¹ platelets", DifferentiatedPanel("CD41a")),
    ];
}
