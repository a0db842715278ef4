using RadRegen.Hla.Frequencies;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Typings;

namespace RadRegen.Hla.Tests.Matching;

public class MatchingTests
{
    private static readonly HlaMatcher TwoField = new(MatchOptions.Default);

    private static MatchResult M(string patient, string graft, HlaMatcher? matcher = null) =>
        (matcher ?? TwoField).Match("g", HlaTyping.Parse(patient), HlaTyping.Parse(graft));

    private const string Patient = "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01";

    [Fact]
    public void A_homozygous_line_with_one_of_the_patients_alleles_is_HvG_compatible_but_scores_1_of_2_in_registries()
    {
        var r = M(Patient, "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.True(r.HvgCompatible);
        Assert.Equal(0, r.HvgMismatches);
        Assert.Equal(3, r.GvhMismatches);
        Assert.Equal(3, r.RegistryMismatches);
        Assert.All(r.Loci, l => Assert.Equal(1, l.RegistryMax));
        Assert.Contains("GvH: patient A*02:01 not in graft A*01:01", r.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_each_direction_by_distinct_foreign_alleles()
    {
        // Line homozygous for an allele the patient lacks: one foreign antigen (HvG 1), two patient alleles foreign to it (GvH 2).
        var line = M(Patient, "A*03:01+A*03:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.Equal((1, 2, 2), (line.Loci[0].HvgMax, line.Loci[0].GvhMax, line.Loci[0].RegistryMax));
        Assert.False(line.HvgCompatible);
        Assert.Contains("A: HvG: graft A*03:01 not in patient A*01:01+A*02:01", line.Explanation, StringComparison.Ordinal);

        // Heterozygous donor against a homozygous patient: HvG 1, GvH 0, registry 1.
        var donor = M("A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01", "A*01:01+A*02:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.Equal((1, 0, 1), (donor.Loci[0].HvgMax, donor.Loci[0].GvhMax, donor.Loci[0].RegistryMax));

        // Fully different heterozygotes: 2 / 2 / 2 at each locus.
        var far = M(Patient, "A*03:01+A*11:01^B*44:02+B*35:01^DRB1*04:01+DRB1*07:01");
        Assert.Equal(6, far.HvgMismatches);
        Assert.Equal(6, far.GvhMismatches);
        Assert.Equal(6, far.RegistryMismatches);
    }

    [Fact]
    public void The_level_decides_what_counts_as_the_same_allele()
    {
        const string line = "A*02:09+A*02:09^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01";
        Assert.Equal(1, M(Patient, line).HvgMismatches);
        var loci = HlaLoci.DefaultMatchingLoci;
        Assert.Equal(0, M(Patient, line, new HlaMatcher(new MatchOptions(loci, MatchLevel.FirstField, new HlaLevelMapper()))).HvgMismatches);
        var pgroup = new HlaMatcher(new MatchOptions(loci, MatchLevel.PGroup, new HlaLevelMapper(SyntheticReference.Load())));
        var r = M(Patient, line, pgroup);
        Assert.Equal(0, r.HvgMismatches);
        Assert.Equal("IPD-IMGT/HLA 9.99.0-synthetic; MAC 01/01/26", r.ReferenceVersion);
        Assert.Null(M(Patient, line).ReferenceVersion);
    }

    [Fact]
    public void Ambiguity_gives_worst_and_best_case_and_only_the_worst_case_decides_compatibility()
    {
        var r = M("A*01+A*02^B*08+B*07^DRB1*03+DRB1*15", "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.Equal(3, r.HvgMismatches);
        Assert.Equal(0, r.HvgMismatchesBestCase);
        Assert.False(r.HvgCompatible);
        Assert.True(r.PossiblyHvgCompatible);
        Assert.Contains("A: graft A*01:01+A*01:01 vs patient A*01:XX+A*02:XX: HvG 0-1, GvH 1-2 depending on the ambiguity", r.Explanation, StringComparison.Ordinal);

        var list = M("A*01:01/A*03:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.Equal((0, 1), (list.Loci[0].HvgMin, list.Loci[0].HvgMax));

        var genotypes = M("A*01:01+A*02:01|A*01:01+A*24:02^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01", "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.True(genotypes.HvgCompatible);   // A*01:01 present in both genotypes
    }

    [Fact]
    public void Untyped_loci_and_configured_loci()
    {
        var r = M("A*01:01+A*02:01^B*08:01+B*07:02", "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01");
        Assert.Equal((0, 1), (r.Loci[2].HvgMin, r.Loci[2].HvgMax));
        Assert.Contains("patient not typed", r.Explanation, StringComparison.Ordinal);

        var withC = new HlaMatcher(MatchOptions.Default with { Loci = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1] });
        var c = M(Patient + "^C*07:01+C*07:02", "A*01:01+A*01:01^B*08:01+B*08:01^C*07:01+C*07:01^DRB1*03:01+DRB1*03:01", withC);
        Assert.Equal(4, c.Loci.Length);
        Assert.True(c.HvgCompatible);
        var noC = M(Patient, "A*01:01+A*01:01^B*08:01+B*08:01^C*07:01+C*07:01^DRB1*03:01+DRB1*03:01", withC);
        Assert.Equal(1, noC.HvgMismatches);
    }

    [Fact]
    public void Ranking_orders_by_HvG_then_GvH_then_registry_then_id()
    {
        var results = new[]
        {
            M(Patient, "A*03:01+A*03:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01") with { Id = "hvg1" },
            M(Patient, "A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01") with { Id = "identical" },
            M(Patient, "A*01:01+A*01:01^B*08:01+B*08:01^DRB1*03:01+DRB1*03:01") with { Id = "b-homozygous" },
            M(Patient, "A*02:01+A*02:01^B*07:02+B*07:02^DRB1*15:01+DRB1*15:01") with { Id = "a-homozygous" },
        };
        Assert.Equal(["identical", "a-homozygous", "b-homozygous", "hvg1"], HlaMatcher.Rank(results).Select(r => r.Id));
    }

    [Fact]
    [Trait("Category", "Slow")] // validation against brute force over a published frequency set
    public void Donor_panel_gives_the_same_results_and_order_as_one_by_one_matching()
    {
        var set = TestData.CauAbDrb1TwoField;
        var random = new Random(20261121);
        Haplotype Draw()
        {
            var u = random.NextDouble();
            foreach (var h in set.Haplotypes)
            {
                u -= h.Frequency;
                if (u <= 0)
                {
                    return h.Haplotype;
                }
            }

            return set.Haplotypes[^1].Haplotype;
        }

        string Typing(Haplotype a, Haplotype b) => string.Join('^', a.Alleles.Zip(b.Alleles).Select(p => $"{p.First}+{p.Second}"));
        var donors = Enumerable.Range(0, 3000).Select(i => (Id: $"D{i:D5}", Typing: HlaTyping.Parse(Typing(Draw(), Draw())))).ToList();
        // Some donors typed at first field, with allele lists, or with alternative genotypes.
        donors.Add(("X1", HlaTyping.Parse("A*01+A*02^B*08+B*07^DRB1*03+DRB1*15")));
        donors.Add(("X2", HlaTyping.Parse("A*01:01/A*02:01+A*03:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01")));
        donors.Add(("X3", HlaTyping.Parse("A*01:01+A*02:01|A*01:01+A*24:02^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01")));
        donors.Add(("X4", HlaTyping.Parse("A*01:01+A*02:01^B*08:01+B*07:02")));
        var panel = DonorPanel.Build(donors, TwoField);
        Assert.Equal(3004, panel.Count);
        for (var p = 0; p < 5; p++)
        {
            var patient = HlaTyping.Parse(p == 0 ? "A*01+A*02^B*08+B*07^DRB1*03+DRB1*15" : Typing(Draw(), Draw()));
            var expected = donors.Select((d, i) => (R: TwoField.Match(d.Id, patient, d.Typing), I: i))
                .OrderBy(x => x.R.HvgMismatches).ThenBy(x => x.R.GvhMismatches).ThenBy(x => x.R.RegistryMismatches)
                .ThenBy(x => x.R.HvgMismatchesBestCase).ThenBy(x => x.I).Take(50).Select(x => x.R).ToList();
            var actual = panel.Match(patient, 50);
            var all = panel.Match(patient, donors.Count);
            foreach (var id in new[] { "X1", "X2", "X3", "X4" })
            {
                var d = donors.Single(x => x.Id == id);
                Assert.Equal(TwoField.Match(id, patient, d.Typing), all.Single(r => r.Id == id), MatchResultComparer.Instance);
            }

            Assert.Equal(expected.Select(r => r.Id), actual.Select(r => r.Id));
            Assert.Equal(expected.Select(r => r.Explanation), actual.Select(r => r.Explanation));
            Assert.Equal(donors.Count(d => TwoField.Match(d.Id, patient, d.Typing).HvgCompatible), panel.CountHvgCompatible(patient));
        }
    }

    private sealed class MatchResultComparer : IEqualityComparer<MatchResult>
    {
        public static readonly MatchResultComparer Instance = new();

        public bool Equals(MatchResult? x, MatchResult? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Loci.SequenceEqual(y.Loci) && x.ReferenceVersion == y.ReferenceVersion;

        public int GetHashCode(MatchResult obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_refuses_duplicate_ids()
    {
        var t = HlaTyping.Parse(Patient);
        Assert.Throws<HlaInputException>(() => DonorPanel.Build([("x", t), ("x", t)], TwoField));
    }
}
