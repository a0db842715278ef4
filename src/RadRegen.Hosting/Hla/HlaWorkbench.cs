using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Services;
using RadRegen.Care;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Hla;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;
using RadRegen.Hla.GlStrings;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;
using RadRegen.Hla.Planning;
using RadRegen.Hla.Probability;
using RadRegen.Hla.Typings;
using RadRegen.Hosting.Bank;

namespace RadRegen.Hosting.Hla;

/// <summary>One name of a typing, explained.</summary>
/// <param name="Name">The name as normalised.</param>
/// <param name="Kind">allele, XX code, MAC, G group, P group or serological antigen.</param>
/// <param name="Resolution">What the name pins down, in words.</param>
/// <param name="Expansion">The alleles a MAC, group or antigen stands for (first 24), when the file is loaded.</param>
/// <param name="ExpansionCount">How many alleles it stands for; null when not expanded.</param>
/// <param name="Problem">Why it cannot be expanded or matched (a file not loaded, a code the file does not know); null when fine.</param>
public sealed record NameExplanation(string Name, string Kind, string Resolution, IReadOnlyList<string> Expansion, int? ExpansionCount, string? Problem);

/// <summary>One locus of a typing, explained.</summary>
/// <param name="Locus">The locus.</param>
/// <param name="Genotypes">Its genotype alternatives as GL String.</param>
/// <param name="Alternatives">Number of genotype alternatives (<c>|</c>).</param>
/// <param name="Ambiguous">Whether more than one genotype or allele remains possible.</param>
/// <param name="Homozygous">Whether every alternative names the same single allele twice.</param>
/// <param name="Names">Every distinct name at the locus.</param>
public sealed record LocusExplanation(string Locus, string Genotypes, int Alternatives, bool Ambiguous, bool Homozygous, IReadOnlyList<NameExplanation> Names);

/// <summary>A typing, parsed and explained.</summary>
/// <param name="GlString">The normalised GL String.</param>
/// <param name="Loci">Each locus.</param>
/// <param name="Matchable">Null when the typing can be matched here (the workbench's files); else why not.</param>
/// <param name="AcceptedForPatients">Null when care and bank would accept it (no reference files there); else why not.</param>
/// <param name="ReferenceVersion">The reference files loaded, or null.</param>
public sealed record TypingExplanation(string GlString, IReadOnlyList<LocusExplanation> Loci, string? Matchable, string? AcceptedForPatients, string? ReferenceVersion);

/// <summary>A frequency set the workbench can use.</summary>
/// <param name="Key">Its key in URLs and the API.</param>
/// <param name="Name">Title.</param>
/// <param name="Population">Population.</param>
/// <param name="Source">Where the numbers come from.</param>
/// <param name="Haplotypes">Rows of the file.</param>
/// <param name="Loci">Loci of the file (<c>A~B~DRB1</c>).</param>
/// <param name="Partial">A published top-N table.</param>
/// <param name="BuiltIn">Shipped with RadRegen (NMDP 2007) rather than registered by the center.</param>
/// <param name="RegisteredBy">Who registered it (null for built-in sets).</param>
/// <param name="RegisteredAt">When (null for built-in sets).</param>
public sealed record FrequencySetSummary(string Key, string Name, string Population, string Source, int Haplotypes, string Loci, bool Partial, bool BuiltIn,
    string? RegisteredBy, DateTimeOffset? RegisteredAt);

/// <summary>A frequency set to register.</summary>
/// <param name="Key">1–40 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, starting with a letter or digit; unique regardless of case.</param>
/// <param name="Name">Title.</param>
/// <param name="Population">Population described.</param>
/// <param name="Source">Where the numbers come from.</param>
/// <param name="Content">The CSV: NMDP <c>Haplo,Count,Freq</c> or <c>haplotype,frequency</c>.</param>
/// <param name="Partial">A published top-N table (frequencies kept as printed).</param>
public sealed record NewFrequencySet(string? Key, string? Name, string? Population, string? Source, string? Content, bool Partial = false);

