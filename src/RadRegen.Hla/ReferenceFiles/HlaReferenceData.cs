using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.ReferenceFiles;

/// <summary>
/// The operator's IPD-IMGT/HLA WMDA files and NMDP MAC file, each optional. The library never
/// ships them (CC BY-ND; owners ask not to mirror, reference/hla/notes.md §6.3); the operator loads their copy and
/// <see cref="Version"/> is recorded with every result that used them.
/// </summary>
public sealed class HlaReferenceData
{
    private readonly Dictionary<string, HashSet<string>> _pByPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _gByPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<(HlaLocus, string), HashSet<string>> _antigenClosure = [];
    private readonly Dictionary<(HlaLocus, string), List<HlaName>> _allelesByAntigen = [];

    /// <summary>
    /// The reference data from whichever files the operator loaded; each is optional, and a name that
    /// needs a missing file is refused when it is mapped, naming the file.
    /// </summary>
    /// <param name="gGroups"><c>hla_nom_g.txt</c> (marker <c>G</c>).</param>
    /// <param name="pGroups"><c>hla_nom_p.txt</c> (marker <c>P</c>).</param>
    /// <param name="dnaSerology"><c>rel_dna_ser.txt</c>: alleles to serological antigens.</param>
    /// <param name="serologyRelations"><c>rel_ser_ser.txt</c>: broad antigens, splits and associated antigens.</param>
    /// <param name="macs">NMDP <c>alpha.v3.txt</c>: multiple allele codes.</param>
    /// <exception cref="ArgumentException">A group file passed in the other's place.</exception>
    public HlaReferenceData(AlleleGroupFile? gGroups = null, AlleleGroupFile? pGroups = null, DnaSerologyFile? dnaSerology = null,
        SerologyRelationFile? serologyRelations = null, MacFile? macs = null)
    {
        if (gGroups is { Marker: not 'G' })
        {
            throw new ArgumentException("not a G group file", nameof(gGroups));
        }

        if (pGroups is { Marker: not 'P' })
        {
            throw new ArgumentException("not a P group file", nameof(pGroups));
        }

        GGroups = gGroups;
        PGroups = pGroups;
        DnaSerology = dnaSerology;
        SerologyRelations = serologyRelations;
        Macs = macs;

        // An allele alone (empty group field) keeps its own name: two fields for P (a protein),
        // its full name for G.
        IndexByPrefix(pGroups, _pByPrefix, a => a.ReduceTo(AlleleResolution.TwoField).ToString(), separateNulls: true);
        IndexByPrefix(gGroups, _gByPrefix, a => a.ToString(), separateNulls: false);

        if (dnaSerology is not null)
        {
            foreach (var row in dnaSerology.Rows)
            {
                foreach (var antigen in row.Antigens)
                {
                    if (!_allelesByAntigen.TryGetValue((row.Allele.Locus, antigen), out var list))
                    {
                        _allelesByAntigen[(row.Allele.Locus, antigen)] = list = [];
                    }

                    list.Add(row.Allele);
                }
            }
        }

        if (serologyRelations is not null)
        {
            foreach (var r in serologyRelations.Rows)
            {
                var closure = new HashSet<string>(StringComparer.Ordinal) { r.Antigen };
                closure.UnionWith(r.Splits);
                closure.UnionWith(r.Associated);
                _antigenClosure[(r.Locus, r.Antigen)] = closure;
            }
        }
    }

    /// <summary>G groups (<c>hla_nom_g.txt</c>), or null when not loaded.</summary>
    public AlleleGroupFile? GGroups { get; }

    /// <summary>P groups (<c>hla_nom_p.txt</c>), or null when not loaded; needed for matching at P-group level.</summary>
    public AlleleGroupFile? PGroups { get; }

    /// <summary>Allele-to-antigen assignments (<c>rel_dna_ser.txt</c>), or null when not loaded; needed for serological names.</summary>
    public DnaSerologyFile? DnaSerology { get; }

    /// <summary>Broad/split/associated antigen relations (<c>rel_ser_ser.txt</c>), or null when not loaded.</summary>
    public SerologyRelationFile? SerologyRelations { get; }

    /// <summary>NMDP multiple allele codes, or null when not loaded; needed for MAC names such as <c>A*01:AB</c>.</summary>
    public MacFile? Macs { get; }

