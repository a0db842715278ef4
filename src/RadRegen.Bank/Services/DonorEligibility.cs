using RadRegen.Bank.Model;
using RadRegen.Core;

namespace RadRegen.Bank.Services;

/// <summary>
/// The donor gate (ADR 0016): a donor with a positive or missing infectious marker cannot seed a
/// line, cell bank or lot for clinical use; their material is research use only, and only where
/// the donor consented to research.
/// </summary>
public static class DonorEligibility
{
    /// <summary>
    /// The rule and its source, as errors and pages cite it. US: 21 CFR 1271.45 (donor eligibility
    /// determination) and 1271.85 (testing for HIV-1/2, HBV, HCV, Treponema pallidum, and HTLV-I/II
    /// for viable leukocyte-rich cells); Japan: the MHLW Standards for Biological Ingredients (2003,
    /// human cell/tissue-derived raw materials: donor screening). The markers are those the project
    /// records (<see cref="DonorService.ScreeningMarkers"/>); reference/qc/README.md lists the sources.
    /// </summary>
    public const string Rule =
        "clinical use needs every infectious marker tested and negative (donor eligibility: 21 CFR 1271.45 and 1271.85; "
        + "Japan MHLW Standards for Biological Ingredients)";

    /// <summary>What makes the donor ineligible: "HBV positive", "HTLV-1/2 not recorded"; empty when eligible.</summary>
    public static IReadOnlyList<string> Findings(Donor donor)
    {
        ArgumentNullException.ThrowIfNull(donor);
        var findings = new List<string>();
        foreach (var marker in DonorService.ScreeningMarkers)
        {
            var result = donor.Screening.FirstOrDefault(s => string.Equals(s.Marker, marker, StringComparison.OrdinalIgnoreCase))?.Result;
            if (result is null)
            {
                findings.Add($"{marker} not recorded");
            }
            else if (!string.Equals(result, "negative", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{marker} {result.ToLowerInvariant()}");
            }
        }

        return findings;
    }

    /// <summary>Whether the donor's material may be used clinically (every marker negative).</summary>
    public static bool ClinicalAllowed(Donor donor) => Findings(donor).Count == 0;

    /// <summary>"Research use only: donor D-1 HBV positive", or null when the donor is eligible.</summary>
    public static string? ResearchOnlyReason(Donor donor)
    {
        var findings = Findings(donor);
        return findings.Count == 0 ? null : $"Research use only: donor {donor.Code} {string.Join(", ", findings)}";
    }

    /// <summary>Refuses (422) <paramref name="what"/> for clinical use from a donor who is not eligible, naming donor, markers and rule.</summary>
    public static void RequireClinical(Donor donor, string what)
    {
        var findings = Findings(donor);
        if (findings.Count > 0)
        {
            throw new RuleViolationException(
                $"donor {donor.Code} ({string.Join(", ", findings)}) cannot seed {what} for clinical use: {Rule}; "
                + (donor.Consent.Research ? "research use only" : "and the donor did not consent to research, so not for research either"));
        }
    }

    /// <summary>Refuses (422) research material from a donor who did not consent to research.</summary>
    public static void RequireResearchConsent(Donor donor, string what)
    {
        ArgumentNullException.ThrowIfNull(donor);
        if (!donor.Consent.Research)
        {
            throw new RuleViolationException($"donor {donor.Code} did not consent to research use: {what} cannot be made for research from this material");
        }
    }
}
