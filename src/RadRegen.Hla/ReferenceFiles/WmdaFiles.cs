using System.Collections.Immutable;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.ReferenceFiles;

/// <summary>
/// The <c>#</c> header of an IPD-IMGT/HLA WMDA file (<c># file:</c>, <c># date:</c>,
/// <c># version: IPD-IMGT/HLA 3.54.0</c>, origin, repository, author; ANHIG/IMGTHLA wmda/README.md).
/// </summary>
public sealed record WmdaHeader(string? File, string? Date, string? Version);

/// <summary>Shared reading of the <c>;</c>-separated WMDA files.</summary>
internal static class WmdaReader
{
    public static (WmdaHeader Header, List<(int Row, string[] Fields)> Rows) Read(TextReader reader, string source, int minFields, int maxFields)
    {
        string? file = null, date = null, version = null;
        var rows = new List<(int, string[])>();
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (n == 1)
            {
                line = line.TrimStart('\uFEFF');
            }

            if (line.StartsWith('#'))
            {
                var body = line.TrimStart('#').Trim();
                var colon = body.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var key = body[..colon].Trim().ToLowerInvariant();
                    var value = body[(colon + 1)..].Trim();
                    switch (key)
                    {
                        case "file": file = value; break;
                        case "date": date = value; break;
                        case "version": version = value; break;
                        default: break;
                    }
                }

                continue;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split(';');
            if (fields.Length < minFields || fields.Length > maxFields)
            {
                throw HlaInputException.At(
                    minFields == maxFields
                        ? $"has {fields.Length} ';'-separated fields; expected {minFields}"
                        : $"has {fields.Length} ';'-separated fields; expected {minFields} to {maxFields}", source, n);
            }

            rows.Add((n, fields));
        }

        if (rows.Count == 0)
        {
            throw HlaInputException.At("empty file: no data rows", source);
        }

        return (new WmdaHeader(file, date, version), rows);
    }

    public static HlaLocus Locus(string text, string source, int row)
    {
        var gene = text.Trim().TrimEnd('*');
        return HlaLoci.TryParse(gene, out var locus)
            ? locus
            : throw HlaInputException.At($"unknown locus '{text}'", source, row, "locus");
    }

    public static HlaName Allele(HlaLocus locus, string fields, string source, int row, string field)
    {
        try
        {
            return HlaName.Allele(locus, fields.Trim());
        }
        catch (HlaInputException ex)
        {
            throw ex.InFile(source, row, field);
        }
    }
}

/// <summary>
/// An allele-group file: <c>hla_nom_g.txt</c> (G groups: same nucleotide sequence over the exons of
/// the peptide-binding domain) or <c>hla_nom_p.txt</c> (P groups: same protein sequence there).
/// Rows <c>locus;allele/allele/...;group</c>; an empty group means the allele is in no group
/// (ANHIG/IMGTHLA wmda/README.md; reference/hla/notes.md §6.2–6.3).
/// </summary>
public sealed class AlleleGroupFile
{
    private AlleleGroupFile(WmdaHeader header, char marker, ImmutableDictionary<HlaName, ImmutableArray<HlaName>> groups,
        ImmutableDictionary<HlaName, HlaName> groupOf, ImmutableArray<HlaName> ungrouped)
    {
        Header = header;
        Marker = marker;
        Groups = groups;
        GroupOf = groupOf;
        Ungrouped = ungrouped;
    }

    /// <summary>The file's <c>#</c> header; its version is recorded with results.</summary>
    public WmdaHeader Header { get; }

    /// <summary><c>G</c> or <c>P</c>.</summary>
    public char Marker { get; }

    /// <summary>Group name → member alleles.</summary>
    public ImmutableDictionary<HlaName, ImmutableArray<HlaName>> Groups { get; }

    /// <summary>Allele → its group.</summary>
    public ImmutableDictionary<HlaName, HlaName> GroupOf { get; }

    /// <summary>Alleles listed without a group.</summary>
    public ImmutableArray<HlaName> Ungrouped { get; }

    /// <summary>Every allele named in the file.</summary>
    public IEnumerable<HlaName> Alleles => GroupOf.Keys.Concat(Ungrouped);