    /// <summary>
    /// The release(s) used, e.g. <c>IPD-IMGT/HLA 3.54.0; MAC 10/01/20</c>; files of different
    /// releases are listed each with its own version.
    /// </summary>
    public string Version
    {
        get
        {
            var parts = new List<string>();
            var versions = new[] { ("hla_nom_g", GGroups?.Header), ("hla_nom_p", PGroups?.Header), ("rel_dna_ser", DnaSerology?.Header), ("rel_ser_ser", SerologyRelations?.Header) }
                .Where(v => v.Item2 is not null).Select(v => (v.Item1, Version: v.Item2!.Version ?? "unknown version")).ToList();
            var distinct = versions.Select(v => v.Version).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count == 1)
            {
                parts.Add(distinct[0]);
            }
            else
            {
                parts.AddRange(versions.Select(v => $"{v.Item1} {v.Version}"));
            }

            if (Macs is not null)
            {
                parts.Add($"MAC {Macs.LastUpdated ?? "unknown date"}");
            }

            return parts.Count == 0 ? "none" : string.Join("; ", parts);
        }
    }

    /// <summary>
    /// P groups of the alleles whose names start with <paramref name="allele"/>'s fields (the name
    /// reduced to P groups; a lone allele, e.g. a null, keeps its two-field name). A name without
    /// the N suffix does not reach null alleles (<c>A*01:01</c> is not <c>A*01:01:01:02N</c>): an
    /// allele written without N is expressed by WHO convention, and Atlas likewise ignores null
    /// alleles inside expanded codes (reference/hla/notes.md §4.3). A name with N reaches only null alleles.
    /// </summary>
    public ImmutableArray<string> PGroupsOf(HlaName allele) => Lookup(PGroups, _pByPrefix, "hla_nom_p", allele, separateNulls: true);

    /// <summary>
    /// G groups of the alleles whose names start with <paramref name="allele"/>'s fields (the name
    /// reduced to G groups; a lone allele keeps its own name).
    /// </summary>
    public ImmutableArray<string> GGroupsOf(HlaName allele) => Lookup(GGroups, _gByPrefix, "hla_nom_g", allele, separateNulls: false);

    private static ImmutableArray<string> Lookup(AlleleGroupFile? file, Dictionary<string, HashSet<string>> index, string fileName, HlaName allele,
        bool separateNulls)
    {
        ArgumentNullException.ThrowIfNull(allele);
        if (file is null)
        {
            throw Missing(fileName, allele);
        }

        var key = $"{allele.Locus.Name()}*{string.Join(':', allele.Fields)}{(separateNulls && allele.IsNull ? "N" : string.Empty)}";
        return index.TryGetValue(key, out var set)
            ? [.. set.Order(StringComparer.Ordinal)]
            : throw HlaInputException.AtToken($"allele is not in {fileName} ({file.Header.Version ?? "unknown version"})", allele.ToString(), 0);
    }

    private static void IndexByPrefix(AlleleGroupFile? file, Dictionary<string, HashSet<string>> index, Func<HlaName, string> lone, bool separateNulls)
    {
        if (file is null)
        {
            return;
        }

        foreach (var allele in file.Alleles)
        {
            var group = file.GroupOf.TryGetValue(allele, out var g) ? g.ToString() : lone(allele);
            for (var k = 1; k <= allele.Fields.Length; k++)
            {
                var key = $"{allele.Locus.Name()}*{string.Join(':', allele.Fields.Take(k))}{(separateNulls && allele.IsNull ? "N" : string.Empty)}";
                if (!index.TryGetValue(key, out var set))
                {
                    index[key] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(group);
            }
        }
    }

    /// <summary>Expands a MAC, G group, P group or serological name to alleles.</summary>
    public ImmutableArray<HlaName> ExpandToAlleles(HlaName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Kind)
        {
            case HlaNameKind.Mac:
                return (Macs ?? throw Missing("NMDP MAC (alpha.v3.txt)", name)).Expand(name);
            case HlaNameKind.GGroup:
                return Group(GGroups ?? throw Missing("hla_nom_g", name), name);
            case HlaNameKind.PGroup:
                return Group(PGroups ?? throw Missing("hla_nom_p", name), name);
            case HlaNameKind.Serology:
                var dnaSer = DnaSerology ?? throw Missing("rel_dna_ser", name);
                var antigen = name.Fields[0];
                // The antigen, its splits and associated antigens (rel_ser_ser), then every allele
                // assigned to one of them (rel_dna_ser): the Atlas expansion, reference/hla/notes.md §4.3.
                var antigens = _antigenClosure.TryGetValue((name.Locus, antigen), out var closure) ? closure : [antigen];
                var alleles = antigens.SelectMany(a => _allelesByAntigen.TryGetValue((name.Locus, a), out var l) ? l : []).Distinct().ToImmutableArray();
                return alleles.Length > 0
                    ? alleles
                    : throw HlaInputException.AtToken($"no allele is assigned this antigen in rel_dna_ser ({dnaSer.Header.Version ?? "unknown version"})", name.ToString(), 0);
            default:
                return [name];
        }
    }

    private static ImmutableArray<HlaName> Group(AlleleGroupFile file, HlaName name) =>
        file.Groups.TryGetValue(name, out var members)
            ? members
            : throw HlaInputException.AtToken($"unknown {file.Marker} group in hla_nom_{char.ToLowerInvariant(file.Marker)} ({file.Header.Version ?? "unknown version"})", name.ToString(), 0);

    internal static HlaInputException Missing(string file, HlaName name) =>
        HlaInputException.AtToken($"resolving this name needs the operator's {file} file, which is not loaded", name.ToString(), 0);
}
