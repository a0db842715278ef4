namespace RadRegen.Dosimetry.Estimation;

/// <summary>Sex, for the DNA content of the genome and the translocation background.</summary>
public enum Sex
{
    /// <summary>Male (46,XY).</summary>
    Male,

    /// <summary>Female (46,XX).</summary>
    Female,
}

/// <summary>
/// FISH translocations (IAEA 2011 ch. 10; ISO 20046): the genome conversion factor F_p/F_G of Lucas
/// et al. (1992, 2000) from the painted chromosomes, and the age-dependent background of Sigurdson
/// et al. 2008 (Mutat Res 652:112, international meta-analysis).
/// </summary>
public static class Translocations
{
    // Relative DNA content per chromosome (Mb) from Morton 1991 (PNAS 88:7474), as tabulated in
    // Biodose Tools data-raw/dna-content-table-raw.csv: chromosomes 1..22, then X, Y.
    private static readonly double[] DnaContent =
    [
        263, 255, 214, 203, 194, 183, 171, 155, 145, 144, 144, 143, 114, 109, 106, 98, 92, 85, 67, 72, 50, 56,
        164, 59,
    ];

    /// <summary>
    /// Fraction of the genome in one chromosome (both homologues for autosomes) by Morton 1991:
    /// content × copies / Σ(content × copies), male XY or female XX.
    /// </summary>
    /// <param name="chromosome">"1".."22", "X" or "Y".</param>
    /// <param name="sex">Sex of the person.</param>
    public static double DnaFraction(string chromosome, Sex sex)
    {
        ArgumentNullException.ThrowIfNull(chromosome);
        var index = IndexOf(chromosome);
        double total = 0;
        for (var i = 0; i < DnaContent.Length; i++)
        {
            total += DnaContent[i] * Copies(i, sex);
        }

        return DnaContent[index] * Copies(index, sex) / total;
    }

    /// <summary>
    /// Genome conversion factor (Lucas et al. 1992, Int J Radiat Biol 62:53; IAEA 2011 §10.4):
    /// F_p/F_G = (2/0.974)·[Σ_i f_i(1 − f_i) − Σ_{i&lt;j} f_i f_j], f_i the summed DNA fraction of the
    /// chromosomes painted in colour i.
    /// </summary>
    /// <param name="colours">For each colour, the chromosomes painted in it ("1", "2", "X", …).</param>
    /// <param name="sex">Sex of the person.</param>
    /// <exception cref="DosimetryInputException">Unknown chromosome, a chromosome in two colours, or Y in a female.</exception>
    public static double GenomeFactor(IReadOnlyList<IReadOnlyList<string>> colours, Sex sex)
    {
        ArgumentNullException.ThrowIfNull(colours);
        var seen = new HashSet<int>();
        var f = new double[colours.Count];
        for (var i = 0; i < colours.Count; i++)
        {
            foreach (var ch in colours[i])
            {
                var idx = IndexOf(ch);
                if (!seen.Add(idx))
                {
                    throw new DosimetryInputException($"colour {i + 1}: chromosome {ch}", "is painted in more than one colour");
                }

                if (sex == Sex.Female && idx == 23)
                {
                    throw new DosimetryInputException($"colour {i + 1}: chromosome Y", "a female genome has no Y chromosome");
                }

                f[i] += DnaFraction(ch, sex);
            }
        }

        double s1 = 0, s2 = 0;
        for (var i = 0; i < f.Length; i++)
        {
            s1 += f[i] * (1 - f[i]);
            for (var j = i + 1; j < f.Length; j++)
            {
                s2 += f[i] * f[j];
            }
        }

        return 2 / 0.974 * (s1 - s2);
    }

    /// <summary>
    /// Expected background translocations per cell (full genome) at a given age, Sigurdson et al. 2008:
    /// [e^{−7.925} + e^{−9.284}·age·e^{0.01062·age}]·S·K·E·R with S = 0.92 for females (1 otherwise), K = 1.19
    /// for smokers, and the ethnicity and region factors given (1 for the reference groups: white, North
    /// America).
    /// </summary>
    public static double BackgroundRate(double ageYears, Sex? sex = null, bool smoker = false, double ethnicityFactor = 1, double regionFactor = 1)
    {
        if (!(ageYears >= 0 && ageYears < 130))
        {
            throw new DosimetryInputException("age", $"must be 0–130 years (got {ageYears})");
        }

        var s = sex == Sex.Female ? 0.92 : 1;
        var k = smoker ? 1.19 : 1;
        return (Math.Exp(-7.925) + (Math.Exp(-9.284) * ageYears * Math.Exp(0.01062 * ageYears))) * s * k * ethnicityFactor * regionFactor;
    }

    /// <summary>Expected background translocations Xc among N scored cells: N·F_p/F_G·rate.</summary>
    public static double ExpectedBackground(long cells, double genomeFactor, double backgroundRate) =>
        cells * genomeFactor * backgroundRate;

    private static int Copies(int index, Sex sex) => index switch
    {
        < 22 => 2,
        22 => sex == Sex.Male ? 1 : 2,
        _ => sex == Sex.Male ? 1 : 0,
    };

    private static int IndexOf(string chromosome)
    {
        var c = chromosome.Trim();
        if (c.Equals("X", StringComparison.OrdinalIgnoreCase))
        {
            return 22;
        }

        if (c.Equals("Y", StringComparison.OrdinalIgnoreCase))
        {
            return 23;
        }

        return int.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 22
            ? n - 1
            : throw new DosimetryInputException($"chromosome \"{chromosome}\"", "must be 1–22, X or Y");
    }
}
