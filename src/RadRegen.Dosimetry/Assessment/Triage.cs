namespace RadRegen.Dosimetry.Assessment;

/// <summary>First-sorting colour by estimated whole-body dose.</summary>
public enum TriageColour
{
    /// <summary>Below 1 Gy.</summary>
    Green,

    /// <summary>1 to 2 Gy.</summary>
    Yellow,

    /// <summary>Above 2 Gy.</summary>
    Red,
}

/// <summary>
/// MULTIBIODOSE triage categories (EU FP7 MULTIBIODOSE, Jaworska et al. 2015, Radiat Prot Dosim
/// 164:165): green &lt; 1 Gy, yellow 1–2 Gy, red &gt; 2 Gy.
/// </summary>
public static class Triage
{
    /// <summary>The colour for a whole-body dose in Gy (exactly 1 Gy is yellow, exactly 2 Gy is yellow).</summary>
    public static TriageColour ColourFor(double doseGy) =>
        doseGy < 1 ? TriageColour.Green : doseGy <= 2 ? TriageColour.Yellow : TriageColour.Red;
}
