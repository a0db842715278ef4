using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Matching;

/// <summary>
/// Compares a patient's and a graft's values at one locus, enumerating every reading of their
/// ambiguity: worst-case counts use certain equality, best-case counts possible equality
/// (wildcards). Definitions in <see cref="LocusMatch"/>.
/// </summary>
internal static class LocusComparer
{
    /// <summary>Enumeration limit per locus pair; beyond it the typing is refused as too ambiguous.</summary>
    public const int MaxReadings = 1_000_000;

    public static LocusMatch Compare(HlaLocus locus, LocusValues? patient, LocusValues? graft)
    {
        if (graft is null)
        {
            return new LocusMatch(locus, 0, 2, 0, 2, 0, 2, $"{locus.Name()}: graft not typed (counted as up to 2 mismatches)");
        }

        if (patient is null)
        {
            var n = graft.Alternatives.Max(a => a.First.SequenceEqual(a.Second) && a.First.Length == 1 ? 1 : 2);
            return new LocusMatch(locus, 0, n, 0, 2, 0, 2, $"{locus.Name()}: patient not typed (counted as up to {n} HvG mismatch(es))");
        }

        long readings = 0;
        foreach (var pa in patient.Alternatives)
        {
            foreach (var ga in graft.Alternatives)
            {
                readings += (long)pa.First.Length * pa.Second.Length * ga.First.Length * ga.Second.Length;
            }
        }

        if (readings > MaxReadings)
        {
            throw HlaInputException.AtToken($"typings too ambiguous to compare at {locus.Name()} ({readings} readings)", patient.ToString(), 0);
        }

        int hvgMin = int.MaxValue, hvgMax = -1, gvhMin = int.MaxValue, gvhMax = -1, regMin = int.MaxValue, regMax = -1;
        (string P1, string P2, string G1, string G2) worst = default;
        foreach (var pa in patient.Alternatives)
        {
            foreach (var ga in graft.Alternatives)
            {
                foreach (var p1 in pa.First)
                {
                    foreach (var p2 in pa.Second)
                    {
                        foreach (var g1 in ga.First)
                        {
                            foreach (var g2 in ga.Second)
                            {
                                var hMax = Foreign(g1, g2, p1, p2, HlaLevelMapper.CertainlyEqual);
                                var hMin = Foreign(g1, g2, p1, p2, HlaLevelMapper.PossiblyEqual);
                                var gMax = Foreign(p1, p2, g1, g2, HlaLevelMapper.CertainlyEqual);
                                var gMin = Foreign(p1, p2, g1, g2, HlaLevelMapper.PossiblyEqual);
                                var rMax = Registry(p1, p2, g1, g2, HlaLevelMapper.CertainlyEqual);
                                var rMin = Registry(p1, p2, g1, g2, HlaLevelMapper.PossiblyEqual);
                                if (hMax > hvgMax || (hMax == hvgMax && gMax > gvhMax))
                                {
                                    worst = (p1, p2, g1, g2);
                                }

                                hvgMax = Math.Max(hvgMax, hMax);
                                hvgMin = Math.Min(hvgMin, hMin);
                                gvhMax = Math.Max(gvhMax, gMax);
                                gvhMin = Math.Min(gvhMin, gMin);
                                regMax = Math.Max(regMax, rMax);
                                regMin = Math.Min(regMin, rMin);
                            }
                        }
                    }
                }
            }
        }

        return new LocusMatch(locus, hvgMin, hvgMax, gvhMin, gvhMax, regMin, regMax,
            Explain(locus, worst, hvgMin, hvgMax, gvhMin, gvhMax, patient, graft));
    }

    /// <summary>Distinct alleles of (a1, a2) not present among (b1, b2).</summary>
    private static int Foreign(string a1, string a2, string b1, string b2, Func<string, string, bool> eq)
    {
        var n = eq(a1, b1) || eq(a1, b2) ? 0 : 1;
        if (!eq(a1, a2) && !(eq(a2, b1) || eq(a2, b2)))
        {
            n++;
        }

        return n;
    }

    private static int Registry(string p1, string p2, string g1, string g2, Func<string, string, bool> eq)
    {
        var direct = (eq(p1, g1) ? 1 : 0) + (eq(p2, g2) ? 1 : 0);
        var crossed = (eq(p1, g2) ? 1 : 0) + (eq(p2, g1) ? 1 : 0);
        return 2 - Math.Max(direct, crossed);
    }

    private static string Explain(HlaLocus locus, (string P1, string P2, string G1, string G2) w, int hvgMin, int hvgMax, int gvhMin, int gvhMax,
        LocusValues patient, LocusValues graft)
    {
        if (hvgMax == 0 && gvhMax == 0)
        {
            return string.Empty;
        }

        if (hvgMin != hvgMax || gvhMin != gvhMax)
        {
            // Ambiguous: say which typings and the range the ambiguity leaves open.
            return $"{locus.Name()}: graft {graft} vs patient {patient}: HvG {Range(hvgMin, hvgMax)}, GvH {Range(gvhMin, gvhMax)} depending on the ambiguity";
        }

        var parts = new List<string>(2);
        var graftText = w.G1 == w.G2 ? w.G1 : $"{w.G1}+{w.G2}";
        if (hvgMax > 0)
        {
            var foreign = new[] { w.G1, w.G2 }.Distinct(StringComparer.Ordinal)
                .Where(g => !HlaLevelMapper.CertainlyEqual(g, w.P1) && !HlaLevelMapper.CertainlyEqual(g, w.P2));
            parts.Add($"HvG: graft {string.Join(", ", foreign)} not in patient {w.P1}+{w.P2}");
        }

        if (gvhMax > 0)
        {
            var foreign = new[] { w.P1, w.P2 }.Distinct(StringComparer.Ordinal)
                .Where(p => !HlaLevelMapper.CertainlyEqual(p, w.G1) && !HlaLevelMapper.CertainlyEqual(p, w.G2));
            parts.Add($"GvH: patient {string.Join(", ", foreign)} not in graft {graftText}");
        }

        return $"{locus.Name()}: {string.Join("; ", parts)}";
    }

    private static string Range(int min, int max) => min == max ? $"{max}" : $"{min}-{max}";
}
