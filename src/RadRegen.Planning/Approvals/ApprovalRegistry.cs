using System.Globalization;
using RadRegen.Bank.Catalogue;

namespace RadRegen.Planning.Approvals;

/// <summary>A product's regulatory status.</summary>
public enum ApprovalStatus
{
    /// <summary>Under clinical research; no marketing approval.</summary>
    Investigational,

    /// <summary>Conditional, time-limited approval (Japan's PMD Act pathway for regenerative products).</summary>
    Conditional,

    /// <summary>Full approval.</summary>
    Full,
}

/// <summary>
/// A product's regulatory status, with the end of a conditional period and the patients still
/// needed for full approval (the form of the 2026 approvals, reference/planning/README.md §3).
/// </summary>
/// <param name="Product">The bank's product code (S9105), or null for a product outside the catalogue.</param>
/// <param name="PatientsRequired">Patients whose data full approval needs (conditional only).</param>
/// <param name="PatientsTreated">Patients treated so far, when known.</param>
public sealed record ProductApproval(string? Product, string Name, ApprovalStatus Status, DateOnly? ApprovedOn, DateOnly? PeriodEnds, int? PatientsRequired,
    int? PatientsTreated, string Source)
{
    /// <summary>Patients still needed for full approval; null when unknown or not conditional.</summary>
    public int? PatientsStillNeeded => Status == ApprovalStatus.Conditional && PatientsRequired is { } r
        ? Math.Max(0, r - (PatientsTreated ?? 0))
        : null;

    /// <summary>Short text for a badge ("conditional until 2033-03-06, 75 patients still needed").</summary>
    public string Badge => Status switch
    {
        ApprovalStatus.Conditional => string.Create(CultureInfo.InvariantCulture,
            $"conditional{(PeriodEnds is { } e ? $" until {e:yyyy-MM-dd}" : "")}{(PatientsStillNeeded is { } n ? $", {n} patients still needed for full approval" : "")}"),
        ApprovalStatus.Full => "approved",
        _ => "investigational",
    };
}

/// <summary>The approvals the planning page and the bank's product pages show.</summary>
public static class ApprovalRegistry
{
    /// <summary>Conditional, time-limited approvals last 7 years (MHLW, 6 March 2026; reference/planning/README.md §3).</summary>
    public const int ConditionalYears2026 = 7;

    private static readonly DateOnly Approved2026 = new(2026, 3, 6);

    private const string Source2026 = "MHLW conditional, time-limited approval 6 March 2026, 7 years (nippon.com/Jiji 2026-03-06; japannews.yomiuri 2026-02-20; racthera.co.jp)";

    /// <summary>
    /// The two 2026 approvals as published: ReHeart (75 patients for full approval) and Amchepry
    /// (35). Patients treated since are not published, so unknown.
    /// </summary>
    public static IReadOnlyList<ProductApproval> Japan2026 { get; } =
    [
        new(null, "ReHeart (Cuorips; allogeneic iPSC cardiomyocyte sheets)", ApprovalStatus.Conditional, Approved2026,
            Approved2026.AddYears(ConditionalYears2026), 75, null, Source2026),
        new(null, "Amchepry (raguneprocel; Sumitomo Pharma / S-RACMO; dopaminergic neural progenitors)", ApprovalStatus.Conditional, Approved2026,
            Approved2026.AddYears(ConditionalYears2026), 35, null, Source2026),
    ];

    /// <summary>
    /// The bank's own products: no approval is published for iPSC-derived platelets (iPLAT1 is a
    /// phase 1 study, Blood Adv 2022;6:6056) or keratinocyte sheets, so both are investigational.
    /// </summary>
    public static IReadOnlyList<ProductApproval> Catalogue { get; } =
    [
        new(SeedCatalogue.PlateletsCode, "iPSC-derived platelets", ApprovalStatus.Investigational, null, null, null, null,
            "iPLAT1 first-in-human phase 1 (Sugimoto et al., Blood Adv 2022;6:6056); no marketing approval published"),
        new(SeedCatalogue.KeratinocyteSheetsCode, "iPSC-derived keratinocyte sheets", ApprovalStatus.Investigational, null, null, null, null,
            "no marketing approval published (center's record)"),
    ];

    /// <summary>Every approval shown.</summary>
    public static IReadOnlyList<ProductApproval> All { get; } = [.. Catalogue, .. Japan2026];

    /// <summary>The approval of a catalogue product, or null.</summary>
    public static ProductApproval? For(string? product) => All.FirstOrDefault(a => a.Product is not null && a.Product == product);
}