/// <summary>Coverage of a population by the bank's released homozygous lines and the recruitment plan.</summary>
/// <param name="Set">The frequency set.</param>
/// <param name="Haplotypes">Haplotypes after reduction to A~B~DRB1 at two fields.</param>
/// <param name="Merged">How many of them were merged from several input haplotypes.</param>
/// <param name="Lines">The bank's lines in coverage order.</param>
/// <param name="Coverage">Cis and trans coverage after each line.</param>
/// <param name="Plan">The engine's plan for the bank's size plus <c>extra</c> lines.</param>
/// <param name="RecruitNext">Haplotypes of the greedy plan the bank lacks, in plan order.</param>
public sealed record WorkbenchCoverage(FrequencySetSummary Set, int Haplotypes, int Merged, IReadOnlyList<HaplobankLine> Lines, CoverageReport Coverage,
    HaplobankPlan Plan, IReadOnlyList<CoverageRow> RecruitNext);

/// <summary>What to match: a typed-in GL String or a care patient's typing.</summary>
/// <param name="Typing">A GL String (used when <paramref name="PatientId"/> is null).</param>
/// <param name="PatientId">A care patient whose stored typing is matched.</param>
/// <param name="FrequencySet">A frequency set key for match probabilities; null: none.</param>
/// <param name="Level">1field, 2field or pgroup (the last needs hla_nom_p.txt).</param>
/// <param name="Top">Results shown per kind of graft.</param>
public sealed record WorkbenchMatchQuery(string? Typing, long? PatientId, string? FrequencySet, string? Level, int Top = 20);

/// <summary>One line or donor against the patient.</summary>
/// <param name="Kind"><c>line</c> or <c>donor</c>.</param>
/// <param name="Code">The line's or donor's code.</param>
/// <param name="RecordId">The bank record's id (for links).</param>
/// <param name="Typing">The graft's typing.</param>
/// <param name="Result">The engine's comparison.</param>
/// <param name="Probability">P(HvG-compatible) from the frequency set; null without a set or when the typing is unrepresented.</param>
/// <param name="Homozygous">Whether the graft is HLA-homozygous at the matching loci.</param>
public sealed record GraftMatch(string Kind, string Code, long RecordId, string Typing, MatchResult Result, double? Probability, bool Homozygous);

/// <summary>The patient against the bank's lines and donors.</summary>
/// <param name="Patient">The patient's typing (normalised).</param>
/// <param name="PatientCode">The care patient's code, when one was chosen.</param>
/// <param name="Level">Matching level.</param>
/// <param name="Loci">Matching loci.</param>
/// <param name="ReferenceVersion">Reference files used, or null.</param>
/// <param name="Set">The frequency set used for probabilities, or null.</param>
/// <param name="Diplotypes">Diplotypes kept for the probability.</param>
/// <param name="Unrepresented">True when no pair of the set's haplotypes explains the typing (probability unknown, never 0).</param>
/// <param name="LinesProbability">P(HvG-compatible with at least one line).</param>
/// <param name="Lines">The released homozygous lines, best first.</param>
/// <param name="Donors">Donors with a typing, best first.</param>
/// <param name="Skipped">Grafts left out, with the reason.</param>
public sealed record WorkbenchMatch(string Patient, string? PatientCode, string Level, IReadOnlyList<string> Loci, string? ReferenceVersion,
    FrequencySetSummary? Set, int? Diplotypes, bool? Unrepresented, double? LinesProbability, IReadOnlyList<GraftMatch> Lines, IReadOnlyList<GraftMatch> Donors,
    IReadOnlyList<string> Skipped);