    /// <summary>Parses <c>hla_nom_g.txt</c> (<paramref name="marker"/> 'G') or <c>hla_nom_p.txt</c> ('P').</summary>
    public static AlleleGroupFile Parse(TextReader reader, string source, char marker)
    {
        if (marker is not ('G' or 'P'))
        {
            throw new ArgumentOutOfRangeException(nameof(marker), "G or P");
        }

        var (header, rows) = WmdaReader.Read(reader, source, 3, 3);
        var groups = new Dictionary<HlaName, ImmutableArray<HlaName>>();
        var groupOf = new Dictionary<HlaName, HlaName>();
        var ungrouped = new List<HlaName>();
        foreach (var (row, f) in rows)
        {
            var locus = WmdaReader.Locus(f[0], source, row);
            var members = f[1].Split('/').Select(a => WmdaReader.Allele(locus, a, source, row, "alleles")).ToImmutableArray();
            if (f[2].Trim().Length == 0)
            {
                ungrouped.AddRange(members);
                continue;
            }

            HlaName group;
            try
            {
                group = HlaName.Allele(locus, f[2].Trim());
            }
            catch (HlaInputException ex)
            {
                throw ex.InFile(source, row, "group");
            }

            var expected = marker == 'G' ? HlaNameKind.GGroup : HlaNameKind.PGroup;
            if (group.Kind != expected)
            {
                throw HlaInputException.At($"'{f[2]}' is not a {marker} group name", source, row, "group");
            }

            if (!groups.TryAdd(group, members))
            {
                throw HlaInputException.At($"group {group} is listed twice", source, row, "group");
            }

            foreach (var m in members)
            {
                if (!groupOf.TryAdd(m, group))
                {
                    throw HlaInputException.At($"allele {m} is already in group {groupOf[m]}", source, row, "alleles");
                }
            }
        }

        return new AlleleGroupFile(header, marker, groups.ToImmutableDictionary(), groupOf.ToImmutableDictionary(), [.. ungrouped]);
    }
}

/// <summary>Serological assignments of one allele (a row of <c>rel_dna_ser.txt</c>).</summary>
public sealed record AlleleSerology(
    HlaName Allele, ImmutableArray<string> Unambiguous, ImmutableArray<string> Possible, ImmutableArray<string> Assumed,
    ImmutableArray<string> Expert, ImmutableArray<string> Hats)
{
    /// <summary>
    /// The antigens RadRegen uses for the allele: the expert-assigned exception when there is one;
    /// otherwise the unambiguous, possible and (2026) HATS-assigned antigens; only when none of those
    /// is given, the assumed antigen (which "is just what the first field implies and may be
    /// wrong", reference/hla/notes.md §6.3). <c>0</c> (null) and <c>?</c> (unknown) are not antigens.
    /// </summary>
    public ImmutableArray<string> Antigens
    {
        get
        {
            static bool Real(string s) => s.Length > 0 && s != "0" && s != "?";
            if (Expert.Any(Real))
            {
                return [.. Expert.Where(Real)];
            }

            var primary = Unambiguous.Concat(Possible).Concat(Hats).Where(Real).Distinct().ToImmutableArray();
            return primary.Length > 0 ? primary : [.. Assumed.Where(Real)];
        }
    }
}

/// <summary>
/// <c>rel_dna_ser.txt</c>: <c>locus;allele;unambiguous;possible;assumed;expert[;HATS]</c> — six
/// fields before the 2026 report, seven after (HATS-assigned specificity), parsed defensively
/// (reference/hla/notes.md §6.3). Values are <c>/</c>-separated antigen numbers, <c>0</c> null, <c>?</c> unknown.
/// </summary>
public sealed class DnaSerologyFile
{
    private DnaSerologyFile(WmdaHeader header, ImmutableArray<AlleleSerology> rows, int fieldCount)
    {
        Header = header;
        Rows = rows;
        FieldCount = fieldCount;
    }

    /// <summary>The file's <c>#</c> header; its version is recorded with results.</summary>
    public WmdaHeader Header { get; }

    /// <summary>One row per allele: its serological assignments by category.</summary>
    public ImmutableArray<AlleleSerology> Rows { get; }

