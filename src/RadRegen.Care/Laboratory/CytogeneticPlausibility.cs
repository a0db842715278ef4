using System.Globalization;
using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Care.Laboratory;

/// <summary>
/// What a cytogenetic count and a calibration curve must satisfy to be believed (issue 11, item 7;
/// ADR 0018). Counts beyond the physical bound are refused; a curve whose coefficients or fit look
/// wrong is shown with warnings, on the curve and when it is activated.
/// </summary>
public static class CytogeneticPlausibility
{
    /// <summary>
    /// The most aberrations one scored cell can physically carry, by assay.
    /// <list type="bullet">
    /// <item>dicentric: 45. A human metaphase has 46 centromeres; the IAEA EPR-Biodosimetry 2011
    /// scoring convention counts a tricentric as two dicentrics and in general a multicentric with n
    /// centromeres as n − 1 dicentrics [U: the section was not re-read here], so even all 46
    /// chromosomes joined in one multicentric make 45. More dicentrics per cell than that is a
    /// typing error, not a finding;</item>
    /// <item>translocation: 46, one exchange per chromosome of the metaphase — a generous bound (a
    /// two-way translocation involves two chromosomes);</item>
    /// <item>micronucleus: 92, one micronucleus per chromosome of a binucleated cell's two nuclei
    /// (2 × 46) — a generous bound: scored binucleated cells hold a handful at most.</item>
    /// </list>
    /// </summary>
    public static int MaxPerCell(Assay assay) => assay switch
    {
        Assay.Dicentric => 45,
        Assay.Translocation => 46,
        _ => 92,
    };

    /// <summary>The name a count takes in messages: "dicentrics", "translocations", "micronuclei".</summary>
    public static string Plural(Assay assay) => assay switch
    {
        Assay.Dicentric => "dicentrics",
        Assay.Translocation => "translocations",
        _ => "micronuclei",
    };

    /// <summary>Parses an assay name (<c>dicentric</c> …); null when unknown.</summary>
    public static Assay? ParseAssay(string? name) => Enum.TryParse<Assay>(name?.Trim(), ignoreCase: true, out var a) ? a : null;

    /// <summary>
    /// Checks a count: X aberrations in N cells must not exceed <see cref="MaxPerCell"/>·N, and no
    /// column C_k of a distribution may be non-zero for k above the bound. Returns (field, message)
    /// for each violation; <paramref name="aberrationsField"/> and <paramref name="distributionField"/>
    /// name the fields.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> CheckCount(Assay assay, long cells, long aberrations, IReadOnlyList<long>? distribution,
        string aberrationsField = "aberrations", string distributionField = "distribution")
    {
        var max = MaxPerCell(assay);
        if (cells > 0 && aberrations > (long)max * cells)
        {
            yield return (aberrationsField, string.Create(CultureInfo.InvariantCulture,
                $"{aberrations} {Plural(assay)} in {cells} cells is {(double)aberrations / cells:0.##} per cell; a cell cannot carry more than {max} ({Basis(assay)}): check the count"));
        }

        if (distribution is not null)
        {
            for (var k = max + 1; k < distribution.Count; k++)
            {
                if (distribution[k] > 0)
                {
                    yield return (distributionField, string.Create(CultureInfo.InvariantCulture,
                        $"C{k} = {distribution[k]}: a cell cannot carry {k} {Plural(assay)} (at most {max}, {Basis(assay)})"));
                    break;
                }
            }
        }
    }

    private static string Basis(Assay assay) => assay switch
    {
        Assay.Dicentric => "46 centromeres per metaphase, a multicentric with n centromeres scored as n − 1 dicentrics, IAEA EPR-Biodosimetry 2011",
        Assay.Translocation => "one exchange per chromosome of the 46",
        _ => "one per chromosome of a binucleated cell's 2 × 46",
    };

    /// <summary>
    /// The highest background yield C (aberrations per cell at 0 Gy) a plausible curve has, by assay:
    /// <list type="bullet">
    /// <item>dicentric: 0.005. The spontaneous dicentric frequency in healthy adults is about 1–2 per
    /// 1000 cells (IAEA EPR-Biodosimetry 2011 §3; the Barquinero 1995 curve has C = 0.0013) — a C
    /// above 5 per 1000 says the 0 Gy point or the fit is wrong [U: the per-mille figure is from
    /// the manual as commonly cited, not re-read here];</item>
    /// <item>translocation (full genome): 0.02, the Sigurdson et al. 2008 pooled background at age 80
    /// (e^−7.925 + e^−9.284·80·e^0.01062·80 ≈ 0.018 per cell; reference/dosimetry/methods.md);</item>
    /// <item>micronucleus: 0.04 per binucleated cell, the top of the spontaneous range in adults (about
    /// 2–36 per 1000 BN cells, rising with age and in women; Fenech et al., HUMN project) [U].</item>
    /// </list>
    /// </summary>
    public static double MaxBackground(Assay assay) => assay switch
    {
        Assay.Dicentric => 0.005,
        Assay.Translocation => 0.02,
        _ => 0.04,
    };

    /// <summary>The significance level of the goodness-of-fit test below which a fit is flagged (two-sided 5 %, as the u test's 1.96).</summary>
    public const double GoodnessOfFitAlpha = 0.05;

    /// <summary>
    /// Warnings about a curve's coefficients and fit (empty when none):
    /// <list type="bullet">
    /// <item>α or β negative, or C negative: the yield must not fall with dose nor below 0 (IAEA 2011
    /// §9.4: Y = C + αD + βD² with non-negative coefficients for low-LET radiation);</item>
    /// <item>C above the assay's background range (<see cref="MaxBackground"/>);</item>
    /// <item>lack of fit: Pearson χ² on its residual degrees of freedom with p &lt; 0.05 (IAEA 2011
    /// §9.4 and ISO 19238 Annex D test the fit's goodness with χ²/df);</item>
    /// <item>no calibrated dose range recorded: estimates cannot be checked for extrapolation.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> Warnings(LabCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var warnings = new List<string>();
        if (curve.Alpha < 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"α = {curve.Alpha:G4} is negative: the yield would fall with dose at low doses (IAEA 2011 §9.4)."));
        }

        if (curve.Beta < 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"β = {curve.Beta:G4} is negative: the curve would bend down at high doses (IAEA 2011 §9.4)."));
        }

        if (curve.C < 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"C = {curve.C:G4} is negative: a background yield cannot be below 0."));
        }

        if (ParseAssay(curve.Assay) is { } assay && curve.C > MaxBackground(assay))
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"C = {curve.C:G4} per cell is above the background range of {Plural(assay)} (at most {MaxBackground(assay):G4} per cell): check the 0 Gy point."));
        }

        if (curve.Fit is { Dispersion: { } phi, Df: > 0 } fit && double.IsFinite(phi))
        {
            var chi2 = phi * fit.Df;
            var p = CurveFitter.GoodnessOfFitP(chi2, fit.Df);
            if (p < GoodnessOfFitAlpha)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Poor fit: Pearson χ² = {chi2:0.##} on {fit.Df} df (φ = {phi:0.##}, p = {p:0.####} < {GoodnessOfFitAlpha}); the model does not describe the counts (IAEA 2011 §9.4; ISO 19238 Annex D)."));
            }
        }

        if (curve.CalibratedToGy is null)
        {
            warnings.Add("The calibrated dose range is not recorded: estimates from this curve cannot be checked for extrapolation.");
        }

        return warnings;
    }
}