/// <summary>
/// The HLA workbench (issue 17 item 3): the CLI's engine (<c>RadRegen.Hla</c>, <c>radregen hla …</c>)
/// over the bank's lines and donors, care patients' typings, the operator's reference files
/// (<see cref="HlaReferenceFiles"/>) and the frequency sets the center registers. Role checks here
/// (<see cref="Operation.HlaWorkbenchUse"/>, <see cref="Operation.HlaFrequencySetRegister"/>); the bank
/// and care services check their own reads.
/// </summary>
public sealed partial class HlaWorkbench(IUnitOfWorkFactory units, IClock clock, BankService bank, CareService care, HlaReferenceFiles reference)
{
    /// <summary>Sets whose CSV is larger are refused (the NMDP 2007 CAU file is 192 kB; a 9-locus set a few MB).</summary>
    public const int MaxContentChars = 8_000_000;

    /// <summary>Most results of each kind a match returns.</summary>
    public const int MaxTop = 500;

    private const string NmdpSource = "NMDP 2007 high-resolution HLA-A~C~B~DRB1~DQB1 haplotype frequencies (Maiers et al. 2007, Hum Immunol 68:779; Apache-2.0; reference/hla/nmdp-2007)";

    private static readonly IReadOnlyList<FrequencySetSummary> BuiltIn =
    [
        new("API", "NMDP 2007 Asian / Pacific Islander", "Asian or Pacific Islander (US donors)", NmdpSource, 0, "A~C~B~DRB1~DQB1", false, true, null, null),
        new("CAU", "NMDP 2007 European American", "European American (US donors)", NmdpSource, 0, "A~C~B~DRB1~DQB1", false, true, null, null),
        new("AFA", "NMDP 2007 African American", "African American (US donors)", NmdpSource, 0, "A~C~B~DRB1~DQB1", false, true, null, null),
        new("HIS", "NMDP 2007 Hispanic", "Hispanic (US donors)", NmdpSource, 0, "A~C~B~DRB1~DQB1", false, true, null, null),
    ];

    // Registered sets are never changed (rows are only added), so their reduced index can be kept per process.
    private readonly ConcurrentDictionary<string, Lazy<(HaplotypeFrequencySet Set, HaplotypeIndex Index, FrequencyReduction Reduction)>> _stored =
        new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The reference files the workbench uses.</summary>
    public HlaReferenceFiles Reference => reference;

    // ---------------------------------------------------------------- parse and explain