    /// <summary>6 (pre-2026) or 7 (2026 format).</summary>
    public int FieldCount { get; }

    /// <summary>Parses <c>rel_dna_ser.txt</c> in either format (six or seven fields).</summary>
    /// <param name="reader">The file's text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="HlaInputException">A malformed row; the message names the file and row.</exception>
    public static DnaSerologyFile Parse(TextReader reader, string source)
    {
        var (header, rows) = WmdaReader.Read(reader, source, 6, 7);
        var result = ImmutableArray.CreateBuilder<AlleleSerology>(rows.Count);
        var max = 6;
        foreach (var (row, f) in rows)
        {
            var locus = WmdaReader.Locus(f[0], source, row);
            var allele = WmdaReader.Allele(locus, f[1], source, row, "allele");
            ImmutableArray<string> Values(int i, string field)
            {
                if (i >= f.Length)
                {
                    return [];
                }

                var parts = f[i].Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var p in parts)
                {
                    if (p != "?" && !p.All(char.IsAsciiDigit))
                    {
                        throw HlaInputException.At($"'{p}' is not an antigen number, 0 or ?", source, row, field);
                    }
                }

                return [.. parts];
            }

            max = Math.Max(max, f.Length);
            result.Add(new AlleleSerology(allele, Values(2, "unambiguous"), Values(3, "possible"), Values(4, "assumed"), Values(5, "expert"), Values(6, "hats")));
        }

        return new DnaSerologyFile(header, result.MoveToImmutable(), max);
    }
}

/// <summary>A serological antigen with its splits and associated antigens (a row of <c>rel_ser_ser.txt</c>).</summary>
public sealed record SerologyRelation(HlaLocus Locus, string Antigen, ImmutableArray<string> Splits, ImmutableArray<string> Associated);

/// <summary><c>rel_ser_ser.txt</c>: <c>locus;antigen;splits;associated</c>, e.g. <c>A;9;23/24;</c>, <c>A;2;;203/210</c>.</summary>
public sealed class SerologyRelationFile
{
    private SerologyRelationFile(WmdaHeader header, ImmutableArray<SerologyRelation> rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>The file's <c>#</c> header; its version is recorded with results.</summary>
    public WmdaHeader Header { get; }

    /// <summary>One row per antigen: its splits and associated antigens.</summary>
    public ImmutableArray<SerologyRelation> Rows { get; }

    /// <summary>Parses <c>rel_ser_ser.txt</c>.</summary>
    /// <param name="reader">The file's text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="HlaInputException">A malformed row; the message names the file and row.</exception>
    public static SerologyRelationFile Parse(TextReader reader, string source)
    {
        var (header, rows) = WmdaReader.Read(reader, source, 4, 4);
        var result = ImmutableArray.CreateBuilder<SerologyRelation>(rows.Count);
        foreach (var (row, f) in rows)
        {
            var locus = WmdaReader.Locus(f[0], source, row);
            ImmutableArray<string> Numbers(string text, string field)
            {
                var parts = text.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return parts.All(p => p.All(char.IsAsciiDigit))
                    ? [.. parts]
                    : throw HlaInputException.At($"'{text}' is not a '/'-list of antigen numbers", source, row, field);
            }

            var antigen = f[1].Trim();
            if (antigen.Length == 0 || !antigen.All(char.IsAsciiDigit))
            {
                throw HlaInputException.At($"'{f[1]}' is not an antigen number", source, row, "antigen");
            }

            result.Add(new SerologyRelation(locus, antigen, Numbers(f[2], "splits"), Numbers(f[3], "associated")));
        }

        return new SerologyRelationFile(header, result.MoveToImmutable());
    }
}

/// <summary>
/// NMDP multiple allele codes (<c>alpha.v3.txt</c>): a <c>LAST UPDATED:</c> line, a column line
/// (<c>*  CODE  SUBTYPE</c>), then tab-separated <c>[*] CODE SUBTYPE</c> rows. A generic code lists
/// second fields (<c>AB → 01/02</c>, applied to the typed first field); an allele-specific code lists
/// full <c>ff:ss</c> names (py-ard mac_handler; reference/hla/notes.md §6.5).
/// </summary>
public sealed class MacFile
{
    private MacFile(string? lastUpdated, ImmutableDictionary<string, ImmutableArray<string>> codes)
    {
        LastUpdated = lastUpdated;
        Codes = codes;
    }

