using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Probability;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Tests.Probability;

public class MatchProbabilityTests
{
    private const string FirstFieldPatient = "A*01+A*02^B*08+B*07^DRB1*03+DRB1*15";
    private const string LineA1B8Dr3 = "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01";

    private static readonly Lazy<MatchProbabilityCalculator> Cau = new(() =>
        new MatchProbabilityCalculator(TestData.Nmdp("CAU"), MatchOptions.Default));

    /// <summary>
    /// reference/hla/notes.md §7.4 evaluated literally for a first-field patient and a homozygous line: every
    /// unordered pair of the reduced set whose first fields give the patient's genotype at each
    /// locus, weight f1·f2·(2 if different), compatible when the line's allele is in the pair.
    /// </summary>
    private static double BruteForce(HaplotypeFrequencySet set, string[][] patientFirstFields, string[] line)
    {
        double all = 0, ok = 0;
        var hs = set.Haplotypes;
        for (var i = 0; i < hs.Length; i++)
        {
            for (var j = i; j < hs.Length; j++)
            {
                var consistent = true;
                var compatible = true;
                for (var l = 0; l < 3; l++)
                {
                    var a = hs[i].Haplotype.Alleles[l];
                    var b = hs[j].Haplotype.Alleles[l];
                    var p = patientFirstFields[l];
                    consistent &= (a.FirstField == p[0] && b.FirstField == p[1]) || (a.FirstField == p[1] && b.FirstField == p[0]);
                    compatible &= a.ToString() == line[l] || b.ToString() == line[l];
                }

                if (consistent)
                {
                    var w = hs[i].Frequency * hs[j].Frequency * (i == j ? 1 : 2);
                    all += w;
                    ok += compatible ? w : 0;
                }
            }
        }

        return ok / all;
    }

    [Fact]
    [Trait("Category", "Slow")] // validation against brute force over a published frequency set
    public void First_field_patient_probability_equals_brute_force_over_the_CAU_set()
    {
        var calc = Cau.Value;
        var patient = calc.Expand(HlaTyping.Parse(FirstFieldPatient));
        Assert.False(patient.Unrepresented);
        Assert.False(patient.Truncated);
        var p = calc.Probability(patient, HlaTyping.Parse(LineA1B8Dr3))!.Value;
        var expected = BruteForce(TestData.CauAbDrb1TwoField, [["01", "02"], ["08", "07"], ["03", "15"]], ["A*01:01", "B*08:01", "DRB1*03:01"]);
        Assert.Equal(expected, p, 12);
        Assert.InRange(p, 0.5, 1.0);   // A*01:01, B*08:01, DRB1*03:01 dominate their groups in CAU
    }

    [Fact]
    public void Unambiguous_patients_get_zero_or_one()
    {
        var calc = Cau.Value;
        var patient = calc.Expand(HlaTyping.Parse("A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01"));
        Assert.Equal(1.0, calc.Probability(patient, HlaTyping.Parse(LineA1B8Dr3))!.Value, 12);
        Assert.Equal(0.0, calc.Probability(patient, HlaTyping.Parse("A*03:01+A*03:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01"))!.Value, 12);
    }

    [Fact]
    public void A_typing_nothing_in_the_set_explains_is_unrepresented()
    {
        var calc = Cau.Value;
        var patient = calc.Expand(HlaTyping.Parse("A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*99:99"));
        Assert.True(patient.Unrepresented);
        Assert.Null(calc.Probability(patient, HlaTyping.Parse(LineA1B8Dr3)));
    }

    [Fact]
    public void Keeps_only_the_top_K_diplotypes()
    {
        var one = new MatchProbabilityCalculator(TestData.Nmdp("CAU"), MatchOptions.Default, maxDiplotypes: 1);
        var patient = one.Expand(HlaTyping.Parse(FirstFieldPatient));
        Assert.Single(patient.Diplotypes);
        Assert.True(patient.Truncated);
        Assert.True(patient.Considered > 1);
        var all = Cau.Value.Expand(HlaTyping.Parse(FirstFieldPatient));
        Assert.Equal(all.Diplotypes[0], patient.Diplotypes[0]);
        Assert.True(all.Diplotypes.Zip(all.Diplotypes.Skip(1)).All(p => p.First.Weight >= p.Second.Weight));
    }

    [Fact]
    public void Bank_probability_is_at_least_each_lines_and_at_most_their_sum()
    {
        var calc = Cau.Value;
        var patient = calc.Expand(HlaTyping.Parse(FirstFieldPatient));
        var lines = new[] { LineA1B8Dr3, "A*02:01+A*02:01^B*07:02+B*07:02^DRB1*15:01+DRB1*15:01", "A*01:01+A*01:01^B*07:02+B*07:02^DRB1*15:01+DRB1*15:01" }
            .Select(HlaTyping.Parse).ToList();
        var each = lines.Select(l => calc.Probability(patient, l)!.Value).ToList();
        var bank = calc.Probability(patient, lines)!.Value;
        Assert.True(bank >= each.Max() - 1e-12);
        Assert.True(bank <= each.Sum() + 1e-12);
    }

    [Fact]
    public void Works_at_first_field_and_P_group_levels()
    {
        var set = TestData.FromText("""
            haplotype,frequency
            A*01:01~B*08:01~DRB1*03:01,0.4
            A*02:01~B*08:01~DRB1*03:01,0.3
            A*02:09~B*07:02~DRB1*15:01,0.3
            """);
        var patient = HlaTyping.Parse("A*02:01+A*02:09^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01");
        var line = HlaTyping.Parse("A*02:09+A*02:09^B*07:02+B*07:02^DRB1*15:01+DRB1*15:01");
        var pg = new MatchProbabilityCalculator(set, new MatchOptions(HlaLoci.DefaultMatchingLoci, MatchLevel.PGroup, new HlaLevelMapper(SyntheticReference.Load())));
        Assert.Equal(1.0, pg.Probability(pg.Expand(patient), line)!.Value, 12);
        var ff = new MatchProbabilityCalculator(set, MatchOptions.Default with { Level = MatchLevel.FirstField });
        Assert.Equal(1.0, ff.Probability(ff.Expand(HlaTyping.Parse("A*02+A*01^B*08+B*08^DRB1*03+DRB1*03")), HlaTyping.Parse("A*01+A*01^B*08+B*08^DRB1*03+DRB1*03"))!.Value, 12);
    }
}
