using System.Globalization;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Hla.Frequencies;

/// <summary>Options for reading a frequency file.</summary>
public sealed record FrequencyReadOptions
{
    /// <summary>
    /// How far the raw sum may be from 1 before the file is refused. NMDP 2007 raw sums are
    /// 0.996–1.004 (reference/hla/README.md); the default 0.01 accepts those and refuses a file
    /// that is clearly partial or mis-scaled (e.g. percentages).
    /// </summary>
    public double SumTolerance { get; init; } = 0.01;

    /// <summary>Accept a partial table (published top-N): no sum check, no renormalisation.</summary>
    public bool AllowPartial { get; init; }

    /// <summary>HFX metadata of the file: its <c>frequencyFileHeader</c> names the columns.</summary>
    public HfxMetadata? Metadata { get; init; }
}

/// <summary>
/// Reads haplotype-frequency CSV files: NMDP <c>Haplo,Count,Freq</c> (Maiers et al. 2007, the
/// HEGL files) or <c>haplotype,frequency</c> (Phycus/HFX convention, reference/hla/notes.md §6.4), header
/// names case-insensitive, UTF-8 with or without BOM, read by the library's one CSV reader
/// (<see cref="HlaCsv"/>: quotes, exact field count). Every error names file, row and field.
/// </summary>
public static class HaplotypeFrequencyReader
{
    /// <summary>Reads a frequency set from CSV text.</summary>
    public static HaplotypeFrequencySet Read(TextReader reader, string source, FrequencyReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new FrequencyReadOptions();
        using var records = HlaCsv.Records(reader, source).GetEnumerator();
        if (!records.MoveNext())
        {
            throw HlaInputException.At("empty file: expected a header row (Haplo,Count,Freq or haplotype,frequency)", source, 1);
        }

        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        var hapCol = FindColumn(header, options.Metadata?.HaplotypeColumn, "Haplo", "haplotype");
        var freqCol = FindColumn(header, options.Metadata?.FrequencyColumn, "Freq", "frequency");
        if (hapCol < 0 || freqCol < 0)
        {
            throw HlaInputException.At(
                $"header '{string.Join(",", header)}' has no {(hapCol < 0 ? "haplotype (Haplo or haplotype)" : "frequency (Freq or frequency)")} column", source, 1);
        }

        var hapName = header[hapCol];
        var freqName = header[freqCol];
        var rows = new List<HaplotypeFrequency>();
        var firstRow = new Dictionary<Haplotype, int>();
        string? loci = null;
        while (records.MoveNext())
        {
            var (rowNumber, cells) = (records.Current.Row, records.Current.Fields);
            Haplotype haplotype;
            try
            {
                haplotype = Haplotype.Parse(cells[hapCol].Trim());
            }
            catch (HlaInputException ex)
            {
                throw ex.InFile(source, rowNumber, hapName);
            }

            var lociText = LociText(haplotype);
            loci ??= lociText;
            if (!string.Equals(loci, lociText, StringComparison.Ordinal))
            {
                throw HlaInputException.At($"haplotype has loci {lociText}; earlier rows have {loci}", source, rowNumber, hapName);
            }

            var ftext = cells[freqCol].Trim();
            if (!double.TryParse(ftext, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || !double.IsFinite(f))
            {
                throw HlaInputException.At($"'{ftext}' is not a number", source, rowNumber, freqName);
            }

            if (f < 0)
            {
                throw HlaInputException.At($"frequency {ftext} is negative", source, rowNumber, freqName);
            }

            if (firstRow.TryGetValue(haplotype, out var earlier))
            {
                throw HlaInputException.At($"haplotype {haplotype} is already listed at row {earlier}", source, rowNumber, hapName);
            }

            firstRow[haplotype] = rowNumber;
            rows.Add(new HaplotypeFrequency(haplotype, f));
        }

        if (rows.Count == 0)
        {
            throw HlaInputException.At("no haplotype rows after the header", source);
        }

        var sum = rows.Sum(r => r.Frequency);
        if (!options.AllowPartial && Math.Abs(sum - 1) > options.SumTolerance)
        {
            throw HlaInputException.At(
                string.Create(CultureInfo.InvariantCulture, $"the frequencies sum to {sum:G6}, not 1 ± {options.SumTolerance}; is the file complete and in fractions (not percent)?"),
                source, null, freqName);
        }

        return HaplotypeFrequencySet.Create(source, rows, options.AllowPartial, options.Metadata);
    }

    /// <summary>Reads a frequency file from disk; the source in messages is the file name as given.</summary>
    public static HaplotypeFrequencySet ReadFile(string path, FrequencyReadOptions? options = null)
    {
        using var reader = new StreamReader(path, HlaCsv.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options);
    }

    // The loci of a haplotype as "A~B~DRB1": a loop, not LINQ over the HlaLocus enum (a value-type
    // instantiation ReadyToRun cannot precompile), as it runs for every row.
    private static string LociText(Haplotype haplotype)
    {
        var alleles = haplotype.Alleles;
        var names = new string[alleles.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = alleles[i].Locus.Name();
        }

        return string.Join('~', names);
    }

    private static int FindColumn(string[] header, string? preferred, params string[] names)
    {
        foreach (var n in (preferred is null ? names : names.Prepend(preferred)))
        {
            var i = Array.FindIndex(header, h => string.Equals(h, n, StringComparison.OrdinalIgnoreCase));
            if (i >= 0)
            {
                return i;
            }
        }

        return -1;
    }
}