    /// <summary>The file's <c>LAST UPDATED</c> date, its version.</summary>
    public string? LastUpdated { get; }

    /// <summary>
    /// Code (two to five capital letters) → what it stands for: second fields for a generic code
    /// (<c>AB</c> → <c>01</c>, <c>02</c>), full <c>ff:ss</c> names for an allele-specific one.
    /// </summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Codes { get; }

    /// <summary>Parses an <c>alpha.v3.txt</c> file.</summary>
    /// <param name="reader">The file's text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <exception cref="HlaInputException">A malformed row or code; the message names the file and row.</exception>
    public static MacFile Parse(TextReader reader, string source)
    {
        string? updated = null;
        var codes = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var n = 0;
        while (reader.ReadLine() is { } raw)
        {
            n++;
            var line = raw.TrimStart('\uFEFF').Trim().Trim('"');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("LAST UPDATED", StringComparison.OrdinalIgnoreCase))
            {
                updated = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                continue;
            }

            var cells = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (cells.Count > 0 && cells[0] == "*")
            {
                cells.RemoveAt(0);
            }

            if (cells.Count == 2 && cells[0] == "CODE")
            {
                continue;
            }

            if (cells.Count != 2)
            {
                throw HlaInputException.At("expected '[*] CODE SUBTYPE' separated by tabs", source, n);
            }

            var code = cells[0];
            if (code.Length is < 2 or > 5 || !code.All(char.IsAsciiLetterUpper))
            {
                throw HlaInputException.At($"'{code}' is not a code of two to five capital letters", source, n, "CODE");
            }

            var items = cells[1].Split('/').ToImmutableArray();
            foreach (var item in items)
            {
                var body = item.Length > 0 && "NLSCAQ".Contains(item[^1], StringComparison.Ordinal) ? item[..^1] : item;
                var parts = body.Split(':');
                if (parts.Length > 2 || parts.Any(p => p.Length is < 2 or > 4 || !p.All(char.IsAsciiDigit)))
                {
                    throw HlaInputException.At($"'{item}' is not a field or ff:ss allele", source, n, "SUBTYPE");
                }
            }

            if (!codes.TryAdd(code, items))
            {
                throw HlaInputException.At($"code {code} is listed twice", source, n, "CODE");
            }
        }

        if (codes.Count == 0)
        {
            throw HlaInputException.At("empty file: no codes", source);
        }

        return new MacFile(updated, codes.ToImmutableDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Expands <c>A*01:AB</c> to its alleles; unknown codes are errors naming the token. Null
    /// alleles in an expansion are dropped (unless the code lists nothing else), as Atlas does at
    /// the request of search coordinators (reference/hla/notes.md §4.3).
    /// </summary>
    public ImmutableArray<HlaName> Expand(HlaName mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        if (mac.Kind != HlaNameKind.Mac)
        {
            throw new ArgumentException("not a MAC", nameof(mac));
        }

        if (!Codes.TryGetValue(mac.Code!, out var items))
        {
            throw HlaInputException.AtToken($"unknown MAC code {mac.Code} (MAC file of {LastUpdated ?? "unknown date"})", mac.ToString(), 0);
        }

        var names = items.Select(i => HlaName.Allele(mac.Locus, i.Contains(':', StringComparison.Ordinal) ? i : $"{mac.FirstField}:{i}")).ToImmutableArray();
        if (items.Any(i => i.Contains(':', StringComparison.Ordinal)) && names.All(n => n.FirstField != mac.FirstField))
        {
            throw HlaInputException.AtToken(
                $"allele-specific code {mac.Code} lists {string.Join('/', items)}, none in allele group {mac.FirstField}", mac.ToString(), 0);
        }

        var expressed = names.Where(a => !a.IsNull).ToImmutableArray();
        return expressed.Length > 0 ? expressed : names;
    }
}
