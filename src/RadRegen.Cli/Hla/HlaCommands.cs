using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RadRegen.Cli.Infrastructure;
using RadRegen.Hla;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.GlStrings;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Planning;
using RadRegen.Hla.Probability;
using RadRegen.Hla.ReferenceFiles;
using RadRegen.Hla.Typings;

namespace RadRegen.Cli.Hla;

/// <summary><c>radregen hla parse | coverage | plan | match</c>: the HLA engine on the command line.</summary>
internal static class HlaCommands
{
    public static Command Create()
    {
        var hla = new Command("hla", "HLA: GL Strings, haplobank coverage and planning, matching patients to lines and donors.");
        hla.Subcommands.Add(Parse());
        hla.Subcommands.Add(CoverageCommand());
        hla.Subcommands.Add(PlanCommand());
        hla.Subcommands.Add(MatchCommand());
        return hla;
    }

    private static Command Parse()
    {
        var glstring = new Argument<string>("glstring") { Description = "A GL String, e.g. A*01:01+A*02:01^B*08:01+B*07:02^DRB1*03:01+DRB1*15:01." };
        var json = CommonOptions.Json();
        var command = new Command("parse", "Parse a GL String and print it normalised, with its genotype per locus.") { glstring, json };
        CliAction.Set(command, parse =>
        {
            GlString gl;
            HlaTyping typing;
            try
            {
                gl = GlString.Parse(parse.GetValue(glstring)!);
                typing = HlaTyping.FromGlString(gl);
            }
            catch (HlaInputException ex)
            {
                throw new CliInputException($"GLSTRING: {ex.Message}", ex);
            }

            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    glstring = gl.ToString(),
                    loci = typing.Loci.Values.Select(l => new { locus = l.Locus.Name(), genotypes = l.ToString(), ambiguous = l.IsAmbiguous }),
                });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(gl.ToString());
            TextTable.Write(o, ["Locus", "Genotype(s)", "Ambiguous"],
                typing.Loci.Values.Select(l => new[] { l.Locus.Name(), l.ToString(), l.IsAmbiguous ? "yes" : "no" }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CoverageCommand()
    {
        var frequencies = FrequenciesOption(required: true);
        var loci = LociOption();
        var resolution = ResolutionOption();
        var top = new Option<int?>("--top") { Description = "The N most frequent haplotypes as lines (ties by haplotype name)." };
        var lines = new Option<string?>("--lines") { Description = "CSV id,typing of homozygous lines (GL String, or one haplotype)." };
        var merged = MergedOption();
        var json = CommonOptions.Json();
        var command = new Command("coverage", "Cis and trans (HvG) coverage of a population by homozygous lines, line by line, with donors to screen (1/f²).")
        {
            frequencies, loci, resolution, top, lines, merged, json,
        };
        command.Validators.Add(r =>
        {
            var hasTop = r.GetValue(top) is not null;
            var hasLines = r.GetValue(lines) is not null;
            if (hasTop == hasLines)
            {
                r.AddError("give exactly one of --top N or --lines FILE");
            }
            else if (r.GetValue(top) is < 1)
            {
                r.AddError("--top must be at least 1");
            }
        });
        CliAction.Set(command, parse =>
        {
            var (index, reduction, warnings) = LoadSet(parse.GetValue(frequencies)!, parse.GetValue(loci)!, parse.GetValue(resolution)!);
            IReadOnlyList<BankLine> bank = parse.GetValue(top) is { } n
                ? HaplobankCoverage.TopByFrequency(index.Set, n)
                : ReadLines(parse.GetValue(lines)!, index.Set, parse.GetValue(resolution)!);
            var report = HaplobankCoverage.Evaluate(index, bank);
            if (parse.GetValue(json))
            {
                parse.InvocationConfiguration.Output.WriteLine(CoverageJson.Write(
                    report, index.Loci.Select(l => l.Name()), parse.GetValue(resolution), index.Set.Source, reduction, parse.GetValue(merged), warnings));
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            Header(o, index, reduction, warnings, parse.GetValue(resolution)!);
            o.WriteLine($"Bank of {report.Rows.Length} line(s): cis {Percent(report.Cis)}, trans (HvG) {Percent(report.Trans)}");
            o.WriteLine();
            WriteRows(o, report.Rows);
            if (parse.GetValue(merged))
            {
                WriteMerged(o, reduction);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PlanCommand()
    {
        var frequencies = FrequenciesOption(required: true);
        var count = new Option<int>("--count") { Description = "Number of lines to choose.", Required = true };
        var loci = LociOption();
        var resolution = ResolutionOption();
        var candidates = new Option<string?>("--candidates") { Description = "CSV id,typing of homozygous donors available; default: every haplotype of the set." };
        var json = CommonOptions.Json();
        var command = new Command("plan", "Choose N lines in frequency order and by greedy largest trans gain; compare the curves.")
        {
            frequencies, count, loci, resolution, candidates, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(count) < 1)
            {
                r.AddError("--count must be at least 1");
            }
        });
        CliAction.Set(command, parse =>
        {
            var (index, reduction, warnings) = LoadSet(parse.GetValue(frequencies)!, parse.GetValue(loci)!, parse.GetValue(resolution)!);
            var pool = parse.GetValue(candidates) is { } file ? ReadLines(file, index.Set, parse.GetValue(resolution)!) : (IReadOnlyList<BankLine>?)null;
            var plan = HaplobankPlanner.Plan(index, parse.GetValue(count), pool);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    byFrequency = new { trans = plan.ByFrequency.Trans, cis = plan.ByFrequency.Cis, rows = plan.ByFrequency.Rows.Select(Row) },
                    greedy = new { trans = plan.Greedy.Trans, cis = plan.Greedy.Cis, rows = plan.Greedy.Rows.Select(Row) },
                    haplotypes = plan.Haplotypes,
                    candidates = plan.Candidates,
                    loci = index.Loci.Select(l => l.Name()),
                    resolution = parse.GetValue(resolution),
                    frequencies = index.Set.Source,
                    warnings,
                });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            Header(o, index, reduction, warnings, parse.GetValue(resolution)!);
            o.WriteLine($"Candidates: {plan.Candidates}");
            o.WriteLine($"By frequency: cis {Percent(plan.ByFrequency.Cis)}, trans {Percent(plan.ByFrequency.Trans)}");
            o.WriteLine($"Greedy trans: cis {Percent(plan.Greedy.Cis)}, trans {Percent(plan.Greedy.Trans)}");
            o.WriteLine();
            var rows = plan.ByFrequency.Rows.Zip(plan.Greedy.Rows, (f, g) => new[]
            {
                f.Rank.ToString(CultureInfo.InvariantCulture), Label(f), Percent(f.CumulativeTrans), Label(g), Percent(g.CumulativeTrans),
            });
            TextTable.Write(o, ["#", "By frequency", "Trans", "Greedy", "Trans"], rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command MatchCommand()
    {
        var patient = new Option<string>("--patient") { Description = "The patient's typing as a GL String.", Required = true };
        var lines = new Option<string?>("--lines") { Description = "CSV id,typing of homozygous lines." };
        var donors = new Option<string?>("--donors") { Description = "CSV id,typing of donors." };
        var level = new Option<string>("--level") { Description = "1field, 2field or pgroup (needs --imgt-dir).", DefaultValueFactory = _ => "2field" };
        var loci = LociOption();
        var frequencies = FrequenciesOption(required: false);
        var imgt = new Option<string?>("--imgt-dir") { Description = "Folder with the operator's IPD-IMGT/HLA WMDA files (hla_nom_g.txt, hla_nom_p.txt, rel_dna_ser.txt, rel_ser_ser.txt)." };
        var mac = new Option<string?>("--mac") { Description = "The operator's NMDP MAC file (alpha.v3.txt)." };
        var top = new Option<int?>("--top") { Description = "Show only the N best results." };
        var maxDiplotypes = new Option<int>("--max-diplotypes")
        {
            Description = "Diplotypes kept per patient for the probability (heaviest first).",
            DefaultValueFactory = _ => MatchProbabilityCalculator.DefaultMaxDiplotypes,
        };
        var json = CommonOptions.Json();
        var command = new Command("match", "Match a patient against lines or donors: HvG and GvH mismatches, registry count, P(HvG-compatible).")
        {
            patient, lines, donors, level, loci, frequencies, imgt, mac, top, maxDiplotypes, json,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(lines) is null) == (r.GetValue(donors) is null))
            {
                r.AddError("give exactly one of --lines FILE or --donors FILE");
            }
        });
        maxDiplotypes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--max-diplotypes must be at least 1");
            }
        });
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--top must be at least 1");
            }
        });
        CliAction.Set(command, parse =>
        {
            var reference = LoadReference(parse.GetValue(imgt), parse.GetValue(mac));
            var options = new MatchOptions(
                OptionValue("--loci", () => HlaLoci.ParseList(parse.GetValue(loci)!)),
                OptionValue("--level", () => ResolutionText.ParseLevel(parse.GetValue(level)!)),
                new HlaLevelMapper(reference));
            var matcher = new HlaMatcher(options);
            HlaTyping patientTyping;
            try
            {
                // The one entry rule (issue 12 item 5): every name must resolve with the files loaded.
                patientTyping = TypingAcceptance.Read(parse.GetValue(patient)!, matcher);
            }
            catch (HlaInputException ex)
            {
                throw new CliInputException($"--patient: {ex.Message}", ex);
            }

            var isLines = parse.GetValue(lines) is not null;
            var file = parse.GetValue(lines) ?? parse.GetValue(donors)!;
            var subjects = ReadSubjects(file, isLines);
            var panel = BuildPanel(subjects, matcher, file, isLines);
            var results = panel.Match(patientTyping, panel.Count);

            MatchProbabilityCalculator? calculator = null;
            PatientDiplotypes? diplotypes = null;
            HaplotypeFrequencySet? set = null;
            if (parse.GetValue(frequencies) is { } freqFile)
            {
                set = ReadFrequencies(freqFile, out _);
                calculator = new MatchProbabilityCalculator(set, options, parse.GetValue(maxDiplotypes));
                diplotypes = calculator.Expand(patientTyping);
            }

            var byId = subjects.ToDictionary(s => s.Id, s => s.Typing, StringComparer.Ordinal);
            var rows = results.Select(r => (Result: r, P: calculator?.Probability(diplotypes!, byId[r.Id])))
                // Best first: certain HvG mismatches, then P(HvG-compatible) (highest first; none last), then GvH,
                // registry and best-case HvG counts, then id.
                .OrderBy(x => x.Result.HvgMismatches).ThenByDescending(x => x.P ?? -1).ThenBy(x => x.Result.GvhMismatches)
                .ThenBy(x => x.Result.RegistryMismatches).ThenBy(x => x.Result.HvgMismatchesBestCase).ThenBy(x => x.Result.Id, StringComparer.Ordinal)
                .Take(parse.GetValue(top) ?? int.MaxValue).ToList();
            double? bankProbability = calculator?.Probability(diplotypes!, subjects.Select(s => s.Typing).ToList());

            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    patient = patientTyping.ToString(),
                    level = options.Level.ToText(),
                    loci = options.Loci.Select(l => l.Name()),
                    results = rows.Select(x => new
                    {
                        id = x.Result.Id,
                        hvgMismatches = x.Result.HvgMismatches,
                        gvhMismatches = x.Result.GvhMismatches,
                        hvgCompatible = x.Result.HvgCompatible,
                        matchProbability = x.P,
                        explanation = x.Result.Explanation,
                        hvgMismatchesBestCase = x.Result.HvgMismatchesBestCase,
                        gvhMismatchesBestCase = x.Result.GvhMismatchesBestCase,
                        registryMismatches = x.Result.RegistryMismatches,
                        perLocus = x.Result.Loci.Select(l => new
                        {
                            locus = l.Locus.Name(), hvg = l.HvgMax, hvgBestCase = l.HvgMin, gvh = l.GvhMax, gvhBestCase = l.GvhMin, registry = l.RegistryMax,
                        }),
                    }),
                    bankProbability,
                    unrepresented = diplotypes?.Unrepresented,
                    diplotypes = diplotypes?.Diplotypes.Length,
                    diplotypesConsidered = diplotypes?.Considered,
                    frequencies = set?.Source,
                    referenceVersion = options.ReferenceVersion,
                });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"Patient: {patientTyping}");
            o.WriteLine($"Level: {options.Level.ToText()}; loci: {string.Join(',', options.Loci.Select(l => l.Name()))}; reference files: {options.ReferenceVersion ?? "none"}");
            if (diplotypes is not null)
            {
                o.WriteLine(diplotypes.Unrepresented
                    ? $"Frequencies {set!.Source}: the typing is unrepresented (no pair of the set's haplotypes explains it); no probability."
                    : $"Frequencies {set!.Source}: {diplotypes.Diplotypes.Length} diplotype(s) kept of {diplotypes.Considered}; P(HvG-compatible with at least one) = {Percent(bankProbability!.Value)}");
            }

            o.WriteLine();
            TextTable.Write(o, ["Id", "HvG", "GvH", "Registry", "HvG-compatible", "P(compatible)", "Explanation"], rows.Select(x => new[]
            {
                x.Result.Id,
                Range(x.Result.HvgMismatchesBestCase, x.Result.HvgMismatches),
                Range(x.Result.GvhMismatchesBestCase, x.Result.GvhMismatches),
                x.Result.RegistryMismatches.ToString(CultureInfo.InvariantCulture),
                x.Result.HvgCompatible ? "yes" : x.Result.PossiblyHvgCompatible ? "possibly" : "no",
                x.P is { } p ? Percent(p) : "-",
                x.Result.Explanation,
            }));
            return ExitCodes.Ok;
        });
        return command;
    }

    // ----- helpers -----

    /// <summary>Parses an option's value, naming the option in the error.</summary>
    private static T OptionValue<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (HlaInputException ex)
        {
            throw new CliInputException($"{option}: {ex.Message}", ex);
        }
    }

    private static Option<string> FrequenciesOption(bool required) => new("--frequencies")
    {
        Description = "Haplotype-frequency CSV (NMDP Haplo,Count,Freq or haplotype,frequency); HFX metadata beside it (NAME.hfx-metadata.json) is read and checked.",
        Required = required,
    };

    private static Option<string> LociOption() => new("--loci") { Description = "Matching loci, comma-separated.", DefaultValueFactory = _ => "A,B,DRB1" };

    private static Option<string> ResolutionOption() => new("--resolution") { Description = "2field or 1field.", DefaultValueFactory = _ => "2field" };

    private static HaplotypeFrequencySet ReadFrequencies(string path, out List<string> warnings)
    {
        warnings = [];
        HfxMetadata? metadata = null;
        var metaPath = Path.ChangeExtension(path, null) + ".hfx-metadata.json";
        if (File.Exists(metaPath))
        {
            metadata = HfxMetadata.Parse(File.ReadAllText(metaPath), metaPath);
            warnings.AddRange(metadata.Verify(path, File.ReadAllBytes(path)));
        }

        return HaplotypeFrequencyReader.ReadFile(path, new FrequencyReadOptions { Metadata = metadata });
    }

    private static (HaplotypeIndex Index, FrequencyReduction Reduction, List<string> Warnings) LoadSet(string path, string loci, string resolution)
    {
        // Parse the options before reading the file, so that a bad option is reported as such.
        var lociList = OptionValue("--loci", () => HlaLoci.ParseList(loci));
        var res = OptionValue("--resolution", () => ResolutionText.ParseResolution(resolution));
        var set = ReadFrequencies(path, out var warnings);
        var reduction = set.Reduce(lociList, res);
        return (new HaplotypeIndex(reduction.Set), reduction, warnings);
    }

    private static List<BankLine> ReadLines(string path, HaplotypeFrequencySet set, string resolution)
    {
        using var reader = new StreamReader(path, RadRegen.Core.Csv.CsvReading.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var subjects = SubjectFileReader.Read(reader, path, haplotypeMeansHomozygous: true);
        return [.. HomozygousLines.FromSubjects(subjects, set.Loci, ResolutionText.ParseResolution(resolution), path)];
    }

    private static Option<bool> MergedOption() => new("--merged") { Description = "Also list the haplotypes the reduction merged, with their sources." };

    private static void WriteMerged(TextWriter o, FrequencyReduction reduction)
    {
        o.WriteLine();
        o.WriteLine("Merged by the reduction:");
        TextTable.Write(o, ["Haplotype", "Frequency", "Sources"], reduction.Merged.Select(m => new[]
        {
            m.Result.Name, m.Frequency.ToString("0.000000", CultureInfo.InvariantCulture), string.Join(' ', m.Sources.Select(h => h.Name)),
        }));
    }

    private static List<SubjectTyping> ReadSubjects(string path, bool lines)
    {
        using var reader = new StreamReader(path, RadRegen.Core.Csv.CsvReading.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        return [.. SubjectFileReader.Read(reader, path, haplotypeMeansHomozygous: lines)];
    }

    private static DonorPanel BuildPanel(List<SubjectTyping> subjects, HlaMatcher matcher, string path, bool requireHomozygous)
    {
        foreach (var s in subjects)
        {
            try
            {
                var values = matcher.Values(s.Typing);
                if (requireHomozygous)
                {
                    for (var l = 0; l < values.Length; l++)
                    {
                        var v = values[l] ?? throw HlaInputException.AtToken($"the line has no {matcher.Options.Loci[l].Name()} typing", s.Typing.ToString(), 0);
                        if (!v.IsUnambiguous || v.Alternatives[0].First[0] != v.Alternatives[0].Second[0])
                        {
                            throw HlaInputException.AtToken(
                                $"{(v.IsUnambiguous ? "heterozygous" : "ambiguous")} at {v.Locus.Name()} ({v}): a homozygous line is required (use --donors for other grafts)",
                                s.Typing[v.Locus]!.ToString(), 0);
                        }
                    }
                }
            }
            catch (HlaInputException ex)
            {
                throw ex.InFile(path, s.Row, "typing");
            }
        }

        return DonorPanel.Build(subjects.Select(s => (s.Id, s.Typing)), matcher);
    }

    private static HlaReferenceData? LoadReference(string? imgtDir, string? macFile)
    {
        if (imgtDir is null && macFile is null)
        {
            return null;
        }

        T? Load<T>(string? dir, string name, Func<TextReader, string, T> parse) where T : class
        {
            if (dir is null)
            {
                return null;
            }

            if (!Directory.Exists(dir))
            {
                throw new CliInputException($"--imgt-dir: folder not found: {dir}");
            }

            var path = Path.Combine(dir, name);
            if (!File.Exists(path))
            {
                return null;
            }

            using var reader = new StreamReader(path);
            return parse(reader, path);
        }

        var g = Load(imgtDir, "hla_nom_g.txt", (r, p) => AlleleGroupFile.Parse(r, p, 'G'));
        var pg = Load(imgtDir, "hla_nom_p.txt", (r, p) => AlleleGroupFile.Parse(r, p, 'P'));
        var ds = Load(imgtDir, "rel_dna_ser.txt", DnaSerologyFile.Parse);
        var ss = Load(imgtDir, "rel_ser_ser.txt", SerologyRelationFile.Parse);
        if (imgtDir is not null && g is null && pg is null && ds is null && ss is null)
        {
            throw new CliInputException($"--imgt-dir: {imgtDir} holds none of hla_nom_g.txt, hla_nom_p.txt, rel_dna_ser.txt, rel_ser_ser.txt");
        }

        MacFile? macs = null;
        if (macFile is not null)
        {
            using var reader = new StreamReader(macFile);
            macs = MacFile.Parse(reader, macFile);
        }

        return new HlaReferenceData(g, pg, ds, ss, macs);
    }

    private static void Header(TextWriter o, HaplotypeIndex index, FrequencyReduction reduction, List<string> warnings, string resolution)
    {
        foreach (var w in warnings)
        {
            o.WriteLine($"warning: {w}");
        }

        o.WriteLine($"Frequencies: {index.Set.Source}: {reduction.InputHaplotypes} haplotypes reduced to {index.Count} "
            + $"({string.Join('~', index.Loci.Select(l => l.Name()))}, {resolution}); {reduction.Merged.Length} of them merged from several");
    }

    private static object Row(CoverageRow r) => new
    {
        rank = r.Rank,
        id = r.Id,
        haplotype = r.Haplotype.Name,
        frequency = r.Frequency,
        cumulativeCis = r.CumulativeCis,
        cumulativeTrans = r.CumulativeTrans,
        screen = r.Screen,
    };

    private static void WriteRows(TextWriter o, IEnumerable<CoverageRow> rows) =>
        TextTable.Write(o, ["#", "Line", "Haplotype", "Frequency", "Cis", "Trans", "Screen (1/f²)"], rows.Select(r => new[]
        {
            r.Rank.ToString(CultureInfo.InvariantCulture),
            r.Id ?? string.Empty,
            r.Haplotype.Name,
            r.Frequency.ToString("0.000000", CultureInfo.InvariantCulture),
            Percent(r.CumulativeCis),
            Percent(r.CumulativeTrans),
            r.Screen is { } s ? s.ToString("#,0", CultureInfo.InvariantCulture) : "absent",
        }));

    private static string Label(CoverageRow r) => r.Id is null ? r.Haplotype.Name : $"{r.Id} {r.Haplotype.Name}";

    private static string Percent(double f) => (f * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Range(int min, int max) =>
        min == max ? max.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{min}-{max}");
}