    /// <summary>Parses a GL String and explains each locus and name; a typing that does not parse is a 400 naming the part that failed.</summary>
    public TypingExplanation Explain(Actor actor, string? glString)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HlaWorkbenchUse);
        var typing = ParseTyping("typing", glString);
        var matcher = Matcher(MatchLevel.TwoField);
        var loci = typing.Loci.Values.Select(l =>
        {
            var names = l.Alternatives.SelectMany(a => a.First.Alleles.Concat(a.Second.Alleles)).Distinct().Select(ExplainName).ToList();
            return new LocusExplanation(l.Locus.Name(), l.ToString(), l.Alternatives.Length, l.IsAmbiguous,
                l.Alternatives.All(a => a.IsHomozygous) && l.Alternatives.Select(a => a.First.Alleles[0]).Distinct().Count() == 1, names);
        }).ToList();
        return new TypingExplanation(typing.ToString(), loci, TypingAcceptance.WhyNotMatchable(typing, matcher),
            TypingAcceptance.WhyNotMatchable(typing, new HlaMatcher(MatchOptions.Default)), reference.Data?.Version);
    }

    private NameExplanation ExplainName(HlaName name)
    {
        var (kind, resolution) = Describe(name);
        if (name.Kind is HlaNameKind.Allele or HlaNameKind.XxCode)
        {
            return new(name.ToString(), kind, resolution, [], null, null);
        }

        if (reference.Data is null)
        {
            return new(name.ToString(), kind, resolution, [], null, $"needs the operator's {FileFor(name.Kind)}, which is not loaded");
        }

        try
        {
            var alleles = reference.Data.ExpandToAlleles(name);
            return new(name.ToString(), kind, resolution, [.. alleles.Take(24).Select(a => a.ToString())], alleles.Length, null);
        }
        catch (HlaInputException ex)
        {
            return new(name.ToString(), kind, resolution, [], null, ex.Message);
        }
    }

    private static string FileFor(HlaNameKind kind) => kind switch
    {
        HlaNameKind.Mac => "NMDP MAC file (alpha.v3.txt)",
        HlaNameKind.GGroup => "IPD-IMGT/HLA hla_nom_g.txt",
        HlaNameKind.PGroup => "IPD-IMGT/HLA hla_nom_p.txt",
        _ => "IPD-IMGT/HLA rel_dna_ser.txt (and rel_ser_ser.txt for splits)",
    };

    // What each field pins down: WHO nomenclature (hla.alleles.org; reference/hla/notes.md §6.1–6.2).
    private static (string Kind, string Resolution) Describe(HlaName name) => name.Kind switch
    {
        HlaNameKind.Allele => ("allele", (name.Fields.Length switch
        {
            1 => "first field: allele group (low resolution)",
            2 => "two fields: the protein (high resolution)",
            3 => "three fields: a synonymous DNA difference in the coding region",
            _ => "four fields: a difference outside the coding region",
        }) + name.Suffix switch
        {
            'N' => "; N: null allele, not expressed",
            'L' => "; L: low cell-surface expression",
            'S' => "; S: soluble, secreted only",
            'C' => "; C: in the cytoplasm, not on the cell surface",
            'A' => "; A: aberrant expression",
            'Q' => "; Q: expression questionable",
            _ => string.Empty,
        }),
        HlaNameKind.XxCode => ("XX code", "first field only: any allele of the group"),
        HlaNameKind.Mac => ("NMDP MAC", "multiple allele code: one of the alleles the code lists"),
        HlaNameKind.GGroup => ("G group", "alleles with the same antigen-recognition-domain DNA (exons 2 and 3, class I; exon 2, class II)"),
        HlaNameKind.PGroup => ("P group", "alleles with the same antigen-recognition-domain protein"),
        _ => ("serological antigen", "antibody-defined specificity: any allele assigned to it, its splits or associated antigens"),
    };

    // ---------------------------------------------------------------- frequency sets

    /// <summary>The built-in NMDP 2007 sets and the center's registered sets.</summary>
    public async Task<IReadOnlyList<FrequencySetSummary>> ListSetsAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HlaWorkbenchUse);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var stored = await uow.Store<IHlaFrequencySetStore>().ListAsync(ct);
        return [.. BuiltIn.Select(b => b with { Haplotypes = HaplobankView.Index(b.Key).Set.Count }), .. stored.Select(Summary)];
    }

    /// <summary>One set; <see cref="NotFoundException"/> (404) when no set has the key.</summary>
    public async Task<FrequencySetSummary> GetSetAsync(Actor actor, string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HlaWorkbenchUse);
        return (await LoadSetAsync(key, ct)).Summary;
    }

    /// <summary>
    /// Registers a set after reading it with the engine's reader (the same checks as
    /// <c>radregen hla coverage --frequencies</c>: numeric, non-negative, no duplicates, one locus
    /// list, sum within 0.01 of 1 unless partial) and reducing it to A~B~DRB1 at two fields; every
    /// problem names the field. Stored and journaled together.
    /// </summary>
    public async Task<FrequencySetSummary> RegisterSetAsync(Actor actor, NewFrequencySet request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.HlaFrequencySetRegister);
        var key = request.Key?.Trim() ?? "";
        var errors = new List<FieldError>();
        if (!KeyRule().IsMatch(key))
        {
            errors.Add(new("key", "1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. JPN-2026)"));
        }
        else if (BuiltIn.Any(b => string.Equals(b.Key, key, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add(new("key", $"'{key}' is a built-in NMDP 2007 set; choose another key"));
        }

        string Required(string field, string? value, int max)
        {
            var v = value?.Trim() ?? "";
            if (v.Length == 0)
            {
                errors.Add(new(field, "is required"));
            }
            else if (v.Length > max)
            {
                errors.Add(new(field, $"is longer than {max} characters"));
            }

            return v;
        }

        var name = Required("name", request.Name, 200);
        var population = Required("population", request.Population, 200);
        var source = Required("source", request.Source, 2000);
        var content = request.Content ?? "";
        if (string.IsNullOrWhiteSpace(content))
        {
            errors.Add(new("content", "is required: the CSV file (Haplo,Count,Freq or haplotype,frequency)"));
        }
        else if (content.Length > MaxContentChars)
        {
            errors.Add(new("content", $"is larger than {MaxContentChars:N0} characters"));
        }

        HaplotypeFrequencySet? set = null;
        if (errors.Count == 0)
        {
            try
            {
                set = Read(key, content, request.Partial);
                set.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField);
            }
            catch (HlaInputException ex)
            {
                errors.Add(new("content", ex.Message));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IHlaFrequencySetStore>();
        if (await store.GetAsync(key, ct) is { } existing)
        {
            throw new DomainValidationException("key", $"a set '{existing.Key}' is already registered; sets are never replaced, choose another key");
        }

        var stored = new StoredFrequencySet(key, name, population, source, content, request.Partial, set!.Count,
            string.Join('~', set.Loci.Select(l => l.Name())), actor.UserName, clock.UtcNow);
        await store.InsertAsync(stored, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("hla-frequency-set", key, "registered", new
        {
            key,
            name,
            population,
            source,
            partial = request.Partial,
            haplotypes = set.Count,
            loci = stored.Loci,
            rawSum = set.RawSum,
            sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))),
        }), ct);
        await uow.CommitAsync(ct);
        return Summary(stored);
    }

    /// <summary>
    /// Cis and trans coverage of the set's population by the bank's released homozygous lines, and
    /// the engine's plan (frequency order and greedy trans) for the bank's size plus <paramref name="extra"/>.
    /// </summary>
    public async Task<WorkbenchCoverage> CoverageAsync(Actor actor, string key, int extra = 10, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.HlaWorkbenchUse);
        if (extra is < 1 or > 200)
        {
            throw new DomainValidationException("extra", "between 1 and 200 lines to plan beyond the bank");
        }

        var loaded = await LoadSetAsync(key, ct);
        var lines = await bank.HaplobankLinesAsync(actor, ct);
        var index = loaded.Index;
        var bankLines = lines
            .Select(l => (Line: l, Haplotype: Haplotype.Parse(l.Donor.Haplotype!)))
            .OrderByDescending(x => index.Set.FrequencyOf(x.Haplotype)).ThenBy(x => x.Haplotype.Name, StringComparer.Ordinal)
            .ToList();
        var coverage = HaplobankCoverage.Evaluate(index, [.. bankLines.Select(x => new BankLine(x.Line.Line.Code, x.Haplotype))]);
        var distinct = bankLines.Select(x => x.Haplotype).ToHashSet();
        var plan = HaplobankPlanner.Plan(index, Math.Min(index.Count, Math.Max(1, distinct.Count + extra)));
        var recruit = plan.Greedy.Rows.Where(r => !distinct.Contains(r.Haplotype)).Take(extra).ToList();
        return new WorkbenchCoverage(loaded.Summary, index.Count, loaded.Merged, [.. bankLines.Select(x => x.Line)], coverage, plan, recruit);
    }

    private async Task<(FrequencySetSummary Summary, HaplotypeFrequencySet Set, HaplotypeIndex Index, int Merged)> LoadSetAsync(string? key, CancellationToken ct)
    {
        key = key?.Trim() ?? "";
        if (BuiltIn.FirstOrDefault(b => string.Equals(b.Key, key, StringComparison.OrdinalIgnoreCase)) is { } builtIn)
        {
            var index = HaplobankView.Index(builtIn.Key);
            return (builtIn with { Haplotypes = index.Set.Count }, index.Set, index, 0);
        }

        StoredFrequencySet? stored = null;
        if (KeyRule().IsMatch(key))
        {
            await using var uow = await units.BeginAsync(WorkMode.Read, ct);
            stored = await uow.Store<IHlaFrequencySetStore>().GetAsync(key, ct);
        }

        if (stored is null)
        {
            throw new NotFoundException($"no frequency set '{key}': the sets are {string.Join(", ", BuiltIn.Select(b => b.Key))} and those the center registered");
        }

        var entry = _stored.GetOrAdd(stored.Key, _ => new(() =>
        {
            var set = Read(stored.Key, stored.Content, stored.Partial);
            var reduction = set.Reduce(HlaLoci.DefaultMatchingLoci, AlleleResolution.TwoField);
            return (set, new HaplotypeIndex(reduction.Set), reduction);
        })).Value;
        return (Summary(stored), entry.Set, entry.Index, entry.Reduction.Merged.Length);
    }

    private static HaplotypeFrequencySet Read(string key, string content, bool partial)
    {
        using var reader = new StringReader(content);
        return HaplotypeFrequencyReader.Read(reader, key, new FrequencyReadOptions { AllowPartial = partial });
    }

    private static FrequencySetSummary Summary(StoredFrequencySet s) =>
        new(s.Key, s.Name, s.Population, s.Source, s.Haplotypes, s.Loci, s.Partial, false, s.RegisteredBy, s.RegisteredAt);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRule();

    // ---------------------------------------------------------------- matching

    /// <summary>
    /// Matches a patient (typed in, or a care patient's stored typing) against the bank's released
    /// homozygous lines and its typed donors, with HvG/GvH per locus and, with a frequency set, the
    /// probability of HvG compatibility (the CLI's ranking: certain HvG, then probability, GvH,
    /// registry, best-case HvG, code).
    /// </summary>
    public async Task<WorkbenchMatch> MatchAsync(Actor actor, WorkbenchMatchQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        actor.Demand(Operation.HlaWorkbenchUse);
        if (query.Top is < 1 or > MaxTop)
        {
            throw new DomainValidationException("top", $"between 1 and {MaxTop}");
        }

        MatchLevel level;
        try
        {
            level = ResolutionText.ParseLevel(string.IsNullOrWhiteSpace(query.Level) ? "2field" : query.Level);
        }
        catch (HlaInputException ex)
        {
            throw new DomainValidationException("level", ex.Message);
        }

        if (level == MatchLevel.PGroup && reference.Data?.PGroups is null)
        {
            throw new DomainValidationException("level", "the P-group level needs the operator's hla_nom_p.txt, which is not loaded; use 2field or 1field");
        }

        var matcher = Matcher(level);
        string gl;
        string? patientCode = null;
        if (query.PatientId is { } patientId)
        {
            var record = await care.GetPatientAsync(actor, patientId, ct);
            patientCode = record.Patient.Code;
            gl = record.Patient.HlaTyping
                ?? throw new DomainValidationException("patientId", $"patient {record.Patient.Code} has no HLA typing yet; enter it on the patient's page or type one in");
        }
        else
        {
            gl = query.Typing ?? "";
        }

        var field = query.PatientId is null ? "typing" : "patientId";
        var patient = ParseTyping(field, gl);
        try
        {
            // The one entry rule (issue 12 item 5), with the workbench's files.
            TypingAcceptance.Read(patient.ToString(), matcher);
        }
        catch (HlaInputException ex)
        {
            throw new DomainValidationException(field, ex.Message);
        }

        (FrequencySetSummary Summary, HaplotypeFrequencySet Set, HaplotypeIndex Index, int Merged)? set =
            string.IsNullOrWhiteSpace(query.FrequencySet) ? null : await LoadSetAsync(query.FrequencySet, ct);

        var skipped = new List<string>();
        var lineGrafts = new List<(string Code, long Id, HlaTyping Typing)>();
        foreach (var l in await bank.HaplobankLinesAsync(actor, ct))
        {
            if (Graft(l.Line.Code, l.Donor.HlaGl, matcher, skipped) is { } t)
            {
                lineGrafts.Add((l.Line.Code, l.Line.Id, t));
            }
        }

        var donorGrafts = new List<(string Code, long Id, HlaTyping Typing)>();
        foreach (var d in await bank.ListDonorsAsync(actor, ct))
        {
            if (d.HlaGl is not null && d.WithdrawnAt is null && Graft(d.Code, d.HlaGl, matcher, skipped) is { } t)
            {
                donorGrafts.Add((d.Code, d.Id, t));
            }
        }

        MatchProbabilityCalculator? calculator = null;
        PatientDiplotypes? diplotypes = null;
        if (set is { } s)
        {
            try
            {
                calculator = new MatchProbabilityCalculator(s.Set, matcher.Options);
                diplotypes = calculator.Expand(patient);
            }
            catch (HlaInputException ex)
            {
                throw new DomainValidationException("frequencySet", ex.Message);
            }
        }

        List<GraftMatch> Rank(string kind, List<(string Code, long Id, HlaTyping Typing)> grafts) =>
            [.. grafts.Select(g =>
                {
                    var result = matcher.Match(g.Code, patient, g.Typing);
                    var values = matcher.Values(g.Typing);
                    var homozygous = values.All(v => v is { IsUnambiguous: true } && v.Alternatives[0].First.SequenceEqual(v.Alternatives[0].Second));
                    return new GraftMatch(kind, g.Code, g.Id, g.Typing.ToString(), result, calculator?.Probability(diplotypes!, g.Typing), homozygous);
                })
                .OrderBy(x => x.Result.HvgMismatches).ThenByDescending(x => x.Probability ?? -1).ThenBy(x => x.Result.GvhMismatches)
                .ThenBy(x => x.Result.RegistryMismatches).ThenBy(x => x.Result.HvgMismatchesBestCase).ThenBy(x => x.Code, StringComparer.Ordinal)
                .Take(query.Top)];

        var lines = Rank("line", lineGrafts);
        var donors = Rank("donor", donorGrafts);
        double? linesProbability = calculator is null || lineGrafts.Count == 0 ? null : calculator.Probability(diplotypes!, [.. lineGrafts.Select(g => g.Typing)]);
        return new WorkbenchMatch(patient.ToString(), patientCode, level.ToText(), [.. matcher.Options.Loci.Select(l => l.Name())], matcher.Options.ReferenceVersion,
            set?.Summary, diplotypes?.Diplotypes.Length, diplotypes?.Unrepresented, linesProbability, lines, donors, skipped);
    }

    private static HlaTyping? Graft(string code, string? gl, HlaMatcher matcher, List<string> skipped)
    {
        if (gl is null)
        {
            return null;
        }

        try
        {
            var typing = HlaTyping.Parse(gl);
            if (TypingAcceptance.WhyNotMatchable(typing, matcher) is { } why)
            {
                skipped.Add($"{code}: {why}");
                return null;
            }

            return typing;
        }
        catch (HlaInputException ex)
        {
            skipped.Add($"{code}: {ex.Message}");
            return null;
        }
    }

    private HlaMatcher Matcher(MatchLevel level) => new(new MatchOptions(HlaLoci.DefaultMatchingLoci, level, new HlaLevelMapper(reference.Data)));

    private static HlaTyping ParseTyping(string field, string? glString)
    {
        if (string.IsNullOrWhiteSpace(glString))
        {
            throw new DomainValidationException(field, $"enter a typing as a GL String, e.g. {TypingAcceptance.Example}");
        }

        if (glString.Length > 20_000)
        {
            throw new DomainValidationException(field, "is longer than 20,000 characters");
        }

        try
        {
            return HlaTyping.FromGlString(GlString.Parse(glString));
        }
        catch (HlaInputException ex)
        {
            throw new DomainValidationException(field, ex.Message);
        }
    }

    /// <summary>A percentage with two decimals, invariant (pages and API text).</summary>
    public static string Percent(double f) => (f * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
