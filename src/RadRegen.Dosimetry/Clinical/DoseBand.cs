namespace RadRegen.Dosimetry.Clinical;

/// <summary>A coarse dose range read from a clinical table.</summary>
/// <param name="LowerGy">Lower end in Gy (0 when open below).</param>
/// <param name="UpperGy">Upper end in Gy; null when open above (for example "&gt; 8 Gy").</param>
/// <param name="Label">The row of the table as printed ("2–4 Gy, moderate").</param>
/// <param name="Source">The table it comes from.</param>
public sealed record DoseBand(double LowerGy, double? UpperGy, string Label, string Source)
{
    /// <summary>A representative dose for triage: the middle of a closed band, the lower end of an open one.</summary>
    public double Representative => UpperGy is { } u ? (LowerGy + u) / 2 : LowerGy;
}
