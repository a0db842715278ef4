namespace RadRegen.Dosimetry.Clinical;

/// <summary>
/// Approximate whole-body dose from the lowest absolute lymphocyte count within 48 h: Mettler &amp;
/// Voelz 2002 (NEJM 346:1554), as tabulated by the Merck Manual. Counts in ×10⁹/L. Children have
/// higher normal counts and trauma perturbs them (same source).
/// </summary>
public static class LowestLymphocytes
{
    private const string Source = "Mettler & Voelz 2002, NEJM 346:1554 (lowest lymphocyte count within 48 h)";

    /// <summary>The band for the lowest count (×10⁹/L) within 48 h of exposure.</summary>
    /// <exception cref="DosimetryInputException">A negative or non-finite count.</exception>
    public static DoseBand Band(double lowestCount)
    {
        if (!(lowestCount >= 0) || double.IsInfinity(lowestCount))
        {
            throw new DosimetryInputException("lowest lymphocyte count", $"must be a count ≥ 0 ×10⁹/L (got {lowestCount})");
        }

        return lowestCount switch
        {
            >= 1.5 => new DoseBand(0, 0.4, "≥ 1.5 ×10⁹/L: ≤ 0.4 Gy (printed \"0.4\"), prognosis excellent", Source),
            >= 1.0 => new DoseBand(0.5, 1.9, "1.0–1.5 ×10⁹/L: 0.5–1.9 Gy, prognosis good", Source),
            >= 0.5 => new DoseBand(2.0, 3.9, "0.5–1.0 ×10⁹/L: 2.0–3.9 Gy, prognosis fair", Source),
            >= 0.1 => new DoseBand(4.0, 7.9, "0.1–0.5 ×10⁹/L: 4.0–7.9 Gy, prognosis poor", Source),
            _ => new DoseBand(8.0, null, "< 0.1 ×10⁹/L: ≥ 8 Gy, almost always fatal", Source),
        };
    }
}
